"""Atom 1.0 for a page of hits (RFC 4287): what a feed reader needs, written with ElementTree."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from corpus import CHINA_TZ
from search.engine.results import SearchPage

NS = "http://www.w3.org/2005/Atom"


def atom_feed(page: SearchPage, title: str, self_url: str, alternate_url: str, base_url: str) -> bytes:
    """The feed document; entries link to the article's own URL, else to its page here."""
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed")
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    newest = max((h.published for h in page.hits if h.published), default=None)
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(feed, f"{{{NS}}}link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, f"{{{NS}}}link", rel="alternate", type="text/html", href=alternate_url)
    _text(ET.SubElement(feed, f"{{{NS}}}author"), "name", "zhsearch")
    _text(feed, "generator", "zhsearch")
    for hit in page.hits:
        entry = ET.SubElement(feed, f"{{{NS}}}entry")
        local = f"{base_url}/documents/{hit.id}"
        _text(entry, "id", hit.url or local)
        _text(entry, "title", hit.title)
        ET.SubElement(entry, f"{{{NS}}}link", rel="alternate", href=hit.url or local)
        _text(entry, "updated", _stamp(hit.published))
        if hit.published:
            _text(entry, "published", _stamp(hit.published))
        _text(entry, "summary", hit.snippet)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{NS}}}{tag}").text = value


def _stamp(moment: datetime | None) -> str:
    """RFC 3339; an undated article gets the epoch, since ``updated`` is required."""
    if moment is None:
        return "1970-01-01T00:00:00Z"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
