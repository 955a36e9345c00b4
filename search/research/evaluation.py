"""Ranking quality against judged queries: nDCG@10, recall@100, MRR, zero-result queries.

Queries go through :meth:`Searcher.search` exactly as users send them (no quote
stripping, no pre-tokenising); unjudged documents count as non-relevant.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from search.engine.results import SearchRequest
from search.errors import ParameterError

DEPTH = 100


@dataclass(frozen=True)
class JudgedQuery:
    qid: str
    query: str
    type: str
    judgments: dict[str, int]


def load_qrels(path: str | Path) -> list[JudgedQuery]:
    """Read a judged-query file (one JSON object per line)."""
    queries = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise ParameterError(f"cannot read judgments {path}: {exc.strerror}") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            queries.append(JudgedQuery(raw["qid"], raw["query"], raw.get("type", "all"),
                                       {k: int(v) for k, v in raw["judgments"].items()}))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ParameterError(f"{path}:{lineno}: not a judged query ({exc})") from None
    return queries


def dcg(gains: Iterable[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], judgments: dict[str, int], k: int = 10) -> float:
    """
    >>> ndcg_at(["a", "b"], {"a": 2, "b": 0})
    1.0
    """
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(d, 0) for d in ranked[:k]]) / ideal if ideal else 0.0


def judged_ndcg_at(ranked: Sequence[str], judgments: dict[str, int], k: int = 10) -> float:
    """nDCG@k with unjudged articles left out of the list (condensed lists): the judgments
    are incomplete, and a ranking that surfaces relevant but unjudged articles should not
    read as worse for it.

    >>> judged_ndcg_at(["new", "a"], {"a": 2})
    1.0
    """
    return ndcg_at([d for d in ranked if d in judgments], judgments, k)


def recall_at(ranked: Sequence[str], judgments: dict[str, int], k: int = DEPTH) -> float:
    relevant = {d for d, g in judgments.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], judgments: dict[str, int]) -> float:
    for rank, doc in enumerate(ranked, 1):
        if judgments.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


@dataclass
class QueryScore:
    qid: str
    query: str
    type: str
    ndcg10: float
    recall100: float
    mrr: float
    hits: int
    ndcg10_judged: float = 0.0


@dataclass
class EvalReport:
    queries: list[QueryScore] = field(default_factory=list)

    @staticmethod
    def _mean(scores: list[QueryScore]) -> dict[str, float]:
        n = len(scores) or 1
        return {"queries": len(scores),
                "ndcg@10": round(sum(s.ndcg10 for s in scores) / n, 4),
                "recall@100": round(sum(s.recall100 for s in scores) / n, 4),
                "mrr": round(sum(s.mrr for s in scores) / n, 4),
                "ndcg@10 judged only": round(sum(s.ndcg10_judged for s in scores) / n, 4),
                "zero_results": sum(1 for s in scores if s.hits == 0)}

    def overall(self) -> dict[str, float]:
        return self._mean(self.queries)

    def by_type(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[QueryScore]] = defaultdict(list)
        for score in self.queries:
            groups[score.type].append(score)
        return {name: self._mean(group) for name, group in sorted(groups.items())}

    def worst_first(self) -> list[QueryScore]:
        return sorted(self.queries, key=lambda s: (s.ndcg10, s.recall100))

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall(), "by_type": self.by_type(),
                "queries": [{"qid": s.qid, "query": s.query, "type": s.type, "ndcg@10": round(s.ndcg10, 4),
                             "recall@100": round(s.recall100, 4), "mrr": round(s.mrr, 4), "hits": s.hits}
                            for s in self.worst_first()]}


def ranked_ids(searcher, query: str, depth: int = DEPTH) -> tuple[list[str], int]:
    """The ids a user would see for ``query``, best first, and the total hit count.

    Reports collapsed under a hit are listed right after it, as the page shows them.
    """
    page = searcher.search(SearchRequest(q=query, per_page=depth), snippets=False)
    ranked = [doc for hit in page.hits for doc in (hit.id, *(d.id for d in hit.duplicates))]
    return ranked[:depth], page.total


def evaluate(searcher, queries: Iterable[JudgedQuery]) -> EvalReport:
    report = EvalReport()
    for q in queries:
        ranked, total = ranked_ids(searcher, q.query)
        report.queries.append(QueryScore(q.qid, q.query, q.type, ndcg_at(ranked, q.judgments),
                                         recall_at(ranked, q.judgments), reciprocal_rank(ranked, q.judgments),
                                         total, judged_ndcg_at(ranked, q.judgments)))
    return report
