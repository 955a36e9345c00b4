"""Facet counts from arrays: one count per value, in one pass over the matches.

Single-valued fields (year, category, source) are one code per article; the fact fields
(platform, rule, kind) may hold several values per article and are (article, value) pairs.
Both come from the fields' own postings (:class:`search.engine.arrays.IndexArrays`), so a
count costs a ``bincount`` over the matches, whatever their number.
"""

from __future__ import annotations

import numpy as np

from search.engine.arrays import IndexArrays

#: Facets of one value per article.
SINGLE_FACETS = ("year", "category", "source")
#: Facets of several values per article (facts found by the indexer).
MULTI_FACETS = ("platform", "rule", "kind")
#: The facets every search counts, in the order pages show them.
FACETS = SINGLE_FACETS + MULTI_FACETS
#: Values shown per facet (years are all shown).
FACET_SIZE = 20


def count_facets(arrays: IndexArrays, docs: np.ndarray) -> dict[str, dict[str, int]]:
    """Every facet's counts over the matching articles ``docs``."""
    out: dict[str, dict[str, int]] = {}
    for name in SINGLE_FACETS:
        codes = arrays.codes(name)
        counts = np.bincount(codes.codes[docs] + 1, minlength=len(codes.values) + 1)[1:]
        out[name] = _top(name, codes.values, counts)
    if MULTI_FACETS:
        matched = np.zeros(arrays.doc_count, dtype=bool)
        matched[docs] = True
        for name in MULTI_FACETS:
            pairs = arrays.pairs(name)
            counts = np.bincount(pairs.codes[matched[pairs.docs]], minlength=len(pairs.values))
            out[name] = _top(name, pairs.values, counts)
    return out


def _top(name: str, values: tuple[str, ...], counts: np.ndarray) -> dict[str, int]:
    """:func:`ordered` over arrays: values are in sorted order, so code order breaks ties
    alphabetically, and only the top ``FACET_SIZE`` become a dict (a rule facet has
    thousands of values)."""
    present = np.flatnonzero(counts)
    if name != "year" and len(present) > FACET_SIZE:
        present = present[np.lexsort((present, -counts[present]))[:FACET_SIZE]]
    return ordered(name, {values[i]: int(counts[i]) for i in present.tolist()})


def ordered(name: str, counts: dict) -> dict[str, int]:
    """Years newest first, everything else most frequent first (top ``FACET_SIZE``)."""
    items = [(k.decode() if isinstance(k, bytes) else k, v) for k, v in counts.items() if k]
    if name == "year":
        return dict(sorted(items, reverse=True))
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE])
