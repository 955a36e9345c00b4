"""Fixtures build on each other: sample articles -> index in tmp_path -> searcher -> app -> client."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus import read_articles, sample_path
from indexer import IndexStore, build_index
from search.searcher import Searcher
from search.web import create_app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"

logging.getLogger("jieba").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def sample_articles():
    return list(read_articles([sample_path()]))


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_articles) -> Path:
    """The bundled sample, indexed once per session; tests must not write to it."""
    path = tmp_path_factory.mktemp("sample-index")
    build_index(IndexStore(path), sample_articles)
    return path


@pytest.fixture
def index_dir(tmp_path, sample_articles) -> Path:
    """A private, writable copy of the sample index for tests that change it."""
    build_index(IndexStore(tmp_path / "index"), sample_articles)
    return tmp_path / "index"


@pytest.fixture(scope="session")
def searcher(sample_index) -> Searcher:
    return Searcher(IndexStore(sample_index))


@pytest.fixture(scope="session")
def app(sample_index):
    return create_app({"index_dir": sample_index})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHSEARCH_INDEX", str(tmp_path / "cli-index"))
    return CliRunner()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
