"""One index version as arrays: postings, field lengths, dates and facet values.

Built lazily from a Whoosh searcher and shared by every thread of the process for as
long as that version is current. Everything here is a pure function of the index files,
so it is never stale: a new version (an update, a rebuild) gets a new object.

Postings are kept in a bounded cache (``cache_mb``): the terms users ask for again are
decoded once, the rest fall out least-recently-used first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from search.engine.postings import (
    EMPTY,
    Postings,
    field_codes,
    field_lengths,
    field_postings,
    field_value_pairs,
    live_documents,
    numeric_column,
    read_postings,
)

#: Default bound of the postings kept per process (MB).
POSTINGS_MB = 256
#: Terms remembered as absent from the index version (a set of keys, cleared when full).
ABSENT_KEPT = 100_000
#: Word lists whose articles :meth:`IndexArrays.holding` keeps per version.
HOLDING_KEPT = 1024


@dataclass(frozen=True)
class Codes:
    """A single-valued field (year, category, source) as one small integer per article."""

    values: tuple[str, ...]
    #: Per article, an index into ``values``, or -1 for no value.
    codes: np.ndarray


@dataclass(frozen=True)
class Pairs:
    """A multi-valued field (platform, rule, kind) as (article, value) pairs."""

    values: tuple[str, ...]
    docs: np.ndarray
    codes: np.ndarray


class IndexArrays:
    """The arrays of one index version; every method is safe to call from any thread.

    It reads through a Whoosh searcher of its own (``searcher``, opened for it alone):
    Whoosh's file objects keep a read position, so reads are serialised by one lock.
    Decoding is Python work under the GIL anyway, and each term is decoded once.
    """

    def __init__(self, searcher, cache_mb: float = POSTINGS_MB, segments: dict | None = None):
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()
                       if hasattr(s.reader(), "_terms")]  # an empty index has no segments
        self.schema = searcher.schema
        self.doc_count = searcher.doc_count_all()
        self._searcher = searcher
        self._budget = int(cache_mb * 1_000_000)
        self._postings: OrderedDict[tuple[str, str, bool], Postings] = OrderedDict()
        self._absent: set[tuple[str, str, bool]] = set()
        self._holding: dict[tuple[tuple[str, ...], tuple[str, ...]], np.ndarray] = {}
        self._held = 0
        self._lock = threading.RLock()
        self._columns: dict[str, object] = {}
        self._idf: dict[tuple[str, str], float] = {}
        self.live = live_documents(self.leaves, self.doc_count)
        #: Per-segment parts shared with the next index versions (see :func:`field_postings`).
        self._segments = segments if segments is not None else {}

    # -- postings -----------------------------------------------------------------------------

    def postings(self, fieldname: str, text: str, positions: bool = False) -> Postings:
        """A term's postings (with its raw position values when ``positions``), cached."""
        key = (fieldname, text, positions)
        with self._lock:  # reads go through this object's own file positions: one at a time
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            if key in self._absent:
                return EMPTY
            found = read_postings(self.leaves, fieldname, text, with_values=positions)
            if not len(found.docs):
                # remembered: the word-boundary rule asks for hundreds of dictionary words
                # per query, most of which no article holds
                if positions:
                    return found
                if len(self._absent) >= ABSENT_KEPT:
                    self._absent.clear()
                self._absent.add(key)
                return EMPTY
            if key not in self._postings:
                self._postings[key] = found
                self._held += found.nbytes
                while self._held > self._budget and len(self._postings) > 1:
                    _, old = self._postings.popitem(last=False)
                    self._held -= old.nbytes
        return found

    def holding(self, fieldnames: tuple[str, ...], words: tuple[str, ...]) -> np.ndarray:
        """The articles (ascending, each once) holding any of ``words`` in any of
        ``fieldnames``, kept per version: the word-boundary rule asks for the same few
        hundred dictionary words whenever a query holds the same word."""
        key = (fieldnames, words)
        found = self._holding.get(key)
        if found is None:
            parts = [docs for w in words for f in fieldnames if len(docs := self.postings(f, w).docs)]
            found = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)
            with self._lock:
                if len(self._holding) >= HOLDING_KEPT:
                    self._holding.clear()
                self._holding[key] = found
        return found

    def term_count(self, fieldname: str, text: str, docnum: int) -> int:
        """How often document ``docnum`` holds term ``text`` in ``fieldname`` (Whoosh's
        posting weight: the term frequency, as the word fields carry no field boost)."""
        found = self.postings(fieldname, text)
        i = int(np.searchsorted(found.docs, docnum))
        return round(float(found.freqs[i])) if i < len(found.docs) and found.docs[i] == docnum else 0

    def positions(self, fieldname: str, postings: Postings) -> tuple[np.ndarray, np.ndarray]:
        """A term's positions as CSR arrays, decoded once (under the lock: two threads
        decoding the same term would race on its raw values)."""
        with self._lock:
            before = postings.nbytes
            found = postings.positions(self.schema[fieldname].format.decode_positions)
            grown = postings.nbytes - before  # raw values dropped, positions kept
            if grown and any(held is postings for held in self._postings.values()):
                self._held += grown  # keep the cache's size honest
            return found

    @property
    def cached_bytes(self) -> int:
        return self._held

    # -- statistics (as Whoosh's BM25F computes them) -------------------------------------------

    def idf(self, fieldname: str, text: str) -> float:
        key = (fieldname, text)
        value = self._idf.get(key)
        if value is None:
            with self._lock:
                value = self._idf[key] = self._searcher.idf(fieldname, text)
        return value

    def avg_length(self, fieldname: str) -> float:
        return self._column(f"avg:{fieldname}",
                            lambda: self._searcher.avg_field_length(fieldname) or 1)

    def lengths(self, fieldname: str) -> np.ndarray:
        return self._column(f"len:{fieldname}", lambda: field_lengths(self.leaves, fieldname, self.doc_count))

    def scorable(self, fieldname: str) -> bool:
        return fieldname in self.schema and self.schema[fieldname].scorable

    # -- columns -----------------------------------------------------------------------------

    def published(self) -> tuple[np.ndarray, int] | None:
        """Raw ``published`` column values (Whoosh's sort keys) and the undated sentinel."""
        return self._column("published", lambda: numeric_column(self.leaves, "published", self.doc_count))

    def codes(self, fieldname: str) -> Codes:
        """A single-valued field's value per article, from its terms' postings."""
        def build() -> Codes:
            values, docs, codes = field_codes(self.leaves, fieldname, self._segments)
            per_article = np.full(self.doc_count, -1, dtype=np.int32)
            per_article[docs] = codes
            return Codes(values, per_article)
        return self._column(f"codes:{fieldname}", build)

    def pairs(self, fieldname: str) -> Pairs:
        """A multi-valued field's (article, value) pairs, from its terms' postings."""
        def build() -> Pairs:
            values, docs, codes = field_codes(self.leaves, fieldname, self._segments)
            return Pairs(values, docs.astype(np.int32), codes)
        return self._column(f"pairs:{fieldname}", build)

    def numeric_pairs(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """A multi-valued numeric field's (article, sortable value) pairs (effective dates)."""
        def build() -> tuple[np.ndarray, np.ndarray]:
            found = field_postings(self.leaves, fieldname, self._segments, numeric=True)
            if not found:
                return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint64)
            docs = np.concatenate(list(found.values()))
            keys = np.concatenate([np.full(len(d), int(k), dtype=np.uint64) for k, d in found.items()])
            return docs, keys
        return self._column(f"numeric:{fieldname}", build)

    def id_order(self) -> np.ndarray:
        """Each article's place in the order of ids (document number -> place).

        Equal scores are listed in id order, whatever the segment layout; reading every
        tied candidate's stored fields for its id (a decompressed article each) cost about
        a millisecond a search. Built from the ``id`` field's terms, whose walk each
        segment saves beside itself (:func:`field_postings`); sorted once per version.
        """
        def build() -> np.ndarray:
            ids, docs = field_value_pairs(self.leaves, "id", self._segments)
            place = np.full(self.doc_count, len(ids), dtype=np.int64)
            place[docs] = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
            return place
        return self._column("id_order", build)

    def _column(self, key: str, build):
        found = self._columns.get(key)
        if found is None:
            with self._lock:
                found = self._columns.get(key)
                if found is None:
                    found = self._columns[key] = build()
        return found


