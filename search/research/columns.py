"""Per-article columns the research tools count over: publication day and source, as arrays.

Made once per index version from the search core's own arrays (its date column and its
``source`` codes, read segment by segment) and kept in the view's cache, so a trend or a
source table is a ``bincount`` over the matches' document numbers rather than a loop over
articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from whoosh.util.times import datetime_to_long

from search.engine.arrays import IndexArrays

_US_PER_DAY = 86_400_000_000
_EPOCH = datetime_to_long(datetime(1970, 1, 1))
#: Whoosh fills the column of undated articles with a sentinel outside any real date.
_FIRST, _LAST = datetime_to_long(datetime(1900, 1, 1)), datetime_to_long(datetime(2201, 1, 1))
_KEY = "research.columns"


@dataclass(frozen=True)
class Columns:
    """Arrays indexed by document number."""

    #: Days since 1970-01-01 of each article's publication (meaningless where not ``dated``).
    days: np.ndarray
    dated: np.ndarray
    #: Index into ``source_names`` of each article's source ("" for none).
    sources: np.ndarray
    source_names: tuple[str, ...]

    @classmethod
    def of(cls, arrays: IndexArrays) -> Columns:
        dated_keys = arrays.published()
        if dated_keys is None:
            raw = np.full(arrays.doc_count, np.iinfo(np.uint64).max, dtype=np.uint64)
        else:  # back from the core's order-preserving keys (search.engine.postings.sort_key)
            raw = dated_keys[0].view(np.uint64) ^ np.uint64(1 << 63)
        dated = (raw >= _FIRST) & (raw < _LAST)
        days = (np.where(dated, raw, _EPOCH).astype(np.int64) - _EPOCH) // _US_PER_DAY
        codes = arrays.codes("source")
        if (codes.codes < 0).any():  # articles without a source: the name "" goes first, as sorted
            return cls(days, dated, codes.codes + 1, ("", *codes.values))
        return cls(days, dated, codes.codes.copy(), codes.values)


def columns(matching) -> Columns:
    """The columns of this match set's index version, made on first use and kept with the view."""
    found = matching.view.cache.get(_KEY)
    if found is None:
        found = matching.view.cache[_KEY] = Columns.of(matching.arrays)
    return found
