"""Errors of following sources, in the search error tree (so both edges already map them)."""

from __future__ import annotations

from search.errors import SearchError


class SourceExists(SearchError):
    """A source or alert of that name is already there."""

    http_status = 409
    code = "exists"


class SourceNotFound(SearchError):
    """No source or alert has that name."""

    http_status = 404
    code = "not_found"
