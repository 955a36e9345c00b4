"""Rank: order the matched candidates, fold duplicate reports, let strong partial headlines in.

Each step takes the list the previous one made; none of them searches the whole index
again except :func:`promote` and :func:`fill`, which look at titles or at what the exact
query missed; over arrays, each costs a few passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from search.engine.arrays import IndexArrays
from search.engine.candidates import Candidate
from search.engine.duplicates import Signature, collapse
from search.engine.evaluate import Evaluator, Scored, members
from search.engine.live import View
from search.engine.match import top
from search.engine.plan import Plan
from search.engine.results import RECENCY_HALF_LIFE_DAYS, Report

#: How many first places a partial hit may take from weaker exact matches.
PROMOTED_PLACES = 10


@dataclass(frozen=True)
class Placed:
    """A candidate in its place on the list, with the reports folded under it."""

    candidate: Candidate
    duplicates: tuple[Report, ...] = ()
    partial: bool = False


def order(ranked: list[Candidate], sort: str, arrays: IndexArrays) -> list[Candidate]:
    """Relevance: equal scores in id order, whatever the segment layout (each document's
    place in id order, :meth:`IndexArrays.id_order`). Recent: by age."""
    if sort == "relevance":
        id_order = arrays.id_order()
        return sorted(ranked, key=lambda c: (-(c.score or 0.0), int(id_order[c.docnum])))
    if sort == "recent":
        return by_recency(ranked, arrays.published())
    return ranked


#: Microseconds in a day: the ``published`` column counts microseconds (Whoosh's DATETIME).
DAY_US = 86_400_000_000


def by_recency(candidates: list[Candidate], published: tuple[np.ndarray, int] | None) -> list[Candidate]:
    """The best-scoring candidates re-ranked by score decayed with age (half-life in days).

    Ages come from the ``published`` column (:meth:`IndexArrays.published`: sortable keys
    and the key of "undated"), in whole days before the newest candidate: reading 200
    candidates' stored articles for their dates cost 16 ms a search.
    """
    if published is None or not candidates:
        return candidates
    column, undated = published
    keys = column[np.fromiter((c.docnum for c in candidates), dtype=np.int64, count=len(candidates))]
    dated = keys != undated
    if not dated.any():
        return candidates
    ages = np.where(dated, (keys[dated].max() - keys) // DAY_US, 10 * RECENCY_HALF_LIFE_DAYS).tolist()
    weights = [(c.score or 0.0) * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS) for c, age in zip(candidates, ages, strict=True)]
    return [candidates[i] for i in sorted(range(len(candidates)), key=weights.__getitem__, reverse=True)]


def folded(candidates: list[Candidate], weigh, signature: Callable[[Candidate], Signature]) -> list[Placed]:
    """Ranked candidates with near-duplicate reports folded into the first of each story."""
    groups = collapse(list(range(len(candidates))), [signature(c) for c in candidates], weigh)
    return [Placed(candidates[g.index], tuple(report(candidates[i]) for i in g.duplicates)) for g in groups]


def report(candidate: Candidate) -> Report:
    return Report(candidate.id, candidate.get("title", ""), candidate.get("published"))


def promote(view: View, evaluator: Evaluator, plan: Plan, allowed: np.ndarray, ranked: list[Candidate],
            kept: list[Placed], share: float) -> list[Placed]:
    """``kept`` with the best partial headlines moved into the first places they outscore.

    Several typed words (`光伏 产能`): a headline holding one of them squarely
    (`光伏行业要出清了吗`) beats a long digest that mentions each word once somewhere,
    and without this it would wait behind every such digest. Only the first
    PROMOTED_PLACES are open to it, at ``share`` of its score, so the exact matches keep
    their order and every one of them stays in the list.

    Candidates come from titles alone, minus the exact matches already ranked. An exact
    match ranked further down cannot be promoted: its headline score is about its exact
    score at most, far below share x the scores it would have to beat.

    A partial headline must hold the rarest query word (:func:`holding_the_rarest`):
    `淘宝首页悄悄变了` is not what `淘宝 退货` asked for, `光伏行业要出清了吗` may be
    what `光伏 产能` did.
    """
    compiled = plan.compiled
    rarest = holding_the_rarest(evaluator, compiled.loose_parts, compiled.headline_parts, allowed)
    found = top(view, evaluator, compiled.headlines, PROMOTED_PLACES + len(ranked), rarest)
    exact = {c.docnum for c in ranked}
    place = evaluator.arrays.id_order()
    candidates = sorted(((c.score * share, c) for c in found if c.docnum not in exact),
                        key=lambda pair: (-pair[0], int(place[pair[1].docnum])))
    merged: list[Placed] = []
    rest = list(kept)
    while len(merged) < PROMOTED_PLACES and rest and candidates:
        if candidates[0][0] > (rest[0].candidate.score or 0.0):
            merged.append(Placed(candidates.pop(0)[1], partial=True))
        else:
            merged.append(rest.pop(0))
    return merged + rest


def fill(view: View, evaluator: Evaluator, plan: Plan, allowed: np.ndarray, kept: list[Placed]) -> list[Candidate]:
    """Articles with only some of the words, best first, for the places after the exact ones.

    Only called when every exact match is already in ``kept``; promoted partial hits are
    not listed twice. On the first page, as for promotion, a partial hit holds the rarest
    query word. Past it, articles holding only a commoner whole word follow (`乌克兰` of
    `乌克兰 和谈`): a reader who pages on is looking for more than the exact matches, and
    those articles share a word the reader typed. They are listed only once the exact
    matches and the rarest word's partial hits fill the first page, so they never take a
    first-page place.
    """
    compiled = plan.compiled
    promoted = {p.candidate.docnum for p in kept if p.partial}
    partial_query = wq.And([compiled.loose, wq.Not(compiled.query)])
    wanted = plan.limit - len(kept) + len(promoted)
    rarest = holding_the_rarest(evaluator, compiled.loose_parts, compiled.loose_parts, allowed)
    found = top(view, evaluator, partial_query, wanted, rarest)
    if len(found) < wanted and len(kept) - len(promoted) + len(found) >= PROMOTED_PLACES:
        found += top(view, evaluator, partial_query, wanted - len(found), allowed & ~rarest)
    found = [c for c in found if c.docnum not in promoted]
    return found[max(0, plan.first - len(kept)):plan.limit - len(kept)]


def typed_strings_first(evaluator: Evaluator, contiguous, scored: Scored) -> Scored:
    """``scored`` lifted into groups by how many typed strings each article holds contiguously.

    `碳关税`, cut 碳/关税, matches articles holding the string and articles holding 碳 and
    关税 anywhere; a title holding both words apart can outscore a body holding the string,
    since title weight outweighs any sequence bonus. The string is what was typed, so it is
    made a requirement for the top group rather than a bonus: each article's score is
    lifted by ``held x ceiling``, where ``held`` counts the typed strings it holds and
    ``ceiling`` exceeds every score. Within a group, the order is the ranking's own; every
    match stays (recall), and ``total`` and facets are unchanged. The lifted score is what
    promotion compares with, so no partial headline displaces the top group.
    """
    if not contiguous or not len(scored):
        return scored
    held = np.zeros(len(scored), dtype=np.int64)
    for clause in contiguous:
        held += members(scored.docs, evaluator.evaluate(clause).docs)
    if held.min() == held.max():
        return scored
    ceiling = float(scored.scores.max()) + 1.0
    return Scored(scored.docs, scored.scores + held * ceiling)


def holding_the_rarest(evaluator: Evaluator, parts, required, allowed: np.ndarray) -> np.ndarray:
    """``allowed`` narrowed to the articles whose ``required`` clause of the rarest query
    word holds (rarity: articles matching its ``parts`` clause across the index).

    Of several typed words, the rarest says most about what the reader is after (`退货`
    of `淘宝 退货`); an article without it shares only the everyday part of the query.
    A rule from how search queries are written, not a weight fitted to the dev set.
    """
    if not parts:
        return allowed
    live = evaluator.arrays.live
    counts = [int(live[evaluator.evaluate(p).docs].sum()) for p in parts]
    rarest = min(range(len(parts)), key=lambda i: counts[i])
    mask = np.zeros_like(allowed)
    mask[evaluator.evaluate(required[rarest]).docs] = True
    return mask & allowed
