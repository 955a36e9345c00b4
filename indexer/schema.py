"""The Whoosh schema: which article fields are searched, stored, sorted and faceted."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import gram_analyzer, word_analyzer
from indexer.dictionary import Dictionary
from indexer.errors import IndexOutdated

#: Multi-valued fact fields, faceted with overlap (an article may name two platforms).
FACT_FIELDS = ("platform", "rule", "programme", "kind")
#: Ranked word fields and their character-bigram twins, in one place for the searcher.
WORD_FIELDS = ("title", "content")
GRAM_FIELDS = {"title": "title_g", "content": "content_g"}


class FactKeywords(KEYWORD):
    """Comma-separated fact values (platforms, agreements, kinds), searchable as terms.

    They are also kept as a per-article list column: facet counts then read the column for
    the matching articles instead of walking every term's postings on every search (which
    cost Whoosh's overlapping facets ~0.3 s a query on 125k articles).
    """

    SEPARATOR = b"\x1f"

    def __init__(self):
        super().__init__(commas=True, lowercase=True, sortable=columns.VarBytesColumn())

    def to_column_value(self, value):
        return self.SEPARATOR.join(v.strip().lower().encode("utf-8") for v in value.split(",") if v.strip())

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value.split(self.SEPARATOR) if v]


def build_schema(dictionary: Dictionary) -> Schema:
    """Word fields carry positions (phrases, proximity); bigram fields give exact substrings.

    ``year`` and ``category`` are sortable columns so facet counts need no stored-field
    reads; ``published`` is stored as naive China time (all sources are +08:00).
    """
    words = word_analyzer(dictionary)
    grams = gram_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, stored=True, phrase=True),
        content=TEXT(analyzer=words, stored=True, phrase=True),
        title_g=TEXT(analyzer=grams, phrase=True),
        content_g=TEXT(analyzer=grams, phrase=True),
        published=DATETIME(stored=True, sortable=True),
        year=ID(sortable=True),
        url=STORED(),
        source=ID(stored=True, sortable=True),
        category=ID(stored=True, sortable=True),
        # rule-change facts (indexer.facts): dates to filter on, names to facet on
        effective=DATETIME(),
        announced=DATETIME(),
        rule=FactKeywords(),
        platform=FactKeywords(),
        programme=FactKeywords(),
        kind=FactKeywords(),
        facts=STORED(),
    )


def schema_dictionary(schema: Schema) -> Dictionary:
    """The dictionary an index was built with (pickled in its word analyzer)."""
    tokenizer = schema["title"].analyzer.items[0]
    return tokenizer.dictionary


#: Every field this version reads; an index missing one was built by an older zhsearch.
FIELD_NAMES = ("id", "title", "content", "title_g", "content_g", "published", "year", "url", "source",
               "category", "effective", "announced", *FACT_FIELDS, "facts")


def check_compatible(schema: Schema, where: object) -> None:
    """Refuse, with the fix, an index whose fields predate this version (not a crash mid-search)."""
    missing = [name for name in FIELD_NAMES if name not in schema.names()]
    if missing:
        raise IndexOutdated(f"the index at {where} was built by an older zhsearch (it has no "
                            f"{', '.join(missing)} field); rebuild it with `zhsearch index --rebuild ...`")
