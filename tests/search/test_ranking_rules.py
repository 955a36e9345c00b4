"""The ranking rules chosen on the dev set (docs/quality.md), each on a small real index.

Every test also runs the engine with its rule switched off, to show the rule is what
makes the difference and that the test can fail.
"""

import pytest

from corpus import Article
from indexer import IndexStore, build_index
from search.engine.plan import plan
from search.engine.rank import PROMOTED_PLACES
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query.compiler import Weights

#: Unrelated headlines, so that word frequencies look like a news collection's.
FILLER = ["央行开展逆回购操作", "多地出台稳就业措施", "国际油价小幅上涨", "新学期开学季到来",
          "沪深股市收盘涨跌不一", "夏粮收购进度加快", "高铁客流创新高", "多地迎来降雨天气",
          "跨境电商出口增长", "消费市场回暖明显", "港口货物吞吐量上升", "新能源汽车销量增长"]


#: 光伏 in the news as often as in a real collection: the everyday one of `光伏 产能`,
#: so a headline holding 产能 (the rarer word) is the partial hit that may be promoted.
SOLAR = ["光伏组件价格下调", "光伏装机量创新高", "光伏企业出海加速", "光伏玻璃供需转向"]


def index_of(tmp_path, articles: list[Article]) -> IndexStore:
    store = IndexStore(tmp_path / "ix")
    filler = [Article(id=f"filler{i}", title=t) for i, t in enumerate(FILLER + SOLAR)]
    build_index(store, articles + filler)
    return store


def ranked(store: IndexStore, q: str, weights: Weights = Weights(), **kw) -> list[tuple[str, bool]]:
    page = Searcher(store, weights=weights).search(SearchRequest(q=q, per_page=20, **kw))
    return [(h.id, h.partial) for h in page.hits if not h.id.startswith("filler")]


def test_a_word_of_a_split_term_counts_inside_a_longer_word(tmp_path):
    """`延迟退休` is cut 延迟/退休; a headline saying 延迟法定退休年龄 (indexed 退休年龄) is an
    exact match, below the headline holding the whole string."""
    store = index_of(tmp_path, [Article(id="whole", title="延迟退休方案公布"),
                                Article(id="inside", title="推进渐进式延迟法定退休年龄改革"),
                                Article(id="half", title="延迟发货赔付规则调整")])
    assert ranked(store, "延迟退休", partial=False) == [("whole", False), ("inside", False)]
    off = ranked(store, "延迟退休", Weights(unit_literal=0))
    assert ("inside", False) not in off and ("inside", True) in off


def test_a_rare_short_word_outweighs_a_common_long_one(tmp_path):
    """Nothing holds both words: the rare 和谈 must count for more than the common 乌克兰,
    though 乌克兰 has two character bigrams and 和谈 one."""
    ukraine = [Article(id=f"u{i}", title=t) for i, t in enumerate(
        ["乌克兰局势持续紧张", "乌克兰遭大规模空袭", "乌克兰总统出访欧洲", "乌克兰粮食出口受阻"])]
    store = index_of(tmp_path, ukraine + [Article(id="talks", title="俄方称愿意重启和谈")])
    assert ranked(store, "乌克兰 和谈")[0] == ("talks", True)

    def any_word_scores(weights: Weights) -> dict[str, float]:
        searcher = Searcher(store, weights=weights)
        view = searcher.view()
        compiled = plan(SearchRequest(q="乌克兰 和谈"), searcher.compiler_for(view), searcher.limits).compiled
        scored = searcher.evaluator(view).evaluate(compiled.loose)
        return {view.searcher.stored_fields(int(d))["id"]: s for d, s in zip(scored.docs, scored.scores, strict=True)}

    averaged, summed = any_word_scores(Weights()), any_word_scores(Weights(gram_average=False))
    assert averaged["talks"] > max(averaged[f"u{i}"] for i in range(4))
    assert summed["talks"] < max(summed[f"u{i}"] for i in range(4))


def test_partial_hits_hold_the_rarest_word_and_never_a_piece_of_one(tmp_path):
    """Issue 16: `淘宝 退货` is not answered by headlines holding only the everyday 淘宝; a
    one-word query (`安心购`) or a quoted phrase has no partial hits at all."""
    taobao = [Article(id=f"t{i}", title=t) for i, t in enumerate(
        ["淘宝首页悄悄变了", "淘宝接入新支付方式", "淘宝直播新规上线", "淘宝商家迎来新政"])]
    store = index_of(tmp_path, taobao + [Article(id="both", title="淘宝调整退货规则"),
                                         Article(id="return", title="七天无理由退货新规"),
                                         Article(id="piece", title="苏菲安心裤上新"),
                                         Article(id="whole", title="安心购服务升级"),
                                         Article(id="apart", title="大数据时代如何防杀熟")])
    assert ranked(store, "淘宝 退货") == [("both", False), ("return", True)]
    assert [i for i, _ in ranked(store, "安心购")] == ["whole"]
    assert ranked(store, '"大数据杀熟"') == []


