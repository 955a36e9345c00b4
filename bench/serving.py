"""HTTP speed of `zhsearch serve`: requests/s and latency at a given concurrency, workers' memory.

Starts a real server (gunicorn, ``--workers`` processes) on an existing index, warms it
with the committed query mix, then ``--concurrency`` client threads (in this process)
send the mix for ``--seconds`` to the API, and again to the HTML search page. Also times
page 100 x 100 of the most frequent word, and reads each worker's anonymous memory.

    python bench/serving.py --index DIR                        # 2 workers, concurrency 4, 20 s each
    python bench/serving.py --index DIR --workers 1 --seconds 5 --out -

Writes docs/serving.md (or ``--out``; ``-`` for stdout). The page cache is off (a cached
page would measure the cache, not the engine): ``ZHSEARCH_CACHE_PAGES=0``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mix() -> list[str]:
    lines = (ROOT / "bench" / "queries.txt").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as res:
            res.read()
            status = res.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - started) * 1000


def words_ready(page_url: str, workers: int, limit: float = 600) -> float:
    """Seconds until every worker's page lists distinctive words.

    Each worker builds its term table in the background after its first page (from the
    segments' saved word tables, or by walking them once); until then the page says the
    words are being counted, and the walk would share the CPU with the measured requests.
    """
    started = time.monotonic()
    in_a_row = 0
    while in_a_row < 4 * workers:  # connections land on any worker: several in a row
        with urllib.request.urlopen(page_url, timeout=60) as res:
            body = res.read().decode("utf-8")
        in_a_row = in_a_row + 1 if "<h2>特征词</h2><ul>" in body else 0
        if time.monotonic() - started > limit:
            raise SystemExit("the term tables were not ready in time")
        if not in_a_row:
            time.sleep(0.2)
    return time.monotonic() - started


def anonymous_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_of(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def load(urls: list[str], concurrency: int, seconds: float) -> dict:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    source = itertools.cycle(urls)

    def client() -> None:
        nonlocal errors
        while time.monotonic() < stop:
            with lock:
                url = next(source)
            status, ms = get(url)
            with lock:
                times.append(ms)
                errors += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))] if times else float("nan")

    return {"requests": len(times), "errors": errors, "rps": len(times) / elapsed, "p50": pct(50), "p99": pct(99)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", default=str(ROOT / "docs" / "serving.md"))
    args = parser.parse_args(argv)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ZHSEARCH_CACHE_PAGES": "0"}
    cmd = [sys.executable, "-m", "search", "serve", "--index", str(args.index), "--port", str(port),
           "--workers", str(args.workers), "--threads", str(args.threads)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while get(base + "/healthz")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        queries = mix()
        api = [f"{base}/api/search?{urllib.parse.urlencode({'q': q})}" for q in queries]
        page = [f"{base}/?{urllib.parse.urlencode({'q': q})}" for q in queries]
        for _ in range(2 * args.workers):  # every worker warm (arrays, jieba, caches)
            for url in api + page:
                get(url)
        tables_s = words_ready(page[queries.index("光伏")] if "光伏" in queries else page[0], args.workers)
        results = {"API /api/search": load(api, args.concurrency, args.seconds),
                   "HTML search page": load(page, args.concurrency, args.seconds)}
        status, deep_ms = get(f"{base}/api/search?{urllib.parse.urlencode({'q': '中国', 'page': 100, 'per_page': 100})}")
        memory = {pid: anonymous_mb(pid) for pid in workers_of(server.pid)}
        articles = json.loads(urllib.request.urlopen(base + "/api/stats", timeout=60).read())["articles"]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    how = (f"Measured {when} on {cpu} ({os.cpu_count()} cores), Python {platform.python_version()}, by "
           f"`python bench/serving.py --index DIR --workers {args.workers} --threads {args.threads} "
           f"--concurrency {args.concurrency} --seconds {args.seconds:g}` on an index of "
           f"{articles:,} articles; clients in the same machine, page cache off, the committed mix "
           f"({len(queries)} queries).")
    lines = ["# Serving speed", "", how, "",
             "| endpoint | requests | errors | requests/s | p50 (ms) | p99 (ms) |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['requests']:,} | {r['errors']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} |")
    lines += ["", f"Page 100 x 100 of `中国`: {deep_ms / 1000:.2f} s (status {status}).", "",
              (f"Measured once every worker's term table for distinctive words was built: {tables_s:.1f} s "
               "after the warm-up (saved per segment after the first walk of an index)."), "",
              "Anonymous memory per worker after the run: "
              + ", ".join(f"{mb:,.0f} MB" for mb in memory.values()) + "."]
    text = "\n".join(lines) + "\n"
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, "utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
