"""What a feed or listing says about one article, before its page is fetched."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One entry of a source: where the article is, and the title, time and summary shown for it."""

    url: str
    title: str
    published: str = ""
    summary: str = ""

    @property
    def fingerprint(self) -> str:
        """Changes when the entry's text changes, not when it moves on the page.

        >>> Item("u", "t", "2024", "s").fingerprint == Item("u", "t", "2024", "s").fingerprint
        True
        """
        text = f"{self.title}\x1f{self.published}\x1f{self.summary}"
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
