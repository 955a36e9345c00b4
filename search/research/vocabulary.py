"""Which countable words each article holds: a document-by-term table for distinctive words.

The index has no term vectors, and cutting the matches' text again with jieba would cost
seconds per query. Instead the postings of the word fields (title and body, as the index's
own jieba analysis cut them) are turned around once per index version into a compressed
sparse row table (article → sorted word ids) with numpy, and kept: counting the words of
thousands of matches is then one gather and one ``bincount``.

Only words that can be distinctive are kept: Chinese words of two or more characters and
Latin words with a letter (`5G`, `AI`), found in at least two articles, not stop words.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import numpy as np

from indexer import is_han
from search.engine.arrays import private_searcher

log = logging.getLogger(__name__)

WORD_FIELDS = ("title", "content")
MIN_ARTICLES = 2
_LATIN = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")


def stop_words() -> frozenset[str]:
    """The bundled stop list (`search/data/stopwords.txt`)."""
    text = resources.files("search").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def countable(word: str, stops: frozenset[str]) -> bool:
    """Whether ``word`` may be a distinctive word.

    >>> [countable(w, frozenset({"我们"})) for w in ["光伏", "我们", "的", "5g", "2024", "ai"]]
    [True, False, False, True, False, True]
    """
    if word in stops:
        return False
    return (len(word) > 1 and is_han(word)) or (len(word) > 1 and _LATIN.fullmatch(word) is not None)


@dataclass(frozen=True)
class TermTable:
    """Article → word ids (CSR), the words, and in how many live articles each occurs."""

    words: np.ndarray  # of str, by word id
    ids: dict[str, int]
    df: np.ndarray  # int64, by word id
    indptr: np.ndarray  # int64, by document number (+1)
    indices: np.ndarray  # int32 word ids, sorted within each article
    articles: int  # live articles (the background's size)

    @classmethod
    def build(cls, reader, stops: frozenset[str]) -> TermTable:
        started = time.perf_counter()
        ids: dict[str, int] = {}
        word_ids, doc_ids = [], []
        for field in WORD_FIELDS:
            for word, postings in _postings(reader, field, stops):
                word_ids.append(np.full(len(postings), ids.setdefault(word, len(ids)), dtype=np.int64))
                doc_ids.append(postings)
        table = cls._from_pairs(ids, _concat(word_ids), _concat(doc_ids), reader)
        log.info("term table: %d words, %d article-word pairs in %.1f s", len(ids), len(table.indices),
                 time.perf_counter() - started)
        return table

    @classmethod
    def _from_pairs(cls, ids: dict[str, int], words: np.ndarray, docs: np.ndarray, reader) -> TermTable:
        size = reader.doc_count_all()
        live = np.zeros(size, dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        keep = live[docs]
        keys = np.unique(docs[keep] * max(len(ids), 1) + words[keep])  # one per (article, word), by article
        by_doc, word = np.divmod(keys, max(len(ids), 1))
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(by_doc, minlength=size), out=indptr[1:])
        vocabulary = np.array(sorted(ids, key=ids.__getitem__), dtype=object)
        return cls(vocabulary, ids, np.bincount(word, minlength=len(ids)), indptr, word.astype(np.int32),
                   int(live.sum()))

    def words_of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``docs``, word id) for every word of every article in ``docs``."""
        starts, ends = self.indptr[docs], self.indptr[docs + 1]
        lengths = ends - starts
        shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        return np.repeat(np.arange(len(docs)), lengths), self.indices[shift + np.arange(lengths.sum())]


def _postings(reader, field: str, stops: frozenset[str]) -> Iterable[tuple[str, np.ndarray]]:
    for raw, info in reader.iter_field(field):
        if info.doc_frequency() < MIN_ARTICLES:
            continue
        word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if countable(word, stops):
            yield word, np.fromiter(reader.postings(field, raw).all_ids(), dtype=np.int64)


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class TermTables:
    """The term table of the newest index version, shared by every thread.

    Building one takes seconds on a large index, so it is made once per version, under a
    lock (a second thread asking meanwhile waits for it rather than building its own),
    and the previous version's table is dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: object = None
        self._table: TermTable | None = None
        self._building: object = None
        self._stops = stop_words()

    def get(self, view) -> TermTable:
        with self._lock:
            if self._table is None or self._version != view.version:
                self._table = TermTable.build(view.searcher.reader(), self._stops)
                self._version = view.version
            return self._table

    def ready(self, view) -> TermTable | None:
        """The table if this version's is built; else None, with one build started in the
        background (the search page must not wait tens of seconds after every update)."""
        with self._lock:
            if self._table is not None and self._version == view.version:
                return self._table
            if self._building == view.version:
                return None
            self._building = view.version
        own = private_searcher(view.searcher, view.index)  # its own reader: the view's is this thread's

        def build() -> None:
            try:
                table = TermTable.build(own.reader(), self._stops)
                with self._lock:
                    self._table, self._version = table, view.version
            finally:
                own.close()
                with self._lock:
                    self._building = None

        threading.Thread(target=build, name="term-table", daemon=True).start()
        return None