@pytest.mark.parametrize("exact", [PROMOTED_PLACES - 1, 2])
def test_past_the_first_page_partial_hits_may_hold_only_a_commoner_word(tmp_path, exact):
    """Issue 16 keeps first-page places for the rarest word's partial hits; past the
    first page, articles holding only the commoner 乌克兰 follow, for the reader who pages
    on. When the first page is not full, they are not listed at all."""
    both = [Article(id=f"b{i}", title=f"乌克兰和谈第{i}轮举行") for i in range(exact)]
    ukraine = [Article(id=f"u{i}", title=t) for i, t in enumerate(
        ["乌克兰局势持续紧张", "乌克兰遭大规模空袭", "乌克兰总统出访欧洲", "乌克兰粮食出口受阻",
         "乌克兰能源设施受损", "乌克兰冬季供暖困难"])]
    store = index_of(tmp_path, both + ukraine + [Article(id="talks", title="俄方称愿意重启和谈")])
    listed = ranked(store, "乌克兰 和谈")
    places = {i: place for place, (i, _) in enumerate(listed)}
    assert {f"b{i}" for i in range(exact)} | {"talks"} <= set(places)
    commoner = [i for i in places if i.startswith("u")]
    if exact + 1 >= PROMOTED_PLACES:
        assert len(commoner) == len(ukraine)
        assert min(places[i] for i in commoner) >= PROMOTED_PLACES
        assert all(partial for i, partial in listed if i.startswith("u"))
        second = Searcher(store).search(SearchRequest(q="乌克兰 和谈", per_page=PROMOTED_PLACES, page=2))
        assert {h.id for h in second.hits} == set(commoner)
    else:
        assert commoner == []


def test_a_headline_missing_one_word_may_outrank_a_body_that_mentions_both(tmp_path):
    filler_text = "。".join(FILLER) + "。"
    digest = Article(id="digest", title="今日财经要闻汇总",
                     content="光伏板块午后走弱。" + filler_text * 4 + "部分行业产能利用率回升。")
    store = index_of(tmp_path, [digest,
                                Article(id="both", title="东南亚光伏产能如何重生"),
                                Article(id="headline", title="产能过剩何时出清")])
    assert ranked(store, "光伏 产能") == [("both", False), ("headline", True), ("digest", False)]
    page = Searcher(store).search(SearchRequest(q="光伏 产能"))
    assert page.total == 2, "the count stays the exact matches"
    assert ranked(store, "光伏 产能", Weights(promote=0)) == [("both", False), ("digest", False), ("headline", True)]
    assert ranked(store, "光伏 产能", partial=False) == [("both", False), ("digest", False)]


@pytest.mark.parametrize("q", ["光伏 产能", "光伏"])
def test_pages_of_one_follow_the_full_list(tmp_path, q):
    """A promoted hit shifts what follows; no page may skip or repeat an article."""
    filler_text = "。".join(FILLER) + "。"
    store = index_of(tmp_path, [Article(id=f"d{i}", title=f"财经要闻汇总第{i}期",
                                        content="光伏板块走弱。" + filler_text * (i + 1) + "产能利用率回升。")
                                for i in range(PROMOTED_PLACES + 1)]
                     + [Article(id="headline", title="产能过剩何时出清"),
                        Article(id="both", title="东南亚光伏产能如何重生")])
    searcher = Searcher(store)
    whole = [h.id for h in searcher.search(SearchRequest(q=q, per_page=20)).hits]
    paged = []
    for page in range(1, len(whole) + 1):
        paged += [h.id for h in searcher.search(SearchRequest(q=q, per_page=1, page=page)).hits]
    assert len(whole) > PROMOTED_PLACES + 1, "the list reaches past the places open to promotion"
    assert paged == whole and len(set(whole)) == len(whole)


def test_a_promoted_hit_is_marked_partial_in_the_api(tmp_path):
    from search.web import create_app
    filler_text = "。".join(FILLER) + "。"
    store = index_of(tmp_path, [Article(id="digest", title="今日财经要闻汇总",
                                        content="光伏板块午后走弱。" + filler_text * 4 + "部分行业产能利用率回升。"),
                                Article(id="headline", title="产能过剩何时出清")])
    body = create_app({"index_dir": store.path}).test_client().get("/api/search?q=光伏 产能").get_json()
    assert [(h["id"], h["partial"]) for h in body["hits"]][:2] == [("headline", True), ("digest", False)]
    assert body["total"] == 1


