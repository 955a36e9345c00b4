"""Articles from the web: a polite HTTP client, feeds and listing pages, and article extraction.

``Fetcher`` gets pages (robots.txt, conditional requests, per-host delay, limits, retries),
``read_source`` turns a source's page into :class:`Item` s, ``fetch_article`` turns an item
into an :class:`corpus.Article` with an id from its canonical URL. Nothing here keeps
state between runs: the caller stores validators and seen items.
"""

from corpus.fetch.article import Page, build_article, fetch_article
from corpus.fetch.decode import decode_page
from corpus.fetch.errors import (
    BadURL,
    Disallowed,
    FetchError,
    HTTPStatus,
    NotASource,
    TooLarge,
    TooManyRedirects,
    Unreachable,
)
from corpus.fetch.http import Fetched, Fetcher, Validators
from corpus.fetch.items import Item
from corpus.fetch.policy import FetchPolicy, user_agent
from corpus.fetch.source import read_source
from corpus.fetch.urls import canonical_url, check_url

__all__ = ["BadURL", "Disallowed", "FetchError", "FetchPolicy", "Fetched", "Fetcher", "HTTPStatus", "Item",
           "NotASource", "Page", "TooLarge", "TooManyRedirects", "Unreachable", "Validators", "build_article",
           "canonical_url", "check_url", "decode_page", "fetch_article", "read_source", "user_agent"]
