"""Reject what a client can get wrong, before any work, with how to get it right."""

from __future__ import annotations

from search.engine.results import SORTS, SearchRequest
from search.errors import ParameterError, QueryError
from search.limits import Limits
from search.query import syntax


def validate(request: SearchRequest, limits: Limits = Limits()) -> None:
    if len(request.q) > limits.query_chars:
        raise QueryError(f"the query is longer than {limits.query_chars} characters")
    if request.sort not in SORTS:
        raise ParameterError(f"sort must be one of {', '.join(SORTS)}")
    if not 1 <= request.per_page <= limits.per_page:
        raise ParameterError(f"per_page must be between 1 and {limits.per_page}")
    if request.page < 1:
        raise ParameterError("page must be 1 or more")
    if request.page * request.per_page > limits.depth:
        raise ParameterError(f"results deeper than {limits.depth} are not paged; narrow the query")


def validate_terms(tree: syntax.Node | None, limits: Limits) -> None:
    terms = syntax.count_terms(tree)
    if terms > limits.query_terms:
        raise QueryError(f"the query has {terms} words, phrases and ranges; at most {limits.query_terms} are allowed")
