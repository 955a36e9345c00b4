"""Near-duplicate reports of the same news, collapsed in result lists.

Two reports are the same news when one's text is mostly contained in the other's
(character 3-gram containment ≥ 0.7 over folded title + body), or their titles are the
same, unless their extracted facts disagree (different effective dates or agreements: two
rule changes announced with the same boilerplate are different news). Containment rather
than Jaccard, because a short summary of a story is a duplicate of its full report.

Detection runs on the ranked hits at query time, so it needs no index-wide pass and
follows every update at once; the cost is a set intersection per pair of hits on a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer import fold

SHINGLE = 3
CONTAINMENT = 0.7
MIN_SHINGLES = 12
MAX_CHARS = 600
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Signature:
    """What near-duplicate detection compares: shingles, folded title and facts."""

    title: str
    shingles: frozenset[str]
    effective: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Signature:
        text = _NOT_WORD.sub("", fold(f"{stored.get('title', '')}{stored.get('content', '')}"[:MAX_CHARS]).text)
        facts = stored.get("facts") or {}
        return cls(title=_NOT_WORD.sub("", fold(stored.get("title", "")).text),
                   shingles=frozenset(text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)),
                   effective=frozenset(facts.get("effective", ())), rules=frozenset(facts.get("rules", ())))


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the larger.

    >>> containment(frozenset("abc"), frozenset("abcd"))
    1.0
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_news(a: Signature, b: Signature) -> bool:
    if a.effective and b.effective and a.effective != b.effective:
        return False
    if a.rules and b.rules and not a.rules & b.rules:
        return False
    if a.title and a.title == b.title:
        return True
    if min(len(a.shingles), len(b.shingles)) < MIN_SHINGLES:
        return False
    return containment(a.shingles, b.shingles) >= CONTAINMENT


@dataclass
class Group:
    """A kept hit and the ids of the reports collapsed into it."""

    index: int
    signature: Signature
    duplicates: list = field(default_factory=list)


def collapse(ids: Sequence, signatures: Sequence[Signature]) -> list[Group]:
    """Walk hits best first; each joins the first kept hit it duplicates, or is kept."""
    groups: list[Group] = []
    for index, signature in enumerate(signatures):
        for group in groups:
            if same_news(group.signature, signature):
                group.duplicates.append(ids[index])
                break
        else:
            groups.append(Group(index, signature))
    return groups
