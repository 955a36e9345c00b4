"""Chinese analysis and the Whoosh index: corpus articles in, a searchable index out.

The writer (:mod:`indexer.builder`, with Whoosh's writing and multiprocessing machinery)
loads on first use (PEP 562): a process that only searches never needs it.
"""

from typing import Any

from indexer.analysis import gram_analyzer, is_han, segment, subwords, word_analyzer
from indexer.dictionary import Dictionary
from indexer.errors import (
                            DictionaryError,
                            DictionaryMismatch,
                            IndexerError,
                            IndexLocked,
                            IndexNotFound,
                            IndexOutdated,
                            IndexWriteError,
)
from indexer.facts import RuleFacts, extract_facts, load_terms, normalise_rule
from indexer.folding import fold, fold_char_run
from indexer.schema import (
                            FACT_FIELDS,
                            GRAM_FIELDS,
                            WORD_FIELDS,
                            build_schema,
                            check_compatible,
                            schema_dictionary,
)
from indexer.store import IndexStore

__all__ = [
                            "FACT_FIELDS",
                            "GRAM_FIELDS",
                            "WORD_FIELDS",
                            "BuildOptions",
                            "BuildReport",
                            "Dictionary",
                            "DictionaryError",
                            "DictionaryMismatch",
                            "IndexLocked",
                            "IndexNotFound",
                            "IndexOutdated",
                            "IndexStore",
                            "IndexWriteError",
                            "IndexerError",
                            "RuleFacts",
                            "build_index",
                            "build_schema",
                            "check_compatible",
                            "extract_facts",
                            "fold",
                            "fold_char_run",
                            "gram_analyzer", "is_han",
                            "load_terms",
                            "normalise_rule",
                            "schema_dictionary",
                            "segment",
                            "subwords",
                            "word_analyzer",
]

_WRITER = ("BuildOptions", "BuildReport", "build_index")


def __getattr__(name: str) -> Any:
    if name in _WRITER:
        from indexer import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'indexer' has no attribute {name!r}")
