"""How a query was read (folding, segmentation, synonyms, the final queries), when asked."""

from __future__ import annotations

from typing import Any

from indexer import fold_char_run
from search.query import syntax
from search.query.compiler import Compiled, QueryCompiler


def explain(raw: str, tree: syntax.Node | None, compiled: Compiled, compiler: QueryCompiler) -> dict[str, Any]:
    """The explain record of the API and ``--explain``: built only for requests that ask."""
    return {"query": raw, "parsed": repr(tree) if tree is not None else None,
            "terms": list(_terms(tree, compiler)) if tree is not None else [],
            "whoosh": str(compiled.query), "fill": str(compiled.loose) if compiled.loose is not None else None,
            "headlines": str(compiled.headlines) if compiled.headlines is not None else None}


def _terms(node: syntax.Node, compiler: QueryCompiler):
    """Every word and phrase of the query, negated ones included, in the order typed."""
    if isinstance(node, (syntax.And, syntax.Or)):
        for child in node.nodes:
            yield from _terms(child, compiler)
    elif isinstance(node, syntax.Not):
        yield from _terms(node.node, compiler)
    elif isinstance(node, syntax.Range) or node.field in syntax.EXACT_FIELDS:
        return
    elif isinstance(node, syntax.Phrase):
        yield {"text": node.text, "kind": "phrase", "folded": fold_char_run(node.text),
               "grams": list(compiler.terms.grams(node.text))}
    else:
        yield {"text": node.text, "kind": "term", "folded": fold_char_run(node.text),
               "units": list(compiler.terms.units(node.text)),
               "synonyms": list(compiler.synonyms.lookup(node.text))}
