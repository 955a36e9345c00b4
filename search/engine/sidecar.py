"""A segment's per-value document lists, saved beside the segment the first time they are read.

Facets and filters need, for the fields with few values (fact names, category, source,
year), every value's documents. Reading them means walking thousands of terms through
Whoosh's posting reader (one pickle per block): about 1.5 s for the 125,800-article
index, paid by every new process before its first answer. Segments never change once
written, so the lists are written once, beside their segment, as one ``.npz`` file, and
every later process (a one-shot ``zhsearch search``, each server worker) reads them in
milliseconds.

The file is named ``<segment id>.<field>.facets.npz``, which is Whoosh's own pattern for
a segment's files: when a merge drops the segment, Whoosh deletes the file with it, so it
is never stale. It is written to a hidden temporary name and renamed (Whoosh skips names
starting with a dot). A missing, unreadable or unwritable file only costs the walk.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)

T = TypeVar("T")
#: One walk at a time per index folder, across processes (see :func:`read_or_make`).
LOCK_NAME = ".sidecars.lock"


def path_for(reader, fieldname: str) -> Path | None:
    """Where ``reader``'s segment keeps ``fieldname``'s lists (None: not a file-backed segment)."""
    storage = getattr(reader, "_storage", None)
    storage = getattr(storage, "b", storage)  # a compound segment: (its file, the folder) overlaid
    folder = getattr(storage, "folder", None)
    try:
        segment_id = reader.segment().segment_id()
    except AttributeError:
        return None
    if folder is None or not segment_id:
        return None
    return Path(folder) / f"{segment_id}.{fieldname}.facets.npz"


def read_or_make(path: Path | None, read: Callable[[], T | None], make: Callable[[], T]) -> T:
    """What ``read`` finds saved at ``path``, else what ``make`` walks (and saves).

    Server workers start together and would each walk the same segment (a word table
    walk is tens of CPU seconds on a large index): the walk is done under an exclusive
    lock on the index folder, and whoever waited reads the file the first one saved.
    """
    found = read()
    if found is not None:
        return found
    with _walking(path):
        found = read()  # saved by another process while this one waited
        return found if found is not None else make()


@contextlib.contextmanager
def _walking(path: Path | None) -> Iterator[None]:
    fd = None
    if path is not None:
        try:
            fd = os.open(path.parent / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:  # a read-only index: walk without the lock
            log.debug("no sidecar lock in %s: %s", path.parent, exc)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


#: A segment's lists as arrays: the values in order, where each one's documents end, and
#: the documents.
Packed = tuple[np.ndarray, np.ndarray, np.ndarray]


def load(path: Path | None) -> dict[str, np.ndarray] | None:
    packed = load_packed(path)
    if packed is None:
        return None
    values, ends, docs = packed
    starts = np.concatenate(([0], ends[:-1])) if len(ends) else ends
    return {value: docs[a:b] for value, a, b in zip(values.tolist(), starts.tolist(), ends.tolist(), strict=True)}


def load_packed(path: Path | None) -> Packed | None:
    """The saved lists as arrays, for a field with a value per document (ids), where a
    dictionary of 125,800 one-element lists would cost more than the walk it saves."""
    found = load_arrays(path, ("values", "ends", "docs"))
    return None if found is None else (found[0], found[1], found[2])


def load_arrays(path: Path | None, names: tuple[str, ...]) -> tuple[np.ndarray, ...] | None:
    """The arrays ``names`` saved by :func:`save_arrays`, or None (absent or unreadable)."""
    if path is None:
        return None
    try:
        with np.load(path) as saved:
            return tuple(saved[name] for name in names)
    except FileNotFoundError:
        return None
    except (OSError, KeyError, ValueError, EOFError) as exc:
        log.debug("ignoring unreadable %s: %s", path, exc)
        return None


def packed(lists: dict[str, np.ndarray]) -> Packed:
    values = sorted(lists)
    parts = [np.asarray(lists[v], dtype=np.int32) for v in values]
    ends = np.cumsum([len(p) for p in parts], dtype=np.int64)
    docs = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return np.array(values, dtype=str), ends, docs


def save(path: Path | None, lists: dict[str, np.ndarray]) -> None:
    values, ends, docs = packed(lists)
    save_arrays(path, {"values": values, "ends": ends, "docs": docs})


def save_arrays(path: Path | None, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` whole or not at all (a temporary file renamed)."""
    if path is None:
        return
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".facets-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only index: the next process walks the terms again
        log.debug("cannot save %s: %s", path, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
