"""Crash safety and concurrent writers, with real processes, real signals and real file systems.

``ZHSEARCH_KILLS`` sets how many indexing runs the SIGKILL test kills (CI: a dozen; the soak
in docs/reliability.md: ``ZHSEARCH_KILLS=200 pytest tests/indexer/test_crash_safety.py``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import read_articles
from indexer import IndexLocked, IndexStore, IndexWriteError, build_index

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("ZHSEARCH_KILLS", "12"))
BODY = "商家须在承诺时间内发货，超时未发货的订单按规则向买家赔付。平台将对违规店铺采取限制措施。" * 6


def write_batch(path: Path, prefix: str, n: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"id": f"{prefix}-{i}", "title": f"{prefix} 第{i}号公告：发货规则调整",
                                  "content": f"{BODY}编号{i}。", "date": f"2025-03-{i % 28 + 1:02d}T09:00:00+08:00"},
                                 ensure_ascii=False) + "\n")
    return path


def zhsearch(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "search", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def docs(index: Path) -> dict[str, dict]:
    with IndexStore(index).open().searcher() as s:
        return {d["id"]: d for d in s.documents()}


def assert_whole(index: Path, expected: dict[str, dict]) -> None:
    """Every stored article is exactly one of the source records, never a torn one."""
    for doc_id, doc in docs(index).items():
        if doc_id in expected:
            assert doc["title"] == expected[doc_id]["title"] and doc["content"] == expected[doc_id]["content"]


def lock_is_held(store: IndexStore) -> bool:
    """Whether another process holds the index's write lock (taken and let go at once if not)."""
    try:
        with store.writing():
            return False
    except IndexLocked:
        return True


@pytest.fixture
def base_index(tmp_path, sample_articles) -> Path:
    path = tmp_path / "index"
    build_index(IndexStore(path), sample_articles)
    return path


def test_two_indexers_at_once_both_land(tmp_path, base_index):
    a = write_batch(tmp_path / "a.jsonl", "a", 400)
    b = write_batch(tmp_path / "b.jsonl", "b", 400)
    first = zhsearch("index", str(a), "--index", str(base_index), "--json")
    # the second starts while the first holds the lock (polled, generous deadline); whichever
    # order they end up in, both must land
    deadline = time.monotonic() + 120
    while not lock_is_held(IndexStore(base_index)) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    second = zhsearch("index", str(b), "--index", str(base_index), "--json")
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    assert sum(json.loads(out)["indexed"] for out, _ in outs) == 800
    assert len(docs(base_index)) == 820


