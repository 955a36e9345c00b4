"""How politely and how patiently we fetch: one frozen set of numbers, overridable by environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from importlib.metadata import PackageNotFoundError, version


def user_agent() -> str:
    """``zhsearch/0.1.0 (+https://…)``: who we are, so a site owner can tell and reach us."""
    try:
        ours = version("zhsearch")
    except PackageNotFoundError:  # running from a source tree that was never installed
        ours = "dev"
    return f"zhsearch/{ours} (+https://github.com/zhsearch/zhsearch; news search, honours robots.txt)"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for every request; ``ZHSEARCH_FETCH_<FIELD>`` overrides a default (tests shrink them)."""

    #: Seconds to connect and between bytes; a server slower than this is retried, then reported.
    timeout: float = 20.0
    #: Largest response body read; a bigger one is abandoned, not truncated into a wrong article.
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    #: Attempts after the first, on 5xx, 429 and timeouts; waits grow as backoff * 2**n seconds.
    retries: int = 2
    backoff: float = 1.0
    #: Seconds between two requests to the same host.
    delay: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> FetchPolicy:
        policy = cls()
        for f in fields(cls):
            raw = env.get(f"ZHSEARCH_FETCH_{f.name.upper()}")
            if raw:
                policy = replace(policy, **{f.name: type(getattr(policy, f.name))(float(raw))})
        return policy
