"""Where an index lives on disk, and how a rebuild replaces it without a gap.

Layout of an index directory::

    DIR/CURRENT        name of the live generation (replaced atomically)
    DIR/gen-<stamp>/   a complete Whoosh index plus zhsearch.json (metadata)

A rebuild writes a new generation beside the live one and only then points
``CURRENT`` at it with an atomic rename, so a crash or error at any moment leaves the
previous index untouched and searchable. The generation before the live one is kept
until the next swap, so searchers that still hold it keep working.

Every writer (rebuild or update) first takes ``DIR/WRITELOCK`` with ``flock``. Whoosh's own
lock covers one generation only, so without this a rebuild could publish over an update
that was committing to the old generation and lose its articles. The kernel drops an
``flock`` when its process dies, so a killed indexer never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer import whoosh_compat
from indexer.errors import IndexLocked, IndexNotFound, IndexWriteError

log = logging.getLogger(__name__)

META_FILE = "zhsearch.json"
LOCK_FILE = "WRITELOCK"
LOCK_POLL_SECONDS = 0.1
FORMAT_VERSION = 1


T = TypeVar("T")


def survive_commits(read: Callable[[], T], attempts: int = 5) -> T:
    """Run ``read`` again if a concurrent commit deleted the table of contents it was opening.

    Whoosh lists the directory for the newest ``_MAIN_<n>.toc`` and then opens it; a commit
    in between writes ``<n+1>`` and deletes ``<n>``. Listing again finds the new one.
    """
    for attempt in range(attempts):
        try:
            return read()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


class IndexStore:
    """The index directory: generations, the live pointer and metadata."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    @property
    def pointer(self) -> Path:
        return self.path / "CURRENT"

    def current_dir(self) -> Path:
        """The live generation's directory; :class:`IndexNotFound` if there is none."""
        try:
            name = self.pointer.read_text("utf-8").strip()
        except FileNotFoundError:
            raise IndexNotFound(f"no index at {self.path} (run `zhsearch index` first)") from None
        gen = self.path / name
        if not name or not any(gen.glob("_MAIN_*.toc")):  # a listing, not an open: cheap, and no race
            raise IndexNotFound(f"index at {self.path} is incomplete: {name!r} holds no index")
        return gen

    def exists(self) -> bool:
        try:
            self.current_dir()
        except IndexNotFound:
            return False
        return True

    def open(self) -> Index:
        """The live index, with zhsearch's Whoosh fixes checked and installed first."""
        whoosh_compat.install()
        return survive_commits(lambda: whoosh_index.open_dir(str(self.current_dir())))

    def generation(self) -> str:
        """An opaque token that changes whenever a rebuild is published."""
        return self.current_dir().name

    @contextmanager
    def writing(self, wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the directory's write lock for a whole indexing run.

        Waits up to ``wait`` seconds for another writer (telling ``on_wait`` once), then
        raises :class:`IndexLocked`; a directory that cannot be written is an
        :class:`IndexWriteError`, raised before anything is read or changed.
        """
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = open(self.path / LOCK_FILE, "a+b")  # noqa: SIM115 (held for the lock's lifetime)
        except OSError as exc:
            raise IndexWriteError(f"cannot write the index at {self.path}: {exc.strerror or exc}") from None
        try:
            deadline = time.monotonic() + wait
            told = False
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise IndexWriteError(f"cannot lock the index at {self.path}: {exc.strerror}") from None
                if time.monotonic() >= deadline:
                    raise IndexLocked(f"another zhsearch process is writing to {self.path}; "
                                      "try again when it ends" + (f" (waited {wait:g} s)" if wait else ""))
                if on_wait is not None and not told:
                    on_wait(f"waiting for another zhsearch process writing to {self.path} (up to {wait:g} s)")
                    told = True
                time.sleep(LOCK_POLL_SECONDS)
            yield
        finally:
            handle.close()  # closing the descriptor releases the flock

    def new_generation(self) -> Path:
        """A fresh, empty directory for a build that is not yet live."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            return Path(tempfile.mkdtemp(prefix=f"gen-{stamp}-", dir=self.path))
        except OSError as exc:
            raise IndexWriteError(f"cannot create the index at {self.path}: {exc.strerror}") from None

    def publish(self, gen: Path) -> None:
        """Make ``gen`` live atomically, then drop generations older than the previous one."""
        previous = self.pointer.read_text("utf-8").strip() if self.pointer.exists() else None
        tmp = self.path / "CURRENT.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(gen.name.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.pointer)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise IndexWriteError(f"cannot switch the index at {self.path} to the new build: "
                                  f"{exc.strerror or exc}") from None
        for old in self.path.glob("gen-*"):
            if old.name not in (gen.name, previous):
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def discard(gen: Path) -> None:
        shutil.rmtree(gen, ignore_errors=True)

    def read_meta(self, gen: Path | None = None) -> dict[str, Any]:
        path = (gen or self.current_dir()) / META_FILE
        try:
            return json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    @staticmethod
    def write_meta(gen: Path, meta: dict[str, Any]) -> None:
        tmp = gen / (META_FILE + ".tmp")
        try:
            tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
            os.replace(tmp, gen / META_FILE)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise IndexWriteError(f"cannot write the index's metadata in {gen}: {exc.strerror or exc}") from None

    def size_bytes(self) -> int:
        total = 0
        for f in self.current_dir().iterdir():
            try:
                total += f.stat().st_size
            except FileNotFoundError:  # a commit replaced it while we counted
                continue
        return total