def test_second_indexer_with_no_wait_fails_clearly_and_changes_nothing(tmp_path, base_index):
    store = IndexStore(base_index)
    with store.writing():
        done = subprocess.run([sys.executable, "-m", "search", "index", str(write_batch(tmp_path / "b.jsonl", "b", 5)),
                               "--index", str(base_index), "--wait", "0.5"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "another zhsearch process is writing" in done.stderr and "Traceback" not in done.stderr
    assert len(docs(base_index)) == 20


def test_rebuild_racing_an_update_ends_in_one_serial_order(tmp_path, base_index):
    a = write_batch(tmp_path / "a.jsonl", "a", 300)
    b = write_batch(tmp_path / "b.jsonl", "b", 300)
    update = zhsearch("index", str(a), "--index", str(base_index))
    rebuild = zhsearch("index", str(b), "--index", str(base_index), "--rebuild")
    for p in (update, rebuild):
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    ids = set(docs(base_index))
    b_ids = {f"b-{i}" for i in range(300)}
    # the rebuild ran last (exactly b) or the update did (b plus a); never a lost write in between
    assert ids == b_ids or ids == b_ids | {f"a-{i}" for i in range(300)}


def test_sigkill_at_random_moments_never_damages_the_index(tmp_path, base_index):
    batch = write_batch(tmp_path / "batch.jsonl", "k", 1500)
    expected = {a.id: {"title": a.title, "content": a.content} for a in read_articles([batch])}
    command = ("index", str(batch), "--index", str(base_index), "--procs", "1")
    started = time.perf_counter()
    probe = zhsearch(*command, "--rebuild", "--index", str(tmp_path / "timing"))
    probe.communicate(timeout=300)
    assert probe.returncode == 0
    full = time.perf_counter() - started
    rng = random.Random(20261126)
    outcomes = {20: 0, 1520: 0}
    for _ in range(KILLS):
        proc = zhsearch(*command)
        time.sleep(rng.uniform(0.2, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        count = len(docs(base_index))  # always opens
        assert count in outcomes, f"{count} articles: a half-committed batch"
        outcomes[count] += 1
        assert_whole(base_index, expected)
        if count == 1520:  # a run completed before the kill: start over from the sample
            build_index(IndexStore(base_index), read_articles([batch]))  # idempotent: still 1520
            assert len(docs(base_index)) == 1520
            subprocess.run([sys.executable, "-m", "search", "index", "--index", str(base_index), "--rebuild"],
                           check=True, capture_output=True, timeout=120)
    print(f"\n{KILLS} kills: {outcomes[20]} left the index as before the batch, "
          f"{outcomes[1520]} came after its commit; 0 damaged")
    assert outcomes[20] > 0, "no kill landed mid-run"
    again = zhsearch(*command, "--json")
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert len(docs(base_index)) == 1520
    assert_whole(base_index, expected)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's reaper may be slow, or absent in a container)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_a_killed_parallel_update_leaves_no_worker_behind(tmp_path, base_index):
    """SIGKILL to an update's main process: its workers stop by themselves (they would
    otherwise wait forever for the end of the job queue), and the index is as before."""
    batch = write_batch(tmp_path / "batch.jsonl", "w", 3000)
    proc = zhsearch("index", str(batch), "--index", str(base_index), "--procs", "2")
    deadline = time.monotonic() + 120
    while len(workers := _children(proc.pid)) < 2:
        assert proc.poll() is None, "the update ended before its workers started"
        assert time.monotonic() < deadline, "no workers within 120 s"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 120
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker of the killed update is still running after 120 s"
        time.sleep(0.05)
    assert len(docs(base_index)) == 20
    done = subprocess.run([sys.executable, "-m", "search", "index", str(batch), "--index", str(base_index),
                           "--procs", "2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(docs(base_index)) == 3020


def test_sigkill_during_rebuild_keeps_the_live_generation(tmp_path, base_index):
    batch = write_batch(tmp_path / "batch.jsonl", "r", 1500)
    store = IndexStore(base_index)
    live = store.generation()
    proc = zhsearch("index", str(batch), "--index", str(base_index), "--rebuild", "--procs", "1")
    # kill once the rebuild has begun its new generation, not after a guessed 3 s: polled, with
    # a deadline far beyond a loaded machine's start-up (imports, jieba's dictionary: seconds)
    deadline = time.monotonic() + 120
    while not [g for g in base_index.glob("gen-*") if g.name != live]:
        assert proc.poll() is None, "the rebuild ended before it began a generation"
        assert time.monotonic() < deadline, "no new generation within 120 s"
        time.sleep(0.01)
    assert proc.poll() is None, "the rebuild finished before the kill: nothing was tested"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert store.generation() == live and len(docs(base_index)) == 20
    done = subprocess.run([sys.executable, "-m", "search", "index", str(batch), "--index", str(base_index),
                           "--rebuild"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(docs(base_index)) == 1500
    assert [p.name for p in base_index.glob("gen-*")] != [] and len(list(base_index.glob("gen-*"))) <= 2


# -- full disk and read-only directories (real mounts; skipped where mounting is not allowed) ----

def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs: the sample index fits, a large batch does not."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)):
        pytest.skip("cannot mount a small file system here (needs root)")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_gives_a_clear_error_and_keeps_the_index(tmp_path, small_disk, sample_articles):
    index = small_disk / "index"
    build_index(IndexStore(index), sample_articles)
    batch = write_batch(tmp_path / "big.jsonl", "f", 6000)
    for rebuild in (False, True):
        done = subprocess.run([sys.executable, "-m", "search", "index", str(batch), "--index", str(index),
                               *(["--rebuild"] if rebuild else [])], capture_output=True, text=True, timeout=300)
        assert done.returncode == 1
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
        assert len(docs(index)) == 20
        assert len(list(index.glob("gen-*"))) == 1
    hits = subprocess.run([sys.executable, "-m", "search", "search", "晚发必赔", "--index", str(index), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert json.loads(hits.stdout)["total"] >= 1


def test_read_only_index_refuses_writes_clearly_and_still_searches(tmp_path, small_disk, sample_articles):
    index = small_disk / "index"
    build_index(IndexStore(index), sample_articles)
    if not _mount("-o", "remount,ro", str(small_disk)):
        pytest.skip("cannot remount read-only here")
    with pytest.raises(IndexWriteError, match="Read-only file system"):
        build_index(IndexStore(index), read_articles([write_batch(tmp_path / "b.jsonl", "b", 3)]))
    done = subprocess.run([sys.executable, "-m", "search", "index", "--index", str(index)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Read-only file system" in done.stderr and "Traceback" not in done.stderr
    hits = subprocess.run([sys.executable, "-m", "search", "search", "晚发必赔", "--index", str(index), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert hits.returncode == 0, hits.stderr
    assert json.loads(hits.stdout)["total"] >= 1
    # the word table cannot be saved (nor its lock file made) beside a read-only segment: walked, not saved
    words = subprocess.run([sys.executable, "-m", "search", "terms", "规则", "--index", str(index), "--json"],
                           capture_output=True, text=True, timeout=60)
    assert words.returncode == 0, words.stderr
    assert json.loads(words.stdout)["foreground"]["matches"] >= 1
