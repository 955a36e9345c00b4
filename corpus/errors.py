"""What can go wrong while reading a corpus, and how a skipped record is reported.

Reason codes, stable because the CLI counts skips by them:

=====================  ==========================================================
``no-title``           the record has no (or an empty) title
``bad-date``           a date is given but cannot be read
``bad-json``           a line (or array element) is not valid JSON
``not-an-object``      valid JSON, but not an object
``too-large``          title and text together longer than ``MAX_ARTICLE_CHARS`` (a dump, not an article)
``undecodable``        the bytes are not valid in the file's encoding
``bad-row``            a CSV row whose column count differs from the header's
``unreadable``         the file cannot be opened or ends early (line 0: not opened)
``unsupported-format`` binary data, an unknown encoding, or no format we read (line 0)
=====================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

REASONS = ("no-title", "bad-date", "bad-json", "not-an-object", "too-large", "undecodable", "bad-row",
           "unreadable", "unsupported-format")


class CorpusError(Exception):
    """Base class: the input as a whole cannot be read (a missing path, say).

    The class carries how the edges report it: HTTP status for the web layer, exit code
    for the CLI.
    """

    http_status = 400
    exit_code = 1


class RecordError(CorpusError, ValueError):
    """One record is unusable; the loader reports it as a :class:`Skip` and goes on.

    Also a ``ValueError``, so callers of :func:`corpus.parse_published` can treat it as
    any other bad value.
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Skip:
    """A record left out, with where it was and why: ``path:line: reason: detail``.

    ``line`` is 1-based, the first line of the record; 0 means the whole file.
    """

    path: str
    line: int
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}: {self.detail}"
