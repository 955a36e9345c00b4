"""The examples in indexer and search docstrings are tests too (corpus has its own)."""

import doctest
import importlib

import pytest

MODULES = ["indexer.folding", "indexer.analysis", "indexer.dictionary", "search.query.dates", "search.engine.snippets",
           "search.query.compiler", "search.query.synonyms", "search.research.tools", "search.engine.duplicates", "search.research.evaluation",
           "search.engine.results", "search.research.periods", "search.research.significance",
           "search.research.news", "search.engine.vocabulary", "search.research.terms"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
