"""Articles from the web: a polite HTTP client, feeds and listing pages, and article extraction.

``Fetcher`` gets pages (robots.txt, conditional requests, per-host delay, limits, retries),
``read_source`` turns a source's page into :class:`Item` s, ``fetch_article`` turns an item
into an :class:`corpus.Article` with an id from its canonical URL. Nothing here keeps
state between runs: the caller stores validators and seen items.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Where each public name lives. Loaded on first use (PEP 562): the extractor and the HTTP
#: client cost a third of a second to import, and every `zhsearch` command that does not
#: fetch (search, index, --help) would otherwise pay it.
_HOMES = {
    "Page": "article", "build_article": "article", "fetch_article": "article",
    "decode_page": "decode",
    **dict.fromkeys(("BadURL", "Disallowed", "FetchError", "HTTPStatus", "NotASource", "TooLarge",
                     "TooManyRedirects", "Unreachable"), "errors"),
    "Fetched": "http", "Fetcher": "http", "Validators": "http",
    "Item": "items",
    "FetchPolicy": "policy", "user_agent": "policy",
    "read_source": "source",
    "canonical_url": "urls", "check_url": "urls",
}

__all__ = ["BadURL", "Disallowed", "FetchError", "FetchPolicy", "Fetched", "Fetcher", "HTTPStatus", "Item",
           "NotASource", "Page", "TooLarge", "TooManyRedirects", "Unreachable", "Validators", "build_article",
           "canonical_url", "check_url", "decode_page", "fetch_article", "read_source", "user_agent"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
