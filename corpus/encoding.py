"""Bytes to text lines: gzip and encodings are detected from the bytes, never the name.

Chinese news files come as UTF-8, UTF-8 with a BOM, or GB18030/GBK with no declaration.
A sample of the (decompressed) start of the file decides; each line is then decoded on
its own, so one corrupt line is one skipped record, not a lost file.
"""

from __future__ import annotations

import codecs
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
SAMPLE_BYTES = 64 * 1024


@dataclass
class Source:
    """An open input: decompressed bytes, the encoding found, and the raw file for progress."""

    path: Path
    stream: BinaryIO
    raw: BinaryIO
    encoding: str
    sample: bytes

    def close(self) -> None:
        self.stream.close()
        self.raw.close()

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for .gz)."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0


def open_source(path: Path) -> Source:
    raw = open(path, "rb")
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    stream: BinaryIO = gzip.GzipFile(fileobj=raw) if head == GZIP_MAGIC else raw  # type: ignore[assignment]
    buffered = io.BufferedReader(stream) if stream is not raw else raw
    try:
        sample = buffered.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    except (OSError, EOFError):
        raw.close()
        raise
    return Source(path, buffered, raw, detect_encoding(sample), sample)


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` (a superset of GBK and GB2312).

    >>> detect_encoding("中文".encode("gbk"))
    'gb18030'
    >>> detect_encoding(codecs.BOM_UTF8 + "中文".encode())
    'utf-8-sig'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _decodes(sample, "utf-8"):
        return "utf-8"
    rows = [row for row in sample.split(b"\n")[:-1] if not row.isascii()] or [sample]
    for encoding in ("utf-8", "gb18030"):
        # a corrupt line or two must not turn a UTF-8 file into GB18030; GBK text almost
        # never forms valid UTF-8, so a majority of UTF-8 lines is a safe signal
        if sum(_decodes(row, encoding) for row in rows) > len(rows) / 2:
            return encoding
    from charset_normalizer import from_bytes  # rare path: pay for the import only here

    best = from_bytes(sample).best()
    return best.encoding if best is not None else "utf-8"


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def is_binary(sample: bytes) -> bool:
    return b"\x00" in sample[:8192]


def lines(source: Source) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` for each line, numbered from 1."""
    for number, line in enumerate(source.stream, 1):
        yield number, line


def decode(line: bytes, encoding: str, number: int) -> str:
    """Decode one line; the BOM only counts on line 1."""
    text = line.decode(encoding)
    return text.lstrip("\ufeff") if number == 1 else text
