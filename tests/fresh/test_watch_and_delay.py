"""Politeness between requests to one host, and `zhsearch watch` run as users run it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.fetch import Fetcher, FetchPolicy

from .pages import article, rss

#: The delay under test; long enough that scheduling noise on a busy machine cannot fake it.
DELAY = 0.4


def test_requests_to_one_host_wait_the_delay_and_other_hosts_do_not(site):
    seen: list[tuple[str, float]] = []

    def stamped(handler) -> None:
        seen.append((handler.path, time.monotonic()))
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    for path in ("/one", "/two", "/three"):
        site.routes[path] = stamped
    other_host = site.base.replace("127.0.0.1", "localhost")  # same server, another host name
    with Fetcher(FetchPolicy(delay=DELAY, timeout=5.0, retries=0)) as fetcher:
        fetcher.get(site.base + "/one")
        fetcher.get(site.base + "/two")
        started = time.monotonic()
        fetcher.get(other_host + "/three")
        other_took = time.monotonic() - started
    (_, first), (_, second), _ = seen
    assert second - first >= DELAY * 0.95, "the second request to one host waited"
    # another host owes nothing to the first: well under the delay (robots.txt included)
    assert other_took < DELAY + 2.0 and len(seen) == 3


@pytest.mark.slow
@pytest.mark.parametrize("started_ignoring_sigint", [False, True])
def test_watch_updates_on_schedule_and_stops_cleanly_on_sigint(tmp_path, site, started_ignoring_sigint):
    """Also when started as a script's background job, which inherits SIGINT ignored."""
    site.page("/rss", rss(site.base, [("/a/1.html", "淘宝调整保证金规则", "摘要一")]))
    site.page("/a/1.html", article("淘宝调整保证金规则"))
    index = tmp_path / "index"
    env = {**os.environ, "ZHSEARCH_FETCH_DELAY": "0", "ZHSEARCH_FETCH_TIMEOUT": "2", "ZHSEARCH_FETCH_BACKOFF": "0.01"}
    cmd = [sys.executable, "-m", "search"]
    added = subprocess.run(cmd + ["sources", "add", site.base + "/rss", "--name", "feed", "--every", "1m",
                                  "--index", str(index)], env=env, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    log = tmp_path / "watch.log"
    with open(log, "wb") as out:
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if started_ignoring_sigint else None
        watch = subprocess.Popen(cmd + ["watch", "--index", str(index)], env=env, stdout=out, stderr=subprocess.STDOUT,
                                 preexec_fn=ignore)  # noqa: PLW1509 - the child only resets one signal
        try:
            # generous: a cold start with jieba, a fetch and a first commit on a loaded machine
            deadline = time.monotonic() + 120
            while not _indexed(index, env):
                assert watch.poll() is None, log.read_text("utf-8", "replace")
                assert time.monotonic() < deadline, "watch never indexed the feed's article"
                time.sleep(0.5)
            watch.send_signal(signal.SIGINT)
            try:
                watch.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pytest.fail("watch did not stop within 60 s of SIGINT:\n" + log.read_text("utf-8", "replace"))
        finally:
            if watch.poll() is None:
                watch.kill()
                watch.wait()
    output = log.read_text("utf-8", "replace")
    assert watch.returncode == 0, output
    assert "stopped; the next run picks up from here" in output and "Traceback" not in output
    assert "feed: fetched 1, new 1" in output


def _indexed(index: Path, env: dict[str, str]) -> bool:
    if not (index / "CURRENT").exists() and not any(index.glob("gen-*")):
        return False
    done = subprocess.run([sys.executable, "-m", "search", "stats", "--json", "--index", str(index)], env=env,
                          capture_output=True, text=True, timeout=120)
    return done.returncode == 0 and json.loads(done.stdout).get("articles", 0) >= 1

