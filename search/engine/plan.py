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
#: Near-duplicate reports are folded across the first this many places. A page that
#: ends deeper folds within itself only: folding every place before it would read and
#: compare thousands of articles for one page (13 s for page 100 of `中国`), and a reader
#: that deep is scanning, not comparing stories.
FOLD_DEPTH = 200


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
    #: Candidates before this place are taken as ranked; duplicates are folded after it.
    fold_from: int = 0


def plan(request: SearchRequest, compiler: QueryCompiler, limits: Limits, memo: dict | None = None) -> Plan:
    """``memo``: one request's store (see :meth:`Searcher.one_request`), where a query
    string is parsed and compiled once; the search page asks for it three or four times
    (the hits, the chart by month and by year, the words), half a millisecond each."""
    key = ("compiled", id(compiler), request.q)
    if memo is not None and key in memo:
        tree, compiled = memo[key]
    else:
        tree = syntax.parse(request.q)
        validate_terms(tree, limits)
        compiled = compiler.compile(tree)
        if memo is not None:
            memo[key] = tree, compiled
    sort = request.sort if request.q.strip() or request.sort != "relevance" else "newest"
    first, limit = (request.page - 1) * request.per_page, request.page * request.per_page
    fold_from = 0 if limit <= FOLD_DEPTH else first
    if not request.collapse:
        fetch = limit
    else:  # folding shortens the list: fetch enough to still fill the page
        fetch = min(limit + (limit - fold_from) + 20, limits.depth)
    if sort == "recent":
        fetch = min(max(fetch, RECENCY_POOL), limits.depth)
    return Plan(request, tree, compiled, sort, first, limit, fetch, fold_from)
