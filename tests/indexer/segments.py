"""One segment written by Whoosh's own writer or by ours, as its files' bytes (the
byte-for-byte comparisons of the writer's tests)."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from indexer.dictionary import Dictionary
from indexer.schema import build_schema
from indexer.writer import ArraySegmentWriter


def segment_files(path: Path, documents: list[dict], ours: bool, limitmb: int = 64) -> dict[str, bytes]:
    """Every file of the one segment ``documents`` make, by name (segment id as ``<segment>``)."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(Dictionary.load(())))
    writer = ArraySegmentWriter(ix, limitmb=limitmb, compound=False) if ours else ix.writer(limitmb=limitmb,
                                                                                           compound=False)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    segment = ix.refresh()._segments()[0]
    return {name.replace(segment.segment_id(), "<segment>"): (path / name).read_bytes()
            for name in ix.storage.list() if segment.segment_id() in name}
