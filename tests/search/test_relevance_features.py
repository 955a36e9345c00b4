"""Synonyms, query-time dictionaries, explain, did-you-mean, related articles, partial fill."""

import pytest

from search.cli import cli
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query.synonyms import Synonyms


def run(searcher, q, **kw):
    return searcher.search(SearchRequest(q=q, per_page=20, **kw))


def test_default_synonyms_widen_a_term(searcher):
    plain = Searcher(searcher.store, synonyms=Synonyms())
    expanded = run(searcher, "阳光保险")
    assert run(plain, "阳光保险").total < expanded.total
    assert any("阳光财产保险" in h.snippet.replace("<mark>", "").replace("</mark>", "") for h in expanded.hits)


def test_user_synonyms_apply_without_reindexing(searcher, tmp_path):
    path = tmp_path / "syn.txt"
    path.write_text("包赔 = 必赔\n", "utf-8")
    widened = Searcher(searcher.store, synonyms=Synonyms.load([path], builtin=False))
    assert run(widened, "包赔").total > run(searcher, "包赔").total


def test_bad_synonyms_line_is_reported(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("孤单\n", "utf-8")
    with pytest.raises(Exception, match="bad.txt:1"):
        Synonyms.load([path])


def test_query_time_userdict_changes_segmentation_not_the_index(searcher, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("站外分销和销售\n", "utf-8")
    custom = Searcher(searcher.store, query_userdicts=[words])
    explained = run(custom, "站外分销和销售", explain=True).explain
    assert explained["terms"][0]["units"] == ["站外分销和销售"]
    assert run(custom, "站外分销和销售").total == 1


def test_explain_shows_folding_units_synonyms_and_query(searcher):
    page = run(searcher, "陽光財險 ＡＢ", explain=True)
    terms = page.explain["terms"]
    assert terms[0]["folded"] == "阳光财险" and "阳光保险" in terms[0]["synonyms"]
    assert terms[1]["units"] == ["ab"]
    assert "title:阳光财险" in page.explain["whoosh"]
    assert "explain" not in run(searcher, "安心购").to_dict()
    assert page.explain["headlines"] and "content" not in page.explain["headlines"], "several words: titles compete"
    assert run(searcher, "阳光财险", explain=True).explain["headlines"] is None


def test_did_you_mean_offers_the_homophone_the_index_holds(searcher):
    page = run(searcher, "安心够 协议")
    assert page.suggestion == "安心购 协议"
    assert page.request.q == "安心够 协议"
    assert run(searcher, "安心购").suggestion is None


def test_partial_matches_follow_exact_ones_and_are_marked(searcher):
    page = run(searcher, "晚发必赔 破损包赔")
    assert page.total == 0
    assert page.hits and all(h.partial for h in page.hits)
    exact = run(searcher, "晚发必赔 破损包赔", partial=False)
    assert exact.hits == []
    mixed = run(searcher, "安心购 退货包运费")
    flags = [h.partial for h in mixed.hits]
    assert flags == sorted(flags) and not flags[0]


def test_similar_articles(searcher):
    hit = run(searcher, '"现货安心购"').hits[0]
    similar = searcher.similar(hit.id)
    assert similar and hit.id not in {s.id for s in similar}
    reports = searcher.reports(hit.id)
    assert len(reports) == 1 and "晚发必赔" in reports[0].title
    assert reports[0].id not in {s.id for s in similar}, "the same news is not 'related', it is the same"


def _news(i: int, title: str, content: str):
    from datetime import datetime, timedelta

    from corpus import CHINA_TZ, Article
    return Article(id=f"n{i}", title=title, content=content, source=f"报{i}",
                   published=datetime(2025, 3, 1, 9, tzinfo=CHINA_TZ) + timedelta(days=i))


def test_related_articles_share_the_telling_words_from_the_index_and_follow_updates(tmp_path):
    """The telling words are the article's own from the index (its rare words first, not
    the words every article uses), and an article added later is related at once."""
    from indexer import IndexStore, build_index
    from search.engine.related import key_words

    filler = "市场人士表示，今年以来经济运行总体平稳，多项指标持续向好。"
    articles = [_news(0, "稀土永磁出口管制升级", "商务部宣布对稀土永磁材料实施出口管制。" + filler),
                _news(1, "稀土永磁企业调整出口", "多家稀土永磁企业调整出口计划。" + filler),
                *[_news(i, f"城市更新项目第{i}期", f"城市更新项目推进，第{i}期。" + filler) for i in range(2, 12)]]
    store = IndexStore(tmp_path)
    build_index(store, articles)
    searcher = Searcher(store)
    view = searcher.view()
    docnum = view.searcher.document_number(id="n0")
    words = dict(key_words(searcher.tables.get(view), docnum, articles[0].title + "\n" + articles[0].content))
    rare = {"稀土", "永磁", "出口"}  # in these two articles alone
    assert max(words, key=words.get) in rare and rare <= set(words)
    assert all(words[w] < min(words[r] for r in rare) for w in set(words) - rare), "common words weigh less"
    assert [h.id for h in searcher.similar("n0")][:1] == ["n1"]
    build_index(store, [_news(20, "稀土永磁管制细则公布", "稀土永磁出口管制细则公布。" + filler)])
    fresh = Searcher(store)
    cut_again = [h.id for h in fresh.similar("n0")]  # the new version's table not built yet
    fresh.tables.get(fresh.view())
    from_table = [h.id for h in fresh.similar("n0")]
    assert "n20" in from_table and "n20" in cut_again


def test_api_flags_suggestion_and_similar(client):
    body = client.get("/api/search?q=安心够&explain=1").get_json()
    assert body["suggestion"] == "安心购" and body["explain"]["terms"][0]["folded"] == "安心够"
    assert client.get("/api/search?q=x&explain=maybe").status_code == 400
    hit = client.get("/api/search?q=分销通").get_json()["hits"][0]
    similar = client.get(f"/api/documents/{hit['id']}/similar?limit=3").get_json()
    assert 1 <= len(similar["similar"]) <= 3
    assert client.get("/api/documents/nope/similar").status_code == 404
    page = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert "相关文章" in page
    html = client.get("/?q=安心够").get_data(as_text=True)
    assert "你是不是要找" in html
    assert "部分匹配" in client.get("/?q=安心购 退货包运费").get_data(as_text=True)


def test_cli_explain_and_suggestion(runner, sample_index):
    out = runner.invoke(cli, ["search", "安心够", "--explain", "--index", str(sample_index)]).stdout
    assert "Did you mean: 安心购" in out and "how the query was read" in out
