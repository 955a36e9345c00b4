"""Match: the exact matches of a plan, counted, faceted, and the best ``fetch`` of them ranked.

The whole match set is evaluated over arrays (:mod:`search.engine.evaluate`); only the
``fetch`` best become :class:`Candidate` objects, whose stored fields are read lazily.
So a query costs its page and a few array passes, not a Python step per match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.engine.candidates import Candidate
from search.engine.evaluate import Evaluator, Scored
from search.engine.facets import count_facets
from search.engine.live import View
from search.engine.plan import Plan


@dataclass
class Matched:
    """What matching found: the exact count and facets, and the candidates for the page."""

    total: int
    #: The best ``plan.fetch`` exact matches, in the plan's order.
    ranked: list[Candidate]
    facets: dict[str, dict[str, int]]
    #: Every exact match and its score (what the chart and the research tools count).
    scored: Scored


def match(evaluator: Evaluator, plan: Plan, view: View, scored: Scored) -> Matched:
    """``scored``: the plan's matches within its filters, as the searcher evaluated (and
    grouped, :func:`search.engine.rank.typed_strings_first`) and keeps them."""
    counted = count_facets(evaluator.arrays, scored.docs)
    picked = best(evaluator, scored, plan.fetch, plan.sort)
    return Matched(len(scored), candidates(view, scored, picked, plan.sort), counted, scored)


def candidates(view: View, scored: Scored, picked: np.ndarray, sort: str) -> list[Candidate]:
    searcher = view.searcher
    keep_score = sort in ("relevance", "recent")
    return [Candidate(searcher, int(scored.docs[i]), float(scored.scores[i]) if keep_score else None)
            for i in picked]


def best(evaluator: Evaluator, scored: Scored, k: int, sort: str = "relevance") -> np.ndarray:
    """Indexes into ``scored`` of its ``k`` first in ``sort`` order.

    Relevance: score, then document number (as Whoosh's collector breaks ties; :func:`order`
    then puts equal scores in id order). Newest and oldest: the ``published`` column,
    then document number.
    """
    n = len(scored)
    if not n or k <= 0:
        return np.zeros(0, dtype=np.int64)
    if sort in ("newest", "oldest"):
        dated = evaluator.arrays.published()
        keys = dated[0][scored.docs] if dated is not None else np.zeros(n, dtype=np.int64)
        primary = -keys if sort == "newest" else keys
    else:
        primary = -scored.scores
    if k < n:
        threshold = np.partition(primary, k - 1)[k - 1]
        within = np.flatnonzero(primary <= threshold)  # ties at the threshold all compete
    else:
        within = np.arange(n)
    order = np.lexsort((scored.docs[within], primary[within]))
    return within[order[:k]]


def top(view: View, evaluator: Evaluator, query, k: int, allowed: np.ndarray) -> list[Candidate]:
    """The best ``k`` articles for ``query`` (by score, ties in index order)."""
    scored = evaluator.evaluate(query).only(allowed)
    return candidates(view, scored, best(evaluator, scored, k), "relevance")
