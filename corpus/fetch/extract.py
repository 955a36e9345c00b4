"""An article page to title, time and body, with trafilatura.

trafilatura is maintained, benchmarks among the best main-text extractors, handles CJK
pages (no word-boundary assumptions), and finds publication dates through htmldate
(meta tags, JSON-LD, URL and visible dates). It also reports the page's canonical URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class Extracted:
    title: str = ""
    published: str = ""
    body: str = ""
    canonical: str = ""


def extract_page(text: str, url: str) -> Extracted:
    """What the page says; empty fields where it does not (the feed's entry then stands in)."""
    doc = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    if doc is None:
        return Extracted()
    return Extracted(title=(doc.title or "").strip(), published=doc.date or "",
                     body=(doc.text or "").strip(), canonical=doc.url or "")
