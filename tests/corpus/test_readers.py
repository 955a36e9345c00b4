import gzip
import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from corpus import CHINA_TZ, CorpusError, iter_files, make_id, parse_published, read_articles, sample_path

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def load(*paths):
    skips = []
    articles = list(read_articles(paths, on_skip=skips.append))
    return articles, skips


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_bundled_sample_has_the_twenty_listing_items():
    articles, skips = load(sample_path())
    assert len(articles) == 20 and not skips
    first, fifth, last = articles[0], articles[4], articles[19]
    assert first.title == "1688治理“买家保障服务”不达标商家"
    assert first.published == datetime(2023, 2, 9, 10, 58, 59, tzinfo=CHINA_TZ)
    assert first.content.startswith("近期平台发现少量卖家")
    assert "《现货“安心购”商家服务协议》" in fifth.title
    assert last.title == "1688调整退货包运费机制 且不再提供晚发必赔补偿"
    assert last.published == datetime(2024, 2, 23, 17, 29, 30, tzinfo=CHINA_TZ)
    assert all(a.source == "电商派" for a in articles)
    text = " ".join(a.title + a.content for a in articles)
    assert "快速导航" not in text and "Copyright" not in text and "‹" not in text


def test_ids_are_stable_and_unique():
    first = [a.id for a in load(sample_path())[0]]
    assert first == [a.id for a in load(sample_path())[0]]
    assert len(set(first)) == 20


RECORDS = [
    {"id": "a1", "title": "拼多多调整仅退款规则", "summary": "摘要一", "pubdate": "2024-03-01 09:30:00", "link": "https://e/1"},
    {"headline": "淘宝推出退货包邮", "body": "正文二", "date": "2024年3月2日", "publisher": "某报"},
]


def test_json_lines_and_aliases(tmp_path):
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n")
    (one, two), skips = load(path)
    assert not skips
    assert (one.id, one.content, one.url) == ("a1", "摘要一", "https://e/1")
    assert one.published == datetime(2024, 3, 1, 9, 30, tzinfo=CHINA_TZ)
    assert (two.title, two.content, two.source) == ("淘宝推出退货包邮", "正文二", "某报")
    assert two.id.startswith("h-") and two.published.day == 2


def test_json_array_streams_objects_with_line_numbers(tmp_path):
    body = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + ',\n{"title": ""}\n]'
    path = write(tmp_path / "b.json", body)
    articles, skips = load(path)
    assert [a.title for a in articles] == ["拼多多调整仅退款规则", "淘宝推出退货包邮"]
    assert [(s.line, s.reason) for s in skips] == [(4, "no-title")]


def test_csv_with_header_in_gb18030(tmp_path):
    text = "title,content,date,category\n京东调整运费险,内容,2024-05-01,电商\n\"抖音, 快手\",二,2024-05-02,直播\n"
    path = write(tmp_path / "c.csv", text, "gb18030")
    articles, skips = load(path)
    assert not skips
    assert [a.title for a in articles] == ["京东调整运费险", "抖音, 快手"]
    assert articles[0].category == "电商"


@pytest.mark.parametrize("name", ["d.jsonl.gz", "no-extension"])
def test_gzip_is_detected_from_the_bytes(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(json.dumps(RECORDS[0], ensure_ascii=False).encode()))
    articles, _ = load(path)
    assert articles[0].id == "a1"


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(RECORDS[0], ensure_ascii=False).encode())
    assert load(path)[0][0].title == "拼多多调整仅退款规则"


def test_bad_records_are_reported_with_file_and_line_and_skipped(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "title": "好的"}, ensure_ascii=False),
        json.dumps({"id": "x", "title": ""}),
        json.dumps({"id": "y", "title": "日期坏了", "date": "明天"}, ensure_ascii=False),
        "{broken json",
        "[1, 2]",
        json.dumps({"id": "ok2", "title": "也好"}, ensure_ascii=False),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n" + b'{"id": "z", "title": "\xff\xfe"}\n')
    articles, skips = load(path)
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [(s.line, s.reason) for s in skips] == [
        (2, "no-title"), (3, "bad-date"), (4, "bad-json"), (5, "not-an-object"), (7, "undecodable")]
    assert str(skips[0]).startswith(f"{path}:2: no-title")


