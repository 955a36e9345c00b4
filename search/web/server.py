"""Serving on every core: the app under gunicorn, a pre-fork server, with threads per worker.

One Python process is bound by one core (the GIL): at concurrency 4 the old single
waitress process answered 11 requests/s on two cores. gunicorn forks ``workers``
processes from a master that has loaded the app once (so the sample index is built, and
settings are checked, exactly once); each worker opens the index for itself after the
fork, so the memory-mapped index files are shared through the page cache, while each
worker keeps its own arrays and caches and follows index updates on its own (within
``ZHSEARCH_REFRESH_SECONDS``). gunicorn is the well-kept choice here: it supervises and
restarts workers, and shuts down cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    threads: int = 4
    #: Seconds a worker may spend on one request before gunicorn replaces it; well over
    #: the search budget, so only a stuck worker is ever killed.
    timeout: int = 120


class _Application(BaseApplication):
    def __init__(self, app: Flask, options: ServerOptions):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        o = self.options
        settings = {"bind": f"{o.host}:{o.port}", "workers": o.workers, "threads": o.threads,
                    "worker_class": "gthread", "timeout": o.timeout, "graceful_timeout": 10,
                    "preload_app": True, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                    "proc_name": "zhsearch",
                    # a query of the longest allowed length, percent-encoded, with every
                    # filter, passes gunicorn's 4 KB default; the app itself bounds q
                    "limit_request_line": 0}
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run(app: Flask, options: ServerOptions) -> None:
    """Serve ``app`` until interrupted; jieba is loaded once, here, for every worker."""
    app.extensions["zhsearch"].warm_segmenter()
    _Application(app, options).run()
