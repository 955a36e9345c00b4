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


def _per_character(text: str) -> tuple[str, list[int]]:
    """The definition, one character at a time: NFKC and lower case, then t2s."""
    import unicodedata

    import opencc

    pieces, origin = [], []
    for offset, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower()
        pieces.append(piece)
        origin += [offset] * len(piece)
    joined = "".join(pieces)
    converted = opencc.OpenCC("t2s").convert(joined)
    if len(converted) != len(joined):
        converted = "".join(c2 if len(c2 := opencc.OpenCC("t2s").convert(c)) == 1 else c for c in joined)
    return converted, origin + [len(text)]


def test_array_folding_matches_folding_one_character_at_a_time():
    """Folding runs as numpy passes over code points, with a slow path for characters that
    expand (`…`, `㎡`) or lie past the BMP; every span must map back as the per-character
    definition says, on mixed text of every kind."""
    import random

    alphabet = list("中國臺灣经济abcＡＢＣ１２…㎡℃Ⅱ①ﬁ 。，：（）ABC") + ["😀", "𝐀", "\U0002F800", "乾隆", "頭髮"]
    rng = random.Random(7)
    for _ in range(1500):  # short texts take str.translate, longer ones (past 128) the arrays
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice((rng.randint(0, 40), rng.randint(120, 300)))))
        folded = fold(text)
        expected, origin = _per_character(text)
        assert folded.text == expected, text
        for start in range(len(expected)):
            for end in (start, start + 1, len(expected)):
                assert folded.span(start, end) == ((origin[start], origin[start]) if end <= start
                                                   else (origin[start], origin[end - 1] + 1)), (text, start, end)
