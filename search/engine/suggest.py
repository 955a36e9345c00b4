"""Did you mean: homophone typos (`安心够` → `安心购`), checked against the index itself.

Chinese input methods produce homophones, not misspellings: the likely mistake in a term
that finds (almost) nothing is one character swapped for another with the same pinyin.
Candidates are built that way and kept only if the index holds them, most frequent
first. A suggestion is offered, never silently applied.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from whoosh import query as wq

from indexer import fold_char_run, is_han
from search.query import syntax

#: How many articles match a query (the search core's evaluator, in the engine).
Counter = Callable[[wq.Query], int]

MAX_TERM_CHARS = 8
FEW_HITS = 3


def _common(char: str) -> bool:
    """In GB2312's first level: the 3,755 everyday characters an input method offers first."""
    try:
        code = int.from_bytes(char.encode("gb2312"), "big")
    except UnicodeEncodeError:
        return False
    return 0xB0A1 <= code <= 0xD7F9


@lru_cache(maxsize=1)
def homophones() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable -> everyday Han characters with that reading.

    Rare characters are left out: an input method offers the common ones first, so that
    is where typos come from, and each rare candidate would cost index look-ups.
    """
    from pypinyin.pinyin_dict import pinyin_dict  # imported on first use: a large table

    by_sound: dict[str, list[str]] = defaultdict(list)
    for code, readings in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF and _common(chr(code)):
            for reading in readings.split(","):
                by_sound[_toneless(reading)].append(chr(code))
    return {sound: tuple(dict.fromkeys(chars)) for sound, chars in by_sound.items()}


@lru_cache(maxsize=4096)
def readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(_toneless(r) for r in pinyin(char, style=Style.TONE, heteronym=True)[0])


def _toneless(reading: str) -> str:
    plain = unicodedata.normalize("NFKD", reading)
    return "".join(c for c in plain if not unicodedata.combining(c)).replace("ü", "v")


def literal_count(count: Counter, text: str, grams_analyzer) -> int:
    grams = [t.text for t in grams_analyzer(text, mode="query")]
    if not grams:
        return 0
    return count(wq.Or([wq.Phrase(f, grams) if len(grams) > 1 else wq.Term(f, grams[0])
                        for f in ("title_g", "content_g")]))


def suggest_term(searcher, term: str, grams_analyzer, count: Counter) -> str | None:
    """The most frequent one-homophone variant of ``term`` that the index holds."""
    term = fold_char_run(term)
    if not 2 <= len(term) <= MAX_TERM_CHARS or not is_han(term):
        return None
    if literal_count(count, term, grams_analyzer) >= FEW_HITS:
        return None
    reader = searcher.reader()
    frequency = _gram_frequencies(reader)
    scored: list[tuple[int, str]] = []
    for i, char in enumerate(term):
        for sound in readings(char):
            for other in homophones().get(sound, ()):
                if other == char:
                    continue
                candidate = term[:i] + other + term[i + 1:]
                score = _bigram_floor(candidate, i, frequency)
                if score:
                    scored.append((score, candidate))
    best = None
    best_count = 0
    for _, candidate in sorted(scored, reverse=True)[:5]:
        found = literal_count(count, candidate, grams_analyzer)
        if found > best_count:
            best, best_count = candidate, found
    return best


def _gram_frequencies(reader):
    """Bigram document frequency in either gram field, memoised for one suggestion."""
    seen: dict[str, int] = {}

    def frequency(gram: str) -> int:
        if gram not in seen:
            seen[gram] = reader.doc_frequency("title_g", gram) + reader.doc_frequency("content_g", gram)
        return seen[gram]

    return frequency


def _bigram_floor(candidate: str, changed: int, frequency) -> int:
    """The rarest bigram's frequency: a cheap upper bound on how often ``candidate`` occurs.

    The bigrams around the ``changed`` character are looked at first: most homophone
    candidates die there (no such bigram anywhere), and then nothing else is looked up.
    """
    starts = [i for i in (changed - 1, changed) if 0 <= i < len(candidate) - 1]
    starts += [i for i in range(len(candidate) - 1) if i not in starts]
    floor = None
    for i in starts:
        count = frequency(candidate[i:i + 2])
        if not count:
            return 0
        floor = count if floor is None else min(floor, count)
    return floor or 0


def suggest(searcher, tree: syntax.Node | None, raw: str, grams_analyzer, count: Counter) -> str | None:
    """A corrected query string, or None when nothing better is known."""
    if tree is None:
        return None
    fixed = raw
    changed = False
    for node in _terms(tree):
        better = suggest_term(searcher, node.text, grams_analyzer, count)
        if better and node.text in fixed:
            fixed = fixed.replace(node.text, better, 1)
            changed = True
    return fixed if changed else None


def _terms(node: syntax.Node):
    if isinstance(node, (syntax.Text, syntax.Phrase)) and node.field not in syntax.EXACT_FIELDS:
        yield node
    elif isinstance(node, (syntax.And, syntax.Or)):
        for child in node.nodes:
            yield from _terms(child)
