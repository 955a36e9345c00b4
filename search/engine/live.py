"""The live index: opened once per version, one Whoosh searcher per thread, refreshed.

Each thread keeps its own Whoosh searcher (cheap to share within a thread, not across
threads) and reopens it when the index has changed, checked at most every
``refresh_seconds``. A :class:`View` is what one request works on: that searcher, the
index version it shows, and a per-thread cache that lives exactly as long as the searcher.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from whoosh import scoring
from whoosh.index import Index

from indexer import IndexStore, check_compatible
from indexer.store import survive_commits
from search.query.weights import Weights

log = logging.getLogger(__name__)


@dataclass
class View:
    """One thread's searcher over one index version, and what it may cache meanwhile."""

    searcher: Any
    #: (store generation, reader generation): changes whenever what a search sees changes.
    version: tuple[Any, Any]
    index: Index
    cache: dict[str, Any] = field(default_factory=dict)


class LiveIndex:
    """Follows one index directory through its updates and rebuilds."""

    def __init__(self, store: IndexStore, weights: Weights = Weights(), refresh_seconds: float = 1.0):
        self.store = store
        self.weights = weights
        self.refresh_seconds = refresh_seconds
        self._local = threading.local()
        self._index: Index | None = None
        self._generation: str | None = None
        self._lock = threading.Lock()

    def index(self) -> Index:
        """The index of the current generation (opened once per generation, checked)."""
        generation = self.store.generation()
        with self._lock:
            if self._index is None or generation != self._generation:
                index = self.store.open()
                check_compatible(index.schema, self.store.path)
                self._index, self._generation = index, generation
            return self._index

    def view(self) -> View:
        """This thread's view, reopened if the index changed."""
        local = self._local
        now = time.monotonic()
        current: View | None = getattr(local, "view", None)
        if current is not None and now - local.checked < self.refresh_seconds:
            return current
        index = self.index()
        if current is None or current.index is not index or not current.searcher.up_to_date():
            # A fresh searcher, not ``refresh()``: refresh reuses the readers of segments it
            # already knows, with their old deletion lists, so an updated article would still
            # be found in its old version (tests pin this).
            fresh = survive_commits(lambda: index.searcher(weighting=self._weighting()))
            if current is not None:
                current.searcher.close()  # this thread's previous request is over; nothing holds it
            current = View(fresh, (self._generation, fresh.reader().generation()), index)
        local.view, local.checked = current, now
        return current

    def forget(self) -> None:
        """Drop this thread's view (its files vanished): the next :meth:`view` opens afresh."""
        self._local.view = None

    def _weighting(self) -> scoring.WeightingModel:
        w = self.weights
        return scoring.BM25F(B=w.b, K1=w.k1, content_B=w.content_b, title_B=w.title_b, title_g_B=w.title_b)


def reopen_if_files_vanish(method):
    """Retry once with a freshly opened view if a commit deleted a file mid-request.

    Whoosh opens some segment files lazily; a merge in another process may delete them
    between this thread's last refresh and the read. The index itself is fine: a view
    opened now sees the merged segments. The decorated method's object has ``live``.
    """
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except FileNotFoundError:
            log.info("index files changed under a request; reopening and retrying")
            self.live.forget()
            return method(self, *args, **kwargs)
    return wrapper
