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
    changed = _changed(text)
    translated = _translated(text, changed)
    if len(translated) == len(text):
        simplified = _t2s().convert(translated)
        if len(simplified) == len(translated):
            return Folded(simplified)
    return _fold_with_map(text, changed)


@lru_cache(maxsize=1)
def _changing() -> np.ndarray:
    """For every code point, whether folding may change it (NFKC, lower case).

    Computed once per process (about 30 ms): news text is almost all characters folding
    leaves alone, and finding the few others with one array look-up is what makes
    folding cheap. ``str.translate`` with a mapping table costs a dictionary look-up per
    character (1 ms for an 8,800-character transcript, in every search and every indexed
    article). Surrogates and characters past the BMP are always looked up, the slow way.
    """
    table = np.ones(0x110000, dtype=bool)
    for code in range(0xD800):
        char = chr(code)
        table[code] = unicodedata.normalize("NFKC", char).lower() != char
    for code in range(0xE000, 0x10000):
        char = chr(code)
        table[code] = unicodedata.normalize("NFKC", char).lower() != char
    return table


def _changed(text: str) -> np.ndarray:
    """Offsets of the characters of ``text`` that folding may change, in order."""
    if not text:
        return np.zeros(0, dtype=np.intp)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return np.flatnonzero(_changing()[codes])


def _translated(text: str, changed: np.ndarray) -> str:
    """``text`` with the ``changed`` characters folded (NFKC, lower case)."""
    if not len(changed):
        return text
    if len(changed) * 4 > len(text):  # mostly Latin capitals, say: translate it all in C
        return text.translate(_TABLE)
    pieces, last = [], 0
    for offset in changed.tolist():
        pieces.append(text[last:offset])
        pieces.append(_TABLE[ord(text[offset])])
        last = offset + 1
    pieces.append(text[last:])
    return "".join(pieces)


def _fold_with_map(text: str, changed: np.ndarray) -> Folded:
    """Slow path: some character expanded (``㎡`` -> ``m2``) or vanished.

    Only the ``changed`` characters are looked at one by one; the runs between them keep
    their offsets (a long transcript with one `…` is not walked character by character).
    """
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for offset in changed.tolist():
        piece = _TABLE[ord(text[offset])]
        pieces.append(text[last:offset])
        origin.extend(range(last, offset))
        pieces.append(piece)
        origin.extend([offset] * len(piece))
        last = offset + 1
    pieces.append(text[last:])
    origin.extend(range(last, len(text)))
    converter = _t2s()
    joined = "".join(pieces)
    whole = converter.convert(joined)  # one call: per character, OpenCC costs ms per article
    if len(whole) == len(joined):
        folded = whole
    else:
        folded = "".join(_one_char(converter.convert(c), c) for c in joined)
    origin.append(len(text))
    return Folded(folded, tuple(origin))


def _one_char(converted: str, char: str) -> str:
    """Keep the offset map 1:1: a conversion that changes length is not applied."""
    return converted if len(converted) == 1 else char
