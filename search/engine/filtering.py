"""Filters as kept sets of articles (see ``Searcher.allowed``).

Whoosh's filtered counts need the fix in :mod:`indexer.whoosh_compat` (a filter tested
against ``None``, not its truth), installed whenever an index is opened.
"""

from __future__ import annotations

from whoosh.idsets import BitSet


class FilterSet(BitSet):
    """The articles a filter allows, computed once and kept (see ``Searcher.allowed``).

    Always true: Whoosh asks a filter's truth to mean "is there a filter" (``if filter or
    mask``), so an empty set would read as no filter at all and allow every article.
    """

    def __bool__(self) -> bool:
        return True


def filter_set(searcher, query) -> FilterSet:
    return FilterSet(searcher.docs_for_query(query), size=searcher.doc_count_all())

