"""JSON Lines: one JSON object per line; blank lines are allowed and ignored."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from corpus.encoding import Line
from corpus.errors import RecordError

Item = tuple[int, Any]


def looks_like(sample: str) -> bool:
    """The first thing in the file opens an object."""
    return sample.lstrip().startswith("{")


def read(lines: Iterable[Line]) -> Iterator[Item]:
    """``(line, parsed value or RecordError)``; non-objects are left to the normaliser."""
    for line in lines:
        row = line.text.strip()
        if not row:
            continue
        if not line.ok:
            yield line.number, RecordError("undecodable", "bytes not valid in the file's encoding")
            continue
        try:
            yield line.number, json.loads(row)
        except json.JSONDecodeError as exc:
            yield line.number, RecordError("bad-json", f"{exc.msg} at column {exc.colno}")
