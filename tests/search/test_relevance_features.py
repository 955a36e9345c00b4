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
