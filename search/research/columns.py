"""Per-article columns the research tools count over: publication day and source, as arrays.

Read once per index version from Whoosh's sortable columns (no stored-field reads) and kept
in the view's cache, so a trend or a source table is a ``bincount`` over the matches'
document numbers rather than a loop over articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from whoosh.util.times import datetime_to_long

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
    def read(cls, reader) -> Columns:
        raw = np.fromiter(reader.column_reader("published", translate=False), dtype=np.uint64,
                          count=reader.doc_count_all())  # unsigned: the undated sentinel is 2**64 - 1
        dated = (raw >= _FIRST) & (raw < _LAST)
        days = (np.where(dated, raw, _EPOCH).astype(np.int64) - _EPOCH) // _US_PER_DAY
        names, sources = np.unique(np.array(list(reader.column_reader("source")), dtype=object).astype(str),
                                   return_inverse=True)
        return cls(days, dated, sources.astype(np.int32), tuple(str(n) for n in names))


def columns(view) -> Columns:
    """The columns of this view's index version, read on first use and kept with the view."""
    found = view.cache.get(_KEY)
    if found is None:
        found = view.cache[_KEY] = Columns.read(view.searcher.reader())
    return found
