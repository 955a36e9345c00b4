"""A file that is one JSON object over many lines: one article per file, pretty-printed.

Some scrapers save each article as its own ``.json`` file, indented; such a file starts
with ``{`` like JSON Lines but is one document, so it is read whole (bounded by the file's
size, which for one article is small) and gives one record. Any other single object (a
``manifest.json``, say) then becomes one ``no-title`` skip, not a skip per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from corpus.encoding import Line
from corpus.errors import RecordError

Item = tuple[int, Any]


def looks_like(sample: str) -> bool:
    """Starts with ``{``, and none of the first rows is a whole object on one line.

    >>> looks_like('{\\n  "title": "标题"\\n}\\n')
    True
    >>> looks_like('{"title": "一"}\\n{"title": "二"}\\n')
    False
    """
    rows = [row.strip() for row in sample.splitlines() if row.strip()][:10]
    if len(rows) < 2 or not rows[0].startswith("{"):
        return False
    return not any(row.startswith("{") and row.endswith("}") for row in rows)


def read(lines: Iterable[Line]) -> Iterator[Item]:
    """One ``(line of the opening brace, object or RecordError)``."""
    texts, bad, first = [], None, 0
    for line in lines:
        texts.append(line.text)
        if not first and line.text.strip():
            first = line.number
        if bad is None and not line.ok:
            bad = line.number
    if bad is not None:
        yield bad, RecordError("undecodable", "bytes not valid in the file's encoding")
        return
    try:
        yield first, json.loads("".join(texts))
    except json.JSONDecodeError as exc:
        yield exc.lineno, RecordError("bad-json", f"{exc.msg} at column {exc.colno}")
