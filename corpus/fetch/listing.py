"""HTML listing pages like the seed's: items with a linked title, a time and a summary.

No site-specific rules: an item is a link whose text reads like a headline (six characters
or more) inside the smallest block that also holds a date or time; the rest of that
block's text, less title and time, is the summary. Navigation links have no time beside
them and so are not items.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from corpus.fetch.errors import BadURL
from corpus.fetch.items import Item
from corpus.fetch.urls import canonical_url

TIME = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
BLOCKS = ("li", "article", "tr", "div", "section", "dd", "p")
MIN_TITLE = 6


def read_listing(text: str, base: str) -> list[Item]:
    """Items in page order, each URL once."""
    root = lxml_html.fromstring(text)
    items: dict[str, Item] = {}
    for link in root.iter("a"):
        item = _item(link, base)
        if item is not None and item.url not in items:
            items[item.url] = item
    return list(items.values())


def _item(link, base: str) -> Item | None:
    title = " ".join(link.text_content().split())
    href = link.get("href")
    if not href or len(title) < MIN_TITLE:
        return None
    block = _block_with_time(link)
    if block is None:
        return None
    try:
        url = canonical_url(href, base)
    except BadURL:  # javascript:, mailto: …
        return None
    whole = " ".join(block.text_content().split())
    stamp = TIME.search(whole.replace(title, " "))
    rest = whole.replace(title, " ").replace(stamp.group(0), " ") if stamp else whole
    return Item(url, title, stamp.group(0) if stamp else "", " ".join(rest.split()))


def _block_with_time(link):
    for parent in link.iterancestors():
        if parent.tag in BLOCKS:
            text = parent.text_content()
            if TIME.search(text.replace(link.text_content(), " ")):
                return parent if _links_in(parent) == 1 else None
        if parent.tag in ("body", "html", "ul", "ol", "table"):
            return None
    return None


def _links_in(block) -> int:
    return sum(1 for a in block.iter("a") if len(" ".join(a.text_content().split())) >= MIN_TITLE)
