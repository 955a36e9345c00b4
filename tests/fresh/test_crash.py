"""SIGKILL during `zhsearch update`: the next run finishes the job; no article lost, none duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from indexer import IndexStore
from search.fresh.db import StateDB
from search.fresh.sources import add_source

from .pages import article, rss

ITEMS = 12


def _slow_article(site, title):
    body = article(title).encode("utf-8")

    def answer(handler):
        site.release.wait(0.15)  # slow enough that a kill lands in the middle of the fetching
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except BrokenPipeError:  # the update was killed while this answer was on its way
            pass
    return answer


def _update_cmd(index):
    exe = os.path.join(os.path.dirname(sys.executable), "zhsearch")
    return ([exe] if os.path.exists(exe) else [sys.executable, "-m", "search"]) + ["update", "--index", str(index)]


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [3, ITEMS])  # mid-fetch, and while indexing or just after
def test_sigkill_during_update_loses_and_duplicates_nothing(tmp_path, site, kill_after):
    items = [(f"/a/{n}.html", f"第{n}号公告：保证金规则调整", f"摘要{n}") for n in range(ITEMS)]
    site.page("/rss", rss(site.base, items))
    for path, title, _summary in items:
        site.routes[path] = _slow_article(site, title)
    index = tmp_path / "index"
    with StateDB.beside(index) as db:
        add_source(db, site.base + "/rss", "feed", "1s")
    env = {**os.environ, "ZHSEARCH_FETCH_DELAY": "0", "ZHSEARCH_FETCH_BACKOFF": "0.01"}
    log_path = tmp_path / "update.log"
    with open(log_path, "wb") as log:  # a file, not a pipe: the killed process cannot block on it
        proc = subprocess.Popen(_update_cmd(index), env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60  # generous: the process loads jieba and httpx first
    while sum(1 for _m, p, _h, _b in site.requests if p.startswith("/a/")) < kill_after:
        assert proc.poll() is None, log_path.read_text("utf-8", "replace")
        assert time.monotonic() < deadline, "the update never fetched the articles"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    again = subprocess.run(_update_cmd(index) + ["--all"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    ix = IndexStore(index).open()
    with ix.searcher() as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(ids) == len(set(ids)) == ITEMS
    with StateDB.beside(index) as db:
        assert db.query("SELECT COUNT(*) FROM articles WHERE pending = 0 AND seq IS NOT NULL")[0][0] == ITEMS
