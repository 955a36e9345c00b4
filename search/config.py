"""Where the index is and how the app behaves: defaults, then environment, then arguments."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

import indexer  # the writer itself loads only when a sample index must be built
from corpus import read_articles, sample_path
from indexer import IndexStore
from indexer.errors import IndexNotFound
from search import config_values as check
from search.errors import ConfigError
from search.limits import Limits

log = logging.getLogger(__name__)

ENV_INDEX = "ZHSEARCH_INDEX"


def default_index_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``$ZHSEARCH_INDEX``, else the per-user data directory (``~/.local/share/zhsearch/index``)."""
    if env.get(ENV_INDEX):
        return check.path(ENV_INDEX, env[ENV_INDEX])
    return Path(platformdirs.user_data_dir("zhsearch", appauthor=False)) / "index"


def resolve_index_dir(option: str | os.PathLike[str] | None, env: Mapping[str, str] = os.environ) -> Path:
    return Path(option).expanduser() if option else default_index_dir(env)


@dataclass(frozen=True)
class AppConfig:
    """What ``create_app`` needs; built from defaults, ``ZHSEARCH_*`` and the caller's mapping."""

    index_dir: Path
    refresh_seconds: float = 1.0
    #: Build the bundled sample when there is no index: only at the default location, so a
    #: mistyped ``--index`` path is reported instead of silently filled with the sample.
    build_sample_if_missing: bool = True
    #: Extra synonym files and query-time dictionaries (apply without re-indexing).
    synonyms: tuple[Path, ...] = ()
    query_userdicts: tuple[Path, ...] = ()
    limits: Limits = Limits()
    #: Bearer token that enables ``POST /api/documents``; unset, the API is read-only.
    api_token: str | None = None
    #: Largest request body accepted (a posted batch of articles).
    max_request_mb: float = 10.0
    #: Result pages kept for repeated searches and paging (0: none); see search/engine/cache.py.
    cache_pages: int = 256
    #: Decoded posting lists kept per server process, in MB (see search/engine/arrays.py).
    postings_mb: float = 256.0

    @classmethod
    def from_sources(cls, overrides: Mapping[str, object] | None = None,
                     env: Mapping[str, str] = os.environ) -> AppConfig:
        """Defaults, then ``ZHSEARCH_*``, then ``overrides``; every value checked here, at
        start-up, as a :class:`ConfigError` naming the variable or key that is wrong."""
        values: dict[str, object] = {"index_dir": default_index_dir(env), "limits": Limits.from_env(env)}
        for name, key in ENV_SETTINGS.items():
            if env.get(name):
                values[key] = _READERS[key](name, env[name])
        given = {key.lower(): (key, value) for key, value in (overrides or {}).items()}
        for key, (spelled, value) in given.items():
            if key not in _READERS:
                raise ConfigError(f"unknown setting {spelled!r}; settings are: {', '.join(_READERS)}")
            values[key] = _READERS[key](f"{spelled} (app config)", value)
        values.setdefault("build_sample_if_missing", "index_dir" not in given)
        return cls(**values)  # type: ignore[arg-type]


def _limits(name: str, raw: object) -> Limits:
    if not isinstance(raw, Limits):
        raise ConfigError(f"{name} must be a Limits object (or set ZHSEARCH_MAX_* variables)")
    return raw


#: How each setting is read and checked: ``reader(name to blame, raw value)``.
_READERS: dict[str, Callable[[str, object], object]] = {
    "index_dir": check.path,
    "refresh_seconds": lambda name, raw: check.number(name, raw, whole=False, minimum=0),
    "build_sample_if_missing": check.flag,
    "synonyms": check.paths,
    "query_userdicts": check.paths,
    "limits": _limits,
    "api_token": lambda name, raw: None if raw is None else check.token(name, raw),
    "max_request_mb": lambda name, raw: check.number(name, raw, whole=False, minimum=0, above=True),
    "cache_pages": lambda name, raw: check.number(name, raw, whole=True, minimum=0),
    "postings_mb": lambda name, raw: check.number(name, raw, whole=False, minimum=0, above=True),
}
#: ``ZHSEARCH_*`` variables -> the setting they give (``ZHSEARCH_MAX_*`` go to :class:`Limits`).
ENV_SETTINGS = {"ZHSEARCH_CACHE_PAGES": "cache_pages", "ZHSEARCH_API_TOKEN": "api_token",
                "ZHSEARCH_REFRESH_SECONDS": "refresh_seconds", "ZHSEARCH_POSTINGS_MB": "postings_mb"}


def ensure_index(store: IndexStore, announce: Callable[[str], None] = log.info,
                 explicit: bool = False) -> indexer.BuildReport | None:
    """Build the index from the bundled sample if there is none yet, saying so.

    Only at the default location: an index directory the user named (``explicit``) that
    holds no index is most likely a typo, and filling it with the sample would hide that.
    """
    if store.exists():
        return None
    if explicit:
        raise IndexNotFound(f"no index at {store.path}; build one with `zhsearch index PATH --index {store.path}`")
    announce(f"No index at {store.path}: building it from the bundled sample corpus first.")
    return indexer.build_index(store, read_articles([sample_path()]))
