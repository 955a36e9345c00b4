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

import logging
import os
import tempfile
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


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
    if path is None:
        return None
    try:
        with np.load(path) as saved:
            return saved["values"], saved["ends"], saved["docs"]
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
    if path is None:
        return
    values, ends, docs = packed(lists)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".facets-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, values=values, ends=ends, docs=docs)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only index: the next process walks the terms again
        log.debug("cannot save %s: %s", path, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
