"""Plan a search: parse and compile the query, choose the order and how deep to look."""

from __future__ import annotations

from dataclasses import dataclass

from search.engine.results import SearchRequest
from search.engine.validate import validate_terms
from search.limits import Limits
from search.query import syntax
from search.query.compiler import Compiled, QueryCompiler

#: `sort=recent` re-ranks at least this many of the best matches by age.
RECENCY_POOL = 200


@dataclass(frozen=True)
class Plan:
    """What to match and how much of it the page needs."""

    request: SearchRequest
    tree: syntax.Node | None
    compiled: Compiled
    #: The order actually used: an empty query on relevance lists the newest first.
    sort: str
    #: The page is ranked[first:limit]; ``fetch`` candidates are ranked (collapse folds some).
    first: int
    limit: int
    fetch: int


def plan(request: SearchRequest, compiler: QueryCompiler, limits: Limits) -> Plan:
    tree = syntax.parse(request.q)
    validate_terms(tree, limits)
    compiled = compiler.compile(tree)
    sort = request.sort if request.q.strip() or request.sort != "relevance" else "newest"
    first, limit = (request.page - 1) * request.per_page, request.page * request.per_page
    fetch = min(limit * 2 + 20, limits.depth) if request.collapse else limit
    if sort == "recent":
        fetch = min(max(fetch, RECENCY_POOL), limits.depth)
    return Plan(request, tree, compiled, sort, first, limit, fetch)
