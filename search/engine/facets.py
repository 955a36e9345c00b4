"""Facet counts over multi-valued fact fields, read from a per-article column.

Whoosh's own overlapping facets rebuild a map of every article's values from the postings
of every term on every search; our fact fields keep the values in a column instead
(:class:`indexer.schema.FactKeywords`), so counting reads only the matching articles.
"""

from __future__ import annotations

from whoosh import sorting

from indexer.schema import FactKeywords


class ListColumnFacet(sorting.FacetType):
    """Counts each value of a :class:`FactKeywords` field once per matching article."""

    def __init__(self, fieldname: str):
        self.fieldname = fieldname
        self.maptype = None

    def categorizer(self, global_searcher):
        return _ListCategorizer(self.fieldname)


class _ListCategorizer(sorting.Categorizer):
    allow_overlap = True

    def __init__(self, fieldname: str):
        self.fieldname = fieldname
        self._column = None

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        self._column = reader.column_reader(self.fieldname, translate=False) if reader.has_column(self.fieldname) else None

    def keys_for(self, matcher, docid):
        raw = self._column[docid] if self._column is not None else b""
        return [v.decode("utf-8") for v in raw.split(FactKeywords.SEPARATOR) if v] if raw else []

    def key_for(self, matcher, docid):
        keys = self.keys_for(matcher, docid)
        return keys[0] if keys else None


#: The facets every search counts: years and categories from their columns, facts from theirs.
FACETS = {"year": sorting.FieldFacet("year"), "category": sorting.FieldFacet("category"),
          **{name: ListColumnFacet(name) for name in ("platform", "rule", "kind")}}
#: Values shown per facet (years are all shown).
FACET_SIZE = 20


def ordered(name: str, counts: dict) -> dict[str, int]:
    """Years newest first, everything else most frequent first (top ``FACET_SIZE``)."""
    items = [(k.decode() if isinstance(k, bytes) else k, v) for k, v in counts.items() if k]
    if name == "year":
        return dict(sorted(items, reverse=True))
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE])
