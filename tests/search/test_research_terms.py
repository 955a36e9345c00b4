"""Distinctive words: a planted word tops them, reprinted boilerplate does not, stop and query words never."""

import doctest
import itertools
import json
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import CHINA_TZ, Article, read_articles
from indexer import IndexStore, build_index
from search.cli import cli
from search.engine import sidecar, vocabulary
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ParameterError
from search.research import news, significance, terms
from search.web import create_app
from tests.conftest import CORPORA

START = datetime(2023, 1, 2, 9, tzinfo=CHINA_TZ)
TOPICS = ["铁路客运量创新高", "粮食生产再获丰收", "港口集装箱吞吐量增长", "文旅消费持续升温", "城市更新项目推进",
          "高校毕业生就业服务", "医保目录调整落地", "森林防火形势严峻", "海洋渔业资源保护", "航天发射任务成功"]
BOILERPLATE = "扫码关注公众号获取独家内容。"


def _articles() -> list[Article]:
    background = [Article(id=f"bg{i}", title=f"{topic}第{i}期", content=f"{topic}，我们认为市场表现平稳。",
                          published=START + timedelta(days=3 * i), source="综合")
                  for i, topic in enumerate(itertools.islice(itertools.cycle(TOPICS), 60))]
    background.append(Article(id="bg-si", title="多晶硅进口", content="多晶硅进口情况。", published=START))
    planted = [Article(id=f"pv{i}", title=f"{TOPICS[i]}与光伏",  # every other word is common elsewhere
                       content=f"{TOPICS[i]}，光伏多晶硅，我们认为市场表现平稳。",
                       published=START + timedelta(days=30 * i), source=f"报{i}") for i in range(6)]
    reprints = [Article(id=f"rp{i}", title="光伏电站并网发电", content="光伏电站今日并网发电。" + BOILERPLATE,
                        published=START + timedelta(days=200, hours=i), source=f"转载{i}") for i in range(10)]
    return background + planted + reprints


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Searcher:
    path = tmp_path_factory.mktemp("terms-index")
    build_index(IndexStore(path), _articles())
    return Searcher(IndexStore(path))


def test_a_planted_word_tops_and_reprinted_boilerplate_does_not(planted):
    data = terms.terms(planted, SearchRequest(q="光伏"), size=10)
    words = [t["term"] for t in data["terms"]]
    assert words[0] == "多晶硅"
    top = data["terms"][0]
    assert (top["fg"], top["bg"]) == (6, 7) and top["score"] > 0
    assert top["refine"] == "/?q=%E5%85%89%E4%BC%8F+%E5%A4%9A%E6%99%B6%E7%A1%85"
    assert not {"独家", "获取", "并网发电", "电站"} & set(words)  # ten reprints of one story count once
    assert "光伏" not in words and "我们" not in words  # the query's own word, a stop word
    assert data["foreground"] == {"matches": 16, "articles": 16, "stories": 7, "sampled": False, "sample": 500}
    assert data["background"] == {"articles": 77, "scope": "index"}


def test_without_folding_the_boilerplate_would_have_won(planted):
    """The fold is what keeps the boilerplate out: counted per article, it beats the planted word."""
    view = planted.view()
    table = vocabulary.TermTable.build(view.searcher, vocabulary.stop_words())
    docs = [int(d) for d in planted.matching(SearchRequest(q="光伏"), scored=False).results]
    per_article = {w: 0 for w in ("多晶硅", "独家")}
    for word in per_article:
        per_article[word] = sum(1 for d in docs if table.ids[word] in
                                table.indices[table.indptr[d]:table.indptr[d + 1]])
    assert per_article == {"多晶硅": 6, "独家": 10}


@pytest.mark.parametrize("heuristic", ["jlh", "chi2", "mi"])
def test_every_heuristic_puts_the_planted_word_first(planted, heuristic):
    data = terms.terms(planted, SearchRequest(q="光伏"), size=5, heuristic=heuristic)
    assert data["heuristic"] == heuristic and data["terms"][0]["term"] == "多晶硅"


def test_a_sample_is_stated_and_bad_parameters_are_refused(planted):
    data = terms.terms(planted, SearchRequest(q="光伏"), sample=10)
    assert data["foreground"]["sampled"] is True and data["foreground"]["articles"] == 10
    for bad in ({"heuristic": "tfidf"}, {"size": 0}, {"sample": 5}):
        with pytest.raises(ParameterError):
            terms.terms(planted, SearchRequest(q="光伏"), **bad)


def test_the_term_table_is_kept_per_index_version(planted):
    view = planted.view()
    assert planted.tables.get(view) is planted.tables.get(view)


