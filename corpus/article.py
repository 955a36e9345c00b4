"""The one record every reader produces and every later stage consumes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

#: All our sources publish in China time; naive timestamps are read as this zone.
CHINA_TZ = timezone(timedelta(hours=8), name="Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Article:
    """A news article, normalised.

    ``published`` is timezone-aware (China time) or ``None`` for undated
    sources such as headline datasets; everything else is plain text.
    """

    id: str
    title: str
    content: str = ""
    published: datetime | None = None
    url: str = ""
    source: str = ""
    category: str = ""
