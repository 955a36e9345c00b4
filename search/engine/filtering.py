"""A request's filters (dates, category, year, facts) as the set of articles they allow."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.engine.cache import LruCache
from search.engine.evaluate import Evaluator
from search.engine.results import SearchRequest
from search.errors import ParameterError
from search.query.compiler import date_range, exact_value

#: Filters kept as masks (a byte per article: 126 KB each for 125,800 articles).
FILTER_SETS_KEPT = 64
#: Request fields that filter on one exact indexed value.
VALUE_FILTERS = ("category", "year", "platform", "rule", "kind")


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
    """Filters as masks of the articles they allow, kept per index version for every thread.

    Users repeat the same few years and platforms; a kept mask makes a filter free.
    """

    def __init__(self, kept: int = FILTER_SETS_KEPT):
        self._sets: LruCache[np.ndarray] = LruCache(kept)

    def allowed(self, evaluator: Evaluator, version, request: SearchRequest) -> np.ndarray:
        """The live articles ``request``'s filters allow in this index version."""
        filters = request_filters(request)
        live = evaluator.arrays.live
        if filters is None:
            return live
        key = (version, repr(filters))
        mask = self._sets.get(key)
        if mask is None:
            mask = np.zeros(evaluator.arrays.doc_count, dtype=bool)
            mask[evaluator.evaluate(filters).docs] = True
            mask &= live
            self._sets.put(key, mask)
        return mask
