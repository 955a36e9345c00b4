"""The search core's arrays: bounded per process, rebuilt for each index version."""

from __future__ import annotations

import dataclasses

import pytest

from indexer import IndexStore, build_index
from search.config import AppConfig
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ConfigError


def test_decoded_postings_stay_within_their_bound(sample_index):
    roomy = Searcher(IndexStore(sample_index))
    tight = Searcher(IndexStore(sample_index), postings_mb=0.000_001)  # one list at a time
    for q in ("1688", "退货 规则", '"商家服务协议"', "发货", "赔付 OR 退款"):
        expected, got = roomy.search(SearchRequest(q=q)), tight.search(SearchRequest(q=q))
        assert [h.id for h in got.hits] == [h.id for h in expected.hits] and got.total == expected.total
        arrays = tight.arrays(tight.view())
        assert len(arrays._postings) <= 1, "evicted down to the last one read"
    assert roomy.arrays(roomy.view()).cached_bytes > 0


def test_a_new_index_version_gets_new_arrays(index_dir, sample_articles):
    searcher = Searcher(IndexStore(index_dir), refresh_seconds=0)
    before = searcher.arrays(searcher.view())
    titled = searcher.search(SearchRequest(q="title:晚发必赔")).total
    assert titled >= 1
    changed = [a for a in sample_articles if "晚发必赔" in a.title][:1]
    build_index(IndexStore(index_dir), [dataclasses.replace(changed[0], title="发货规则")])
    after = searcher.arrays(searcher.view())
    assert after is not before and after.doc_count > before.doc_count  # the old copy is deleted, not gone
    assert not after.live.all()
    assert searcher.search(SearchRequest(q="title:晚发必赔")).total == titled - 1  # the deleted copy is masked


def test_a_bad_postings_bound_is_one_line_naming_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="ZHSEARCH_POSTINGS_MB"):
        AppConfig.from_sources({"index_dir": tmp_path}, env={"ZHSEARCH_POSTINGS_MB": "lots"})


def test_an_update_walks_only_its_new_segment_for_the_facets(index_dir, sample_articles):
    """Segments never change once written: their facet parts carry over to the next version."""
    searcher = Searcher(IndexStore(index_dir), refresh_seconds=0)
    searcher.search(SearchRequest(q="规则"))
    before = dict(searcher.versions.segment_parts)
    assert before, "the facets were read per segment"
    extra = dataclasses.replace(sample_articles[0], id="extra-1", title="拼多多调整发货规则", category="新规")
    build_index(IndexStore(index_dir), [extra])
    page = searcher.search(SearchRequest(q="规则"))
    after = searcher.versions.segment_parts
    carried = [k for k in before if k in after]
    assert carried and all(after[k] is before[k] for k in carried), "old segments were not walked again"
    assert len(after) > len(carried), "the new segment was walked"
    assert page.facets["category"].get("新规") == 1


def test_match_sets_are_kept_only_with_the_result_cache(sample_index):
    """The chart and the research tools reuse a search's matches; with result caches off
    (the benchmarks) every request evaluates afresh."""
    request = SearchRequest(q="规则")
    caching = Searcher(IndexStore(sample_index), cache_pages=8)
    caching.search(request)
    assert caching.matching(request, scored=False).scored is caching.matching(request, scored=False).scored
    plain = Searcher(IndexStore(sample_index))
    assert plain.matching(request, scored=False).scored is not plain.matching(request, scored=False).scored


def _sidecars(index_dir):
    return sorted(p.name for p in index_dir.rglob("*.facets.npz"))


def test_facet_lists_are_saved_beside_their_segment_for_the_next_process(index_dir, sample_articles):
    """The first process to count a segment's facets saves them; the next reads them, and a
    merge that drops the segment drops its file too (Whoosh's own clean-up)."""
    first = Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则"))
    saved = _sidecars(index_dir)
    assert {name.split(".")[1] for name in saved} >= {"category", "platform", "rule", "year"}
    # the next process answers from the files: a planted count shows it read them, and
    # the genuine files give the very facets of the walk
    second = Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则"))
    assert second.facets == first.facets and second.total == first.total
    category = next(p for p in index_dir.rglob("*.category.facets.npz"))
    real = category.read_bytes()
    every = Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则"))
    from search.engine import sidecar
    sidecar.save(category, {"种植的类别": sidecar.load(category)[next(iter(sidecar.load(category)))]})
    planted = Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则"))
    assert "种植的类别" in planted.facets["category"] and "种植的类别" not in every.facets["category"]
    category.write_bytes(real)
    # an update adds a segment (and its files); a segment merged away takes its files along
    extra = dataclasses.replace(sample_articles[0], id="extra-1", title="拼多多调整发货规则", category="新规")
    build_index(IndexStore(index_dir), [extra])
    assert Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则")).facets["category"]["新规"] == 1
    grown = _sidecars(index_dir)
    assert set(grown) != set(saved)
    segments = {p.name.split(".")[0] for p in index_dir.rglob("*.seg")}
    assert {name.split(".")[0] for name in grown} == segments, "no file outlives its segment"


def test_an_unreadable_facet_file_is_no_file(index_dir):
    Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则"))
    expected = Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则")).facets
    for path in index_dir.rglob("*.facets.npz"):
        path.write_bytes(b"damaged")
    assert Searcher(IndexStore(index_dir)).search(SearchRequest(q="规则")).facets == expected


def test_a_server_warms_jieba_into_a_dict_before_forking(sample_index):
    """The master loads jieba once as a plain dict; workers inherit it (server.run)."""
    from indexer import schema_dictionary
    from indexer.analysis import jieba_for

    searcher = Searcher(IndexStore(sample_index))
    searcher.warm_segmenter()
    view = searcher.view()
    assert type(jieba_for(schema_dictionary(view.index.schema)).FREQ) is dict
    assert searcher.search(SearchRequest(q="发货")).total >= 1
