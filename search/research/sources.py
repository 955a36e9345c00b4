"""Who reports it: the sources of a set of matches, with counts and shares.

Counted from the ``source`` column over the matches' document numbers, so a source table
costs one ``bincount`` whatever the number of matches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from search.research.columns import Columns

TOP_SOURCES = 10


def source_table(cols: Columns, docs: np.ndarray, top: int = TOP_SOURCES) -> list[dict[str, Any]]:
    """The ``top`` sources of ``docs``, most articles first; ``share`` is of all of ``docs``.

    An article without a source counts under ``None``.
    """
    if not len(docs):
        return []
    counts = np.bincount(cols.sources[docs], minlength=len(cols.source_names))
    order = np.argsort(-counts, kind="stable")[:top]
    return [{"source": cols.source_names[i] or None, "count": int(counts[i]),
             "share": round(float(counts[i]) / len(docs), 4)} for i in order if counts[i]]


def top_source_codes(cols: Columns, docs: np.ndarray, top: int) -> list[int]:
    """Codes of the ``top`` sources of ``docs`` (for one series each in a trend by source)."""
    if not len(docs):
        return []
    counts = np.bincount(cols.sources[docs], minlength=len(cols.source_names))
    return [int(i) for i in np.argsort(-counts, kind="stable")[:top] if counts[i]]
