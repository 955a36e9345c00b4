"""jieba's word frequencies as a sorted array mapped from disk, so a process can cut a query
without first loading half a million words into a dict.

``jieba.Tokenizer.initialize`` unmarshals its prefix dictionary (498,000 words and
prefixes) into a Python dict: about 0.8 s on an idle machine, most of a one-shot
``zhsearch search``. Cutting one query needs a few dozen look-ups, so here the same
words and counts are written once, sorted, into a ``.npy`` file that every later process
maps (a few milliseconds) and binary-searches. A process that cuts a lot (indexing, a
busy server) passes :data:`LOOKUPS_BEFORE_DICT` look-ups and swaps a real dict in, so
bulk segmentation runs at dict speed; many processes share the mapped pages. The words and counts are identical either way,
so the cut is too: queries and articles always agree.

The file is keyed by jieba's version, its dictionary file and our :class:`Dictionary`
fingerprint, written beside jieba's own cache (the temp directory), and simply rebuilt
when absent or unreadable.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: Look-ups served from the mapped array before a process builds the dict (~0.3 s):
#: a query takes tens, indexing one article thousands.
LOOKUPS_BEFORE_DICT = 20_000


class MappedFrequencies(Mapping[str, int]):
    """jieba's ``FREQ`` as two sorted arrays; hands its owner a dict once it is busy."""

    def __init__(self, words: np.ndarray, counts: np.ndarray, owner=None, stem: Path | None = None):
        self._words = words
        self._counts = counts
        self._owner = owner
        self._lookups = 0
        self._stem = stem

    def _find(self, word: str) -> int:
        self._lookups += 1
        if self._lookups == LOOKUPS_BEFORE_DICT and self._owner is not None:
            self._owner.FREQ = self.as_dict()
        if len(word) > self._words.dtype.itemsize // 4:
            return -1
        i = int(np.searchsorted(self._words, word))
        return i if i < len(self._words) and self._words[i] == word else -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) >= 0

    def __getitem__(self, word: str) -> int:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return int(self._counts[i])

    def get(self, word: str, default=None):
        i = self._find(word)
        return default if i < 0 else int(self._counts[i])

    def __len__(self) -> int:
        return len(self._words)

    def __iter__(self) -> Iterator[str]:
        return iter(self._words.tolist())

    def present_text(self) -> str:
        """The words proper (count above zero, not the prefixes jieba also keeps), one per line."""
        if self._stem is not None:
            try:
                return Path(f"{self._stem}-present.txt").read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                pass
        return "\n".join(self._words[np.asarray(self._counts) > 0].tolist())

    def as_dict(self) -> dict[str, int]:
        log.debug("jieba: %d look-ups, loading the frequency dict", self._lookups)
        return dict(zip(self._words.tolist(), self._counts.tolist(), strict=True))


def cache_path(jieba_module, fingerprint: str, directory: Path | None = None) -> Path:
    """Where the arrays for this jieba and these extra words live (a stem: two files)."""
    source = Path(jieba_module.__file__).parent / "dict.txt"
    stat = source.stat() if source.exists() else None
    key = f"{jieba_module.__version__}|{stat.st_size if stat else 0}|{stat.st_mtime_ns if stat else 0}|{fingerprint}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return (directory or Path(tempfile.gettempdir())) / f"zhsearch-jieba-{digest}"


def save(stem: Path, freq: Mapping[str, int], total: int) -> None:
    """Write the words sorted and their counts (jieba's total last), each file atomically,
    and the words proper as text (what :mod:`search.engine.boundaries` scans).

    The name is a digest of everything that decides the content, so two processes
    writing at once write the same bytes, and a reader never sees half a file.
    """
    words = np.array(sorted(freq))
    counts = np.array([freq[w] for w in words.tolist()] + [total], dtype=np.int64)
    present = "\n".join(w for w in words.tolist() if freq[w])
    try:
        for suffix, array in (("-present.txt", present), ("-counts.npy", counts), ("-words.npy", words)):
            fd, tmp = tempfile.mkstemp(dir=stem.parent, prefix=stem.name, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                if isinstance(array, str):
                    out.write(array.encode("utf-8"))
                else:
                    np.save(out, array)
            os.replace(tmp, f"{stem}{suffix}")
    except OSError as exc:  # a read-only temp dir only costs the next process its speed
        log.debug("jieba frequencies not cached at %s: %s", stem, exc)


def load(stem: Path, owner=None) -> tuple[MappedFrequencies, int] | None:
    """The mapped frequencies and jieba's total, or None when there is no usable file."""
    try:
        words = np.load(f"{stem}-words.npy", mmap_mode="r")
        counts = np.load(f"{stem}-counts.npy", mmap_mode="r")
    except (OSError, ValueError) as exc:
        log.debug("no usable jieba frequencies at %s: %s", stem, exc)
        return None
    if words.dtype.kind != "U" or len(counts) != len(words) + 1:
        return None
    return MappedFrequencies(words, counts[:-1], owner, stem), int(counts[-1])
