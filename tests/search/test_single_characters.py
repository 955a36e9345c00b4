"""One-character queries over bigram fields that index a character alone only at a run's end.

A character is found wherever it stands: starting a run, inside one, ending one, alone
between punctuation, in a title or a body; literals that hold a one-character run still
find what they found when every character was indexed alone.
"""

from __future__ import annotations

import pickle

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from corpus import Article
from indexer import Dictionary, IndexOutdated, IndexStore, build_index, build_schema, fold
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query.characters import Character, GramPhrase

ARTICLES = [
    Article(id="start", title="蝶变之年", content="经济迎来转型。"),
    Article(id="middle", title="花蝶飞舞", content="春天到了。"),
    Article(id="end", title="彩蝶", content="一篇短文。"),
    Article(id="alone", title="标题无关", content="他说，蝶，就是这样。"),
    Article(id="body", title="市场观察", content="AI蝶变带来新机遇，农业发展规划出台。"),
    Article(id="none", title="碟片市场", content="光碟销量下降，农 业稳定。"),
    Article(id="latin", title="苹果发布iPhone壳膜", content="配件市场火热。"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Searcher:
    path = tmp_path_factory.mktemp("characters")
    build_index(IndexStore(path), ARTICLES)
    return Searcher(IndexStore(path))


def found(engine: Searcher, q: str) -> set[str]:
    page = engine.search(SearchRequest(q=q, per_page=50, collapse=False, partial=False), snippets=False)
    return {h.id for h in page.hits}


@pytest.mark.parametrize("q, expected", [
    ("蝶", {"start", "middle", "end", "alone", "body"}),
    ("title:蝶", {"start", "middle", "end"}),
    ("content:蝶", {"alone", "body"}),
    ("碟", {"none"}),
    ("彩", {"end"}),
    ("变", {"start", "body"}),
    ("壳", {"latin"}),
])
def test_a_character_finds_every_article_holding_it(engine, q, expected):
    assert found(engine, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("蝶变", {"start", "body"}),
    ('"花蝶"', {"middle"}),
    ('"AI蝶"', {"body"}),
    ("iPhone壳", {"latin"}),
    ('"发展，规划"', {"body"}),
    ('"农 业"', {"body", "none"}),
    ('"蝶，就"', {"alone"}),
])
def test_literals_with_a_one_character_run_still_match(engine, q, expected):
    assert found(engine, q) == expected


def test_one_character_literals_compile_to_the_pseudo_term(engine):
    view = engine.view()
    compiler = engine.compiler_for(view)
    one = compiler._literal("蝶", ("title",), boost=1.0)
    assert isinstance(one, Character) and (one.fieldname, one.text) == ("title_g", "蝶")
    last = compiler._literal("AI蝶", ("content",), boost=1.0)
    assert isinstance(last, GramPhrase) and last.words == ("ai", "蝶") and last.opened == (1,)
    assert isinstance(compiler._literal("蝶变之年", ("content",), boost=1.0), wq.Phrase)
    assert isinstance(compiler._literal("1688", ("content",), boost=1.0), wq.Term)


def test_the_pseudo_term_scores_like_a_term_of_the_unions_frequency(engine):
    """Summed frequencies and one idf: an article with the character twice scores higher."""
    view = engine.view()
    scored = engine.evaluator(view).evaluate(Character("content_g", "蝶"))
    by_doc = dict(zip(scored.docs.tolist(), scored.scores.tolist(), strict=True))
    oracle = {hit.docnum: hit.score for hit in view.searcher.search(Character("content_g", "蝶"), limit=None)}
    assert by_doc.keys() == oracle.keys() and len(by_doc) == 2
    for doc, score in oracle.items():
        assert by_doc[doc] == pytest.approx(score, rel=1e-6)
    prefix = set(view.searcher.docs_for_query(wq.Prefix("content_g", "蝶")))
    assert set(by_doc) == prefix


def test_sample_characters_match_a_substring_search(searcher, sample_articles):
    """On real articles, a character finds exactly the articles whose text holds it."""
    texts = {a.id: fold(f"{a.title}\n{a.content}").text for a in sample_articles}
    for char in ("的", "规", "购", "赔", "险", "月"):
        expected = {i for i, text in texts.items() if char in text}
        assert found(searcher, char) == expected, char


def test_an_index_from_the_every_character_format_is_refused(tmp_path, sample_articles):
    schema = pickle.loads(pickle.dumps(build_schema(Dictionary())))
    del schema["title_g"].analyzer.items[-1].format_version  # as pickled before the attribute existed
    gen = tmp_path / "ix" / "gen-old"
    gen.mkdir(parents=True)
    writer = whoosh_index.create_in(str(gen), schema).writer()
    writer.add_document(id="1", title="旧索引", title_g="旧索引")
    writer.commit()
    (tmp_path / "ix" / "CURRENT").write_text("gen-old", "utf-8")
    with pytest.raises(IndexOutdated, match="rebuild"):
        Searcher(IndexStore(tmp_path / "ix")).search(SearchRequest(q="旧"))
    with pytest.raises(IndexOutdated, match="index every character alone"):
        build_index(IndexStore(tmp_path / "ix"), sample_articles)
