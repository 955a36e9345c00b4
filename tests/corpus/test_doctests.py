"""The examples in the corpus modules' docstrings are tests too."""

import doctest
import importlib

import pytest

MODULES = ["csvfile", "dates", "encoding", "formats", "jsondoc", "normalize"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"corpus.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