def private_searcher(shown, index):
    """A Whoosh searcher of the exact segments ``shown`` (a thread's searcher) sees, for
    :class:`IndexArrays` alone: same document numbers, its own file positions."""
    from whoosh.searching import Searcher

    reader = shown.reader()
    segments = list(reader.segments()) if hasattr(reader, "segments") else []
    own = type(index)._reader(index.storage, index.schema, segments, reader.generation())
    return Searcher(own)


class VersionArrays:
    """Which :class:`IndexArrays` each request gets: one per index version, the newest kept.

    A thread still on the previous version (it refreshes at most every ``refresh_seconds``)
    builds its own once and drops it. Per-segment parts carry over from one version to the
    next for the segments it still has (a merge or rebuild drops the rest).
    """

    def __init__(self, store, postings_mb: float = POSTINGS_MB):
        self.store = store
        self.postings_mb = postings_mb
        self._held: tuple[object, IndexArrays] | None = None
        self._segments: dict = {}
        self._lock = threading.Lock()

    def arrays(self, view) -> IndexArrays:
        with self._lock:
            held = self._held
            if held is not None and held[0] == view.version:
                return held[1]
            arrays = IndexArrays(private_searcher(view.searcher, view.index), self.postings_mb,
                                 self._segment_parts(view))
            if held is None or self._newer(view.version, held[0]):
                self._held = (view.version, arrays)
            return arrays

    @property
    def segment_parts(self) -> dict:
        return self._segments

    def _segment_parts(self, view) -> dict:
        alive = set()
        for s, _ in view.searcher.leaf_searchers():
            try:
                alive.add(s.reader().segment().segment_id())
            except AttributeError:
                continue
        self._segments = {k: v for k, v in self._segments.items() if k[0] in alive}
        return self._segments

    def _newer(self, version, than) -> bool:
        """Versions are (store generation, reader generation); of two store generations
        (a rebuild), the newer is the one the store shows now."""
        if version[0] != than[0]:
            return version[0] == self.store.generation()
        return version[1] > than[1]
