"""Near-duplicate reports of the same news, collapsed in result lists.

Two reports are the same news when, published within a week of each other and with the same
numbers in their titles, one's text is mostly contained in the other's: character-bigram
containment of 0.75 or more over title + body, each bigram weighted by its rarity in the
index (idf), so boilerplate every CCTV story or listing shares (`央视网消息（新闻联播）`)
counts for almost nothing. Identical titles need the same of their bodies where both have
one (news programmes reuse titles such as 国内联播快讯 or 大美中国 for different stories).
Extracted facts veto: different effective dates or agreements are different changes.

Containment rather than Jaccard, because a short summary of a story duplicates its full
report; a length floor stops a headline from being "contained" in a long article that
merely mentions it. Detection runs on the ranked hits at query time, so it needs no
index-wide pass and follows every update at once.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from indexer import fold, gram_analyzer

CONTAINMENT = 0.75
LENGTH_RATIO = 0.25
MIN_GRAMS = 8
MAX_CHARS = 300
#: Below this unweighted overlap the weighted test is not worth its index look-ups.
QUICK_FLOOR = 0.5
WINDOW = timedelta(days=7)
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

Weigh = Callable[[str], float]


@dataclass(frozen=True)
class Signature:
    """What near-duplicate detection compares: bigrams, title, numbers, date and facts."""

    title: str
    grams: frozenset[str]
    body: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    published: datetime | None = None
    effective: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Signature:
        title, content = stored.get("title", ""), stored.get("content", "") or ""
        facts = stored.get("facts") or {}
        folded_title = _NOT_WORD.sub("", fold(title).text)
        body = _grams(content)
        return cls(title=folded_title, grams=_grams(title) | body, body=body,
                   numbers=frozenset(_NUMBER.findall(fold(title).text)), published=stored.get("published"),
                   effective=frozenset(facts.get("effective", ())), rules=frozenset(facts.get("rules", ())))


_ANALYZER = gram_analyzer()


def _grams(text: str) -> frozenset[str]:
    """Terms the bigram fields index (Han bigrams, whole Latin words and numbers), so each
    has a document frequency to weigh it by; single Han characters are left out, as every
    pair of Chinese texts shares plenty of them."""
    return frozenset(t.text for t in _ANALYZER(text[:MAX_CHARS], mode="index")
                     if len(t.text) > 1 or t.text.isascii())


def containment(a: frozenset[str], b: frozenset[str], weigh: Weigh | None = None,
                totals: dict[frozenset[str], float] | None = None) -> float:
    """Weighted share of the smaller set found in the larger (unweighted: by count, which
    the quick pre-check of every pair uses; summing 1.0 per bigram cost milliseconds on
    long transcripts).

    >>> containment(frozenset({"ab", "bc"}), frozenset({"ab", "bc", "cd"}))
    1.0
    """
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if weigh is None:
        return len(small & large) / len(small) if small else 0.0
    total = totals.get(small) if totals is not None else None
    if total is None:
        total = sum(weigh(g) for g in small)
        if totals is not None:  # a set's own weight, asked again for each hit it is paired with
            totals[small] = total
    return sum(weigh(g) for g in small & large) / total if total else 0.0


def same_news(a: Signature, b: Signature, weigh: Weigh = lambda g: 1.0,
              totals: dict[frozenset[str], float] | None = None) -> bool:
    if a.published and b.published and abs(a.published - b.published) > WINDOW:
        return False
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return False
    if (a.effective and b.effective and a.effective != b.effective) or (a.rules and b.rules and not a.rules & b.rules):
        return False
    if a.title and a.title == b.title:
        if not (a.body and b.body):
            return True
        return (containment(a.body, b.body) >= QUICK_FLOOR
                and containment(a.body, b.body, weigh, totals) >= CONTAINMENT)
    small, large = sorted((len(a.grams), len(b.grams)))
    if small < MIN_GRAMS or small < LENGTH_RATIO * large or containment(a.grams, b.grams) < QUICK_FLOOR:
        return False
    return containment(a.grams, b.grams, weigh, totals) >= CONTAINMENT


def idf_weigher(reader, cache: dict[str, float] | None = None) -> Weigh:
    """Term rarity from the index's own bigram fields, memoised in ``cache`` (keep one per
    open reader to share it between searches)."""
    docs = max(reader.doc_count(), 1)
    cache = {} if cache is None else cache

    def weigh(gram: str) -> float:
        if gram not in cache:
            df = reader.doc_frequency("content_g", gram) + reader.doc_frequency("title_g", gram)
            cache[gram] = math.log(1 + docs / (1 + df))
        return cache[gram]

    return weigh


@dataclass
class Group:
    """A kept hit and the ids of the reports collapsed into it."""

    index: int
    signature: Signature
    duplicates: list = field(default_factory=list)


def collapse(ids: Sequence, signatures: Sequence[Signature], weigh: Weigh = lambda g: 1.0) -> list[Group]:
    """Walk hits best first; each joins the first kept hit it duplicates, or is kept.

    The tests :func:`same_news` starts with are run first on plain values: only the kept
    hits dated within :data:`WINDOW` of this one (found by bisection in their dates;
    undated ones always) are looked at, then :func:`plainly_different` (title numbers,
    lengths too unequal) settles most of the rest. 200 candidates of a frequent word made 10,000
    pairs, each a date subtraction in Python.
    """
    groups: list[Group] = []
    kept: list[tuple] = []  # the kept hits' quick-test values, in group order
    dated: list[tuple[datetime, int]] = []  # (date, group number) of the dated groups, by date
    undated: list[int] = []
    totals: dict[frozenset[str], float] = {}
    for index, signature in enumerate(signatures):
        quick = quick_values(signature)
        when = quick[0]
        if when is None:
            near: Iterable[int] = range(len(groups))
        else:
            lo = bisect.bisect_left(dated, (when - WINDOW,))
            hi = bisect.bisect_right(dated, (when + WINDOW, len(groups)))
            near = sorted([number for _, number in dated[lo:hi]] + undated)
        for number in near:
            group = groups[number]
            if plainly_different(quick, kept[number]):
                continue
            if same_news(group.signature, signature, weigh, totals):
                group.duplicates.append(ids[index])
                break
        else:
            if when is None:
                undated.append(len(groups))
            else:
                bisect.insort(dated, (when, len(groups)))
            groups.append(Group(index, signature))
            kept.append(quick)
    return groups


def quick_values(signature: Signature) -> tuple:
    """What :func:`plainly_different` compares, taken out of the signature once."""
    return signature.published, signature.numbers, len(signature.grams), signature.title


def plainly_different(a: tuple, b: tuple) -> bool:
    """Two reports (their :func:`quick_values`) that :func:`same_news` would reject on
    its first, cheapest tests: different title numbers, or (titles differing) bigram sets
    of too unequal sizes. Run before it on values taken out once, as most pairs end here."""
    _, numbers, size, title = a
    _, b_numbers, b_size, b_title = b
    if numbers and b_numbers and numbers != b_numbers:
        return True
    if title and title == b_title:
        return False
    small, large = (size, b_size) if size <= b_size else (b_size, size)
    return small < MIN_GRAMS or small < LENGTH_RATIO * large
