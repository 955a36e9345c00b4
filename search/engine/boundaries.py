"""Substrings that straddle the article's word boundaries count little (issue 16).

The bigram fields find any typed string inside an article, which is what makes `心购`
find `安心购`. They also find it across two of the article's words: `和服` in
`和/服务质量`, `国会` in `美国/会计`. The first is a string inside a word; the second is
almost never what the reader meant, yet both scored alike.

The word fields already say which: the index cut each article with the same jieba
dictionary the index carries, without new-word guessing, so every word in them is a
dictionary word (or a single character). An article holds a typed word ``S`` *inside
its own words* exactly when one of its words is a dictionary word containing ``S``
(`安心购` for `心购`, `和服店` or `和服` itself for `和服`). Those dictionary words are
found by scanning the dictionary once per query word, and their postings say which
articles hold them, so nothing is re-segmented at query time and the index is
unchanged. An article that holds ``S`` only across a boundary keeps its match (recall;
`total` and facets are unchanged) at :attr:`Weights.straddle` of its score, so it
follows the articles holding ``S`` inside a word unless nothing better exists.

This applies to a typed word jieba keeps whole. A string cut into several words
(`碳关税`) is matched by its words and by the string itself, and
:func:`search.engine.rank.typed_strings_first` already orders those.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy as np
from whoosh import query as wq

from indexer import WORD_FIELDS
from indexer.analysis import jieba_for
from indexer.dictionary import Dictionary
from indexer.frequencies import MappedFrequencies
from search.engine.evaluate import Evaluator, Scored, members

#: A fragment inside more dictionary words than this is a productive morpheme (`中国`,
#: `服务`): articles holding it across a boundary are a sliver of those holding it
#: inside a word, and checking hundreds of words' postings would cost more than it tells.
MAX_CONTAINING = 200


class DictionaryWords:
    """Every word of one jieba dictionary, joined in one string, to find those containing
    a fragment with one substring search instead of a walk over 350,000 words."""

    def __init__(self, dictionary: Dictionary):
        self.dictionary = dictionary
        self._joined: str | None = None
        self._lock = threading.Lock()
        self.containing = lru_cache(4096)(self._containing)

    def _text(self) -> str:
        if self._joined is None:
            with self._lock:
                if self._joined is None:
                    freq = jieba_for(self.dictionary).FREQ
                    present = freq.present_text() if isinstance(freq, MappedFrequencies) else "\n".join(
                        word for word, count in freq.items() if count)
                    self._joined = "\n" + present + "\n"
        return self._joined

    def _containing(self, fragment: str) -> tuple[str, ...] | None:
        """The dictionary words holding ``fragment`` (itself included), or None past
        :data:`MAX_CONTAINING`."""
        text = self._text()
        found: set[str] = set()
        for match in re.finditer(re.escape(fragment), text):
            start = text.rfind("\n", 0, match.start()) + 1
            found.add(text[start:text.find("\n", match.end())])
            if len(found) > MAX_CONTAINING:
                return None
        return tuple(sorted(found))


@lru_cache(maxsize=4)
def dictionary_words(dictionary: Dictionary) -> DictionaryWords:
    """One joined word list per dictionary per process."""
    return DictionaryWords(dictionary)


def straddling_down(evaluator: Evaluator, words: DictionaryWords, typed: tuple[tuple[str, wq.Query], ...],
                    scored: Scored, weight: float) -> Scored:
    """``scored`` with the articles that hold a ``typed`` word only across a boundary of
    their own words scaled by ``weight``. ``typed``: each word jieba keeps whole, with its
    literal query (the string over the bigram fields).

    Cheapest test first: an article holding the word itself is settled by one posting
    list; only the rest are checked for the string, then for a longer word holding it.
    """
    if not typed or not len(scored) or weight >= 1.0:
        return scored
    straddling = np.zeros(len(scored), dtype=bool)
    for word, literal in typed:
        open_ = ~members(scored.docs, _holding(evaluator, (word,)))
        if not open_.any():
            continue
        # an article matched for another reason (a synonym, another typed word) that holds
        # no such string at all is no straddler
        open_ &= members(scored.docs, evaluator.evaluate(literal).docs)
        inside = words.containing(word) if open_.any() else None
        if inside is None:
            continue
        longer = tuple(w for w in inside if w != word)
        if longer:
            open_ &= ~members(scored.docs, _holding(evaluator, longer))
        straddling |= open_
    if not straddling.any():
        return scored
    return Scored(scored.docs, np.where(straddling, scored.scores * weight, scored.scores))


def _holding(evaluator: Evaluator, words: tuple[str, ...]) -> np.ndarray:
    """Articles holding any of ``words`` in a word field (ascending, each once)."""
    return evaluator.arrays.holding(tuple(WORD_FIELDS), words)
