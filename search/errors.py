"""Errors a search client can cause; each knows its HTTP status and CLI exit code.

Only the two edges translate them: the Flask error handlers (JSON error shape) and the
CLI (one clear line, non-zero exit).
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class for search-side errors."""

    http_status = 400
    exit_code = 1
    code = "bad_request"


class QueryError(SearchError):
    """The query string or a parameter cannot be understood."""

    exit_code = 2  # a usage error, as click's own
    code = "bad_query"


class ParameterError(SearchError):
    """A request parameter is out of range or malformed."""

    exit_code = 2
    code = "bad_parameter"


class DocumentNotFound(SearchError):
    """No article has the requested id."""

    http_status = 404
    code = "not_found"


class ConfigError(SearchError):
    """A setting (environment variable, option) has a value that cannot be used."""

    http_status = 500
    exit_code = 2
    code = "bad_config"


class Unauthorized(SearchError):
    """A write came without a token."""

    http_status = 401
    code = "unauthorized"


class Forbidden(SearchError):
    """A write came with the wrong token, or writes are turned off."""

    http_status = 403
    code = "forbidden"
