"""What one request may ask of the server: every cap in one object, set from the environment.

Defaults suit a laptop serving a research group; a public deployment can tighten them
(``ZHSEARCH_MAX_QUERY_CHARS=200``), a batch user can loosen them. Wildcards (``*``, ``?``)
are not operators in the query language (they are searched as the text they are), so no
query can expand to the whole vocabulary and there is no expansion limit to set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from search import config_values as check
from search.errors import ConfigError


@dataclass(frozen=True)
class Limits:
    #: Characters in ``q``.
    query_chars: int = 500
    #: Words, phrases and ranges in ``q`` (each costs one or more index lookups).
    query_terms: int = 32
    #: ``per_page`` at most.
    per_page: int = 100
    #: How deep paging goes (``page * per_page``).
    depth: int = 10_000
    #: Articles in one CSV / JSON Lines export.
    export_rows: int = 200_000
    #: KWIC lines in one answer.
    kwic_lines: int = 5_000
    #: Seconds of matching before a search stops and answers with what it has (``timed_out``).
    search_seconds: float = 5.0

    ENV_PREFIX = "ZHSEARCH_MAX_"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Limits:
        """``ZHSEARCH_MAX_QUERY_CHARS``, ``ZHSEARCH_MAX_SEARCH_SECONDS``, … override the defaults."""
        names = {cls.ENV_PREFIX + f.name.upper(): f for f in fields(cls)}
        unknown = sorted(k for k in env if k.startswith(cls.ENV_PREFIX) and k not in names)
        if unknown:  # a misspelt limit would otherwise be silently ignored
            raise ConfigError(f"{unknown[0]} is not a setting; limits are: {', '.join(names)}")
        values: dict[str, int | float] = {}
        for name, f in names.items():
            raw = env.get(name)
            if raw not in (None, ""):
                values[f.name] = check.number(name, raw, whole=f.type != "float", minimum=0, above=True)
        return cls(**values)

    def to_dict(self) -> dict[str, int | float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
