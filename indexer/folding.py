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
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        simplified = _t2s().convert(folded)
        if len(simplified) == len(folded):
            return Folded(simplified)
    return _fold_with_map(text)


def _fold_with_map(text: str) -> Folded:
    """Slow path: some character expanded (``㎡`` -> ``m2``) or vanished."""
    pieces: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        piece = _TABLE[ord(char)]
        pieces.append(piece)
        origin.extend([offset] * len(piece))
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
