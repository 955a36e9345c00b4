"""Encodings and gzip are told from the bytes, never from the file name."""

import codecs
import gzip

import pytest

from corpus.encoding import Line, decode_lines, detect_encoding
from corpus.source import open_source

TEXT = "标题,日期\n京东调整运费险,2024-05-01\n淘宝推出退货包邮,2024-05-02\n"


@pytest.mark.parametrize("data, expected", [
    (b"title,date\nplain ascii\n", "utf-8"),
    (b"", "utf-8"),
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb2312"), "gb18030"),
    ((TEXT + "€ 𠀀 ㈠\n").encode("gb18030"), "gb18030"),
    # a character cut in half at the end of the sample is still UTF-8
    (TEXT.encode("utf-8") + "标".encode()[:2], "utf-8"),
    # one corrupt line among good ones keeps the file UTF-8
    (TEXT.encode("utf-8") + b"\xff\xfe broken\n" + TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("utf-16"), None),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
])
def test_detect_encoding(data, expected):
    assert detect_encoding(data) == expected


def test_each_line_is_decoded_on_its_own():
    lines = [b"ok \xe6\xa0\x87\n", b"bad \xff\n", "也好".encode()]
    assert list(decode_lines(lines, "utf-8")) == [
        Line(1, "ok 标\n", True), Line(2, "bad \ufffd\n", False), Line(3, "也好", True)]


@pytest.mark.parametrize("name, compress", [
    ("a.csv", False), ("a.csv.gz", True), ("a.csv.data", True), ("not-really.gz", False)])
def test_gzip_is_told_by_its_magic_bytes(tmp_path, name, compress):
    data = TEXT.encode("gbk")
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if compress else data)
    source = open_source(path)
    try:
        assert source.encoding == "gb18030"
        assert [line.text for line in source.lines()] == TEXT.splitlines(keepends=True)
        assert source.position() == path.stat().st_size
    finally:
        source.close()


def test_a_long_gb18030_file_streams_without_breaking_characters(tmp_path):
    row = "第{}条：拼多多调整“自动跟价”服务协议，淘宝将推出无限次退货包邮。\n"
    text = "".join(row.format(i) for i in range(5000))  # far beyond one read-ahead buffer
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("gb18030"))
    source = open_source(path)
    try:
        lines = list(source.lines())
    finally:
        source.close()
    assert all(line.ok for line in lines)
    assert "".join(line.text for line in lines) == text
