"""From a raw record (any of the field names people use) to a frozen :class:`Article`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from corpus.article import CHINA_TZ, Article
from corpus.errors import RecordError

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id"),
    "title": ("title", "headline"),
    "content": ("content", "summary", "body", "text"),
    "published": ("published", "date", "time", "pubdate", "datetime"),
    "url": ("url", "link"),
    "source": ("source", "publisher"),
    "category": ("category", "cat", "channel"),
}

_CN_DATE = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?)?$")
_SLASH_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def pick(raw: Mapping[str, Any], field: str) -> Any:
    """The first non-empty value among the names ``field`` goes by."""
    for name in ALIASES[field]:
        value = raw.get(name)
        if value not in (None, ""):
            return value
    return None


def text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def parse_published(value: Any) -> datetime | None:
    """A timezone-aware datetime (China time unless the value carries an offset), or None.

    >>> parse_published("2024-03-01").isoformat()
    '2024-03-01T00:00:00+08:00'
    >>> parse_published("2024年3月1日 9:30").isoformat()
    '2024-03-01T09:30:00+08:00'
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, CHINA_TZ)
    else:
        raw = str(value).strip()
        if not raw:
            return None
        parsed = _parse_text(raw)
        if parsed is None:
            raise RecordError("bad-date", f"cannot read date {raw[:40]!r}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=CHINA_TZ)
    return parsed.astimezone(CHINA_TZ)


def _parse_text(raw: str) -> datetime | None:
    candidate = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    if raw.isdigit() and len(raw) in (10, 13):
        return datetime.fromtimestamp(int(raw) / (1000 if len(raw) == 13 else 1), CHINA_TZ)
    for pattern in (_CN_DATE, _SLASH_DATE):
        match = pattern.match(raw)
        if match:
            parts = [int(p) if p else 0 for p in match.groups()]
            try:
                return datetime(*parts)
            except ValueError:
                return None
    return None


def make_id(raw_id: Any, url: str, title: str, published: datetime | None) -> str:
    """The record's own id, else a stable hash of its URL, else of title and time.

    >>> make_id(None, "https://x/1", "t", None) == make_id(None, "https://x/1", "other", None)
    True
    """
    if raw_id not in (None, ""):
        return str(raw_id).strip()
    if url:
        return "u-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    stamp = published.isoformat() if published else ""
    return "h-" + hashlib.sha1(f"{title}\x1f{stamp}".encode()).hexdigest()[:16]


def normalize_article(raw: Mapping[str, Any], *, default_source: str = "") -> Article:
    """An :class:`Article` from a raw record; :class:`RecordError` if it cannot be one."""
    if not isinstance(raw, Mapping):
        raise RecordError("not-an-object", f"expected an object, got {type(raw).__name__}")
    title = text(pick(raw, "title"))
    if not title:
        raise RecordError("no-title", "the record has no title")
    published = parse_published(pick(raw, "published"))
    url = text(pick(raw, "url"))
    return Article(
        id=make_id(pick(raw, "id"), url, title, published),
        title=title,
        content=text(pick(raw, "content")),
        published=published,
        url=url,
        source=text(pick(raw, "source")) or default_source,
        category=text(pick(raw, "category")),
    )