def _table(searcher: Searcher, kept: dict | None = None) -> vocabulary.TermTable:
    return vocabulary.TermTable.build(searcher.view().searcher, vocabulary.stop_words(), kept)


def _same(a: vocabulary.TermTable, b: vocabulary.TermTable) -> bool:
    return (list(a.words) == list(b.words) and a.articles == b.articles
            and all(np.array_equal(x, y) for x, y in ((a.df, b.df), (a.indptr, b.indptr), (a.indices, b.indices))))


def test_each_segment_saves_its_words_and_the_next_process_reads_them(tmp_path):
    """The walk of a segment's postings (tens of seconds on a large index) is saved beside
    the segment: a planted word in the file shows it is read, and the genuine file gives
    the very table of the walk."""
    build_index(IndexStore(tmp_path), _articles())
    walked = _table(Searcher(IndexStore(tmp_path)))
    files = sorted(tmp_path.rglob(f"*.{vocabulary.PART}.facets.npz"))
    segments = {p.name.split(".")[0] for p in tmp_path.rglob("*.seg")}
    assert {p.name.split(".")[0] for p in files} == segments and files
    assert _same(_table(Searcher(IndexStore(tmp_path))), walked)
    real = files[0].read_bytes()
    text, indptr, ids = sidecar.load_arrays(files[0], ("words", "indptr", "ids"))
    words = text.tobytes().decode("utf-8").replace("多晶硅", "多晶硅种植")
    sidecar.save_arrays(files[0], {"words": np.frombuffer(words.encode("utf-8"), dtype=np.uint8),
                                   "indptr": indptr, "ids": ids})
    planted = _table(Searcher(IndexStore(tmp_path)))
    assert "多晶硅种植" in planted.ids and "多晶硅" not in planted.ids and "多晶硅" in walked.ids
    files[0].write_bytes(b"damaged")  # an unreadable file is no file: walked again, and saved
    assert _same(_table(Searcher(IndexStore(tmp_path))), walked)
    assert files[0].read_bytes() == real


def test_after_an_update_the_table_counts_the_new_and_forgets_the_replaced(tmp_path):
    """Words are counted over live articles: an update's new segment adds its words, a
    replaced article's old words go (Whoosh only marks it deleted), and the segments the
    last version had are not read again."""
    build_index(IndexStore(tmp_path), _articles())
    searcher, kept = Searcher(IndexStore(tmp_path)), {}
    before = _table(searcher, kept)
    old_parts = dict(kept)
    assert before.df[before.ids["多晶硅"]] == 7 and "稀土" not in before.ids
    replaced = Article(id="pv0", title="稀土出口", content="稀土出口。", published=START)
    added = Article(id="new-1", title="稀土价格", content="稀土价格。", published=START)
    build_index(IndexStore(tmp_path), [replaced, added])
    after = _table(Searcher(IndexStore(tmp_path)), kept)
    assert after.df[after.ids["多晶硅"]] == 6 and after.df[after.ids["稀土"]] == 2
    assert after.articles == before.articles + 1
    assert all(kept[key] is part for key, part in old_parts.items() if key in kept)
    assert len(kept) > len([k for k in old_parts if k in kept]), "only the new segment was read"
    assert _same(after, _table(Searcher(IndexStore(tmp_path))))


def test_a_walk_waits_for_the_one_under_way_and_reads_its_file(tmp_path):
    """Two workers starting together walk a segment once: the second waits on the index
    folder's lock, then reads what the first saved (events, not sleeps)."""
    path = tmp_path / "seg.part.facets.npz"
    walking, release, made = threading.Event(), threading.Event(), []

    def first_make():
        walking.set()
        release.wait(10)
        sidecar.save_arrays(path, {"x": np.arange(3)})
        made.append("first")
        return (np.arange(3),)

    def read():
        return sidecar.load_arrays(path, ("x",))

    first = threading.Thread(target=lambda: sidecar.read_or_make(path, read, first_make))
    first.start()
    assert walking.wait(10)
    results = []
    second = threading.Thread(target=lambda: results.append(
        sidecar.read_or_make(path, read, lambda: made.append("second") or (np.zeros(0),))))
    second.start()
    second.join(0.2)
    assert second.is_alive(), "the second walker waits for the lock"
    release.set()
    first.join(10)
    second.join(10)
    assert made == ["first"] and np.array_equal(results[0][0], np.arange(3))


def test_api_and_cli_give_the_same_json(planted, runner):
    client = create_app({"index_dir": planted.store.path}).test_client()
    api = client.get("/api/terms?q=光伏&size=5").get_json()
    out = runner.invoke(cli, ["terms", "光伏", "--size", "5", "--json", "--index", str(planted.store.path)])
    assert out.exit_code == 0 and json.loads(out.stdout) == api and api["terms"][0]["term"] == "多晶硅"
    text = runner.invoke(cli, ["terms", "光伏", "--size", "5", "--index", str(planted.store.path)]).stdout
    assert "多晶硅" in text and "16 matches (7 stories)" in text
    assert client.get("/api/terms?q=光伏&heuristic=nope").status_code == 400


