"""Which reader a file needs, told from its content; the name is not asked.

In order: ``[`` first means a JSON array; ``{`` on a line of its own a single pretty-printed
JSON object, ``{`` otherwise JSON Lines; a numbered line followed by a time line a listing
page; a first row naming a title column CSV (comma, tab or semicolon). Anything else (a
``.txt`` of notes, say) is no format we read.

Every reader takes numbered :class:`~corpus.encoding.Line` s and yields
``(line number, raw record)`` pairs, where the record is what the file holds (usually a
dict) or the :class:`~corpus.errors.RecordError` saying why that line is no record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from corpus import csvfile, jsonarray, jsondoc, jsonlines, listing
from corpus.encoding import Line

Reader = Callable[[Iterable[Line]], Iterator[tuple[int, Any]]]

#: (name, does the sample look like it, reader), in the order they are tried.
FORMATS: tuple[tuple[str, Callable[[str], bool], Reader], ...] = (
    ("json", jsonarray.looks_like, jsonarray.read),
    ("json-object", jsondoc.looks_like, jsondoc.read),
    ("jsonl", jsonlines.looks_like, jsonlines.read),
    ("listing", listing.looks_like, listing.read),
    ("csv", csvfile.looks_like, csvfile.read),
)
READERS: dict[str, Reader] = {name: reader for name, _, reader in FORMATS}


def sniff(sample: str) -> str | None:
    """``json``, ``json-object``, ``jsonl``, ``listing``, ``csv``, or None (no format we read).

    >>> sniff('  [{"title": "标题"}]'), sniff("title,date\\n标题,2024-01-01"), sniff("随便写写")
    ('json', 'csv', None)
    """
    return next((name for name, looks_like, _ in FORMATS if looks_like(sample)), None)
