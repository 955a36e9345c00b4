"""Fixtures build on each other: sample articles -> index in tmp_path -> searcher -> app -> client."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus import read_articles, sample_path
from indexer import IndexStore, build_index
from search.engine.searcher import Searcher
from search.web import create_app

#: ``../shared`` beside the checkout, or ``$ZHSEARCH_SHARED`` (a checkout elsewhere, such as a
#: git worktree, would otherwise skip every test on real articles without saying why).
SHARED = Path(os.environ.get("ZHSEARCH_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
CORPORA = SHARED / "corpora"

logging.getLogger("jieba").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def sample_articles():
    return list(read_articles([sample_path()]))


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_articles) -> Path:
    """The bundled sample, indexed once per session; tests must not write to it."""
    path = tmp_path_factory.mktemp("sample-index")
    build_index(IndexStore(path), sample_articles)
    return path


@pytest.fixture
def index_dir(tmp_path, sample_articles) -> Path:
    """A private, writable copy of the sample index for tests that change it."""
    build_index(IndexStore(tmp_path / "index"), sample_articles)
    return tmp_path / "index"


@pytest.fixture(scope="session")
def searcher(sample_index) -> Searcher:
    return Searcher(IndexStore(sample_index))


@pytest.fixture(scope="session")
def app(sample_index):
    return create_app({"index_dir": sample_index})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHSEARCH_INDEX", str(tmp_path / "cli-index"))
    return CliRunner()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(index: Path, log_path: Path, env: dict[str, str] | None = None, threads: int = 4,
                   workers: int = 1):
    """`zhsearch serve` in its own process on a free loopback port; yields its base URL.

    A real process, not a thread: the server must not share this process's ``random``
    state (Hypothesis reseeds it per example) or its GIL with the test driving it. Where
    ``index`` does not exist yet it is the default location, so the server builds the sample.
    """
    port = _free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "zhsearch")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "search"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads), "--workers", str(workers)]
    env = {**os.environ, **(env or {})}
    if index.exists():
        cmd += ["--index", str(index)]
    else:  # the sample is built only at the default location, never in a named directory
        env["ZHSEARCH_INDEX"] = str(index)
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:  # a file, not a pipe: a chatty server cannot block on it
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as res:
                        if res.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"zhsearch serve did not answer (exit {proc.poll()}):\n"
                                + log_path.read_text("utf-8", "replace"))
                time.sleep(0.1)
            yield base
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture(scope="session")
def serve():
    """The :func:`running_server` context manager, for module-scoped server fixtures."""
    return running_server
