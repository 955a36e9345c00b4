"""Articles in the top 10 that the judgments say nothing about: the judging aid.

nDCG@10 counts an unjudged article as non-relevant, so every ranking change that brings
new articles into the top 10 can only read as worse until someone judges them. This lists
exactly those articles, with enough text to judge from, for a maintainer to grade and
append to the qrels file. It uses the very ranking :func:`evaluate` scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from search.research.evaluation import JudgedQuery, ranked_ids

#: The cut-off nDCG@10 reads: articles below it do not move the headline score.
TOP = 10
#: Characters of content shown: enough to see the subject, short enough for one line.
LEAD_CHARS = 80


@dataclass(frozen=True)
class UnjudgedArticle:
    id: str
    rank: int
    title: str
    lead: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rank": self.rank, "title": self.title, "lead": self.lead}


@dataclass(frozen=True)
class QueryUnjudged:
    qid: str
    query: str
    unjudged: tuple[UnjudgedArticle, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"qid": self.qid, "query": self.query, "unjudged": [a.to_dict() for a in self.unjudged]}


def lead(content: str, chars: int = LEAD_CHARS) -> str:
    """The opening of an article on one line (a judge reads the title and the opening).

    >>> lead("第一段\\n\\n  第二段", chars=5)
    '第一段 第…'
    """
    flat = " ".join(content.split())
    return flat if len(flat) <= chars else flat[:chars] + "…"


def unjudged_in_top(searcher, query: JudgedQuery, top: int = TOP) -> QueryUnjudged:
    """The unjudged articles among ``query``'s first ``top`` results, in rank order.

    Ranks count collapsed reports in their own place, as the evaluation does.
    """
    ranked, _ = ranked_ids(searcher, query.query)
    found = []
    for rank, doc_id in enumerate(ranked[:top], 1):
        if doc_id not in query.judgments:
            doc = searcher.document(doc_id)
            found.append(UnjudgedArticle(doc_id, rank, doc["title"], lead(doc["content"])))
    return QueryUnjudged(query.qid, query.query, tuple(found))


def find_unjudged(searcher, queries: Iterable[JudgedQuery], top: int = TOP) -> list[QueryUnjudged]:
    """Per query, its unjudged top articles; queries with none are left out."""
    listed = (unjudged_in_top(searcher, q, top) for q in queries)
    return [q for q in listed if q.unjudged]