def test_the_page_count_makes_room_for_promoted_hits(tmp_path):
    """Three exact matches and two promoted headlines: at two per page, the third page
    holds the last exact match, and the page count must say so."""
    filler_text = "。".join(FILLER) + "。"
    store = index_of(tmp_path, [Article(id=f"d{i}", title=f"财经要闻汇总第{i}期",
                                        content="光伏板块走弱。" + filler_text * 3 + "产能利用率回升。")
                                for i in range(3)]
                     + [Article(id="h1", title="产能过剩何时出清"), Article(id="h2", title="产能利用率的出路")])
    searcher = Searcher(store)
    first = searcher.search(SearchRequest(q="光伏 产能", per_page=2))
    assert first.total == 3 and first.pages == 3
    seen = [h.id for p in range(1, first.pages + 1)
            for h in searcher.search(SearchRequest(q="光伏 产能", per_page=2, page=p)).hits]
    assert {"d0", "d1", "d2"} <= set(seen[:5]) and {"h1", "h2"} <= set(seen)


def test_a_typed_string_comes_before_its_words_apart(tmp_path):
    """Issue 16: `碳关税` (cut 碳/关税) asks for the string. Headlines holding 碳 and 关税
    apart outscore a body holding 碳关税 on title weight alone; the string comes first
    anyway, and the words-apart articles still follow (recall)."""
    store = index_of(tmp_path, [Article(id="apart", title="碳排放交易扩容 关税政策调整"),
                                Article(id="apart2", title="关税新政落地 碳市场活跃"),
                                Article(id="string", title="欧盟新规进入过渡期",
                                        content="欧盟将对进口钢铁征收碳关税，出口企业需提前准备。")])
    on = [i for i, _ in ranked(store, "碳关税", partial=False)]
    assert on[0] == "string" and sorted(on[1:]) == ["apart", "apart2"]
    off = [i for i, _ in ranked(store, "碳关税", Weights(typed_strings_first=False), partial=False)]
    assert set(off) == {"string", "apart", "apart2"} and off[0] != "string"
    # words typed apart carry no such requirement: the title holding both still leads
    assert ranked(store, "碳 关税", partial=False)[0][0] != "string"


def test_a_word_across_two_of_the_articles_words_counts_little(tmp_path):
    """Issue 16: `和服` inside the article's own word (和服) or a longer one (和服店) is what
    the reader asked for; `和服` across 和/服务质量 is not. It still matches (recall), after."""
    store = index_of(tmp_path, [Article(id="across", title="提升和服务质量"),
                                Article(id="word", title="日本和服文化展览在京开幕"),
                                Article(id="longer", title="老街上的和服店重新开张迎客")])
    on = [i for i, _ in ranked(store, "和服", partial=False)]
    assert sorted(on[:2]) == ["longer", "word"] and on[2:] == ["across"]
    off = [i for i, _ in ranked(store, "和服", Weights(straddle=1.0), partial=False)]
    assert off[0] == "across", "the shortest headline wins on length alone without the rule"
    # a string no dictionary word holds whole is found inside the article's longer word
    store2 = index_of(tmp_path / "b", [Article(id="inside", title="现货安心购服务升级"),
                                       Article(id="apart", title="安心购物节")])
    assert [i for i, _ in ranked(store2, "心购", partial=False)] == ["inside", "apart"]
    assert ranked(store2, "心购", Weights(straddle=1.0), partial=False)[0][0] == "apart"


def test_a_modifier_inserted_inside_the_typed_string_keeps_it_in_the_top_group(tmp_path):
    """`延迟法定退休年龄` is `延迟退休` with 法定 inserted (and 退休 inside 退休年龄): it is the
    typed string, not its words apart, and ranks with the articles holding it whole."""
    store = index_of(tmp_path, [Article(id="apart", title="延迟发货问题多发 调查显示部分退休"),
                                Article(id="inserted", title="专家解读：延迟法定退休年龄改革将带来哪些深远影响"),
                                Article(id="whole", title="延迟退休方案公布")])
    on = [i for i, _ in ranked(store, "延迟退休", partial=False)]
    assert sorted(on[:2]) == ["inserted", "whole"] and on[2:] == ["apart"]
    off = [i for i, _ in ranked(store, "延迟退休", Weights(typed_strings_first=False), partial=False)]
    assert off.index("apart") < off.index("inserted"), "on title weight alone the words apart would lead"
