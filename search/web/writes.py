"""Adding articles through the API: support staff post an announcement, it is searchable.

Writes go through the same path as ``zhsearch index`` (normalise, extract facts, index
under the directory's write lock), so an article posted here is indistinguishable from
one loaded from a file, and a post racing a running ``zhsearch index`` waits for it.
"""

from __future__ import annotations

import hmac
from typing import Any

from corpus import RecordError
from corpus.normalize import normalize_article
from indexer import BuildOptions, IndexStore, build_index
from search.errors import Forbidden, ParameterError, Unauthorized

#: Articles in one request; a bigger load belongs in a file for ``zhsearch index``.
MAX_ARTICLES_PER_POST = 1000
#: How long a post waits for another writer before answering 503.
LOCK_WAIT_SECONDS = 10.0


def check_token(expected: str | None, authorization: str | None) -> None:
    """Bearer-token check, in constant time. No configured token means writes are off."""
    if not expected:
        raise Forbidden("this server does not accept writes (start it with ZHSEARCH_API_TOKEN set)")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send the write token as 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden("the write token is wrong")


def records(payload: Any) -> list[Any]:
    """The posted records: one object, a list, or ``{"articles": [...]}``."""
    if isinstance(payload, dict) and isinstance(payload.get("articles"), list):
        payload = payload["articles"]
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise ParameterError("no articles in the request")
    if len(items) > MAX_ARTICLES_PER_POST:
        raise ParameterError(f"{len(items)} articles in one request; at most {MAX_ARTICLES_PER_POST} "
                             "(index a file with `zhsearch index` for more)")
    return items


def add_documents(store: IndexStore, payload: Any, source: str = "api") -> dict[str, Any]:
    """Index the posted articles; bad records are listed by position and skipped, never all lost."""
    articles, skipped = [], []
    for position, raw in enumerate(records(payload)):
        try:
            articles.append(normalize_article(raw, default_source=source))
        except RecordError as exc:
            skipped.append({"index": position, "reason": exc.reason, "detail": exc.detail})
    if not articles:
        raise ParameterError("no usable article in the request: "
                             + "; ".join(f"#{s['index']}: {s['reason']}" for s in skipped[:5]))
    report = build_index(store, articles, BuildOptions(lock_wait=LOCK_WAIT_SECONDS))
    return {"indexed": report.indexed, "updated": report.updated, "duplicates": report.duplicates,
            "ids": [a.id for a in articles], "skipped": skipped}
