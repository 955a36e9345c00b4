"""Chinese analysis and the Whoosh index: corpus articles in, a searchable index out."""

from indexer import zerocopy  # noqa: F401  (first: Whoosh readers must not copy the index)

from indexer.analysis import gram_analyzer, segment, subwords, word_analyzer
from indexer.builder import BuildOptions, BuildReport, build_index
from indexer.dictionary import Dictionary
from indexer.errors import (DictionaryError, DictionaryMismatch, IndexerError, IndexLocked,
                            IndexNotFound, IndexOutdated, IndexWriteError)
from indexer.folding import fold, fold_char_run
from indexer.facts import RuleFacts, extract_facts, load_terms, normalise_rule
from indexer.schema import (FACT_FIELDS, GRAM_FIELDS, WORD_FIELDS, build_schema, check_compatible,
                            schema_dictionary)
from indexer.store import IndexStore

__all__ = [
    "FACT_FIELDS", "RuleFacts", "extract_facts", "load_terms", "normalise_rule",
    "BuildOptions", "BuildReport", "Dictionary", "DictionaryError", "DictionaryMismatch",
    "GRAM_FIELDS", "IndexLocked", "IndexNotFound", "IndexOutdated", "IndexStore", "IndexWriteError",
    "IndexerError", "WORD_FIELDS", "build_index", "build_schema", "check_compatible", "fold", "fold_char_run",
    "gram_analyzer", "schema_dictionary", "segment", "subwords", "word_analyzer",
]
