"""Which text encoding a file is in, decided from its bytes; then one line at a time.

Chinese news files come as UTF-8, UTF-8 with a BOM, or GB18030/GBK/GB2312 with no
declaration, whatever their name says. A sample of the (decompressed) start decides:

1. a UTF-8 BOM means ``utf-8-sig``; NUL bytes mean binary (or UTF-16/32): not ours;
2. ``utf-8`` if the sample decodes, or if at least half of its non-ASCII lines do (GBK
   text almost never forms valid UTF-8, so one corrupt line must not turn a UTF-8 file
   into GB18030);
3. ``gb18030`` (a superset of GBK and GB2312) if most non-ASCII lines decode as it;
4. else charset-normalizer's best guess, if that encoding keeps ASCII (so ``\\n`` still
   ends lines); else None.

Each line is then decoded on its own, so one corrupt line is one skipped record, not a
lost file. Splitting bytes at ``\\n`` is safe for all these encodings: no multi-byte
character contains the byte 0x0A.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import NamedTuple

#: Bytes of a file's start that decide its encoding and format.
SAMPLE_BYTES = 64 * 1024


class Line(NamedTuple):
    """One line of a text file: 1-based number, text with its line ending, and whether the
    bytes were valid (if not, ``text`` has U+FFFD where they were not)."""

    number: int
    text: str
    ok: bool


def detect_encoding(sample: bytes) -> str | None:
    """``utf-8-sig``, ``utf-8``, ``gb18030``, a guessed ASCII-compatible codec, or None.

    >>> detect_encoding("中文标题".encode("gbk"))
    'gb18030'
    >>> detect_encoding(codecs.BOM_UTF8 + "中文".encode())
    'utf-8-sig'
    >>> detect_encoding("中文".encode("utf-16")) is None
    True
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if is_binary(sample):
        return None
    if _decodes(sample, "utf-8"):
        return "utf-8"
    rows = [row for row in sample.split(b"\n") if not row.isascii()]
    valid_utf8 = sum(_decodes(row, "utf-8") for row in rows)
    if valid_utf8 * 2 >= len(rows):
        return "utf-8"
    if sum(_decodes(row, "gb18030") for row in rows) * 2 > len(rows):
        return "gb18030"
    return _guess(sample)


def is_binary(sample: bytes) -> bool:
    """NUL bytes never occur in text we read (they do in UTF-16, images, archives)."""
    return b"\x00" in sample


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(data, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def _guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes  # rare path: pay for the import only here

    best = from_bytes(sample).best()
    if best is None:
        return None
    encoding = best.encoding
    try:
        keeps_ascii = "\n,{}[]:\"".encode(encoding) == b"\n,{}[]:\""
    except (LookupError, UnicodeError):
        return None
    return encoding if keeps_ascii else None


def decode_lines(raw_lines: Iterable[bytes], encoding: str) -> Iterator[Line]:
    """Number and decode each line on its own; a bad line comes with ``ok=False``.

    >>> list(decode_lines([b"a\\n", b"\\xff\\n"], "utf-8"))
    [Line(number=1, text='a\\n', ok=True), Line(number=2, text='\\ufffd\\n', ok=False)]
    """
    for number, raw in enumerate(raw_lines, 1):
        try:
            yield Line(number, raw.decode(encoding), True)
        except UnicodeDecodeError:
            yield Line(number, raw.decode(encoding, errors="replace"), False)
