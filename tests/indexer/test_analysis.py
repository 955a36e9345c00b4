import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import Dictionary, fold, gram_analyzer, word_analyzer


@pytest.fixture(scope="module")
def words():
    return word_analyzer(Dictionary.load())


def texts(analyzer, text):
    return [t.text for t in analyzer(text, mode="index")]


@pytest.mark.parametrize("term", ["安心购", "分销通", "淘特批发团", "晚发必赔", "假一赔四", "履约保证险",
                                  "真实工厂保障", "极速退款", "退货包运费", "印错包赔", "破损包赔"])
def test_domain_terms_stay_whole(words, term):
    assert term in texts(words, f"1688调整{term}规则")


@pytest.mark.parametrize("text, expected", [
    ("2024年3月1日", ["2024", "年", "3", "月", "1", "日"]),
    ("ＧＤＰ增長６Ｇ", ["gdp", "增长", "6g"]),
    ("iPhone 17 和 C919", ["iphone", "17", "和", "c919"]),
    ("A股 与 B 股", ["a", "股", "与", "b", "股"]),
    ("《现货“安心购”商家服务协议》", ["现货", "安心购", "商家", "服务", "协议"]),
    ("人工智能＋行动", ["人工智能", "+", "行动"]),
    ("C++ 与 C#", ["c++", "与", "c#"]),
    ("增长5%", ["增长", "5", "%"]),
])
def test_words_digits_letters_and_width(words, text, expected):
    assert texts(words, text) == expected


def test_positions_are_ordinals_and_offsets_exact(words):
    text = "1688调整《现货“安心购”商家服务协议》"
    tokens = [(t.text, t.pos, text[t.startchar:t.endchar])
              for t in words(text, positions=True, chars=True)]
    assert tokens == [("1688", 0, "1688"), ("调整", 1, "调整"), ("现货", 2, "现货"), ("安心购", 3, "安心购"),
                      ("商家", 4, "商家"), ("服务", 5, "服务"), ("协议", 6, "协议")]


def test_offsets_point_at_original_full_width_characters(words):
    text = "價格ＡＢＣ上漲"
    got = [(t.text, text[t.startchar:t.endchar]) for t in words(text, chars=True)]
    assert ("abc", "ＡＢＣ") in got


def test_bigrams_skip_quotes_but_not_sentence_punctuation():
    grams = [t.text for t in gram_analyzer()("现货“安心购”。蝶", mode="query")]
    assert grams == ["现货", "货安", "安心", "心购", "购", "蝶"]


def test_index_grams_put_a_unigram_and_a_bigram_at_each_character():
    tokens = [(t.text, t.pos) for t in gram_analyzer()("3月1日生效", positions=True, mode="index")]
    assert tokens == [("3", 0), ("月", 1), ("1", 2), ("日", 3), ("日生", 3), ("生", 4), ("生效", 4), ("效", 5)]


def test_bigram_offsets_span_both_characters():
    text = "中国农业发展银行"
    tokens = {t.text: text[t.startchar:t.endchar] for t in gram_analyzer()(text, chars=True)}
    assert tokens["农业"] == "农业" and tokens["农"] == "农"
    assert len(tokens) == 15


def test_jiebas_own_analyzer_breaks_phrases_and_ours_does_not(words):
    """jieba.analyse.ChineseAnalyzer stores character offsets as positions (the bug we avoid)."""
    from jieba.analyse import ChineseAnalyzer

    theirs = [t.pos for t in ChineseAnalyzer()("现货安心购商家", positions=True)]
    ours = [t.pos for t in words("现货安心购商家", positions=True)]
    assert ours == list(range(len(ours)))
    assert theirs != list(range(len(theirs)))


def test_analyzer_pickles_without_jieba_state(words):
    import pickle

    words("预热 jieba")
    clone = pickle.loads(pickle.dumps(words))
    assert texts(clone, "晚发必赔") == ["晚发必赔"]
    assert len(pickle.dumps(words)) < 20_000


_CJK_TEXT = st.text(alphabet=st.sampled_from(list("中国农业发展银行安心购晚发必赔ＡＢ１２ab 3，。“”《》臺灣")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(_CJK_TEXT)
def test_word_offsets_slice_to_the_token(words, text):
    for token in words(text, chars=True):
        assert fold(text[token.startchar:token.endchar]).text == token.text


@settings(max_examples=60, deadline=None)
@given(_CJK_TEXT)
def test_gram_offsets_slice_to_the_token(text):
    for token in gram_analyzer()(text, chars=True):
        original = fold(text[token.startchar:token.endchar]).text
        assert re.sub(r"[“”\"《》]", "", original) == token.text


def test_jieba_is_imported_without_pkg_resources_and_still_loads_its_models():
    """A fresh process: jieba comes in without setuptools' pkg_resources (155 ms of a cold
    search), its HMM model for unknown words still loads, and pkg_resources stays importable."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from indexer.analysis import import_jieba\n"
        "jieba = import_jieba()\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources was imported'\n"
        "from jieba import finalseg\n"
        "assert len(finalseg.emit_P['B']) > 1000, 'the HMM model did not load'\n"
        "print('/'.join(jieba.Tokenizer().cut('韩冰冰去了杭州', HMM=True)))\n"
        "assert sys.modules.get('pkg_resources', 'absent') is not None, 'left blocked'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("杭州") and "/" in out.stdout
