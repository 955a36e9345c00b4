"""Each format, with aliases, compression and encodings, read through read_articles."""

import csv
import gzip
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from corpus import CHINA_TZ, read_articles
from corpus.formats import sniff

RECORDS = [
    {"id": "a1", "title": "拼多多调整仅退款规则", "summary": "摘要一", "pubdate": "2024-03-01 09:30:00",
     "link": "https://e/1", "channel": "电商"},
    {"headline": "淘宝推出退货包邮", "body": "正文二", "date": "2024年3月2日", "publisher": "某报", "cat": "零售"},
    {"title": "京东调整运费险", "text": "正文，三", "time": "2024-03-03T10:00:00+08:00", "url": "https://e/3"},
]
FIELDS = ["id", "title", "headline", "summary", "body", "text", "pubdate", "date", "time",
          "link", "url", "channel", "cat", "publisher"]


def as_jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def as_json(records) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


def as_csv(records, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def as_tsv(records) -> str:
    return as_csv(records, "\t")


def as_listing(records) -> str:
    items = [f"  {i}. {r.get('title') or r['headline']}\n    {r.get('pubdate') or r.get('date') or r['time']}\n"
             f"    {r.get('summary') or r.get('body') or r['text']}\n" for i, r in enumerate(records, 1)]
    return "某新闻网\n  • 首页\n  • 快讯\n" + "".join(items) + "  • 1\n  • 2\n  • ›\n"


def load(path):
    skips = []
    return list(read_articles([path], on_skip=skips.append)), skips


def check_records(articles):
    one, two, three = articles
    assert (one.id, one.title, one.content, one.url, one.category) == (
        "a1", "拼多多调整仅退款规则", "摘要一", "https://e/1", "电商")
    assert one.published == datetime(2024, 3, 1, 9, 30, tzinfo=CHINA_TZ)
    assert (two.title, two.content, two.source, two.category) == ("淘宝推出退货包邮", "正文二", "某报", "零售")
    assert two.published == datetime(2024, 3, 2, tzinfo=CHINA_TZ) and two.id.startswith("h-")
    assert (three.content, three.id[:2]) == ("正文，三", "u-")
    assert three.published == datetime(2024, 3, 3, 10, tzinfo=CHINA_TZ)


WRITERS = [("a.jsonl", as_jsonl), ("a.json", as_json), ("a.csv", as_csv), ("a.tsv", as_tsv)]


@pytest.mark.parametrize("name, writer", WRITERS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
@pytest.mark.parametrize("compress", [False, True])
def test_formats_encodings_and_gzip(tmp_path, name, writer, encoding, compress):
    data = writer(RECORDS).encode(encoding)
    path = tmp_path / (name + (".gz" if compress else ""))
    path.write_bytes(gzip.compress(data) if compress else data)
    articles, skips = load(path)
    assert skips == []
    check_records(articles)
    assert all(a.source in ("a", "某报") for a in articles)  # file stem when the record has none


@pytest.mark.parametrize("name, writer", WRITERS + [("a.txt", as_listing)])
def test_content_decides_not_the_name(tmp_path, name, writer):
    path = tmp_path / "misleading.txt.csv.json"
    path.write_bytes(gzip.compress(writer(RECORDS).encode("gb18030")))
    articles, skips = load(path)
    assert skips == [] and [a.title for a in articles] == ["拼多多调整仅退款规则", "淘宝推出退货包邮", "京东调整运费险"]


@pytest.mark.parametrize("text, expected", [
    ('[{"title": "t"}]', "json"), ('\n\n  [\n', "json"), ('{"title": "t"}\n', "jsonl"),
    ('{"title": "t"', "jsonl"), ('{broken\n{"title": "t"}\n', "jsonl"),
    ('{\n  "title": "t"\n}\n', "json-object"), ('{"title": "t",\n "date": "2024-01-01"}', "json-object"),
    ("title,date\n", "csv"), ('"Headline";"Date"\n', "csv"), ("id\ttitle\n", "csv"),
    ("\n\nnavigation\n  1. 标题\n\n  2024-01-01 10:00:00\n", "listing"),
    ("  3. 标题\n  2024年1月1日 10:00\n", "listing"),
    ("1. first point\n2. second point\n", None), ("just some notes\n", None),
    ("name,price\napple,1\n", None), ("", None),
])
def test_sniff(text, expected):
    assert sniff(text) == expected


def test_semicolon_csv_and_quoted_header(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('"Title";"Date"\n"甲;乙";2024-01-01\n', "utf-8")
    articles, skips = load(path)
    assert skips == [] and articles[0].title == "甲;乙"


def lines_of(skips):
    return [(s.line, s.reason) for s in skips]


def test_csv_line_numbers_follow_multi_line_fields_blank_and_bad_lines(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        "title,content,date\n"            # 1
        "甲,\"第一段\n第二段\",2024-01-01\n"  # 2-3
        "\n"                               # 4
        "乙,二,2024-01-02,多余\n".encode()    # 5
        + b"\xff\xfe,bad,2024-01-03\n"    # 6
        + "丙,三,2024-01-04\n".encode()       # 7
        + "丁,\"跨\n行\n的\",明天\n".encode()   # 8-10
        + "戊,五,2024-01-05\n".encode())      # 11
    articles, skips = load(path)
    assert [(a.title, a.content) for a in articles] == [("甲", "第一段\n第二段"), ("丙", "三"), ("戊", "五")]
    assert lines_of(skips) == [(5, "bad-row"), (6, "undecodable"), (8, "bad-date")]


def test_json_array_lines_are_where_each_object_starts(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(as_json([{"title": "一"}, 7, {"title": ""}, {"title": "二"}]), "utf-8")
    articles, skips = load(path)
    assert [a.title for a in articles] == ["一", "二"]
    # indent=2: "[" on 1, {"title": "一"} on 2-4, 7 on 5, {"title": ""} on 6-8
    assert lines_of(skips) == [(5, "not-an-object"), (6, "no-title")]


@pytest.mark.parametrize("body, loaded, expected", [
    ('[{"title": "一"},\n{"title": "二",,}\n, {"title": "三"}]', ["一"], [(2, "bad-json")]),
    ('[{"title": "一"},\n{"title": "二"}', ["一", "二"], [(2, "bad-json")]),
    ('[]', [], []),
    ('[\n]\n', [], []),
    ('[{"title": "一"}, {"title": "二"},\n]', ["一", "二"], []),
])
def test_broken_json_arrays(tmp_path, body, loaded, expected):
    path = tmp_path / "b.json"
    path.write_text(body, "utf-8")
    articles, skips = load(path)
    assert [a.title for a in articles] == loaded
    assert lines_of(skips) == expected


def test_json_array_larger_than_the_read_ahead_streams_with_right_lines(tmp_path):
    records = [{"id": str(i), "title": f"标题{i}", "content": "正文" * 60} for i in range(4000)]
    records[2500] = {"id": "huge", "title": "长文", "content": "很长" * 400_000}  # > 2 chunks alone
    path = tmp_path / "big.json"
    path.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n", "utf-8")
    articles = list(read_articles([path], on_skip=lambda s: pytest.fail(str(s))))
    assert [a.id for a in articles] == [r["id"] for r in records]
    assert len(articles[2500].content) == 800_000
    path.write_bytes(path.read_bytes().replace("标题3999".encode(), b"\xff\xff"))
    articles, skips = load(path)
    assert len(articles) == 3999 and lines_of(skips) == [(4001, "undecodable")]


def test_json_numbers_split_across_chunks_are_read_whole(tmp_path):
    body = "[" + " " * (256 * 1024 - 3) + "12345678, {\"title\": \"后\"}]"
    path = tmp_path / "n.json"
    path.write_text(body, "utf-8")
    articles, skips = load(path)
    assert [a.title for a in articles] == ["后"]
    assert [(s.reason, s.detail) for s in skips] == [("not-an-object", "expected an object, got int")]


@pytest.mark.parametrize("page, titles, expected", [
    # an item without a summary, followed directly by the next item
    ("站\n1. 甲\n2024-01-01 10:00:00\n2. 乙\n2024-01-02 10:00\n摘要乙\n", ["甲", "乙"], []),
    # blank lines inside an item; time in Chinese form
    ("站\n\n1. 甲\n\n2024年1月1日 10:00\n\n摘要\n", ["甲"], []),
    # a numbered line with no time line is reported, the page goes on
    ("站\n1. 甲\n不是时间\n2. 乙\n2024-01-02 10:00:00\n摘要\n", ["乙"], [(2, "bad-date")]),
    ("站\n1. 甲\n2024-01-01 10:00:00\n2. 乙\n", ["甲"], [(4, "bad-date")]),
    ("站\n1. 甲\n2024-01-01 10:00:00\n  • 1\n  • 2\n", ["甲"], []),
])
def test_listing_pages(tmp_path, page, titles, expected):
    path = tmp_path / "page.txt"
    path.write_text(page, "utf-8")
    articles, skips = load(path)
    assert [a.title for a in articles] == titles
    assert {a.source for a in articles} <= {"站"}
    assert lines_of(skips) == expected


@pytest.mark.parametrize("writer, bad_line", [(as_jsonl, 2), (as_listing, 7), (as_csv, 3)])
def test_an_undecodable_line_is_one_skip(tmp_path, writer, bad_line):
    text = writer(RECORDS)
    path = tmp_path / "u.dat"
    path.write_bytes(text.encode("utf-8").replace("淘宝".encode(), b"\xff\xfe\xfd"))
    articles, skips = load(path)
    assert [a.title for a in articles] == ["拼多多调整仅退款规则", "京东调整运费险"]
    assert [(s.line, s.reason) for s in skips] == [(bad_line, "undecodable")]
    assert skips[0].detail.endswith("(utf-8)")
    assert Path(skips[0].path) == path


@pytest.mark.parametrize("body, titles, expected", [
    (json.dumps(RECORDS[0], ensure_ascii=False, indent=2), ["拼多多调整仅退款规则"], []),
    ("\n\n" + json.dumps({"files": {"a": {"articles": 3}}}, indent=1), [], [(3, "no-title")]),
    ('{\n  "title": "一",\n  "date": \n}\n', [], [(4, "bad-json")]),
])
def test_one_pretty_printed_object_is_one_record(tmp_path, body, titles, expected):
    path = tmp_path / "article.json"
    path.write_text(body, "utf-8")
    articles, skips = load(path)
    assert [a.title for a in articles] == titles
    assert lines_of(skips) == expected
