import dataclasses
from datetime import datetime

import pytest
from whoosh.query import Every

from corpus import CHINA_TZ, Article
from indexer import (
    BuildOptions,
    DictionaryMismatch,
    IndexLocked,
    IndexNotFound,
    IndexStore,
    build_index,
)


def article(i: int, title: str = "标题", content: str = "内容") -> Article:
    return Article(id=f"t-{i}", title=f"{title}{i}", content=content,
                   published=datetime(2024, 3, i % 28 + 1, 9, 30, tzinfo=CHINA_TZ), source="test")


def count(store: IndexStore) -> int:
    with store.open().searcher() as s:
        return s.doc_count()


def titles(store: IndexStore) -> set[str]:
    with store.open().searcher() as s:
        return {hit["title"] for hit in s.search(Every(), limit=None)}


def test_sample_builds_with_twenty_articles(sample_index):
    store = IndexStore(sample_index)
    assert count(store) == 20
    assert store.read_meta()["dictionary"]["sources"] == ["builtin:domain_dict.txt"]


def test_reindexing_updates_and_never_duplicates(index_dir, sample_articles):
    store = IndexStore(index_dir)
    report = build_index(store, sample_articles)
    assert (report.indexed, report.updated) == (0, 20)
    assert count(store) == 20
    changed = dataclasses.replace(sample_articles[0], title="改过的标题")
    report = build_index(store, [changed, article(1)])
    assert (report.indexed, report.updated) == (1, 1)
    assert count(store) == 21
    assert "改过的标题" in titles(store)


def test_repeated_id_in_one_batch_keeps_the_first(tmp_path):
    store = IndexStore(tmp_path / "ix")
    report = build_index(store, [article(1, "甲"), article(1, "乙")])
    assert report.duplicates == 1
    assert titles(store) == {"甲1"}


def test_rebuild_replaces_everything_atomically(index_dir):
    store = IndexStore(index_dir)
    old = store.generation()
    report = build_index(store, [article(i) for i in range(5)], BuildOptions(rebuild=True))
    assert report.rebuilt and report.indexed == 5
    assert store.generation() != old
    assert count(store) == 5


def test_interrupted_rebuild_leaves_the_old_index_searchable(index_dir):
    store = IndexStore(index_dir)
    old = store.generation()

    def stream():
        yield from (article(i) for i in range(3))
        raise KeyboardInterrupt  # what Ctrl+C does halfway through a rebuild

    with pytest.raises(KeyboardInterrupt):
        build_index(store, stream(), BuildOptions(rebuild=True))
    assert store.generation() == old
    assert count(store) == 20
    assert [p.name for p in index_dir.glob("gen-*")] == [old]


def test_failed_incremental_batch_commits_nothing(index_dir):
    store = IndexStore(index_dir)

    def stream():
        yield article(1)
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        build_index(store, stream())
    assert count(store) == 20


def test_userdict_mismatch_asks_for_rebuild(index_dir, tmp_path):
    user = tmp_path / "u.txt"
    user.write_text("极兔速递\n", "utf-8")
    with pytest.raises(DictionaryMismatch, match="--rebuild"):
        build_index(IndexStore(index_dir), [article(1)], BuildOptions(userdicts=(user,)))
    report = build_index(IndexStore(index_dir), [article(1)], BuildOptions(rebuild=True, userdicts=(user,)))
    assert report.indexed == 1
    assert IndexStore(index_dir).read_meta()["dictionary"]["sources"][-1] == "user:u.txt"


def test_second_writer_gets_a_clear_lock_error(index_dir):
    store = IndexStore(index_dir)
    held = store.open().writer()
    try:
        with pytest.raises(IndexLocked, match="another zhsearch process"):
            build_index(store, [article(1)], BuildOptions(writer_timeout=0.2))
    finally:
        held.cancel()


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexNotFound, match="zhsearch index"):
        IndexStore(tmp_path / "none").open()


def test_a_failed_parallel_rebuild_stops_its_workers_and_keeps_the_index(tmp_path, sample_articles):
    """The articles failing midway (a broken source, Ctrl+C) stops the worker processes
    before the new generation is discarded: none is left running, writing into it."""
    import multiprocessing

    store = IndexStore(tmp_path / "mp")
    build_index(store, sample_articles)
    live, before = store.generation(), set(multiprocessing.active_children())

    def articles():
        yield from (article(i) for i in range(600))
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        build_index(store, articles(), BuildOptions(procs=2, rebuild=True))
    assert set(multiprocessing.active_children()) - before == set()
    assert store.generation() == live and count(store) == 20


def test_parallel_fresh_build_indexes_everything(tmp_path, sample_articles):
    store = IndexStore(tmp_path / "mp")
    report = build_index(store, sample_articles + [article(i) for i in range(300)], BuildOptions(procs=2))
    assert report.indexed == 320
    assert count(store) == 320
    with store.open().searcher() as s:
        from whoosh.query import Term
        assert len(s.search(Term("title", "晚发必赔"))) == 2


def test_a_parallel_update_adds_new_ids_and_replaces_known_ones(tmp_path, sample_articles):
    """The workers only add; this process replaces: the old version of a known id is gone."""
    store = IndexStore(tmp_path / "mp")
    build_index(store, sample_articles)
    changed = dataclasses.replace(sample_articles[0], title="改过的标题")
    report = build_index(store, [changed] + [article(i) for i in range(300)], BuildOptions(procs=2))
    assert (report.indexed, report.updated, report.procs) == (300, 1, 2)
    assert count(store) == 320
    with store.open().searcher() as s:
        kept = [d for d in s.documents() if d["id"] == changed.id]
    assert [d["title"] for d in kept] == ["改过的标题"]


def test_workers_are_started_only_for_a_run_with_enough_text(tmp_path):
    from indexer.builder import PARALLEL_FROM_BYTES, auto_procs, choose_procs

    few = [article(i) for i in range(5)]
    assert build_index(IndexStore(tmp_path / "few"), iter(few), BuildOptions(procs=None)).procs == 1
    body = "规" * (PARALLEL_FROM_BYTES // 3 // 4 + 1)  # four of these pass the threshold
    long = [article(i, content=body) for i in range(6)]
    stream, procs = choose_procs(iter(long), None)
    assert procs == auto_procs() and list(stream) == long  # the articles read ahead come first
    report = build_index(IndexStore(tmp_path / "long"), iter(long), BuildOptions(procs=None))
    assert (report.procs, report.indexed) == (auto_procs(), 6)
    assert choose_procs(few, 3)[1] == 3  # a number asked for is kept
