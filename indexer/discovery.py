"""Find words the dictionary splits: frequent, cohesive runs of jieba pieces in a corpus.

A domain word jieba does not know (`分销通` → `分销/通`) shows up as the same pieces side
by side, again and again, far more often than the pieces' own frequencies would suggest.
Candidates are proposed for a person to review, never added automatically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.analysis import is_han, segment
from indexer.dictionary import Dictionary
from indexer.folding import fold

PRUNE_AT = 2_000_000
#: Single characters that glue to anything (dates, particles): a run starting or ending
#: with one is grammar, not a word.
_EDGE = frozenset("的了是在和与及或日月年号更多将对为也都等被把从向到就并其之")


@dataclass(frozen=True)
class Candidate:
    word: str
    count: int
    cohesion: float
    pieces: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"word": self.word, "count": self.count, "cohesion": round(self.cohesion, 3),
                "pieces": list(self.pieces)}


def suggest_words(texts: Iterable[str], dictionary: Dictionary, min_count: int = 5,
                  max_chars: int = 6, top: int = 50) -> list[Candidate]:
    """The ``top`` most frequent cohesive runs of 2-3 pieces, 3 to ``max_chars`` characters.

    Cohesion is how often the run occurs relative to its rarest piece: 1.0 means the
    rarest piece never appears outside the run.
    """
    runs: Counter[tuple[str, ...]] = Counter()
    pieces: Counter[str] = Counter()
    for text in texts:
        words = [w for w in segment(fold(text).text, dictionary) if w.strip()]
        pieces.update(words)
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                run = tuple(words[i:i + size])
                joined = "".join(run)
                if (3 <= len(joined) <= max_chars and all(is_han(w) for w in run)
                        and run[0] not in _EDGE and run[-1] not in _EDGE):
                    runs[run] += 1
        if len(runs) > PRUNE_AT:
            runs = Counter({k: v for k, v in runs.items() if v > 1})
    found: dict[str, Candidate] = {}
    for run, count in runs.items():
        if count < min_count:
            continue
        cohesion = count / min(pieces[p] for p in run)
        word = "".join(run)
        if cohesion >= 0.5 and (word not in found or found[word].count < count):
            found[word] = Candidate(word, count, cohesion, run)
    ranked = sorted(found.values(), key=lambda c: (-c.count * c.cohesion, c.word))
    return _drop_contained(ranked)[:top]


def _drop_contained(ranked: list[Candidate]) -> list[Candidate]:
    """Keep `具身智能` rather than also proposing its part `身智能`, when nearly as frequent."""
    return [c for c in ranked
            if not any(c.word != o.word and c.word in o.word and o.count >= c.count * 0.8 for o in ranked)]
