"""A request's filters (dates, category, year, facts) as the set of articles they allow.

Whoosh's filtered counts need the fix in :mod:`indexer.whoosh_compat` (a filter tested
against ``None``, not its truth), installed whenever an index is opened.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.idsets import BitSet

from search.engine.cache import LruCache
from search.engine.results import SearchRequest
from search.errors import ParameterError
from search.query.compiler import date_range, exact_value

#: Filters kept as sets of articles (a bit per article: 16 KB each for 125,800 articles).
FILTER_SETS_KEPT = 64
#: Request fields that filter on one exact indexed value.
VALUE_FILTERS = ("category", "year", "platform", "rule", "kind")


class FilterSet(BitSet):
    """The articles a filter allows, computed once and kept (see :class:`FilterSets`).

    Always true: Whoosh asks a filter's truth to mean "is there a filter" (``if filter or
    mask``), so an empty set would read as no filter at all and allow every article.
    """

    def __bool__(self) -> bool:
        return True


def request_filters(request: SearchRequest) -> wq.Query | None:
    """The request's date, category, year and fact filters as one query (None: no filter)."""
    parts: list[wq.Query] = []
    if request.date_from or request.date_to:
        parts.append(date_range("published", request.date_from, request.date_to, ParameterError))
    if request.effective_from or request.effective_to:
        parts.append(date_range("effective", request.effective_from, request.effective_to, ParameterError))
    for name in VALUE_FILTERS:
        value = getattr(request, name)
        if value:
            parts.append(wq.Term(name, exact_value(name, value)))
    return wq.And(parts) if parts else None


class FilterSets:
    """Filters as sets of articles, kept per index version for every thread.

    Users repeat the same few years and platforms, and Whoosh would otherwise collect a
    filter's articles afresh for every search (200 ms for one year of the 125,800-article
    index, ten times the search itself).
    """

    def __init__(self, kept: int = FILTER_SETS_KEPT):
        self._sets: LruCache[FilterSet] = LruCache(kept)

    def allowed(self, searcher, version, request: SearchRequest) -> FilterSet | None:
        """The articles ``request``'s filters allow in this index version (None: no filter)."""
        filters = request_filters(request)
        if filters is None:
            return None
        key = (version, repr(filters))
        docs = self._sets.get(key)
        if docs is None:
            docs = FilterSet(searcher.docs_for_query(filters), size=searcher.doc_count_all())
            self._sets.put(key, docs)
        return docs
