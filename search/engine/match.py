"""Match: the exact matches of a plan, counted, faceted, and the best ``fetch`` of them ranked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import sorting

from search.engine.budget import Budget
from search.engine.candidates import Candidate
from search.engine.facets import FACETS, ordered
from search.engine.live import View
from search.engine.plan import Plan


@dataclass
class Matched:
    """What matching found: the exact count and facets, and the candidates for the page."""

    total: int
    #: The best ``plan.fetch`` exact matches, in the plan's order.
    ranked: list[Candidate]
    facets: dict[str, dict[str, int]]
    timed_out: bool


def match(view: View, plan: Plan, allowed, deadline: float) -> Matched:
    searcher = view.searcher
    collector, budget = Budget.around(
        searcher.collector(limit=plan.fetch, filter=allowed, **_sorting(plan.sort), groupedby=FACETS,
                           maptype=sorting.Count), deadline)
    searcher.search_with_collector(plan.compiled.query, collector)
    results = collector.results()
    ranked = [Candidate(searcher, hit.docnum, hit.score) for hit in results[:plan.fetch]]
    facets = {name: ordered(name, results.groups(name)) for name in FACETS}
    return Matched(len(results), ranked, facets, budget.timed_out)


def _sorting(sort: str) -> dict[str, Any]:
    if sort == "newest":
        return {"sortedby": "published", "reverse": True}
    if sort == "oldest":
        return {"sortedby": "published"}
    return {}


def top(view: View, query, k: int, allowed, deadline: float) -> tuple[list[Candidate], bool]:
    """The best ``k`` articles for ``query`` (by score, ties in index order), and whether
    the budget ran out first."""
    searcher = view.searcher
    collector, budget = Budget.around(searcher.collector(limit=k, filter=allowed), deadline)
    searcher.search_with_collector(query, collector)
    return [Candidate(searcher, hit.docnum, hit.score) for hit in collector.results()], budget.timed_out


def best_possible(view: View, query) -> float:
    """An upper bound of any article's score for ``query`` (to skip searches that cannot win)."""
    searcher = view.searcher
    return query.matcher(searcher, searcher.context()).max_quality()
