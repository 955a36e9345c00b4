"""The one place zhsearch adapts Whoosh: what it replaces, checked before it is replaced.

zhsearch relies on two fixes to Whoosh 2.7.5 (whoosh-reloaded), each replacing one
function:

* ``BufferFile.__init__`` reads a mapped sub-file through its memoryview instead of
  copying it (:mod:`indexer.zerocopy`: every reader held a private copy of the postings,
  645 MB per reader of the 125,800-article index);
* ``FilterCollector.all_ids`` tests a filter against ``None`` instead of its truth (a
  ``BitSet``'s truth scans its bytes, once per matching document: 2.4 s for a related-
  articles lookup; and an empty filter read as no filter at all).

A replacement is only right for the code it was written against, so :func:`install`
first checks the installed Whoosh's version and the source of each function it replaces,
and refuses with a clear error otherwise. It is called explicitly by whoever opens an
index (:class:`indexer.IndexStore`) or searches one; importing this module changes nothing.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import whoosh
from whoosh import collectors
from whoosh.filedb import structfile

from indexer.errors import IndexerError
from indexer.zerocopy import buffer_file_init

#: The Whoosh these fixes were written for.
EXPECTED_VERSION = (2, 7, 5)


class WhooshMismatch(IndexerError):
    """The installed Whoosh is not the one zhsearch's fixes were written for."""

    exit_code = 2


def _filtered_all_ids(self):
    """``FilterCollector.all_ids`` with the filter tested against ``None``, not its truth."""
    allow, restrict = self._allow, self._restrict
    for docnum in self.child.all_ids():
        if (allow is not None and docnum not in allow) or (restrict is not None and docnum in restrict):
            continue
        yield docnum


@dataclass(frozen=True)
class Patch:
    """One replaced function: where it lives, the fingerprint of the original, the replacement."""

    owner: type
    name: str
    #: First 16 hex digits of the SHA-256 of the original function's source.
    fingerprint: str
    replacement: Callable[..., Any]

    @property
    def where(self) -> str:
        return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.name}"

    def installed(self) -> bool:
        return getattr(self.owner, self.name) is self.replacement

    def original_matches(self) -> bool:
        source = inspect.getsource(getattr(self.owner, self.name))
        return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16] == self.fingerprint


PATCHES = (
    Patch(structfile.BufferFile, "__init__", "92f1c0a5b1a2fd70", buffer_file_init),
    Patch(collectors.FilterCollector, "all_ids", "e61396f758f95cd7", _filtered_all_ids),
)


def check(version: tuple[int, ...] = whoosh.__version__, patches: tuple[Patch, ...] = PATCHES) -> None:
    """Raise :class:`WhooshMismatch` unless every patch fits the installed Whoosh."""
    if tuple(version[:3]) != EXPECTED_VERSION:
        raise WhooshMismatch(
            f"zhsearch needs Whoosh {'.'.join(map(str, EXPECTED_VERSION))} (whoosh-reloaded), found "
            f"{'.'.join(map(str, version))}; reinstall zhsearch with `pip install -e .`")
    changed = [p.where for p in patches if not p.installed() and not p.original_matches()]
    if changed:
        raise WhooshMismatch(f"Whoosh's {', '.join(changed)} is not the code zhsearch's fixes were written "
                             "for; reinstall the Whoosh version zhsearch pins")


def install(patches: tuple[Patch, ...] = PATCHES) -> None:
    """Check, then apply every patch (idempotent, cheap after the first call)."""
    if all(p.installed() for p in patches):
        return
    check(patches=patches)
    for patch in patches:
        setattr(patch.owner, patch.name, patch.replacement)
