"""Setting values read from text (``ZHSEARCH_*`` variables) or taken from the app factory's
mapping, each checked with an error that names the setting.

A server started with ``ZHSEARCH_REFRESH_SECONDS=1s`` must stop at once with one line
saying which variable is wrong and what it takes, not with a ``ValueError`` from deep
inside, or (worse) start and misbehave on the first request.
"""

from __future__ import annotations

import math
from pathlib import Path

from search.errors import ConfigError


def number(name: str, raw: object, *, whole: bool, minimum: float, above: bool = False) -> int | float:
    """A finite number at least ``minimum`` (more than it when ``above``); text is parsed.

    >>> number("ZHSEARCH_CACHE_PAGES", "12", whole=True, minimum=0)
    12
    >>> number("ZHSEARCH_REFRESH_SECONDS", "nan", whole=False, minimum=0)
    Traceback (most recent call last):
    search.errors.ConfigError: ZHSEARCH_REFRESH_SECONDS must be a number of 0 or more, got 'nan'
    """
    kind = "a whole number" if whole else "a number"
    bound = f"more than {minimum:g}" if above else f"{minimum:g} or more"
    try:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise TypeError(raw)
        value = int(raw) if whole else float(raw)
        if whole and isinstance(raw, float) and raw != value:
            raise ValueError(raw)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{name} must be {kind} of {bound}, got {_shown(raw)}") from None
    if not math.isfinite(value) or value < minimum or (above and value == minimum):
        raise ConfigError(f"{name} must be {kind} of {bound}, got {_shown(raw)}")
    return value


def token(name: str, raw: object) -> str:
    """A bearer token as a client can send it: visible ASCII, no spaces (HTTP header text)."""
    if not isinstance(raw, str) or not raw or not all("!" <= ch <= "~" for ch in raw):
        raise ConfigError(f"{name} must be printable ASCII without spaces (it is sent in a header)")
    return raw


def path(name: str, raw: object) -> Path:
    """A directory or file path; a NUL byte would fail later, at the first open."""
    if not isinstance(raw, (str, Path)) or not str(raw).strip() or "\x00" in str(raw):
        raise ConfigError(f"{name} must be a path, got {_shown(raw)}")
    return Path(raw).expanduser()


def paths(name: str, raw: object) -> tuple[Path, ...]:
    """Several paths: a list or tuple of them (one string is one path, not its letters)."""
    items = (raw,) if isinstance(raw, (str, Path)) else raw
    if not isinstance(items, (list, tuple)):
        raise ConfigError(f"{name} must be a list of paths, got {_shown(raw)}")
    return tuple(path(name, item) for item in items)


def flag(name: str, raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ConfigError(f"{name} must be true or false, got {_shown(raw)}")
    return raw


def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."
