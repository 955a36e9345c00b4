"""Query-string parameters to a :class:`SearchRequest`: one reading for the API and the page."""

from __future__ import annotations

import re
from collections.abc import Mapping

from search.engine.results import SearchRequest
from search.errors import ParameterError, QueryError
from search.limits import Limits
from search.query.dates import parse_bound


def request_from_args(args: Mapping[str, str], limits: Limits = Limits()) -> SearchRequest:
    """A :class:`SearchRequest` from query-string parameters, rejecting malformed numbers."""
    return SearchRequest(
        q=args.get("q", ""), page=int_arg(args, "page", 1),
        per_page=int_arg(args, "per_page", min(10, limits.per_page)),
        sort=args.get("sort") or "relevance", date_from=date_arg(args, "from", end=False),
        date_to=date_arg(args, "to", end=True), category=args.get("category") or None,
        year=args.get("year") or None, effective_from=date_arg(args, "effective_from", end=False),
        effective_to=date_arg(args, "effective_to", end=True), platform=args.get("platform") or None,
        rule=args.get("rule") or None, kind=args.get("kind") or None,
        partial=flag_arg(args, "partial", True), explain=flag_arg(args, "explain", False),
        collapse=flag_arg(args, "collapse", True),
    )


#: The values a yes/no parameter takes, as the OpenAPI description lists them (None: the default).
FLAG_VALUES: dict[str, bool | None] = {"": None, "1": True, "true": True, "yes": True, "on": True,
                                       "0": False, "false": False, "no": False, "off": False}
#: A whole number as JSON Schema means it: ASCII digits (``int()`` also takes ``+5``, ``5_000``, ``٥``).
_WHOLE = re.compile(r"-?[0-9]+")


def flag_arg(args: Mapping[str, str], name: str, default: bool) -> bool:
    raw = args.get(name)
    if raw is None:
        return default
    if raw not in FLAG_VALUES:
        raise ParameterError(f"{name} must be 1 or 0, got {raw[:20]!r}")
    value = FLAG_VALUES[raw]
    return default if value is None else value


def int_arg(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not _WHOLE.fullmatch(raw) or len(raw) > 18:
        raise ParameterError(f"{name} must be a whole number, got {raw[:40]!r}")
    return int(raw)


def date_arg(args: Mapping[str, str], name: str, *, end: bool) -> str | None:
    """A date parameter, checked here so a bad one is a 400 naming it before any search runs."""
    raw = args.get(name) or None
    try:
        parse_bound(raw, end=end)
    except QueryError as exc:
        raise ParameterError(f"{name}: {exc}") from None
    return raw
