"""Field and path weights of the ranking; chosen on the dev set (see docs/quality.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """Field and path weights; chosen on the dev set (see docs/quality.md)."""

    title: float = 8.0
    content: float = 1.0
    literal: float = 4.0
    #: A two-character word of a term jieba splits (`退休` of `延迟退休`) also counts where
    #: it sits inside a longer indexed word of a title (`延迟法定退休年龄` holds `退休年龄`),
    #: at this weight. Titles only, two characters only: in a long body the pieces
    #: anywhere say little, longer words are rarely buried in longer ones, and either
    #: cost the slowest queries 15% or more for no measured gain.
    unit_literal: float = 0.5
    #: A literal's bigram scores are averaged, not summed: the bigrams of one string are
    #: not independent evidence, and summed they made `乌克兰` (two bigrams) outweigh the
    #: rarer `和谈` (one) and every long word outweigh every short one.
    gram_average: bool = True
    #: A string typed without spaces that jieba cuts into several words (`碳关税` →
    #: 碳/关税) asks for that string: articles holding it rank above every article holding
    #: its words apart, which follow in their own order (issue 16). Off only to measure it.
    typed_strings_first: bool = True
    #: An article holding a typed word only across two of its own words (`和服` in
    #: 和/服务质量) keeps this share of its score: it follows the articles holding the word
    #: inside one of theirs (issue 16, :mod:`search.engine.boundaries`). 1.0 turns it off.
    straddle: float = 0.1
    #: Several typed words: an article missing one of them (a headline that words it
    #: differently) may take a first-page place from an exact match scoring below this
    #: share of its own score (a long body that has every word, each in passing).
    promote: float = 0.3
    #: Synonyms widen a term but rank below the form the user typed.
    synonym: float = 0.3
    #: Bonus when the words of a multi-word query stand close together, in order: as
    #: strong as one more word matched literally, so that `618大促` beats a shorter
    #: headline holding `618` and `大促` apart.
    proximity: float = 4.0
    slop: int = 3
    #: BM25 term-frequency saturation and length normalisation.
    k1: float = 2.0
    b: float = 0.9
    #: Length normalisation of titles: among headlines that all hold the query, the
    #: shorter one is more squarely about it.
    title_b: float = 1.0
    #: Length normalisation of bodies alone (long digests mention everything once).
    content_b: float = 0.9
