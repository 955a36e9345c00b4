"""Snippets: the best stretch of an article around the matches, split where Chinese splits.

Whoosh's own fragmenters know only `.!?`; on Chinese text they return the whole body.
Here sentences end at `。！？；` (and their ASCII forms and line breaks), the sentences
holding the most distinct matches win, every match is wrapped in ``<mark>`` on the
*original* characters, and everything else is HTML-escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from markupsafe import escape

from indexer import fold
from search.query.highlights import Highlights

_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
#: Characters of context jieba sees on each side when checking a match's word boundaries.
WINDOW = 8
#: Windows whose words a snippet checks with the analyser before it gives up marking.
WINDOWS_TRIED = 3


#: How many of a text's tokens are a given word, as the index counted them (its word
#: field's term frequency for this article), or None where unknown.
TokenCount = Callable[[str], int | None]


#: Folded text -> its pieces as the word fields' jieba cuts it (no filters).
Segmenter = Callable[[str], list[str]]


class Found(NamedTuple):
    """One occurrence of a query word in a text, and how many the whole text holds."""

    span: tuple[int, int]
    word: str
    occurrences: int
    #: Where it sits in the folded text.
    folded: tuple[int, int]


def match_spans(text: str, highlights: Highlights, analyzer, tokens: TokenCount | None = None,
                segmenter: Segmenter | None = None) -> list[tuple[int, int]]:
    """Original-text spans of every word token or literal string the query asked for.

    Words are found by substring search on the folded text and kept only where jieba puts
    token boundaries at both ends (so `马克` is not marked inside `马克思`). Where the index
    already says (``tokens``, see :func:`verified`) the analyser does not run; else the
    text is segmented once, in one piece for a short text (a title), else in windows
    around the words found (a body), so the analyser never runs twice over the same
    characters.
    """
    literals, words, folded = candidates(text, highlights)
    return _merge(literals + verified(text, words, analyzer, tokens, folded=folded, segmenter=segmenter))


def candidates(text: str, highlights: Highlights) -> tuple[list[tuple[int, int]], list[Found], str]:
    """(literal spans, word occurrences still to verify, the folded text) found by
    substring search, no analyser."""
    folded = fold(text)
    found = [(start, w) for w in highlights.words for start in _occurrences(folded.text, w)]
    counted = Counter(w for _, w in found)
    words = [Found(folded.span(start, start + len(w)), w, counted[w], (start, start + len(w))) for start, w in found]
    literals = [folded.span(start, start + len(x)) for x in highlights.literals
                for start in _occurrences(folded.text, x)]
    return literals, words, folded.text


def verified(text: str, words: list[Found], analyzer, tokens: TokenCount | None = None,
             margin: int = WINDOW, folded: str | None = None,
             segmenter: Segmenter | None = None) -> list[tuple[int, int]]:
    """The word spans that are tokens of the text.

    The index has already cut this text: its word field holds the article's tokens with
    their frequency. A word it holds as often as the text holds the string is a token at
    every occurrence, one it does not hold is a token at none; only the rest (`出口` as a
    word once and inside 进出口 twice) are settled by the analyser, run once per region.
    This makes most pages' marks free of jieba (about half of a search's time before).
    """
    if not words:
        return []
    settled: list[tuple[int, int]] = []
    open_: list[Found] = []
    known: dict[str, int | None] = {}
    for found in words:
        if tokens is not None:
            if found.word not in known:
                known[found.word] = tokens(found.word)
            count = known[found.word]
            if count == 0:
                continue
            if count == found.occurrences:
                settled.append(found.span)
                continue
        open_.append(found)
    if not open_:
        return settled
    # A word with a Han character is a token exactly where jieba's pieces of the folded
    # text start and end (the word fields' filters only drop punctuation and split ASCII
    # runs), so it needs only jieba, not the analyser's folding and token objects.
    can_cut = segmenter is not None and folded is not None
    direct = [f for f in open_ if can_cut and not f.word.isascii()]
    rest = [f for f in open_ if not (can_cut and not f.word.isascii())]
    if direct:
        cut = set()
        for lo, hi in _regions([f.folded for f in direct], len(folded), margin):
            at = lo
            for piece in segmenter(folded[lo:hi]):
                cut.add((at, at + len(piece)))
                at += len(piece)
        settled += [f.span for f in direct if f.folded in cut]
    if rest:
        cut = set()
        for lo, hi in _regions([f.span for f in rest], len(text), margin):
            cut.update((t.startchar + lo, t.endchar + lo)
                       for t in analyzer(text[lo:hi], chars=True, mode="index"))
        settled += [f.span for f in rest if f.span in cut]
    return settled


def _regions(spans: list[tuple[int, int]], length: int, margin: int) -> list[list[int]]:
    """``spans`` widened by ``margin`` on each side (within ``length``), overlaps merged."""
    regions: list[list[int]] = []
    for lo, hi in sorted((max(0, s - margin), min(length, e + margin)) for s, e in spans):
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    return regions


def _occurrences(haystack: str, needle: str):
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        yield start
        start = haystack.find(needle, start + 1)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each span in ``<mark>``.

    >>> mark("a<b>c", [(1, 4)])
    'a<mark>&lt;b&gt;</mark>c'
    """
    out, last = [], 0
    for start, end in spans:
        out.append(str(escape(text[last:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(str(escape(text[last:])))
    return "".join(out)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, its closing punctuation included.

    >>> sentences("甲。乙！丙")
    [(0, 2), (2, 4), (4, 5)]
    """
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def best_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The run of whole sentences, at most ``width`` long where possible, with most matches."""
    parts = sentences(text)
    if not parts:
        return 0, 0
    if not spans:
        return _clip(parts, 0, width)
    scores = [_score(text, part, spans) for part in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    return _clip(parts, best, width, spans)


def _score(text: str, part: tuple[int, int], spans: list[tuple[int, int]]) -> tuple[int, int]:
    inside = [text[s:e] for s, e in spans if part[0] <= s < part[1]]
    return len(set(inside)), len(inside)


def _clip(parts: list[tuple[int, int]], first: int, width: int,
          spans: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    start, end = parts[first]
    if end - start > width:
        anchor = next((s for s, _ in spans or () if start <= s < end), start)
        start = max(start, anchor - width // 4)
        return start, min(end, start + width)
    i = first + 1
    while i < len(parts) and parts[i][1] - start <= width:
        end = parts[i][1]
        i += 1
    return start, end


def snippet(text: str, highlights: Highlights, analyzer, width: int = 160, tokens: TokenCount | None = None,
            segmenter: Segmenter | None = None) -> str:
    """An HTML snippet of ``text``: escaped, matches marked, ellipses where cut.

    The window is chosen on the matches found by substring search; only the words inside
    it are then checked (a body may hold a word hundreds of times). If none of them is a
    token there (`出口` in every `进出口` of a transcript), the next best window is tried,
    up to :data:`WINDOWS_TRIED`: checking every occurrence of a long text was the slowest
    part of the slowest searches.
    """
    if not text:
        return ""
    if not highlights.words and not highlights.literals:  # a field or date query: the lead
        start, end = best_window(text[:width + 1], [], width)
        return mark(text[start:end], []).strip() + ("…" if end < len(text) else "")
    literals, words, folded = candidates(text, highlights)
    open_words = words
    for _ in range(WINDOWS_TRIED):
        start, end = best_window(text, _merge(literals + [w.span for w in open_words]), width)
        here = [w for w in open_words if w.span[0] < end and w.span[1] > start]
        spans = _within(literals, start, end) + verified(text, here, analyzer, tokens, folded=folded, segmenter=segmenter)
        checked = {w.span for w in here}
        open_words = [w for w in open_words if w.span not in checked]
        if spans or not here or not open_words:
            break
    if not spans:  # no window of the best few holds a token: the best one, unmarked
        start, end = best_window(text, _merge(literals + [w.span for w in words]), width)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in _merge(spans)]
    body = mark(text[start:end], inside)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return f"{prefix}{body.strip()}{suffix}"


def _within(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(s, e) for s, e in spans if s < end and e > start]


def highlight(text: str, highlights: Highlights, analyzer, tokens: TokenCount | None = None,
              segmenter: Segmenter | None = None) -> str:
    """The whole of a short text (a title) with its matches marked."""
    return mark(text, match_spans(text, highlights, analyzer, tokens, segmenter))
