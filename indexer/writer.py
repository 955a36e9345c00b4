"""Whoosh's segment writer with the array posting pool (:mod:`indexer.pool`) in place of its own.

Everything but the pool is Whoosh's ``SegmentWriter``: documents, columns, stored fields,
the merge policy, the table of contents and its crash safety (a commit is the atomic write
of ``_MAIN_<n>.toc``; until then nothing a reader sees has changed). Only how postings are
collected and written out changes, not what is written.
"""

from __future__ import annotations

from whoosh.writing import SegmentWriter

from indexer.pool import ArrayPostingPool, Progress


class ArraySegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` whose commit sorts postings with numpy and writes whole blocks.

    ``on_progress(done, total)`` is told, during the commit, how many postings are written.
    """

    def __init__(self, ix, limitmb: int = 128, on_progress: Progress | None = None, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = ArrayPostingPool(self._tempstorage.folder, limitmb=limitmb)
        self.on_progress = on_progress

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
