"""The array posting pool writes what Whoosh's own pool and field writer write, as Whoosh's
reader reads it back: every term, its statistics and its postings."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import indexer.pool as pool_module
from corpus import read_articles
from indexer import BuildOptions, IndexStore, build_index
from indexer.builder import to_fields
from indexer.dictionary import Dictionary
from indexer.schema import build_schema
from indexer.writer import ArraySegmentWriter
from tests.conftest import CORPORA
from tests.indexer.segments import inlined_share, postings
from tests.indexer.segments import segment_files as written


@pytest.fixture(scope="module")
def documents(sample_articles) -> list[dict]:
    """The sample plus real long news articles: many terms, long posting lists (> one block)."""
    finance = CORPORA / "finance_rss.jsonl"
    extra = list(itertools.islice(read_articles([finance]), 120)) if finance.exists() else []
    return [to_fields(a) for a in sample_articles + extra]


def segment_files(path: Path, documents: list[dict], array_pool: bool, limitmb: int) -> dict[str, bytes]:
    """The segment's postings and term files, by extension."""
    files = written(path, documents, ours=array_pool, limitmb=limitmb)
    return {Path(name).suffix: data for name, data in files.items() if Path(name).suffix in (".pst", ".trm")}


@pytest.mark.parametrize(("limitmb", "chunk"), [(64, 1 << 20), (1, 5_000)])
def test_postings_and_terms_read_back_as_whooshs(tmp_path, documents, monkeypatch, limitmb, chunk):
    # limitmb=1 spills several sorted runs; a small chunk merges them in many steps
    monkeypatch.setattr(pool_module, "CHUNK_POSTINGS", chunk)
    theirs = segment_files(tmp_path / "whoosh", documents, array_pool=False, limitmb=limitmb)
    ours = segment_files(tmp_path / "array", documents, array_pool=True, limitmb=limitmb)
    assert set(theirs) == {".pst", ".trm"}
    read = postings(tmp_path / "array")
    assert read == postings(tmp_path / "whoosh")
    assert any(len(items) > pool_module.COMPRESS_FROM for _, items in read.values())  # several blocks
    # single postings live in the term table: a smaller postings file, and fewer bytes in all
    assert inlined_share(tmp_path / "array") > 0.3 and inlined_share(tmp_path / "whoosh") == 0
    assert len(ours[".pst"]) < 0.8 * len(theirs[".pst"])
    assert len(ours[".pst"]) + len(ours[".trm"]) < len(theirs[".pst"]) + len(theirs[".trm"])


def test_a_merge_of_segments_with_inlined_postings_reads_back_as_whooshs(tmp_path, documents):
    """Whoosh merges segments (its merge policy, an optimise) by reading their postings
    back: the inlined ones must come through like the ones in blocks."""
    theirs_dir, ours_dir = tmp_path / "whoosh", tmp_path / "array"
    segment_files(theirs_dir, documents, array_pool=False, limitmb=64)
    ours_dir.mkdir()
    ix = whoosh_index.create_in(str(ours_dir), build_schema(Dictionary.load(())))
    half = len(documents) // 2
    for part in (documents[:half], documents[half:]):
        writer = ArraySegmentWriter(ix, compound=False)
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    assert len(ix.refresh()._segments()) == 2
    writer = ArraySegmentWriter(ix, compound=False)
    writer.commit(optimize=True)
    assert len(ix.refresh()._segments()) == 1
    assert postings(ours_dir) == postings(theirs_dir)


def test_spilled_runs_are_removed_after_commit(tmp_path, documents):
    path = tmp_path / "ix"
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(Dictionary.load(())))
    writer = ArraySegmentWriter(ix, limitmb=1)
    for doc in documents:
        writer.add_document(**doc)
    temp = Path(writer._tempstorage.folder)
    writer.pool.save()
    assert list(temp.glob("*.run.tid"))
    writer.commit()
    assert not temp.exists()


@pytest.mark.parametrize("procs", [1, 2])
def test_commit_reports_postings_written_up_to_the_total(tmp_path, sample_articles, procs):
    seen: list[tuple[int, int]] = []
    build_index(IndexStore(tmp_path / "ix"), sample_articles, BuildOptions(procs=procs),
                on_commit=lambda done, total: seen.append((done, total)))
    assert seen, "the commit reported no progress"
    done, total = seen[-1]
    assert total > 1000 and done == total
    assert all(d <= t for d, t in seen)
