"""What the index holds: articles, dates, size, dictionary (`zhsearch stats`, `/api/stats`)."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from indexer import Dictionary, IndexStore, schema_dictionary
from search.engine.live import View
from search.engine.results import iso


def index_stats(view: View, store: IndexStore) -> dict[str, Any]:
    searcher = view.searcher
    meta = store.read_meta()
    built_with = schema_dictionary(searcher.schema)
    dictionary = built_with.describe()
    dictionary["up_to_date"] = built_with.builtin_fingerprint == Dictionary.load().builtin_fingerprint
    first = searcher.search(wq.Every("published"), limit=1, sortedby="published")
    last = searcher.search(wq.Every("published"), limit=1, sortedby="published", reverse=True)
    return {
        "articles": searcher.doc_count(),
        "date_range": {"from": iso(first[0]["published"]) if first else None,
                       "to": iso(last[0]["published"]) if last else None},
        "index": {"path": str(store.path), "size_bytes": store.size_bytes(), "generation": store.generation()},
        "dictionary": dictionary,
        "created": meta.get("created"), "last_update": meta.get("updated"),
    }
