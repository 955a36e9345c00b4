"""One polite HTTP client: who we are, robots.txt, conditional requests, delays, limits, retries.

httpx does the HTTP (timeouts, streaming, connection reuse); this module adds what a
crawler owes the sites it reads. Redirects are followed here, not by httpx, so each hop
is checked for its scheme and robots.txt and a loop is cut off at ``max_redirects``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self
from urllib.parse import urljoin

import httpx

from corpus.fetch.errors import HTTPStatus, TooLarge, TooManyRedirects, Unreachable
from corpus.fetch.policy import FetchPolicy, user_agent
from corpus.fetch.robots import RobotsRules
from corpus.fetch.urls import check_url, host_of

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Validators:
    """What the server said identifies this version (for If-None-Match / If-Modified-Since)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A response: ``body`` is empty when ``not_modified`` (a 304)."""

    url: str
    status: int
    body: bytes
    content_type: str
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetch URLs politely; one per update run (it remembers robots.txt and when it last hit a host)."""

    def __init__(self, policy: FetchPolicy | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.policy = policy or FetchPolicy.from_env()
        self._client = httpx.Client(headers={"User-Agent": user_agent()}, follow_redirects=False,
                                    timeout=self.policy.timeout)
        self._last_hit: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._clock, self._sleep = clock, sleep

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET ``url`` (following redirects); 304 when ``validators`` still hold. Raises FetchError."""
        url = check_url(url)
        for _hop in range(self.policy.max_redirects + 1):
            self.robots(url).check(url)
            fetched, location = self._with_retries(url, validators or Validators())
            if location is None:
                return fetched
            url = check_url(urljoin(url, location))
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects from {url}")

    def robots(self, url: str) -> RobotsRules:
        """The rules of ``url``'s host, fetched once per run (404: everything allowed)."""
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = RobotsRules.load(host, self._robots_text)
        return self._robots[host]

    def _robots_text(self, url: str) -> tuple[int, str]:
        fetched, _location = self._with_retries(url, Validators(), error_status=False)
        return fetched.status, fetched.body.decode("utf-8", "replace")

    def post_json(self, url: str, payload: object, timeout: float = 10.0) -> int:
        """POST JSON once (webhooks); the status, or Unreachable. No robots: the operator named it."""
        try:
            return self._client.post(check_url(url), json=payload, timeout=timeout).status_code
        except httpx.HTTPError as exc:
            raise Unreachable(f"{url}: {exc.__class__.__name__} {exc}") from None

    def _with_retries(self, url: str, validators: Validators,
                      error_status: bool = True) -> tuple[Fetched, str | None]:
        attempt = 0
        while True:
            try:
                fetched, location = self._once(url, validators)
                if error_status and fetched.status >= 400:
                    raise HTTPStatus(url, fetched.status)
                return fetched, location
            except (HTTPStatus, Unreachable) as exc:
                if not exc.transient or attempt >= self.policy.retries:
                    raise
                wait = self.policy.backoff * 2 ** attempt
                log.info("%s; retrying in %.1f s", exc, wait)
                self._sleep(wait)
                attempt += 1

    def _once(self, url: str, validators: Validators) -> tuple[Fetched, str | None]:
        self._wait_for_host(url)
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                location = response.headers.get("location") if response.status_code in REDIRECTS else None
                body = b"" if location or response.status_code == 304 else self._read(url, response)
        except httpx.TimeoutException:
            raise Unreachable(f"timed out after {self.policy.timeout:g} s: {url}") from None
        except httpx.HTTPError as exc:
            raise Unreachable(f"cannot fetch {url}: {exc}") from None
        found = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
        return Fetched(url, response.status_code, body, response.headers.get("content-type", ""), found), location

    def _read(self, url: str, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(f"{url} is {int(declared):,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"{url} is over the {limit:,}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_for_host(self, url: str) -> None:
        host = host_of(url)
        last = self._last_hit.get(host)
        if last is not None:
            wait = last + self.policy.delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_hit[host] = self._clock()
