"""read_articles and iter_files: files and directories in, articles out, skips reported."""

import gzip
import itertools
import json
import logging
from collections import Counter
from pathlib import Path

import pytest

from corpus import CorpusError, Skip, iter_files, read_articles


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def record(title, **fields) -> str:
    return json.dumps({"title": title, **fields}, ensure_ascii=False)


def load(*paths, on_bytes=None):
    skips = []
    return list(read_articles(paths, on_skip=skips.append, on_bytes=on_bytes)), skips


def test_bad_records_are_reported_with_file_and_line_and_the_rest_loads(tmp_path):
    path = write(tmp_path / "bad.jsonl", "\n".join([
        record("好的", id="ok1"),                     # 1
        record("", id="x"),                          # 2 no-title
        record("日期坏了", date="明天"),               # 3 bad-date
        "{broken json",                               # 4 bad-json
        "[1, 2]",                                     # 5 not-an-object
        "",                                           # 6 blank: ignored
        record("也好", id="ok2"),                     # 7
        '"just a string"',                            # 8 not-an-object
    ]).encode() + b"\n" + b'{"id": "z", "title": "\xff\xfe"}\n' + record("还好", id="ok3").encode())
    articles, skips = load(path)
    assert [a.id for a in articles] == ["ok1", "ok2", "ok3"]
    assert [(s.line, s.reason) for s in skips] == [
        (2, "no-title"), (3, "bad-date"), (4, "bad-json"), (5, "not-an-object"), (8, "not-an-object"),
        (9, "undecodable")]
    assert str(skips[0]) == f"{path}:2: no-title: the record has no title"
    assert skips[2].detail.startswith("Expecting property name")
    assert Counter(s.reason for s in skips) == {"not-an-object": 2, "no-title": 1, "bad-date": 1,
                                                 "bad-json": 1, "undecodable": 1}


def test_skips_are_logged_as_warnings_without_a_handler(tmp_path, caplog):
    path = write(tmp_path / "w.jsonl", record("好") + "\n" + record("") + "\n")
    with caplog.at_level(logging.WARNING, logger="corpus"):
        assert [a.title for a in read_articles([path])] == ["好"]
    assert [r.getMessage() for r in caplog.records] == [f"skipped {path}:2: no-title: the record has no title"]


def test_directories_are_walked_recursively_sorted_and_hidden_files_left_out(tmp_path):
    write(tmp_path / "b.jsonl", record("乙"))
    write(tmp_path / "a" / "deeper" / "n.csv", "title\n甲\n")
    write(tmp_path / "a" / "z.json.gz", gzip.compress(f"[{record('丙')}]".encode()))
    write(tmp_path / "c.txt", "1. 丁\n2024-01-01 10:00:00\n摘要\n")
    write(tmp_path / ".hidden" / "h.jsonl", record("隐藏目录"))
    write(tmp_path / "a" / ".h.jsonl", record("隐藏文件"))
    write(tmp_path / "notes.txt", "just some notes\n")
    files = iter_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a/deeper/n.csv", "a/z.json.gz", "b.jsonl", "c.txt", "notes.txt"]
    articles, skips = load(tmp_path)
    assert [a.title for a in articles] == ["甲", "丙", "乙", "丁"]
    assert [(Path(s.path).name, s.line, s.reason) for s in skips] == [("notes.txt", 0, "unsupported-format")]


def test_paths_keep_their_order_each_file_once_and_named_hidden_files_count(tmp_path):
    hidden = write(tmp_path / ".h.jsonl", record("点名的隐藏文件"))
    inner = write(tmp_path / "d" / "x.jsonl", record("内"))
    assert iter_files([hidden, tmp_path / "d", inner, str(inner)]) == [hidden, inner]
    assert iter_files(str(inner)) == [inner]  # one path need not come in a list
    assert [a.title for a in read_articles(inner)] == ["内"]