def test_csv_row_with_wrong_columns(tmp_path):
    path = write(tmp_path / "r.csv", "title,date\n甲,2024-01-01\n乙,2024-01-02,多余\n丙,2024-01-03\n")
    articles, skips = load(path)
    assert [a.title for a in articles] == ["甲", "丙"]
    assert [(s.line, s.reason) for s in skips] == [(3, "bad-row")]


def test_directories_are_read_recursively_and_hidden_files_ignored(tmp_path):
    write(tmp_path / "top.jsonl", json.dumps(RECORDS[0], ensure_ascii=False))
    write(tmp_path / "sub" / "deeper" / "n.csv", "title\n嵌套\n")
    write(tmp_path / ".hidden" / "h.jsonl", json.dumps({"title": "隐藏"}, ensure_ascii=False))
    write(tmp_path / "notes.txt", "just some notes\n")
    articles, skips = load(tmp_path)
    assert sorted(a.title for a in articles) == ["嵌套", "拼多多调整仅退款规则"]
    assert [s.reason for s in skips] == ["unsupported-format"]
    assert len(iter_files([tmp_path])) == 3


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress("\n".join(json.dumps({"id": str(i), "title": f"标题{i}"}, ensure_ascii=False)
                                   for i in range(2000)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    articles, skips = load(path)
    assert 0 < len(articles) < 2000
    assert skips[-1].reason == "unreadable"


def test_missing_path_fails_before_reading_anything(tmp_path):
    good = write(tmp_path / "a.jsonl", json.dumps(RECORDS[0], ensure_ascii=False))
    with pytest.raises(CorpusError, match="no such file"):
        next(read_articles([good, tmp_path / "missing.jsonl"]))


@pytest.mark.parametrize("value, expected", [
    ("2024-03-01T09:00:00+08:00", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-03-01T01:00:00Z", datetime(2024, 3, 1, 9, tzinfo=CHINA_TZ)),
    ("2024-03-01", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    ("2024/3/1 9:05", datetime(2024, 3, 1, 9, 5, tzinfo=CHINA_TZ)),
    ("2024年3月1日", datetime(2024, 3, 1, tzinfo=CHINA_TZ)),
    (None, None), ("", None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
def test_parse_published_round_trips(moment):
    aware = moment.replace(tzinfo=CHINA_TZ)
    assert parse_published(aware.isoformat()) == aware


@given(st.text(max_size=30), st.text(max_size=30))
def test_make_id_is_deterministic(url, title):
    assert make_id(None, url, title, None) == make_id(None, url, title, None)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not here")
@pytest.mark.parametrize("name, dated, bodies", [
    ("dsb_1688_seed.jsonl", True, True),
    ("finance_rss.jsonl", True, True),
    ("cctv_xwlb.jsonl.gz", True, True),
    ("toutiao_hot_titles.jsonl.gz", True, False),
    ("thucnews_titles.jsonl", False, False),
    ("tnews_titles.jsonl", False, False),
])
def test_real_corpora_load_as_they_are(name, dated, bodies):
    skips = []
    articles = list(itertools.islice(read_articles([CORPORA / name], on_skip=skips.append), 200))
    assert len(articles) == 200 or name == "dsb_1688_seed.jsonl"
    assert not skips
    assert all(a.title for a in articles)
    assert any(a.published for a in articles) == dated
    assert any(a.content for a in articles) == bodies
    if name == "dsb_1688_seed.jsonl":
        assert [a.id for a in articles][:2] == ["seed-01", "seed-02"] and len(articles) == 20
