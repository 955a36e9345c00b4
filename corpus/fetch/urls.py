"""Canonical URLs: the same article reached by two links gets one id."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from corpus.fetch.errors import BadURL

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Query parameters that say where a reader came from, not which page it is.
TRACKING = ("utm_", "spm", "from", "source", "share", "fbclid", "gclid", "_hsenc", "mc_")


def check_url(url: str) -> str:
    """``url`` if it is http(s) with a host; :class:`BadURL` otherwise (no file://, ftp://…).

    >>> check_url("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    corpus.fetch.errors.BadURL: only http and https URLs can be fetched, not 'file:///etc/passwd'
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise BadURL(f"only http and https URLs can be fetched, not {url[:200]!r}")
    return url.strip()


def canonical_url(url: str, base: str | None = None) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query.

    >>> canonical_url("HTTPS://News.Example.com:443/a/1.html?utm_source=rss&b=2&a=1#top")
    'https://news.example.com/a/1.html?a=1&b=2'
    >>> canonical_url("/a/2.html", base="http://x.cn/list/")
    'http://x.cn/a/2.html'
    """
    parts = urlsplit(check_url(urljoin(base, url) if base else url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING))
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def host_of(url: str) -> str:
    """``scheme://host[:port]``: the unit robots.txt and the per-host delay apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
