"""Data flows one way: corpus -> indexer -> search. Imports must follow it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"corpus": {"corpus"}, "indexer": {"corpus", "indexer"}, "search": {"corpus", "indexer", "search"}}
OURS = set(ALLOWED) | {"bench"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & OURS


#: Inside search/: the query language never needs a live index, and the core never
#: depends on the tools and presenters built over it.
SEARCH_FORBIDDEN = {"query": {"engine", "research", "cli", "web"}, "engine": {"research", "cli", "web"},
                    "research": {"cli", "web"}, "fresh": {"cli", "web", "research"},
                    "alerts": {"cli", "web", "research"}}


def imported_search_parts(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    modules = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    modules += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 0]
    modules += [f"search.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "search"
                for a in n.names]
    return {m.split(".")[1] for m in modules if m.startswith("search.") and m.count(".") >= 1}


@pytest.mark.parametrize("part", sorted(SEARCH_FORBIDDEN))
def test_search_sub_packages_import_only_downstream_parts(part):
    for path in (ROOT / "search" / part).rglob("*.py"):
        wrong = imported_search_parts(path) & SEARCH_FORBIDDEN[part]
        assert not wrong, f"{path.relative_to(ROOT)} imports search.{wrong}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_upstream(package):
    for path in (ROOT / package).rglob("*.py"):
        wrong = imported_packages(path) - ALLOWED[package]
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"
