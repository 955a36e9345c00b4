"""Bytes of a web page to text: GBK pages are read right whatever their headers claim.

Chinese sites often declare ``charset=gb2312`` for pages with characters outside GB2312,
or declare nothing, or send ``utf-8`` in the header for a GBK page. So the bytes decide:
UTF-8 if they are valid UTF-8, else the declared charset when it decodes them cleanly
(widened to GB18030 when it is a GB family name), else GB18030 if that decodes cleanly,
else corpus.encoding's detector.
"""

from __future__ import annotations

import codecs
import re

from corpus.encoding import detect_encoding

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn"}


def declared_charset(body: bytes, content_type: str = "") -> str | None:
    """The charset from the Content-Type header, else from a <meta> in the first 4 KB."""
    match = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
    if match:
        return match.group(1).lower()
    meta = META_CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii", "replace").lower() if meta else None


def decode_page(body: bytes, content_type: str = "") -> str:
    """The page as text.

    >>> decode_page("规则变更".encode("gbk"), "text/html; charset=utf-8")
    '规则变更'
    >>> decode_page("《规则》".encode("utf-8"), "text/html; charset=gbk")
    '《规则》'
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    if _clean(body, "utf-8"):
        return body.decode("utf-8")
    declared = declared_charset(body, content_type)
    if declared in GB_FAMILY:
        declared = "gb18030"
    for encoding in (declared, "gb18030"):
        if encoding and _clean(body, encoding):
            return body.decode(encoding)
    return body.decode(detect_encoding(body[:65536]) or "gb18030", "replace")


def _clean(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
