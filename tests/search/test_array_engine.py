"""The array engine against Whoosh's own per-match evaluation, kept here only as an oracle.

For every query kind the compiler makes (words, literals, phrases, proximity bonuses,
partial and headline queries, NOT, fields, date ranges, filters), the two engines must
find the same articles with the same scores, on an index of several segments with
deleted (updated) articles in it. Facet counts are checked against the stored fields.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

from corpus import read_articles
from indexer import IndexStore, build_index
from search.engine.facets import FACETS, count_facets, ordered
from search.engine.filtering import request_filters
from search.engine.plan import plan
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query.compiler import DistinctDocs
from tests.conftest import CORPORA

pytestmark = pytest.mark.slow  # builds a two-commit index of 1,200 real articles

QUERIES = [
    "1688", "退货", "晚发必赔", "安心购", "淘宝 退货", "商家 服务 协议", '"商家服务协议"', "规则 调整",
    "1688 NOT 淘宝", "退款 OR 赔付", "title:规则", "content:发货", "平台 -退货", "新能源汽车 出口",
    "房贷 利率", "美联储 加息", "光伏 产能", '"数字人民币"', "中国", "经济", "稀土", "关税", "乌克兰 和谈",
    "published:[2024-01-01 TO 2024-12-31] 规则", "platform:1688", "category:规则", "year:2024", "的",
]
FILTERS = [SearchRequest(q="规则", year="2024"), SearchRequest(q="发货", date_from="2024-02", date_to="2024-03"),
           SearchRequest(q="协议", platform="1688"), SearchRequest(q="调整", effective_from="2024-01-01")]


def _articles():
    names = ["dsb_1688_seed.jsonl", "finance_rss.jsonl"]
    if not all((CORPORA / n).is_file() for n in names):
        from corpus import sample_path

        return list(read_articles([sample_path()])), []
    stream = read_articles([CORPORA / n for n in names])
    articles = list(itertools.islice(stream, 1200))
    stream.close()
    return articles[:900], articles[800:]  # 100 of the second batch update the first


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """Two commits (two segments), the second updating some articles of the first."""
    first, second = _articles()
    path = tmp_path_factory.mktemp("oracle-index")
    build_index(IndexStore(path), first)
    if second:
        build_index(IndexStore(path), second)
    return path


@pytest.fixture(scope="module")
def engine(index):
    return Searcher(IndexStore(index))


def _queries(engine, q: str) -> list[wq.Query]:
    view = engine.view()
    compiled = plan(SearchRequest(q=q), engine.compiler_for(view), engine.limits).compiled
    found = [compiled.query]
    if compiled.loose is not None:
        found += [compiled.loose, wq.And([compiled.loose, wq.Not(compiled.query)])]
    if compiled.headlines is not None:
        found.append(compiled.headlines)
    found += list(compiled.contiguous)  # gapped phrases: slop past one position
    return found


def _oracle(view, query, mask=None) -> dict[int, float]:
    """Whoosh's per-match path: every match and its score."""
    results = view.searcher.search(query, limit=None)
    found = {hit.docnum: hit.score for hit in results}
    return {d: s for d, s in found.items() if mask is None or mask[d]}


def _arrays(engine, query, mask=None) -> dict[int, float]:
    view = engine.view()
    scored = engine.evaluator(view).evaluate(query)
    if mask is not None:
        scored = scored.only(mask)
    else:
        scored = scored.only(engine.arrays(view).live)
    return dict(zip(scored.docs.tolist(), scored.scores.tolist(), strict=True))


def test_the_index_has_segments_and_deletions(engine, index):
    if not (CORPORA / "finance_rss.jsonl").is_file():
        pytest.skip("the real corpora are not here: the sample alone has one segment")
    view = engine.view()
    assert len(view.searcher.leaf_searchers()) >= 2
    assert not engine.arrays(view).live.all(), "updated articles leave deleted copies"


@pytest.mark.parametrize("q", QUERIES)
def test_same_matches_and_scores_as_whoosh(engine, q):
    view = engine.view()
    for query in _queries(engine, q):
        expected, got = _oracle(view, query), _arrays(engine, query)
        assert got.keys() == expected.keys(), (q, query)
        for doc, score in expected.items():
            assert got[doc] == pytest.approx(score, rel=1e-5, abs=1e-6), (q, query, doc)


@pytest.mark.parametrize("request_", FILTERS, ids=lambda r: repr(r.q))
def test_filters_allow_what_whoosh_allows(engine, request_):
    view = engine.view()
    evaluator = engine.evaluator(view)
    mask = engine.filter_sets.allowed(evaluator, view.version, request_)
    filters = request_filters(request_)
    allowed = set(view.searcher.docs_for_query(filters))
    assert set(np.flatnonzero(mask).tolist()) == {d for d in allowed if engine.arrays(view).live[d]}
    query = plan(request_, engine.compiler_for(view), engine.limits).compiled.query
    assert _arrays(engine, query, mask).keys() == _oracle(view, query, mask).keys()


def test_distinct_docs_counts_an_article_once(engine):
    view = engine.view()
    query = DistinctDocs(wq.DateRange("effective", None, None))
    assert sorted(_arrays(engine, query)) == sorted(_oracle(view, query))


