"""Articles as stored in the state file while they wait to be indexed (JSON, lossless)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from corpus import Article


def to_record(article: Article) -> str:
    fields = {"id": article.id, "title": article.title, "content": article.content,
              "published": article.published.isoformat() if article.published else None,
              "url": article.url, "source": article.source, "category": article.category}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def from_record(record: str) -> Article:
    fields = json.loads(record)
    if fields["published"]:
        fields["published"] = datetime.fromisoformat(fields["published"])
    return Article(**fields)


def digest(article: Article) -> str:
    """Changes when the article's words change. Not its time: a feed and a listing often give the
    same article different times (time zone, minutes), which is not a change worth re-indexing."""
    return hashlib.sha1(f"{article.title}\x1f{article.content}".encode()).hexdigest()
