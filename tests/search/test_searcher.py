import re
from datetime import datetime, timedelta

import pytest

from corpus import CHINA_TZ, Article
from indexer import IndexStore, build_index
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ParameterError, QueryError


def run(searcher, q, **kw):
    """Matching semantics are tested with every report listed (collapse has its own tests)."""
    kw.setdefault("collapse", False)
    return searcher.search(SearchRequest(q=q, per_page=kw.pop("per_page", 20), **kw))


def titles(page):
    """Titles of the exact matches (partial matches that fill the list are tested apart)."""
    return [h.title for h in page.hits if not h.partial]


def test_wanfa_bipei_lists_its_two_articles_first(searcher):
    page = run(searcher, "晚发必赔")
    assert page.total == 2
    assert all("晚发必赔" in t for t in titles(page))


@pytest.mark.parametrize("phrase, expected", [
    ('"现货安心购"', {"1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿",
                    "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ('"商家服务协议"', {"1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿",
                     "1688修订《安心购商家服务协议》",
                     "1688安心购·定制版增加印错包赔保障 将于3月20日上线试点",
                     "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ('"3月1日"', {"1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ("“上线试点”", {"1688安心购·定制版增加印错包赔保障 将于3月20日上线试点"}),
])
def test_phrases_match_exact_sequences(searcher, phrase, expected):
    assert set(titles(run(searcher, phrase))) == expected


def test_substring_inside_a_word_is_found(searcher):
    page = run(searcher, "心购")
    assert page.total >= 4
    assert all("安心购" in re.sub("</?mark>", "", h.title + h.snippet) for h in page.hits)
    assert any("安<mark>心购</mark>" in h.snippet for h in page.hits)


def test_or_and_not(searcher):
    either = set(titles(run(searcher, "破损包赔 OR 印错包赔")))
    assert either == {"1688哇噢定制服务新增“破损包赔”买家保障类型",
                      "1688安心购·定制版增加印错包赔保障 将于3月20日上线试点"}
    with_custom = run(searcher, "安心购").total
    without = run(searcher, "安心购 -定制版")
    assert 0 < without.total < with_custom
    assert not any("定制版" in h.title for h in without.hits)
    assert run(searcher, "安心购 NOT 定制版").total == without.total


def test_title_field(searcher):
    assert set(titles(run(searcher, "title:履约保证险"))) == {"1688履约保证险产品及服务升级 保单将新增保障范围"}
    assert run(searcher, "title:履约保证险").total == 2


@pytest.mark.parametrize("query, kw, total", [
    ("published:[2024-01-01 TO 2024-12-31]", {}, 8),
    ("published:2023", {}, 7),
    ("published:[* TO 2022-12-31]", {}, 5),
    ("", {"date_from": "2024", "date_to": "2024"}, 8),
    ("1688", {"date_from": "2022-05-12", "date_to": "2022-05-12"}, 2),
    ("", {"year": "2022"}, 4),
    ("", {"category": "不存在"}, 0),
    ("year:2022", {}, 4),
    ("source:电商派", {}, 20),
    ("programme:分销通", {}, 1),
    ("1688 category:不存在", {}, 0),
])
def test_date_filters(searcher, query, kw, total):
    assert run(searcher, query, **kw).total == total


def test_sorts(searcher):
    newest = run(searcher, "1688", sort="newest").hits
    oldest = run(searcher, "1688", sort="oldest").hits
    assert [h.published for h in newest] == sorted((h.published for h in newest), reverse=True)
    assert newest[0].published == datetime(2024, 12, 18, 15, 51, 4)
    assert oldest[0].published == datetime(2021, 5, 12, 15, 23, 45)


def test_pagination_and_totals(searcher):
    first = run(searcher, "1688", per_page=7, page=1)
    third = run(searcher, "1688", per_page=7, page=3)
    assert first.total == third.total == 20
    assert len(first.hits) == 7 and len(third.hits) == 6
    assert not {h.id for h in first.hits} & {h.id for h in third.hits}
    assert first.pages == 3


def test_facets_count_the_current_query(searcher):
    page = run(searcher, "1688")
    assert page.facets["year"] == {"2024": 8, "2023": 7, "2022": 4, "2021": 1}
    assert sum(page.facets["year"].values()) == page.total
    assert list(run(searcher, "晚发必赔").facets["year"]) == ["2024"]


@pytest.mark.parametrize("typed, plain", [("１６８８ 安心購", "1688 安心购"), ("晚發必賠", "晚发必赔"),
                                          ("ＴＩＴＬＥ", "title")])
def test_width_and_script_folding(searcher, typed, plain):
    assert titles(run(searcher, typed)) == titles(run(searcher, plain))


def test_snippets_mark_matches_on_original_text(searcher):
    hit = run(searcher, "阳光财产保险").hits[0]
    assert "<mark>阳光财产保险</mark>" in hit.snippet or "<mark>阳光</mark>" in hit.snippet
    long_hit = run(searcher, "软件服务费").hits[0]
    assert "<mark>软件服务费</mark>" in long_hit.snippet.replace("</mark><mark>", "")
    assert len(long_hit.snippet) < 260


def test_snippets_escape_documents_and_queries(tmp_path):
    store = IndexStore(tmp_path / "ix")
    evil = Article(id="x1", title="<script>alert(1)</script>标题", content="正文<script>alert('x')</script>安心购。",
                   published=datetime(2024, 1, 1, tzinfo=CHINA_TZ))
    build_index(store, [evil])
    page = Searcher(store).search(SearchRequest(q="<script>安心购"))
    hit = page.hits[0]
    assert "<script>" not in hit.snippet and "<script>" not in hit.title_html
    assert "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)" in hit.snippet
    assert "<mark>安心购</mark>" in hit.snippet


@pytest.mark.parametrize("request_kw, error", [
    ({"q": "(", "per_page": 10}, QueryError),
    ({"q": "x", "per_page": 0}, ParameterError),
    ({"q": "x", "per_page": 1000}, ParameterError),
    ({"q": "x", "page": 0}, ParameterError),
    ({"q": "x", "page": 5000, "per_page": 100}, ParameterError),
    ({"q": "x", "sort": "best"}, ParameterError),
    ({"q": "x", "date_from": "tomorrow"}, QueryError),
    ({"q": "x", "date_from": "2024-02", "date_to": "2024-01"}, ParameterError),
    ({"q": "x" * 600}, QueryError),
])
def test_bad_requests_raise_client_errors(searcher, request_kw, error):
    with pytest.raises(error):
        searcher.search(SearchRequest(**request_kw))


def test_documents_and_stats(searcher):
    hit = run(searcher, "晚发必赔").hits[0]
    doc = searcher.document(hit.id)
    assert doc["title"] == hit.title and doc["content"]
    stats = searcher.stats()
    assert stats["articles"] == 20
    assert stats["date_range"] == {"from": "2021-05-12T15:23:45", "to": "2024-12-18T15:51:04"}
    assert stats["dictionary"]["up_to_date"] is True


def test_new_articles_become_visible_without_restart(index_dir):
    searcher = Searcher(IndexStore(index_dir), refresh_seconds=0)
    assert searcher.search(SearchRequest(q="极兔")).total == 0
    build_index(IndexStore(index_dir), [Article(id="n1", title="极兔速递接入1688", content="")])
    assert searcher.search(SearchRequest(q="极兔")).total == 1


@pytest.mark.parametrize("query, first", [
    ("人工智能+", "“人工智能+”行动意见发布"),
    ("iPhone 17", "苹果发布iPhone 17系列"),
    ("ｉｐｈｏｎｅ１７", "苹果发布iPhone 17系列"),
    ("C919", "C919完成商业首飞"),
    ("GDP 增长", "一季度GDP增长5.4%"),
    ("618 大促", "618大促开启 平台规则调整"),
    ("5G", "5G基站数量增长"),
])
def test_mixed_script_queries(tmp_path, query, first):
    titles = ["“人工智能+”行动意见发布", "人工智能发展报告", "苹果发布iPhone 17系列", "iPhone 16降价",
              "C919完成商业首飞", "一季度GDP增长5.4%", "618大促开启 平台规则调整", "5G基站数量增长",
              "大促期间618家门店", "17款新机"]
    store = IndexStore(tmp_path / "mixed")
    build_index(store, [Article(id=f"m{i}", title=t) for i, t in enumerate(titles)])
    page = Searcher(store).search(SearchRequest(q=query))
    assert page.hits[0].title == first
    assert not page.hits[0].partial


def test_duplicate_reports_collapse_into_the_first(searcher):
    page = searcher.search(SearchRequest(q="晚发必赔", partial=False))
    assert len(page.hits) == 1 and page.total == 2
    kept = page.hits[0]
    pair = {"1688调整退货包运费机制 且不再提供晚发必赔补偿", "1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿"}
    assert {kept.title, *(d.title for d in kept.duplicates)} == pair and len(kept.duplicates) == 1
    same_title = searcher.search(SearchRequest(q="履约保证险", partial=False))
    assert len(same_title.hits) == 1 and len(same_title.hits[0].duplicates) == 1
    boilerplate = searcher.search(SearchRequest(q="争议处理", partial=False))
    assert len(boilerplate.hits) == 2, "two rules sharing boilerplate are different news"


def test_collapse_precision_on_the_seed(searcher):
    """The seed has exactly two pairs of reports of the same news; nothing else collapses."""
    page = searcher.search(SearchRequest(q="", per_page=20, sort="newest"))
    pairs = {frozenset([h.title, d.title]) for h in page.hits for d in h.duplicates}
    assert len(page.hits) == 18
    assert pairs == {frozenset(["1688履约保证险产品及服务升级 保单将新增保障范围"]),
                     frozenset(["1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿",
                                "1688调整退货包运费机制 且不再提供晚发必赔补偿"])}


@pytest.mark.parametrize("query, kw, expected", [
    ("effective:[2024-03-01 TO 2024-03-31]", {}, {"1688哇噢定制服务新增“破损包赔”买家保障类型",
                                                  "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ("effective:2024年3月", {}, {"1688哇噢定制服务新增“破损包赔”买家保障类型",
                                "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ("", {"effective_from": "2024-03", "effective_to": "2024-03-31"},
     {"1688哇噢定制服务新增“破损包赔”买家保障类型", "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ('rule:"现货“安心购”商家服务协议"', {}, {"1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿",
                                          "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
    ("rule:安心购商家服务协议", {}, {"1688修订《安心购商家服务协议》",
                                   "1688安心购·定制版增加印错包赔保障 将于3月20日上线试点"}),
    ("platform:淘特", {}, {"“1688淘特批发团”退货保障服务规则发布", "“1688淘特批发团”48小时发货服务规则发布"}),
    ("announced:2024", {}, {"《1688跨境交易争议处理规范》更新", "1688变更《交易争议处理规则》"}),
    ("kind:取消", {"platform": "1688"}, {"1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿",
                                        "1688调整退货包运费机制 且不再提供晚发必赔补偿"}),
])
def test_rule_change_fields(searcher, query, kw, expected):
    assert set(titles(run(searcher, query, **kw))) == expected


def test_fact_facets_and_hit_facts(searcher):
    page = run(searcher, "1688")
    assert page.facets["platform"] == {"1688": 20, "淘特": 2}
    assert page.facets["rule"]["现货安心购商家服务协议"] == 2
    assert page.facets["kind"]["取消"] == 2
    hit = run(searcher, "破损包赔").hits[0]
    assert hit.facts["effective"] == ["2024-03-29"] and hit.facts["programmes"] == ["破损包赔"]


def test_phrases_that_jiebas_own_whoosh_analyzer_cannot_find(tmp_path, sample_articles):
    """The baseline everyone starts from (ChineseAnalyzer + Whoosh phrases) finds nothing."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index
    from whoosh.qparser import QueryParser

    schema = fields.Schema(id=fields.ID(stored=True), content=fields.TEXT(analyzer=ChineseAnalyzer()))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        for a in sample_articles:
            w.add_document(id=a.id, content=f"{a.title} {a.content}")
    with ix.searcher() as s:
        theirs = len(s.search(QueryParser("content", schema).parse('"现货安心购"')))
    assert theirs == 0
    store = IndexStore(tmp_path / "zh")
    build_index(store, sample_articles)
    assert Searcher(store).search(SearchRequest(q='"现货安心购"', collapse=False, partial=False)).total == 2


def test_whole_word_matches_rank_above_substring_matches(tmp_path):
    store = IndexStore(tmp_path / "ix")
    build_index(store, [Article(id="inside", title="中国农业发展银行发布年报"),
                        Article(id="whole", title="农业发展迎来新机遇")])
    page = Searcher(store).search(SearchRequest(q="农业"))
    assert [h.id for h in page.hits] == ["whole", "inside"]


def test_recent_blends_recency_into_relevance(tmp_path):
    store = IndexStore(tmp_path / "ix")
    build_index(store, [
        Article(id="old", title="拼多多 仅退款 仅退款 规则", published=datetime(2020, 1, 1, tzinfo=CHINA_TZ)),
        Article(id="new", title="拼多多调整仅退款", content="平台公告", published=datetime(2024, 6, 1, tzinfo=CHINA_TZ)),
    ])
    searcher = Searcher(store)
    assert next(h.id for h in searcher.search(SearchRequest(q="仅退款")).hits) == "old"
    assert [h.id for h in searcher.search(SearchRequest(q="仅退款", sort="recent")).hits] == ["new", "old"]


def test_recent_ages_by_whole_days_from_the_date_column_and_undated_counts_as_old(tmp_path):
    """Ages are whole days before the newest match, read from the date column (a minute
    short of a day is none), an undated article counts as ten half-lives old: the order
    is the definition's, worked out from the stored dates."""
    from search.engine.results import RECENCY_HALF_LIFE_DAYS

    newest = datetime(2024, 6, 1, 12, 0, tzinfo=CHINA_TZ)
    when = {"now": newest, "almost": newest - timedelta(hours=23, minutes=59),
            "day": newest - timedelta(days=1), "year": newest - timedelta(days=365), "none": None}
    store = IndexStore(tmp_path / "ix")
    build_index(store, [Article(id=k, title="仅退款规则" + "仅退款" * i, published=d)
                        for i, (k, d) in enumerate(when.items())])
    searcher = Searcher(store)
    scored = {h.id: h.score for h in searcher.search(SearchRequest(q="仅退款", collapse=False)).hits}

    def weight(k):
        age = (newest - when[k]).days if when[k] else 10 * RECENCY_HALF_LIFE_DAYS
        return scored[k] * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)
    expected = sorted(scored, key=weight, reverse=True)
    assert [h.id for h in searcher.search(SearchRequest(q="仅退款", sort="recent", collapse=False)).hits] == expected


def test_an_article_with_two_effective_dates_in_range_counts_once(tmp_path):
    store = IndexStore(tmp_path / "ix")
    build_index(store, [Article(id="two", title="平台规则调整", published=datetime(2024, 2, 1, tzinfo=CHINA_TZ),
                                content="第一部分将于2024年3月1日生效，第二部分将于2024年3月15日起实施。")])
    for kw in ({"q": "effective:2024-03"}, {"q": "", "effective_from": "2024-03", "effective_to": "2024-03"}):
        page = Searcher(store).search(SearchRequest(**kw))
        assert page.total == 1 and [h.id for h in page.hits] == ["two"]


def test_a_running_searcher_sees_updates_not_the_old_version(tmp_path, sample_articles):
    """Whoosh's ``Searcher.refresh`` keeps stale deletions; an updated article must change."""
    import dataclasses

    store = IndexStore(tmp_path / "ix")
    build_index(store, sample_articles)
    live = Searcher(store, refresh_seconds=0)
    first = sample_articles[0]
    assert live.document(first.id)["title"] == first.title
    build_index(store, [dataclasses.replace(first, title="更正：" + first.title)])
    assert live.document(first.id)["title"] == "更正：" + first.title
    page = live.search(SearchRequest(q=first.title, collapse=False, per_page=50))
    assert [h.id for h in page.hits].count(first.id) == 1 and page.total == len({h.id for h in page.hits if not h.partial})


def test_page_cache_serves_repeats_and_never_a_stale_page(tmp_path, sample_articles):
    import dataclasses

    store = IndexStore(tmp_path / "ix")
    build_index(store, sample_articles)
    live = Searcher(store, refresh_seconds=0, cache_pages=8)
    request = SearchRequest(q="晚发必赔", collapse=False)
    first = live.search(request)
    again = live.search(request)
    assert again.hits == first.hits and live.pages.hits == 1
    changed = dataclasses.replace(sample_articles[0], id="new-1", title="晚发必赔规则再次调整")
    build_index(store, [changed])
    after = live.search(request)
    assert after.total == first.total + 1 and "new-1" in [h.id for h in after.hits]
    assert Searcher(store, cache_pages=0).pages.size == 0


def test_cache_is_bounded():
    from search.engine.cache import LruCache

    cache = LruCache(2)
    for key in "abc":
        cache.put(key, key.upper())
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") == "C"


def test_a_kept_filter_follows_updates_and_rebuilds(index_dir):
    """Filters are kept as sets of article numbers; an update or rebuild renumbers articles."""
    from indexer import BuildOptions

    store = IndexStore(index_dir)
    searcher = Searcher(store, refresh_seconds=0)
    request = SearchRequest(q="1688", date_from="2024", date_to="2024", collapse=False, per_page=50)
    before = [h.id for h in searcher.search(request).hits if not h.partial]
    assert before and [h.id for h in searcher.search(request).hits if not h.partial] == before

    build_index(store, [Article(id="n2024", title="1688新规发布", published=datetime(2024, 6, 1, tzinfo=CHINA_TZ)),
                        Article(id="n2023", title="1688旧规发布", published=datetime(2023, 6, 1, tzinfo=CHINA_TZ))])
    after = [h.id for h in searcher.search(request).hits if not h.partial]
    assert sorted(after) == sorted(before + ["n2024"])

    build_index(store, [Article(id="r2024", title="1688重建", published=datetime(2024, 2, 1, tzinfo=CHINA_TZ)),
                        Article(id="r2022", title="1688重建前", published=datetime(2022, 2, 1, tzinfo=CHINA_TZ))],
                BuildOptions(rebuild=True))
    assert [h.id for h in searcher.search(request).hits if not h.partial] == ["r2024"]


def test_a_snippet_finds_the_token_past_windows_of_non_tokens():
    """`出口` inside every `进出口` is no token; the window that holds it whole is found,
    and a text where it is never whole gets an unmarked snippet, not a scan of every match."""
    from indexer import Dictionary, word_analyzer
    from search.engine.snippets import snippet
    from search.query.highlights import Highlights

    analyzer = word_analyzer(Dictionary.load())
    marks = Highlights(words={"出口"})
    filler = "今年进出口总额稳步增长。" * 3
    text = filler + "另外，钢材出口明显回落。" + filler
    assert "<mark>出口</mark>" in snippet(text, marks, analyzer, width=40)
    never = "进出口贸易保持韧性。" * 40
    shown = snippet(never, marks, analyzer, width=40)
    assert "<mark>" not in shown and shown.startswith("进出口贸易")


def test_marks_taken_from_the_index_match_the_analysers(tmp_path):
    """The word fields' term frequencies settle most marks without jieba, and jieba alone
    (not the whole analyser) settles the rest of the Han words. The page must read
    exactly as the analyser alone would mark it."""
    from search.engine.arrays import IndexArrays
    from search.engine.hits import HitMaker

    store = IndexStore(tmp_path / "ix")
    build_index(store, [
        Article(id="word", title="马克思主义理论研究", content="马克思主义者在研究。马克思主义的传播。"),
        Article(id="inside", title="马克思主义者大会", content="马克思主义者大会召开。" * 3),
        Article(id="both", title="iPhone出口贸易", content="进出口贸易保持韧性。" * 3 + "另外，iphone出口贸易回落。"),
        Article(id="other", title="服务质量提升", content="提高服务质量和服务水平。")])
    searcher = Searcher(store)
    queries = ("马克思主义理论", "iphone 出口贸易", "提高服务质量", "马克思主义者")

    def marked() -> list[tuple[str, str, str]]:
        return [(h.id, h.title_html, h.snippet) for q in queries
                for h in searcher.search(SearchRequest(q=q, per_page=20)).hits]

    from_index = marked()
    with pytest.MonkeyPatch.context() as patch:  # the index says nothing: the analyser decides
        patch.setattr(IndexArrays, "term_count", lambda self, field, word, docnum: None)
        made = HitMaker.__init__
        patch.setattr(HitMaker, "__init__", lambda self, marks=None, analyzer=None, tokens=None, segmenter=None:
                      made(self, marks, analyzer, tokens, None))
        by_analyser = marked()
    assert from_index == by_analyser
    assert sum("<mark>" in title + text for _, title, text in from_index) >= 4


def test_a_settled_mark_needs_no_analyser(tmp_path):
    """A word the article holds as often as its text holds the string is marked at every
    occurrence, one it does not hold (`出口` inside 进出口) at none, and neither runs the
    analyser; a text holding it both ways goes to the analyser."""
    from indexer import Dictionary, word_analyzer
    from search.engine.snippets import highlight, snippet
    from search.query.highlights import Highlights

    store = IndexStore(tmp_path / "ix")
    build_index(store, [Article(id="a", title="钢材出口明显回落", content="进出口贸易保持韧性。"),
                        Article(id="b", title="出口与进出口贸易", content="x")])
    searcher = Searcher(store)
    arrays = searcher.arrays(searcher.view())
    docnum = {searcher.view().searcher.stored_fields(n)["id"]: n for n in range(2)}
    marks = Highlights(words={"出口"})
    counts = lambda field, doc: lambda w: arrays.term_count(field, w, docnum[doc])
    assert highlight("钢材出口明显回落", marks, None, counts("title", "a")) == "钢材<mark>出口</mark>明显回落"
    assert snippet("进出口贸易保持韧性。", marks, None, tokens=counts("content", "a")) == "进出口贸易保持韧性。"
    with pytest.raises(TypeError):  # undecided by the counts: the analyser is called
        highlight("出口与进出口贸易", marks, None, counts("title", "b"))
    analyzer = word_analyzer(Dictionary())
    assert highlight("出口与进出口贸易", marks, analyzer, counts("title", "b")) == "<mark>出口</mark>与进出口贸易"


def test_equal_scores_are_listed_in_id_order_whatever_the_segments(tmp_path):
    """Ties come in id order, from the id field's terms (no stored fields read), across
    segments, after an article is replaced and after a rebuild into one segment."""
    from indexer import BuildOptions

    store = IndexStore(tmp_path / "ix")
    ids = ["k7", "a2", "z1", "m5", "b9", "q3"]
    build_index(store, [Article(id=i, title="关税政策调整") for i in ids[:3]])
    build_index(store, [Article(id=i, title="关税政策调整") for i in ids[3:]])
    build_index(store, [Article(id="a2", title="关税政策调整")])  # replaced: the old copy is deleted
    searcher = Searcher(store)
    listed = [h.id for h in searcher.search(SearchRequest(q="关税", per_page=20, collapse=False)).hits]
    assert listed == sorted(ids)
    view = searcher.view()
    place = searcher.arrays(view).id_order()
    live = list(view.searcher.reader().all_doc_ids())
    assert sorted(live, key=lambda n: place[n]) == sorted(live, key=lambda n: view.searcher.stored_fields(n)["id"])
    build_index(store, [Article(id=i, title="关税政策调整") for i in ids], BuildOptions(rebuild=True))
    assert [h.id for h in searcher.search(SearchRequest(q="关税", per_page=20, collapse=False)).hits] == sorted(ids)
