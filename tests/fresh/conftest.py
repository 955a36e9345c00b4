"""A real HTTP server on loopback that serves what each test puts in its routes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corpus.fetch import FetchPolicy


@dataclass
class Site:
    """Routes: path -> (status, headers, body) or a callable(handler) that answers itself."""

    base: str = ""
    routes: dict[str, object] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def page(self, path: str, body: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for _m, p, h, _b in self.requests if p == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            site.requests.append((self.command, self.path, dict(self.headers), body))
            route = site.routes.get(self.path)
            if route is None:
                route = (404, {"Content-Type": "text/plain"}, b"not found")
            if callable(route):
                route(self)
                return
            status, headers, data = route
            if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                status, data = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

    return Handler


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    s.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    s.release.set()  # let any handler that is holding a response on purpose finish
    server.shutdown()
    server.server_close()


@pytest.fixture
def policy() -> FetchPolicy:
    """Fast and small: no delay between requests, short timeouts and backoff, a 200 kB limit."""
    return FetchPolicy(timeout=1.0, max_bytes=200_000, max_redirects=3, retries=2, backoff=0.01, delay=0.0)


def slow_answer(site: Site, seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that answers nothing for ``seconds`` (or until the test ends)."""
    def answer(handler: BaseHTTPRequestHandler) -> None:
        site.release.wait(seconds)
    return answer
