"""Single Han characters over the bigram fields, which index a character alone only at the
end of a run (see :class:`indexer.analysis.BigramFilter`).

Every occurrence of a character is indexed either as the bigram it starts or, at the end
of its run, as itself. So one character matches its unigram *or* any bigram starting with
it: :class:`Character` is that set of terms scored as one pseudo-term (documents: the
union of their postings; frequency: the sum of theirs; idf: Whoosh's formula over the
union's live document count), which keeps its scores close to those of the unigram every
character used to have. Inside a literal, a character followed by another Han character
or standing last (`AI蝶` finds `AI蝶变`) is such a set at its position: :class:`GramPhrase`.

The search core evaluates both over arrays (:mod:`search.engine.evaluate`); the Whoosh
matchers here are the reference it is tested against, and its fallback.
"""

from __future__ import annotations

from collections import defaultdict
from math import log

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.scoring import bm25

from indexer import is_han


def gram_query(fieldname: str, grams: tuple[str, ...], boost: float = 1.0) -> wq.Query:
    """The query for a literal's query-mode grams over one bigram field.

    >>> gram_query("title_g", ("农业", "业发"))
    Phrase('title_g', ['农业', '业发'], slop=1, boost=1.000000)
    >>> gram_query("title_g", ("的",))
    Character('title_g', '的', boost=1.0)
    >>> gram_query("title_g", ("展", "ai"))
    Phrase('title_g', ['展', 'ai'], slop=1, boost=1.000000)
    >>> gram_query("title_g", ("ai", "蝶"))
    GramPhrase('title_g', ('ai', '蝶'), open=(1,), boost=1.0)
    """
    opened = open_positions(grams)
    if len(grams) == 1:
        return Character(fieldname, grams[0], boost) if opened else wq.Term(fieldname, grams[0], boost=boost)
    if not opened:
        return wq.Phrase(fieldname, list(grams), boost=boost)
    return GramPhrase(fieldname, grams, opened, boost)


def open_positions(grams: tuple[str, ...]) -> tuple[int, ...]:
    """Which grams are single Han characters the index may hold as a bigram's start: those
    standing last or before another Han gram. Before anything else (a Latin word, a
    number) the character ends its run in the article too, so its unigram is indexed.

    >>> open_positions(("农业", "业发", "发展", "展", "ai", "蝶"))
    (5,)
    >>> open_positions(("农", "业"))
    (0, 1)
    """
    return tuple(i for i, g in enumerate(grams)
                 if len(g) == 1 and is_han(g) and (i == len(grams) - 1 or is_han(grams[i + 1][0])))


def expansion(reader, fieldname: str, char: str) -> tuple[str, ...]:
    """The terms of ``fieldname`` that start with ``char``: its unigram and its bigrams."""
    if fieldname not in reader.schema:
        return ()
    field = reader.schema[fieldname]
    return tuple(field.from_bytes(t) for t in reader.expand_prefix(fieldname, char))


def character_idf(doc_count: int, live_docs: int) -> float:
    """Whoosh's idf (``log(N / (df + 1)) + 1``) with the union's live document count as df."""
    return log(doc_count / (live_docs + 1)) + 1


class Character(wq.Query):
    """One Han character in a bigram field: its unigram or any bigram it starts, one pseudo-term."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0):
        self.fieldname = fieldname
        self.text = text
        self.boost = boost

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, boost={self.boost!r})"

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and other.fieldname == self.fieldname
                and other.text == self.text and other.boost == self.boost)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.text, self.boost))

    def terms(self, phrases: bool = True):
        yield self.fieldname, self.text

    def estimate_size(self, ixreader) -> int:
        """An upper bound (Whoosh's AND and OR order their parts by it)."""
        return sum(ixreader.doc_frequency(self.fieldname, t) for t in expansion(ixreader, self.fieldname, self.text))

    def matcher(self, searcher, context=None):
        """Whoosh's own postings, read one by one: the reference for the array engine."""
        top = searcher.get_parent() if searcher.get_parent() is not None else searcher
        live = _frequencies(top.reader(), self.fieldname, self.text)
        local = _frequencies(searcher.reader(), self.fieldname, self.text)
        if not local:
            return NullMatcher()
        weighting = searcher.weighting
        b = getattr(weighting, "_field_B", {}).get(self.fieldname, getattr(weighting, "B", 0.75))
        k1 = getattr(weighting, "K1", 1.2)
        idf = character_idf(top.doc_count_all(), len(live))
        avg = top.avg_field_length(self.fieldname) or 1
        reader = searcher.reader()
        ids = sorted(local)
        scores = [self.boost * bm25(idf, local[d], reader.doc_field_length(d, self.fieldname), avg, b, k1)
                  for d in ids]
        return ListMatcher(ids, weights=scores)


class GramPhrase(wq.Query):
    """A literal's grams in sequence where some (``open``) are :class:`Character` sets."""

    def __init__(self, fieldname: str, words: tuple[str, ...], opened: tuple[int, ...], boost: float = 1.0):
        self.fieldname = fieldname
        self.words = tuple(words)
        self.opened = tuple(opened)
        self.boost = boost

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, open={self.opened!r}, boost={self.boost!r})"

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and (other.fieldname, other.words, other.opened, other.boost)
                == (self.fieldname, self.words, self.opened, self.boost))

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.words, self.opened, self.boost))

    def terms(self, phrases: bool = True):
        for word in self.words:
            yield self.fieldname, word

    def estimate_size(self, ixreader) -> int:
        return min(Character(self.fieldname, w).estimate_size(ixreader) if i in self.opened
                   else ixreader.doc_frequency(self.fieldname, w) for i, w in enumerate(self.words))

    def sequence(self, reader) -> wq.Query:
        """Whoosh's equivalent (for matching, not scoring): a sequence of terms and
        disjunctions of the terms an open character expands to."""
        parts = []
        for i, word in enumerate(self.words):
            if i in self.opened:
                found = [wq.Term(self.fieldname, t) for t in expansion(reader, self.fieldname, word)]
                parts.append(wq.Or(found) if found else wq.NullQuery)
            else:
                parts.append(wq.Term(self.fieldname, word))
        return wq.Sequence(parts, boost=self.boost)

    def matcher(self, searcher, context=None):
        return self.sequence(searcher.reader()).matcher(searcher, context)


def _frequencies(reader, fieldname: str, char: str) -> dict[int, float]:
    """Summed weights per (live) document of every term ``char`` expands to."""
    found: dict[int, float] = defaultdict(float)
    for text in expansion(reader, fieldname, char):
        postings = reader.postings(fieldname, text)
        while postings.is_active():
            found[postings.id()] += postings.weight()
            postings.next()
    return found
