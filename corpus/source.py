"""An opened corpus file: gunzipped if its bytes say so, its encoding, its numbered lines.

Gzip is recognised by its magic bytes (``1f 8b``), not the name, so ``feed.jsonl`` that
is really compressed still reads, and ``x.gz`` that is not still reads as text.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from corpus.encoding import SAMPLE_BYTES, Line, decode_lines, detect_encoding, is_binary

GZIP_MAGIC = b"\x1f\x8b"
#: What a damaged, truncated or vanished file raises while being read.
READ_ERRORS = (OSError, EOFError, zlib.error)


@dataclass
class Source:
    """An open input: decompressed bytes, the encoding found, and the raw file for progress."""

    path: Path
    raw: BinaryIO
    stream: BinaryIO
    sample: bytes
    encoding: str | None
    lines_read: int = 0

    @property
    def sample_text(self) -> str:
        """The sample as text (bad bytes replaced): enough to tell the format."""
        text = self.sample.decode(self.encoding or "utf-8", errors="replace")
        return text.lstrip("\ufeff")

    @property
    def why_unsupported(self) -> str:
        if is_binary(self.sample):
            return "binary data (NUL bytes), not a text file"
        return "not text in UTF-8, GB18030 or another encoding we can tell"

    def lines(self) -> Iterator[Line]:
        """Numbered decoded lines; needs :attr:`encoding` (check it is not None first)."""
        assert self.encoding is not None
        for line in decode_lines(self.stream, self.encoding):
            self.lines_read = line.number
            yield line

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for gzip)."""
        try:
            return self.raw.tell()
        except READ_ERRORS:
            return 0

    def close(self) -> None:
        self.stream.close()
        self.raw.close()


def open_source(path: Path) -> Source:
    """Open ``path`` and read its sample; raises one of :data:`READ_ERRORS` if it can't."""
    raw = open(path, "rb", buffering=SAMPLE_BYTES)  # noqa: SIM115 - the Source closes it
    try:
        if raw.peek(2)[:2] != GZIP_MAGIC:
            sample = raw.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
            return Source(path, raw, raw, sample, detect_encoding(sample))
        stream = gzip.GzipFile(fileobj=raw, mode="rb")
        sample = _gzip_sample(stream)
        stream.seek(0)
    except BaseException:
        raw.close()
        raise
    return Source(path, raw, stream, sample, detect_encoding(sample))  # type: ignore[arg-type]


def _gzip_sample(stream: gzip.GzipFile) -> bytes:
    """The decompressed start, as much as there is: a truncated file still shows its format."""
    parts: list[bytes] = []
    size = 0
    while size < SAMPLE_BYTES:
        try:
            part = stream.read(8192)
        except READ_ERRORS:
            if not parts:
                raise
            break
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)[:SAMPLE_BYTES]
