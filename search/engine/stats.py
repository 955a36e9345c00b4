"""What the index holds: articles, dates, size, dictionary (`zhsearch stats`, `/api/stats`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer import Dictionary, IndexStore, schema_dictionary
from search.engine.arrays import IndexArrays
from search.engine.live import View
from search.engine.results import iso


def index_stats(view: View, store: IndexStore, arrays: IndexArrays) -> dict[str, Any]:
    searcher = view.searcher
    meta = store.read_meta()
    built_with = schema_dictionary(searcher.schema)
    dictionary = built_with.describe()
    dictionary["up_to_date"] = built_with.builtin_fingerprint == Dictionary.load().builtin_fingerprint
    first, last = _date_range(view, arrays)
    return {
        "articles": searcher.doc_count(),
        "date_range": {"from": iso(first), "to": iso(last)},
        "index": {"path": str(store.path), "size_bytes": store.size_bytes(), "generation": store.generation()},
        "dictionary": dictionary,
        "created": meta.get("created"), "last_update": meta.get("updated"),
    }


def _date_range(view: View, arrays: IndexArrays):
    """The first and last publication times, from the date column (no walk of the index)."""
    dated = arrays.published()
    if dated is None:
        return None, None
    column, undated = dated
    live = np.flatnonzero(arrays.live & (column != undated))
    if not len(live):
        return None, None
    keys = column[live]
    ends = (int(live[np.argmin(keys)]), int(live[np.argmax(keys)]))
    return tuple(view.searcher.stored_fields(d).get("published") for d in ends)
