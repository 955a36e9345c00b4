"""The direct index path makes exactly the index Whoosh's own Token pipeline makes.

The oracle is Whoosh itself: ``Positions.word_values`` over the analyzers (the terms, their
frequencies, weights and encoded positions), and a whole segment written by Whoosh's own
``SegmentWriter`` (every file, byte for byte: postings, term table, stored fields, lengths,
columns). Nothing here is a hard-coded expectation of what the terms are.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

import indexer.writer as writer_module
from corpus import read_articles
from corpus.article import Article
from indexer import Dictionary, fold, gram_analyzer, word_analyzer
from indexer.analysis import BlockCuts, index_positions, segment
from indexer.builder import to_fields
from tests.conftest import CORPORA
from tests.indexer.segments import POSTING_FILES, postings, segment_files

#: Texts that take every branch: leading punctuation (the first kept word's ordinal), Latin
#: glued to digits, transparent marks inside Han runs, single Han characters, symbols,
#: full width, traditional characters, folds that change the length (㎡, ①), characters past
#: the BMP, emoji, blank and empty text.
TRICKY = [
    "“iPhone17”与Mate60Pro发布，C919首飞；5%增长、R&D投入、C++与C#",
    "《现货“安心购”商家服务协议》自2024年3月1日起生效·新增「极速退款」",
    "　ＧＤＰ增長６Ｇ，臺灣 雙１１ 面积120㎡，第①条",
    "蝶 a 中 b 国 𠀀𠀁 😀 ... —— ",
    "哈哈哈哈 中国中国中国 abab12cd34 x1 xy2",
    "",
    "   ",
    "，。！",
]

_TEXT = st.text(alphabet=st.sampled_from(list(
    "中国农业发展银行安心购晚发必赔哈蝶ＡＢ１２abcXY0179 +#%&_-.,，。“”‘’《》「」·・臺灣㎡①𠀀\n")), max_size=60)


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return Dictionary.load(())


def whoosh_values(analyzer, text: str) -> dict[str, tuple]:
    return {w: (freq, weight, value)
            for w, freq, weight, value in Positions().word_values(text, analyzer, mode="index")}


def direct_values(analyzer, text: str) -> dict[str, tuple]:
    found = index_positions(analyzer)(fold(text).text)
    return {w: (len(p), float(len(p)), writer_module._encode(p)) for w, p in found.items()}


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("kind", ["words", "grams"])
def test_direct_terms_are_the_pipelines(dictionary, kind, text):
    analyzer = word_analyzer(dictionary) if kind == "words" else gram_analyzer()
    assert direct_values(analyzer, text) == whoosh_values(analyzer, text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_direct_terms_are_the_pipelines_for_any_text(dictionary, text):
    for analyzer in (word_analyzer(dictionary), gram_analyzer()):
        assert direct_values(analyzer, text) == whoosh_values(analyzer, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=4))
def test_cutting_block_by_block_is_jiebas_cut(dictionary, texts):
    cuts = BlockCuts(dictionary)
    for text in [*texts, *texts, *TRICKY]:  # the second time round, from what it remembers
        folded = fold(text).text
        assert cuts(folded) == segment(folded, dictionary)


def test_only_zhsearchs_pipelines_take_the_direct_path(dictionary):
    from whoosh.analysis import StandardAnalyzer

    assert index_positions(word_analyzer(dictionary)) is not None
    assert index_positions(gram_analyzer()) is not None
    assert index_positions(StandardAnalyzer()) is None
    assert index_positions(word_analyzer(dictionary) | gram_analyzer().items[-1]) is None


@pytest.fixture(scope="module")
def documents(sample_articles) -> list[dict]:
    """The sample, the tricky texts as articles, and real long news when the corpora are here."""
    finance = CORPORA / "finance_rss.jsonl"
    extra = list(itertools.islice(read_articles([finance]), 150)) if finance.exists() else []
    tricky = [Article(id=f"tricky-{i}", title=title, content=content)
              for i, (title, content) in enumerate(itertools.product(TRICKY, TRICKY[:3]))]
    return [to_fields(a) for a in sample_articles + tricky + extra]


@pytest.mark.parametrize("limitmb", [64, 1])
def test_every_segment_file_is_whooshs(tmp_path, documents, limitmb):
    """Byte for byte, but for the postings and terms, which must read back the same."""
    theirs = segment_files(tmp_path / "whoosh", documents, ours=False, limitmb=limitmb)
    ours = segment_files(tmp_path / "ours", documents, ours=True, limitmb=limitmb)
    assert {"<segment>.pst", "<segment>.trm", "<segment>._stored.col", "<segment>._content_g_len.col",
            "<segment>.platform.col"} <= set(theirs)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in theirs if name not in POSTING_FILES and ours[name] != theirs[name]] == []
    assert postings(tmp_path / "ours") == postings(tmp_path / "whoosh")


def test_boosted_documents_take_whooshs_own_path(tmp_path, documents):
    boosted = [{**doc, "_title_boost": 2.0} for doc in documents[:5]]
    theirs = segment_files(tmp_path / "whoosh", boosted, ours=False)
    ours = segment_files(tmp_path / "ours", boosted, ours=True)
    assert {name: data for name, data in ours.items() if name not in POSTING_FILES} == {
        name: data for name, data in theirs.items() if name not in POSTING_FILES}
    assert postings(tmp_path / "ours") == postings(tmp_path / "whoosh")
