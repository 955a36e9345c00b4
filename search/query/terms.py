"""How a query term is cut: jieba's words (glued where jieba gives up), bigrams, sub-words.

Every step of compiling, highlighting and explaining asks the same questions of the same
terms; the answers are cached here so jieba cuts each term once per compiler, not three
or four times.
"""

from __future__ import annotations

from functools import lru_cache

from indexer import is_han, subwords

#: Distinct terms whose cuts are kept per compiler (a few KB each at most).
TERMS_KEPT = 4096


class TermAnalysis:
    """The index's own analyzers applied to query text.

    ``words`` may carry extra dictionary words for segmenting queries only;
    ``index_words`` (the schema's analyzer) decides which units exist as indexed words.
    """

    def __init__(self, index_words, grams, query_words=None):
        self.index_words = index_words
        self.words = query_words or index_words
        self.gram_analyzer = grams
        self.units = lru_cache(TERMS_KEPT)(self._units)
        self.is_word = lru_cache(TERMS_KEPT)(self._is_word)
        self.grams = lru_cache(TERMS_KEPT)(self._grams)

    def _units(self, text: str) -> tuple[str, ...]:
        """jieba's words, with runs of single Han characters glued back together.

        jieba leaves words it does not know as single characters (`恒`, `大`); matching
        those one by one finds articles with 恒 and 大 anywhere. Glued, the run is
        matched as the exact string (over the bigram fields) instead.
        """
        units: list[str] = []
        glue = False
        for token in self.words(text, mode="query"):
            single = len(token.text) == 1 and is_han(token.text)
            if single and glue:
                units[-1] += token.text
            else:
                units.append(token.text)
            glue = single
        return tuple(units)

    def _is_word(self, unit: str) -> bool:
        """Whether the index holds ``unit`` as one word (else it is matched literally)."""
        if len(unit) < 2 or not is_han(unit):
            return True
        return [t.text for t in self.index_words(unit, mode="query")] == [unit]

    def _grams(self, text: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.gram_analyzer(text, mode="query"))

    def subwords(self, word: str) -> list[str]:
        """Dictionary words inside a longer word (`运费险` → `运费`), the secondary cut."""
        return subwords(word, self.index_words.items[0].dictionary)
