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


#: The files our writer writes in its own way (single postings inlined into the term table,
#: small blocks uncompressed): compared by what Whoosh's reader reads from them, not bytes.
POSTING_FILES = ("<segment>.pst", "<segment>.trm")


def postings(path: Path) -> dict[tuple[str, bytes], tuple]:
    """Every term of the index at ``path`` (one segment) as Whoosh's own reader reads it:
    its statistics and its postings (document, weight, value bytes)."""
    ix = whoosh_index.open_dir(str(path))
    found = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                     info.max_weight(), info.min_id(), info.max_id())
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                # no value reads as None from a block, "" from an inlined posting
                items.append((matcher.id(), matcher.weight(), matcher.value() or None))
                matcher.next()
            found[fieldname, text] = (stats, items)
    return found


def inlined_share(path: Path) -> float:
    """The share of the index's terms whose postings are kept in their term-table row."""
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        infos = [reader.term_info(f, t) for f, t in reader.all_terms()]
    return sum(i.is_inlined() for i in infos) / len(infos)
