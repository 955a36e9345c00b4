"""Fold text so that the ways people type Chinese compare equal, without losing offsets.

Index and query text both go through :func:`fold`: Unicode NFKC (full-width letters,
digits and punctuation become half-width), lower case, and traditional to simplified
Chinese (OpenCC ``t2s``).  Segmentation runs on the folded text, but snippets and
highlights must point at the *original* characters, so folding also returns a map from
each folded character back to the original character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


class _FoldTable(dict):
    """A ``str.translate`` table that folds each character on first sight.

    Folding per character keeps a 1:1 offset map for almost all text; the table is
    filled lazily so only characters that actually occur are ever computed.
    """

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).lower()
        self[code] = folded
        return folded


_TABLE = _FoldTable()


@lru_cache(maxsize=1)
def _t2s():  # pragma: no cover - trivial
    import opencc  # imported lazily: loading its dictionaries costs time

    return opencc.OpenCC("t2s")


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus the way back to the original.

    ``origin`` is ``None`` when folding kept every character in place (the common
    case), else ``origin[i]`` is the original offset of folded character ``i`` and
    ``origin[len(text)]`` is the original length.
    """

    text: str
    origin: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the folded slice ``text[start:end]``."""
        if self.origin is None:
            return start, end
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def fold_char_run(text: str) -> str:
    """Fold without tracking offsets (for queries, dictionary words, facet values).

    >>> fold_char_run("ＧＤＰ增長 雙１１")
    'gdp增长 双11'
    """
    return fold(text).text


def fold(text: str) -> Folded:
    """Fold ``text`` and remember where each folded character came from.

    >>> f = fold("Ａ臺灣①")
    >>> f.text
    'a台湾1'
    >>> f.span(1, 3)
    (1, 3)
    """
    if not text:
        return Folded(text)
    if len(text) <= SHORT:  # a query, a title: a dictionary look-up per character is cheaper
        translated = text.translate(_TABLE)
        if len(translated) == len(text):
            simplified = _t2s().convert(translated)
            if len(simplified) == len(translated):
                return Folded(simplified)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    maps = _maps()
    odd = np.flatnonzero(maps.odd[codes])
    if not len(odd):
        mapped = maps.one[codes]
        translated = mapped.tobytes().decode("utf-32-le") if (mapped != codes).any() else text
        simplified = _t2s().convert(translated)
        if len(simplified) == len(translated):
            return Folded(simplified)
    return _fold_with_map(text, codes, odd)


#: Texts up to this many characters are folded with ``str.translate``: below it, numpy's
#: fixed cost per call (about 15 us) exceeds the per-character look-ups it saves.
SHORT = 128


@dataclass(frozen=True)
class _Maps:
    """Folding as arrays over code points, so a text is folded in a few numpy passes.

    ``one[c]``: what a BMP character folds to when that is exactly one character (itself
    when folding leaves it alone). ``odd[c]``: the characters that need the slow path,
    those folding to several characters or none (`…` -> `...`, `㎡` -> `m2`), surrogates,
    and everything past the BMP (rare in news; not worth computing a million foldings).
    ``str.translate`` with a mapping costs a dictionary look-up per character, 1 ms for an
    8,800-character transcript, in every search's snippets and every indexed article;
    Chinese text is full of full-width punctuation (`，` -> `,`), so nearly every text
    has characters to fold.
    """

    one: np.ndarray
    odd: np.ndarray


@lru_cache(maxsize=1)
def _maps() -> _Maps:
    """Computed once per process (about 30 ms)."""
    one = np.arange(0x10000, dtype=np.uint32)
    odd = np.ones(0x110000, dtype=bool)
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        folded = _TABLE[code]
        if len(folded) == 1:
            one[code] = ord(folded)
            odd[code] = False
    return _Maps(one, odd)


def _fold_with_map(text: str, codes: np.ndarray, odd: np.ndarray) -> Folded:
    """Slow path: some character expanded (``㎡`` -> ``m2``), vanished, or lies past the BMP.

    The one-to-one characters are folded as arrays; only the ``odd`` ones are looked at
    one by one, and the offset map is built with numpy.
    """
    maps = _maps()
    mapped = codes.copy()
    plain = ~maps.odd[codes]
    mapped[plain] = maps.one[codes[plain]]
    pieces: list[str] = []
    lengths = np.ones(len(codes), dtype=np.int64)
    last = 0
    for offset in odd.tolist():
        piece = _TABLE[int(codes[offset])]
        pieces.append(mapped[last:offset].tobytes().decode("utf-32-le"))
        pieces.append(piece)
        lengths[offset] = len(piece)
        last = offset + 1
    pieces.append(mapped[last:].tobytes().decode("utf-32-le"))
    converter = _t2s()
    joined = "".join(pieces)
    whole = converter.convert(joined)  # one call: per character, OpenCC costs ms per article
    if len(whole) == len(joined):
        folded = whole
        if len(joined) == len(text):  # every odd character folded to one (past the BMP, say)
            return Folded(folded)
    else:
        folded = "".join(_one_char(converter.convert(c), c) for c in joined)
    origin = np.repeat(np.arange(len(codes)), lengths).tolist()
    origin.append(len(text))
    return Folded(folded, tuple(origin))


def _one_char(converted: str, char: str) -> str:
    """Keep the offset map 1:1: a conversion that changes length is not applied."""
    return converted if len(converted) == 1 else char
