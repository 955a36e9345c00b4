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
from dataclasses import dataclass
from importlib import resources

import numpy as np

from indexer import is_han
from search.engine import sidecar
from search.engine.arrays import private_searcher
from search.engine.postings import live_documents, saved_part, segment_field_postings

log = logging.getLogger(__name__)

WORD_FIELDS = ("title", "content")
#: The name of a segment's saved part (see :func:`segment_words`).
PART = "words-v3"
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
    return word not in stops and shaped(word)


def shaped(word: str) -> bool:
    """Whether ``word`` has the shape of a distinctive word: two or more Han characters,
    or a Latin word with a letter (numbers alone are not words).

    >>> [shaped(w) for w in ["光伏", "的", "5g", "2024"]]
    [True, False, True, False]
    """
    return len(word) > 1 and (is_han(word) or _LATIN.fullmatch(word) is not None)


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
    def build(cls, searcher, stops: frozenset[str], kept: dict | None = None) -> TermTable:
        """The table of the segments ``searcher`` sees.

        Each segment's part (its countable words and which of its articles hold each) is
        walked once and saved beside the segment (:func:`segment_words`); ``kept`` holds
        the parts already read, by segment id. What is left per index version is array
        work: one vocabulary for all segments, deleted articles dropped, stop words and
        words of fewer than :data:`MIN_ARTICLES` live articles dropped.
        """
        started = time.perf_counter()
        leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers() if hasattr(s.reader(), "_terms")]
        size = searcher.doc_count_all()
        parts = [(segment_words(reader, kept), offset) for reader, offset in leaves]
        words = [words_of_text(text) for (text, _, _), _ in parts]
        if parts:
            vocabulary, inverse = np.unique(np.concatenate(words), return_inverse=True)
        else:
            vocabulary, inverse = np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64)
        docs, word_ids, base = [], [], 0
        for ((_, indptr, local_ids), offset), local_words in zip(parts, words, strict=True):
            # np.unique's ids keep each segment's (sorted) word order: rows stay sorted
            word_ids.append(inverse[base:base + len(local_words)][local_ids])
            docs.append(np.repeat(np.arange(len(indptr) - 1, dtype=np.int64) + offset, np.diff(indptr)))
            base += len(local_words)
        table = cls._from_pairs(vocabulary, _concat(word_ids), _concat(docs),
                                live_documents(leaves, size), stops)
        log.info("term table: %d words, %d article-word pairs in %.2f s", len(table.words), len(table.indices),
                 time.perf_counter() - started)
        return table

    @classmethod
    def _from_pairs(cls, vocabulary: np.ndarray, words: np.ndarray, docs: np.ndarray, live: np.ndarray,
                    stops: frozenset[str]) -> TermTable:
        """From (word id, article) pairs ordered by article, then word, each once."""
        keep = live[docs]
        words, docs = words[keep], docs[keep]
        df = np.bincount(words, minlength=len(vocabulary))
        wanted = df >= MIN_ARTICLES
        if stops:
            wanted &= ~np.isin(vocabulary, np.array(sorted(stops), dtype=str))
        new_id = np.cumsum(wanted) - 1
        keep = wanted[words]
        words, docs = new_id[words[keep]], docs[keep]
        indptr = np.zeros(len(live) + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=len(live)), out=indptr[1:])
        kept_words = vocabulary[wanted].astype(object)
        return cls(kept_words, {w: i for i, w in enumerate(kept_words.tolist())}, df[wanted], indptr,
                   words.astype(np.int32), int(live.sum()))

    def words_of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``docs``, word id) for every word of every article in ``docs``."""
        starts, ends = self.indptr[docs], self.indptr[docs + 1]
        lengths = ends - starts
        shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        return np.repeat(np.arange(len(docs)), lengths), self.indices[shift + np.arange(lengths.sum())]


def segment_words(reader, kept: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One segment's (countable words sorted, as one UTF-8 text joined by newlines; where
    each article's word ids start; the word ids, ascending within an article): one entry
    per article and word of its title or body. Kept in this compact form between index
    versions (:func:`words_of_text` decodes the words).

    The first read walks the word fields' postings (every countable word's, one decoded
    block at a time: about 30 s for the 125,800-article index when it was done per
    version through Whoosh's matchers) and saves the result beside the segment, which
    never changes: a new index version, another worker or the next process only reads
    it. The part's name carries :data:`PART`; change it when what is kept changes.
    """
    def read(path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        found = sidecar.load_arrays(path, ("words", "indptr", "ids"))
        return None if found is None else (found[0], found[1], found[2])

    def walk(path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        words, indptr, ids = _walk_words(reader)
        # one text: a fixed-width array of words takes the longest word's width for each
        text = np.frombuffer("\n".join(words.tolist()).encode("utf-8"), dtype=np.uint8)
        sidecar.save_arrays(path, {"words": text, "indptr": indptr, "ids": ids})
        return text, indptr, ids

    return saved_part(reader, PART, kept, read, walk)


def words_of_text(text: np.ndarray) -> np.ndarray:
    """The words of a segment part's text (see :func:`segment_words`)."""
    return np.array(text.tobytes().decode("utf-8").split("\n") if len(text) else [], dtype=str)


def _walk_words(reader) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(words, where each article's word ids start, the word ids): a row per article."""
    lists: dict[str, list[np.ndarray]] = {}
    for field in WORD_FIELDS:
        if field in reader.schema:
            for word, docs in segment_field_postings(reader, field, keep=shaped).items():
                lists.setdefault(word, []).append(docs)
    words = np.array(sorted(lists), dtype=str)
    indptr = np.zeros(reader.doc_count_all() + 1, dtype=np.int64)
    if not len(words):
        return words, indptr, np.zeros(0, dtype=np.int32)
    held = [np.concatenate(lists[w]) for w in words.tolist()]
    ids = np.repeat(np.arange(len(words), dtype=np.int64), [len(h) for h in held])
    keys = np.unique(np.concatenate(held).astype(np.int64) * len(words) + ids)  # by article, then word
    docs, ids = np.divmod(keys, len(words))
    np.cumsum(np.bincount(docs, minlength=len(indptr) - 1), out=indptr[1:])
    return words, indptr, ids.astype(np.int32)


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class TermTables:
    """The term table of the newest index version, shared by every thread.

    It is made once per version, under a lock (a second thread asking meanwhile waits
    for it rather than building its own), and the previous version's table is dropped.
    The segments' parts are kept across versions: after an update only the new segment
    is read (a first read of a large index's segments takes tens of seconds).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: object = None
        self._table: TermTable | None = None
        self._building: object = None
        self._stops = stop_words()
        self._segments: dict = {}
        self._thread: threading.Thread | None = None

    def get(self, view) -> TermTable:
        with self._lock:
            if self._table is None or self._version != view.version:
                self._table = TermTable.build(view.searcher, self._stops, self._parts(view.searcher))
                self._version = view.version
            return self._table

    def _parts(self, searcher) -> dict:
        """The kept segment parts, those of segments ``searcher`` no longer has dropped."""
        alive = {getattr(s.reader(), "segment", lambda: None)() for s, _ in searcher.leaf_searchers()}
        ids = {segment.segment_id() for segment in alive if segment is not None}
        self._segments = {key: part for key, part in self._segments.items() if key[0] in ids}
        return self._segments

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
                table = TermTable.build(own, self._stops, self._parts(own))
                with self._lock:
                    self._table, self._version = table, view.version
            finally:
                own.close()
                with self._lock:
                    self._building = None

        thread = self._thread = threading.Thread(target=build, name="term-table", daemon=True)
        thread.start()
        return None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a build :meth:`ready` started (it may be saving files beside the
        segments); True when none is running any more."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()
