import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.folding import fold


@pytest.mark.parametrize("text, folded", [
    ("ＡＢＣ１２３", "abc123"),
    ("６Ｇ", "6g"),
    ("双１１", "双11"),
    ("對等關稅", "对等关税"),
    ("臺灣", "台湾"),
    ("iPhone 17", "iphone 17"),
    ("现货“安心购”", "现货\u201c安心购\u201d"),
])
def test_fold_cases(text, folded):
    assert fold(text).text == folded


def test_expanding_characters_keep_a_map_to_the_original():
    f = fold("面积100㎡价格")
    assert f.text == "面积100m2价格"
    start = f.text.index("价格")
    assert f.span(start, start + 2) == (6, 8)
    assert f.span(f.text.index("m"), f.text.index("m") + 2) == (5, 6)


@given(st.text(max_size=60))
def test_fold_is_idempotent(text):
    once = fold(text).text
    assert fold(once).text == once


@given(st.text(max_size=60))
def test_spans_stay_inside_the_original(text):
    f = fold(text)
    for i in range(len(f.text)):
        start, end = f.span(i, i + 1)
        assert 0 <= start < end <= len(text)
