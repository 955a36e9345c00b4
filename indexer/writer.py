"""Whoosh's segment writer with the array posting pool (:mod:`indexer.pool`) in place of its own.

Everything but the pool and how a document's text fields become postings is Whoosh's
``SegmentWriter``: columns, stored fields, the merge policy, the table of contents and its
crash safety (a commit is the atomic write of ``_MAIN_<n>.toc``; until then nothing a
reader sees has changed). Only how postings are made, collected and written out changes,
not what is written.

A text field analysed by one of zhsearch's two pipelines is indexed without Whoosh's
Token objects (:func:`indexer.analysis.index_positions`), its text folded once for the
word field and its bigram twin, and its postings handed to the pool as one list. Every
other field, and any document with Whoosh's ``_boost``/``_stored_`` keywords, goes through
Whoosh's own ``add_document`` path.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from pickle import dumps
from typing import Any

from whoosh.formats import Positions as PositionsFormat
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from indexer.analysis import Positions, index_positions
from indexer.folding import fold
from indexer.pool import ArrayPostingPool, Progress


class ArraySegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` whose commit sorts postings with numpy and writes whole blocks.

    ``on_progress(done, total)`` is told, during the commit, how many postings are written.
    """

    def __init__(self, ix, limitmb: int = 128, on_progress: Progress | None = None, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        pad_heap()
        self.pool = ArrayPostingPool(self._tempstorage.folder, limitmb=limitmb)
        self.on_progress = on_progress
        self._direct = _direct_fields(self.schema)

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``SegmentWriter.add_document``, with the direct path for text fields."""
        if self._direct is None or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        names = sorted(fields)
        self._check_fields(self.schema, names)
        self.perdocwriter.start_doc(self.docnum)
        folded = _LastFold()
        try:
            for name in names:
                if fields[name] is not None:
                    self._add_field(name, self.schema[name], fields[name], folded)
        except Exception:
            self.perdocwriter.cancel_doc()
            raise
        self.perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, name: str, field, value, folded: _LastFold) -> None:
        length = 0
        if field.indexed:
            positions = self._direct.get(name)
            if positions is not None and isinstance(value, str):
                length = self._add_positions(name, field, positions(folded(value)))
            else:
                length = self._add_items(name, field, value)
        self.perdocwriter.add_field(name, field, value if field.stored else None, length)
        if field.column_type:
            self.perdocwriter.add_column_value(name, field.column_type, field.to_column_value(value))

    def _add_positions(self, name: str, field, found: Positions) -> int:
        """The postings ``Positions.word_values`` makes of these terms, added as one list."""
        boost = field.format.field_boost
        counts = [len(p) for p in found.values()]
        self.pool.add_terms(name, self.docnum, [t.encode("utf-8") for t in found],
                            [float(n) * boost * 1.0 for n in counts],
                            [_encode(p) for p in found.values()])
        return sum(counts) if field.scorable else 0

    def _add_items(self, name: str, field, value) -> int:
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            if field.scorable:
                length += freq
            self.pool.add((name, tbytes, self.docnum, weight * 1.0, vbytes))
        return length

    def _flush_segment(self) -> None:
        from indexer.pool import write_postings

        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, lengths, self.pool, self.docnum, self.on_progress)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


#: glibc's ``mallopt`` parameter for the padding kept at the top of the heap.
_M_TOP_PAD = -2
#: The padding: more than a ``zlib.compress`` call's state (about 270 KB at level 3).
HEAP_PAD = 1 << 20


@lru_cache(maxsize=1)
def pad_heap() -> bool:
    """Keep 1 MB free at the top of this process's heap instead of glibc's 128 KB.

    Every posting block is compressed by its own ``zlib.compress`` call, which allocates
    and frees about 270 KB of state; with glibc's default padding the freed top of the heap
    is handed back to the kernel each time, and the next call takes page faults to get it
    back: 70 us a block instead of 10 on a 2-core virtual machine, most of the commit.
    Only memory reuse changes, not what is written. A no-op (``False``) without glibc.
    """
    name = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None) if name else None
    return bool(mallopt and mallopt(_M_TOP_PAD, HEAP_PAD) == 1)


def _direct_fields(schema) -> dict[str, Any] | None:
    """Field name -> direct indexer, for the fields it fits; ``None`` if Whoosh must do all.

    The direct path stands in for ``field.index`` only: fields with term vectors or separate
    spelling words (neither in zhsearch's schema) would need the rest of Whoosh's loop.
    """
    direct = {}
    for name, field in schema.items():
        if field.vector or field.separate_spelling():
            return None
        if type(field.format) is PositionsFormat and (positions := index_positions(field.analyzer)):
            direct[name] = positions
    return direct


class _LastFold:
    """Folded text of the last value asked for: a word field and its bigram twin fold once."""

    def __init__(self):
        self.value: str | None = None
        self.text = ""

    def __call__(self, value: str) -> str:
        if value is not self.value and value != self.value:
            self.value, self.text = value, fold(value).text
        return self.text


#: ``Positions.encode`` of a single position, by position: most postings hold one.
_SINGLE: dict[int, bytes] = {}


def _encode(positions: list[int]) -> bytes:
    """``whoosh.formats.Positions.encode``: the count, then the pickled deltas."""
    if len(positions) == 1:
        value = _SINGLE.get(positions[0])
        if value is None:
            value = _SINGLE[positions[0]] = PositionsFormat.encode(None, positions)
        return value
    deltas = [b - a for a, b in zip([0, *positions], positions, strict=False)]
    return pack_uint(len(deltas)) + dumps(deltas, 2)
