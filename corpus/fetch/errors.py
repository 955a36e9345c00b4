"""What can go wrong fetching a source or an article, one class per reason a person acts on.

All are :class:`corpus.CorpusError` s, so the CLI's one error edge already reports them;
``zhsearch update`` catches them per source, names them in its summary and goes on.
"""

from __future__ import annotations

from corpus.errors import CorpusError


class FetchError(CorpusError):
    """A URL could not be fetched or read."""

    #: Worth trying again later (a 5xx, a timeout); a permanent failure (a 404) is not.
    transient = False


class BadURL(FetchError):
    """Not an http or https URL."""


class Disallowed(FetchError):
    """The site's robots.txt does not let us fetch this URL."""


class HTTPStatus(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int):
        super().__init__(f"HTTP {status} from {url}")
        self.status = status
        self.transient = status >= 500 or status == 429


class Unreachable(FetchError):
    """A timeout or a connection failure, after the retries."""

    transient = True


class TooLarge(FetchError):
    """The response is larger than the size limit."""


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a loop."""


class NotASource(FetchError):
    """The content is neither a feed nor a listing page we can read (or a broken feed)."""