@pytest.mark.parametrize("q", ["", "规则", "1688 退货", "中国"])
def test_facets_count_the_stored_values(engine, q):
    view = engine.view()
    query = plan(SearchRequest(q=q), engine.compiler_for(view), engine.limits).compiled.query
    docs = np.array(sorted(_arrays(engine, query)), dtype=np.int64)
    counted = count_facets(engine.arrays(view), docs)
    expected: dict[str, Counter] = {name: Counter() for name in FACETS}
    for d in docs.tolist():
        stored = view.searcher.stored_fields(d)
        published = stored.get("published")
        if published is not None:
            expected["year"][str(published.year)] += 1
        for name in ("category", "source"):
            if stored.get(name):
                expected[name][stored[name]] += 1
        facts = stored.get("facts") or {}
        for name, key in (("platform", "platforms"), ("rule", "rules"), ("kind", "kinds")):
            for value in {str(v).strip().lower() for v in _values(facts.get(key))}:
                expected[name][value] += 1
    for name in ("year", "category", "source"):
        assert counted[name] == ordered(name, dict(expected[name])), name
    assert sum(counted["year"].values()) <= len(docs)


def _values(found) -> list:
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def test_search_pages_match_the_oracle_order(engine):
    """The page's first hits are the oracle's best, in score order."""
    view = engine.view()
    for q in ("退货", "淘宝 退货", "中国"):
        page = engine.search(SearchRequest(q=q, per_page=10, collapse=False, partial=False), snippets=False)
        query = plan(SearchRequest(q=q), engine.compiler_for(view), engine.limits).compiled.query
        expected = sorted(_oracle(view, query).items(), key=lambda kv: -kv[1])
        assert page.total == len(expected)
        scores = [h.score for h in page.hits]
        assert scores == sorted(scores, reverse=True)
        if expected:
            assert scores[0] == pytest.approx(expected[0][1], rel=1e-5)


@pytest.mark.parametrize("sizes, articles", [((3, 2), 10_000), ((40, 30, 20), 10_000), ((9_000, 7_000, 500), 10_000),
                                             ((8_000, 6_000, 4_000, 100), 125_800)])
def test_a_union_sums_alike_sorted_or_counted(sizes, articles):
    """Small unions are merged, large ones counted over every document number; the article
    list and each article's sum of part scores, added part by part, must be the same
    either way, to the last bit (scores that tie must still tie)."""
    from search.engine.evaluate import Scored, union

    rng = np.random.default_rng(len(sizes) + 1)
    parts = [Scored(np.sort(rng.choice(articles, n, replace=False)).astype(np.int32), rng.random(n)) for n in sizes]
    found = union(parts)
    expected: Counter = Counter()
    for p in parts:
        for d, s in zip(p.docs.tolist(), p.scores.tolist(), strict=True):
            expected[d] += s
    assert found.docs.tolist() == sorted(expected)
    assert found.scores.tolist() == [expected[d] for d in sorted(expected)]


@pytest.mark.parametrize("sizes", [(0, 5), (5, 0), (3, 2), (20, 9_000), (9_000, 20), (7_000, 9_000), (1, 1)])
def test_membership_is_the_same_searched_either_way_or_marked(sizes):
    """Which documents of one list are in another, by binary search of the smaller side in
    the larger (either way round) or by marking: the same answer as the set definition."""
    from search.engine.evaluate import members

    rng = np.random.default_rng(sum(sizes))
    values, sorted_ = (np.sort(rng.choice(20_000, n, replace=False)).astype(np.int32) for n in sizes)
    expected = [v in set(sorted_.tolist()) for v in values.tolist()]
    assert members(values, sorted_).tolist() == expected


def test_a_request_evaluates_each_distinct_query_once(engine):
    """Within one request (one evaluator), equal queries, built separately or nested in a
    larger one, are evaluated once: the partial fill's NOT, the rarest word's parts and
    the word boundary checks ask again for what the exact query already matched."""
    searcher = engine
    evaluator = searcher.evaluator(searcher.view())
    word = lambda: wq.Or([wq.Term("title", "规则"), wq.Term("content", "规则")])
    whole = evaluator.evaluate(wq.And([word(), wq.Term("content", "调整")]))
    assert evaluator.evaluate(word()) is evaluator.evaluate(word())
    assert set(whole.docs.tolist()) <= set(evaluator.evaluate(word()).docs.tolist())
    assert searcher.evaluator(searcher.view()).evaluate(word()) is not evaluator.evaluate(word())


def test_a_phrase_asked_at_several_boosts_is_matched_once_and_scaled(engine):
    """The exact query, the typed-string rule and the headline rule ask for one phrase at
    different boosts: its positions are checked once, each boost scales the same scores,
    and each still agrees with Whoosh's own matcher."""
    view = engine.view()
    evaluator = engine.evaluator(view)
    live = engine.arrays(view).live
    phrases = [leaf for query in _queries(engine, "商家服务协议") for leaf in query.leaves()
               if type(leaf) is wq.Phrase and len(evaluator.evaluate(leaf))]
    assert phrases, "the sample holds the phrase"
    field, words = phrases[0].fieldname, phrases[0].words
    plain = evaluator.evaluate(wq.Phrase(field, words))
    for boost in (2.5, 0.25):
        boosted = evaluator.evaluate(wq.Phrase(field, words, boost=boost))
        assert boosted.docs is plain.docs and len(plain)
        assert np.array_equal(boosted.scores, plain.scores * boost)
        assert _arrays(engine, wq.Phrase(field, words, boost=boost)) == pytest.approx(
            _oracle(view, wq.Phrase(field, words, boost=boost), live))
    term = evaluator.evaluate(wq.Term("title", "规则", boost=8.0))
    assert np.array_equal(term.scores, evaluator.evaluate(wq.Term("title", "规则")).scores * 8.0)