def test_docstring_examples():
    for module in (news, significance, terms, vocabulary):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


@pytest.mark.slow
@pytest.mark.skipif(not (CORPORA / "finance_rss.jsonl").exists(), reason="needs ../shared/corpora")
def test_distinctive_words_of_real_news_are_plausible(tmp_path):
    """光伏 in real financial news brings industry words, not function words."""
    path = tmp_path / "finance"
    # every 光伏 article and one in three of the rest as the background: a third of the indexing time
    kept = (a for i, a in enumerate(read_articles([CORPORA / "finance_rss.jsonl"]))
            if "光伏" in a.title + a.content or i % 3 == 0)
    build_index(IndexStore(path), kept)
    data = terms.terms(Searcher(IndexStore(path)), SearchRequest(q="光伏"), size=30)
    words = [t["term"] for t in data["terms"]]
    assert {"组件", "多晶硅", "储能", "装机", "逆变器", "电池片", "硅片"} & set(words[:30]), words
    assert not {"的", "了", "我们", "光伏"} & set(words)


def test_page_lists_distinctive_words_with_refine_links(planted):
    """The page never waits for the term table: the first view after a new index version
    says the words are being counted, and a later view lists them."""
    client = create_app({"index_dir": planted.store.path}).test_client()
    first = client.get("/?q=光伏").get_data(as_text=True)
    assert "特征词统计中" in first
    deadline = time.monotonic() + 60  # generous: the table is built in a background thread
    while "特征词统计中" in (html := client.get("/?q=光伏").get_data(as_text=True)):
        assert time.monotonic() < deadline, "the term table was never built"
        time.sleep(0.05)
    words = html[html.index('<section class="terms">'):]
    assert '<a href="/?q=%E5%85%89%E4%BC%8F+%E5%A4%9A%E6%99%B6%E7%A1%85"' in words and ">多晶硅</a>" in words
    assert "独家" not in words


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=30) | st.sampled_from(['"', "((", "a OR", "-", "title:", "光伏 OR 风电"]),
       number=st.sampled_from(["", "0", "-1", "5", "9", "201", "x", "1e9"]),
       word=st.sampled_from(["", "jlh", "mi", "chi2", "source", "week", "1", "x"]))
def test_research_endpoints_never_fail(client, q, number, word):
    """No query string makes /api/terms or /api/trend answer anything but 200 or a JSON 400."""
    for path, params in (("/api/terms", {"q": q, "size": number, "sample": number, "heuristic": word}),
                         ("/api/trend", {"q": [q, q], "top": number, "by": word, "interval": word,
                                         "normalize": number, "format": word})):
        res = client.get(path + "?" + urlencode(params, doseq=True))
        assert res.status_code in (200, 400), (path, params, res.get_data(as_text=True)[:200])
        assert res.status_code == 200 or set(res.get_json()) == {"error"}


def test_the_background_may_be_the_filters_slice_of_news(planted):
    """`background=filters`: compared with the articles the filters allow, not the whole index.
    In the first quarter, the background's size is the quarter's articles, whatever the query,
    and a word's background count only its articles of the quarter."""
    request = SearchRequest(q="光伏", date_from="2023-01", date_to="2023-03")
    whole = terms.terms(planted, request, size=10)
    sliced = terms.terms(planted, request, size=10, background="filters")
    quarter = planted.search(SearchRequest(q="", date_from="2023-01", date_to="2023-03")).total
    assert whole["background"] == {"articles": 77, "scope": "index"}
    assert sliced["background"] == {"articles": quarter, "scope": "filters"} and 0 < quarter < 77
    silicon = {t["term"]: t for t in sliced["terms"]}["多晶硅"]
    assert silicon["bg"] <= {t["term"]: t for t in whole["terms"]}["多晶硅"]["bg"]
    with pytest.raises(ParameterError):
        terms.terms(planted, request, background="elsewhere")


def test_the_filtered_background_is_in_the_api_and_the_cli(planted, runner):
    index = str(planted.store.path)
    api = create_app({"index_dir": index}).test_client().get(
        "/api/terms?" + urlencode({"q": "光伏", "from": "2023-01", "to": "2023-03", "background": "filters"})).get_json()
    out = runner.invoke(cli, ["terms", "光伏", "--from", "2023-01", "--to", "2023-03", "--background", "filters",
                              "--json", "--index", index])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["background"] == api["background"] and api["background"]["scope"] == "filters"