def test_a_missing_path_fails_before_anything_is_read(tmp_path):
    good = write(tmp_path / "a.jsonl", record("好"))
    seen = []
    with pytest.raises(CorpusError, match="no such file or directory: .*missing.jsonl") as caught:
        read_articles([good, tmp_path / "missing.jsonl"], on_skip=seen.append, on_bytes=seen.append)
    assert seen == []
    assert (caught.value.http_status, caught.value.exit_code) == (400, 1)
    with pytest.raises(CorpusError):
        iter_files([tmp_path / "nope"])


@pytest.mark.parametrize("name, data, reason, detail", [
    ("corrupt.jsonl.gz", b"\x1f\x8b" + b"not really gzip" * 10, "unreadable", "compression method"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "unsupported-format", "binary"),
    ("utf16.jsonl", record("标题").encode("utf-16"), "unsupported-format", "binary"),
    ("notes.txt", "随手记的笔记，没有格式。\n".encode(), "unsupported-format", "not JSON Lines"),
    ("data.csv", b"name,price\napple,1\n", "unsupported-format", "not JSON Lines"),
])
def test_files_we_cannot_read_are_one_skip_at_line_0(tmp_path, name, data, reason, detail):
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "zz.jsonl", record("照常"))
    articles, skips = load(bad, good)
    assert [a.title for a in articles] == ["照常"]
    assert [(s.path, s.line, s.reason) for s in skips] == [(str(bad), 0, reason)]
    assert detail in skips[0].detail


def test_an_empty_file_is_no_articles_and_no_skip(tmp_path):
    assert load(write(tmp_path / "empty.jsonl", b"")) == ([], [])
    assert load(write(tmp_path / "blank.json", b"\n  \n")) == ([], [])


def test_a_truncated_gzip_keeps_what_was_read_and_says_where_it_stopped(tmp_path):
    lines = "\n".join(record(f"标题{i}", id=str(i)) for i in range(3000)).encode()
    data = gzip.compress(lines)
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    articles, skips = load(path, write(tmp_path / "next.jsonl", record("下一个")))
    assert 0 < len(articles) - 1 < 3000
    assert [a.id for a in articles[:-1]] == [str(i) for i in range(len(articles) - 1)]
    assert articles[-1].title == "下一个"
    assert [s.reason for s in skips] == ["unreadable"]
    assert skips[0].line > len(articles) - 1


def test_on_bytes_adds_up_to_the_size_of_the_files(tmp_path):
    write(tmp_path / "a.jsonl", "\n".join(record(f"甲{i}") for i in range(500)))
    write(tmp_path / "b.jsonl.gz", gzip.compress("\n".join(record(f"乙{i}") for i in range(500)).encode()))
    write(tmp_path / "c.bin", b"\x00\x01\x02" * 100)
    write(tmp_path / "d.jsonl.gz", b"\x1f\x8bbroken")
    deltas = []
    articles, skips = load(tmp_path, on_bytes=deltas.append)
    assert len(articles) == 1000 and len(skips) == 2
    assert all(delta >= 0 for delta in deltas) and len(deltas) > 4
    assert sum(deltas) == sum(f.stat().st_size for f in iter_files([tmp_path]))


def test_stopping_early_reads_only_a_prefix(tmp_path):
    path = write(tmp_path / "many.jsonl", "\n".join(record(f"标题{i}") for i in range(1000)))
    deltas = []
    stream = read_articles([path], on_bytes=deltas.append)
    assert [a.title for a in itertools.islice(stream, 3)] == ["标题0", "标题1", "标题2"]
    stream.close()
    assert sum(deltas) < path.stat().st_size


def test_skip_is_a_frozen_value():
    skip = Skip("a.jsonl", 3, "bad-json", "Expecting value")
    assert str(skip) == "a.jsonl:3: bad-json: Expecting value"
    with pytest.raises(AttributeError):
        skip.line = 4
