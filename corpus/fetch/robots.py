"""robots.txt, read with the standard library's parser, for our User-Agent."""

from __future__ import annotations

import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass

from corpus.fetch.errors import Disallowed, FetchError
from corpus.fetch.policy import user_agent


@dataclass
class RobotsRules:
    """One host's rules; ``check(url)`` raises :class:`Disallowed` where they forbid us."""

    host: str
    parser: urllib.robotparser.RobotFileParser | None  # None: no robots.txt, all allowed

    @classmethod
    def load(cls, host: str, get: Callable[[str], tuple[int, str]]) -> RobotsRules:
        """Fetch ``host/robots.txt``: a 4xx means no rules; 5xx or unreachable, stay away (RFC 9309)."""
        try:
            status, text = get(host + "/robots.txt")
        except FetchError as exc:
            raise FetchError(f"cannot read {host}/robots.txt, so not fetching from it: {exc}") from None
        if 400 <= status < 500:
            return cls(host, None)
        if status >= 500:
            raise FetchError(f"{host}/robots.txt answers HTTP {status}, so not fetching from it")
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        return cls(host, parser)

    def check(self, url: str) -> None:
        if self.parser is not None and not self.parser.can_fetch(user_agent(), url):
            raise Disallowed(f"robots.txt of {self.host} disallows {url}")
