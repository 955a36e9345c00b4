"""A running `zhsearch serve` keeps answering while `zhsearch index` adds, updates and rebuilds.

Real processes on loopback: one server (gunicorn, 2 workers x 4 threads), clients in threads hammering
it, and indexing runs started beside it. Every answer must be a 200 with a consistent
count, and each run's articles must show up within the stated delay.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from indexer import IndexStore, build_index

#: What the README promises: visible this soon after `zhsearch index` returns.
pytestmark = pytest.mark.slow

VISIBLE_WITHIN_SECONDS = 3.0
REFRESH = "0.5"


def get(base: str, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def batch(path, prefix: str, n: int, title: str = "发货规则调整"):
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"id": f"{prefix}-{i}", "title": f"{prefix}{i}号公告：{title}",
                                  "content": "商家须在承诺时间内发货，超时未发货按规则赔付。" * 4,
                                  "date": f"2025-04-{i % 28 + 1:02d} 10:00"}, ensure_ascii=False) + "\n")
    return path


def index(*args: str) -> float:
    done = subprocess.run([sys.executable, "-m", "search", "index", *args], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic()


def seen_after(base: str, path: str, check, since: float) -> float:
    """Seconds from ``since`` until ``check(body)`` holds for ``path``."""
    while True:
        status, body = get(base, path)
        if status == 200 and check(body):
            return time.monotonic() - since
        assert time.monotonic() - since < 30, f"{path} never showed the change"
        time.sleep(0.05)


def test_server_answers_throughout_adds_updates_and_rebuilds(tmp_path, sample_articles, serve):
    ix = tmp_path / "index"
    build_index(IndexStore(ix), sample_articles)
    statuses: Counter[int] = Counter()
    counts: set[int] = set()
    stop = threading.Event()

    def hammer(query: str) -> None:
        while not stop.is_set():
            status, body = get(base, "/api/search?" + urllib.parse.urlencode({"q": query, "per_page": 5}))
            statuses[status] += 1
            status, body = get(base, "/api/stats")
            statuses[status] += 1
            if status == 200:
                counts.add(body["articles"])

    with serve(ix, tmp_path / "serve.log", env={"ZHSEARCH_REFRESH_SECONDS": REFRESH}, workers=2) as base:
        assert get(base, "/api/stats")[1]["articles"] == 20
        clients = [threading.Thread(target=hammer, args=(q,)) for q in ("发货", "1688 协议", '"晚发必赔"', "赔付")]
        for c in clients:
            c.start()
        delays = {}
        done = index(str(batch(tmp_path / "a.jsonl", "a", 300)), "--index", str(ix))
        delays["add"] = seen_after(base, "/api/documents/a-299", lambda b: True, done)
        done = index(str(batch(tmp_path / "a2.jsonl", "a", 300, title="退款规则更新")), "--index", str(ix))
        delays["update"] = seen_after(base, "/api/documents/a-299", lambda b: "退款规则更新" in b["title"], done)
        done = index(str(batch(tmp_path / "b.jsonl", "b", 200)), "--index", str(ix), "--rebuild")
        delays["rebuild"] = seen_after(base, "/api/stats", lambda b: b["articles"] == 200, done)
        time.sleep(1)
        stop.set()
        for c in clients:
            c.join()
    assert set(statuses) == {200}, statuses
    assert counts <= {20, 320, 200} and 200 in counts  # never a half-applied state
    assert max(delays.values()) <= VISIBLE_WITHIN_SECONDS, delays
    print(f"\n{sum(statuses.values())} requests during 3 indexing runs, all 200; visible after {delays}")


def test_threads_serve_the_same_answer(tmp_path, sample_articles, serve):
    ix = tmp_path / "index"
    build_index(IndexStore(ix), sample_articles)
    with serve(ix, tmp_path / "serve.log", threads=8) as base:
        path = "/api/search?" + urllib.parse.urlencode({"q": "1688 商家", "per_page": 20})
        answers: list[list[str]] = []

        def ask() -> None:
            for _ in range(10):
                status, body = get(base, path)
                assert status == 200
                answers.append([(h["id"], h["score"]) for h in body["hits"]] + [body["total"]])

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(answers) == 80 and all(a == answers[0] for a in answers)


def test_two_server_processes_on_one_index_agree_after_an_update(tmp_path, sample_articles, serve):
    """Several workers (processes) over one index: each follows updates, all answer alike."""
    ix = tmp_path / "index"
    build_index(IndexStore(ix), sample_articles)
    env = {"ZHSEARCH_REFRESH_SECONDS": REFRESH}
    with serve(ix, tmp_path / "one.log", env=env) as one, serve(ix, tmp_path / "two.log", env=env) as two:
        path = "/api/search?" + urllib.parse.urlencode({"q": "发货规则", "per_page": 50})
        done = index(str(batch(tmp_path / "a.jsonl", "a", 50)), "--index", str(ix))
        for base in (one, two):
            seen_after(base, "/api/stats", lambda b: b["articles"] == 70, done)
        answers = [get(base, path)[1] for base in (one, two)]
    assert answers[0]["total"] == answers[1]["total"] >= 50
    assert [h["id"] for h in answers[0]["hits"]] == [h["id"] for h in answers[1]["hits"]]


def test_every_worker_of_one_server_answers_and_follows_an_update(tmp_path, sample_articles, serve):
    """`serve --workers 2`: both processes take requests, and each shows an update."""
    ix = tmp_path / "index"
    build_index(IndexStore(ix), sample_articles)
    with serve(ix, tmp_path / "serve.log", env={"ZHSEARCH_REFRESH_SECONDS": REFRESH}, workers=2) as base:
        pids: set[int] = set()
        lock = threading.Lock()

        def ask() -> None:
            for _ in range(25):
                status, body = get(base, "/healthz")
                assert status == 200
                with lock:
                    pids.add(body["pid"])

        # concurrent clients make the kernel hand connections to both listening workers
        deadline = time.monotonic() + 60  # generous: two cores shared with the test itself
        while len(pids) < 2 and time.monotonic() < deadline:
            clients = [threading.Thread(target=ask) for _ in range(6)]
            for c in clients:
                c.start()
            for c in clients:
                c.join()
        assert len(pids) == 2, pids
        done = index(str(batch(tmp_path / "a.jsonl", "a", 50)), "--index", str(ix))
        seen_after(base, "/api/stats", lambda b: b["articles"] == 70, done)
        # then every answer, from whichever worker, has it (each refreshes on its own)
        deadline = time.monotonic() + 30
        streak = 0
        while streak < 40:
            assert time.monotonic() < deadline, "a worker kept serving the old index"
            streak = streak + 1 if get(base, "/api/stats")[1]["articles"] == 70 else 0
