"""Load test: many clients against `zhsearch serve` while `zhsearch index` adds articles.

Phase 1 (the issue's test): ``--concurrency`` clients for ``--seconds`` with a realistic
mix (the committed query mix with random pages, sorts, date and platform filters, article
pages and related articles) while an indexing job adds articles to the same index.
Phase 2 (memory): the same mix, without a deadline, until ``--requests`` have been served
in all; the server's RSS is sampled every 1,000 requests and must not keep growing.

    python bench/load.py --index DIR                      # 16 clients, 60 s, 20,000 requests
    python bench/load.py --index DIR --seconds 5 --requests 300 --out -   # a smoke run

Writes docs/load.md (or ``--out``). Errors are any non-200 answer or failed connection.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import ROOT, SHARED, Server, _cpu, percentiles, query_mix

#: Articles the indexing job adds: from the headline sets that are not in the judged collection.
ADD_FROM = ("thucnews_titles.jsonl", "tnews_titles.jsonl")


def rss_mb(pid: int) -> tuple[float, float]:
    """(resident, of which anonymous) in MB, of the server and its worker processes. The
    rest is the index's mapped files, shared with the page cache and every other process
    reading the index (resident counts them once per worker); growth that matters is in
    the anonymous part."""
    values = {"VmRSS:": 0.0, "RssAnon:": 0.0}
    children = f"/proc/{pid}/task/{pid}/children"
    pids = [pid] + ([int(p) for p in Path(children).read_text().split()] if os.path.exists(children) else [])
    for one in pids:
        try:
            with open(f"/proc/{one}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith(("VmRSS:", "RssAnon:")):
                        values[line.split()[0]] += int(line.split()[1]) / 1024
        except FileNotFoundError:  # a worker being replaced
            continue
    return values["VmRSS:"], values["RssAnon:"]


class Mix:
    """Requests as users make them: searches (with pages, sorts, filters) and article views."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.queries = query_mix()
        self.ids: list[str] = []

    def next(self) -> str:
        r = self.rng.random()
        if self.ids and r < 0.15:
            doc = urllib.parse.quote(self.rng.choice(self.ids), safe="")
            return f"/api/documents/{doc}" + ("/similar" if self.rng.random() < 0.3 else "")
        params = {"q": self.rng.choice(self.queries), "page": self.rng.choice((1, 1, 1, 2, 3))}
        if self.rng.random() < 0.2:
            params["sort"] = self.rng.choice(("newest", "recent"))
        if self.rng.random() < 0.2:
            year = self.rng.choice(("2023", "2024", "2025"))
            params |= {"from": year, "to": year}
        if self.rng.random() < 0.05:
            params["platform"] = self.rng.choice(("1688", "淘宝", "拼多多"))
        return "/api/search?" + urllib.parse.urlencode(params)

    def learn(self, body: dict) -> None:
        for hit in body.get("hits", [])[:3]:
            if len(self.ids) < 500:
                self.ids.append(hit["id"])


class Clients:
    """``n`` client threads; each request's latency and status is recorded."""

    def __init__(self, base: str, n: int):
        self.base, self.n = base, n
        self.times: list[float] = []
        self.errors: dict[str, int] = {}
        self.lock = threading.Lock()

    def run(self, until) -> None:
        threads = [threading.Thread(target=self._client, args=(i, until)) for i in range(self.n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    @property
    def served(self) -> int:
        return len(self.times) + sum(self.errors.values())

    def _client(self, seed: int, until) -> None:
        mix = Mix(seed)
        while not until(self):
            path = mix.next()
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + path, timeout=60) as res:
                    body = json.load(res)
                error = None
            except urllib.error.HTTPError as exc:
                error = f"HTTP {exc.code}" if exc.code != 404 or "/api/documents/" not in path else None
                body = {}
            except OSError as exc:
                error = type(exc).__name__
                body = {}
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                if error:
                    self.errors[error] = self.errors.get(error, 0) + 1
                else:
                    self.times.append(elapsed)
            mix.learn(body)


def progress(clients: Clients, rss: tuple[float, float], started: float, goal: int) -> None:
    """One line per 1,000 requests: a 30-minute run should say how far it has got."""
    elapsed = time.perf_counter() - started
    rate = clients.served / elapsed if elapsed else 0.0
    left = (goal - clients.served) / rate / 60 if rate else float("nan")
    print(f"{clients.served:,}/{goal:,} requests, {sum(clients.errors.values())} errors, {rate:.1f}/s, "
          f"server {rss[0]:,.0f} MB ({rss[1]:,.0f} MB anonymous), about {left:.0f} min left",
          file=sys.stderr, flush=True)


def write_additions(corpora: Path, count: int, path: Path) -> int:
    from corpus import read_articles

    files = [corpora / n for n in ADD_FROM if (corpora / n).exists()]
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for a in read_articles(files):
            out.write(json.dumps({"id": "load-" + a.id, "title": a.title, "content": a.content,
                                  "date": a.published.isoformat() if a.published else None,
                                  "source": a.source, "category": a.category}, ensure_ascii=False) + "\n")
            written += 1
            if written >= count:
                break
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index to load (it receives the additions)")
    parser.add_argument("--corpora", type=Path, default=SHARED)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--requests", type=int, default=20_000, help="total requests, phase 2 included")
    parser.add_argument("--add", type=int, default=5_000, help="articles the indexing job adds")
    parser.add_argument("--threads", type=int, default=8, help="threads per server worker process")
    parser.add_argument("--out", default=str(ROOT / "docs" / "load.md"))
    args = parser.parse_args(argv)

    from indexer import IndexStore

    with IndexStore(args.index).open().searcher() as searcher:
        indexed = searcher.doc_count()
    server = Server(args.index, threads=args.threads)
    tmp = Path(tempfile.mkdtemp(prefix="zhsearch-load-"))
    try:
        added = write_additions(args.corpora, args.add, tmp / "add.jsonl")
        clients = Clients(server.base, args.concurrency)
        rss = [(0, rss_mb(server.proc.pid))]
        indexer = subprocess.Popen([sys.executable, "-m", "search", "index", str(tmp / "add.jsonl"),
                                    "--index", str(args.index), "--json"], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started = time.perf_counter()
        clients.run(lambda c: time.perf_counter() - started >= args.seconds)
        phase1 = {**percentiles(clients.times), "requests": clients.served, "errors": dict(clients.errors),
                  "rps": clients.served / (time.perf_counter() - started)}
        print(f"phase 1: {clients.served:,} requests, {sum(clients.errors.values())} errors; "
              "waiting for the indexing job", file=sys.stderr, flush=True)
        index_out, _ = indexer.communicate(timeout=1800)
        indexing = {"exit": indexer.returncode, **(json.loads(index_out) if indexer.returncode == 0 else {})}
        rss.append((clients.served, rss_mb(server.proc.pid)))
        next_sample = (clients.served // 1000 + 1) * 1000

        sampling = threading.Lock()

        def until(c: Clients) -> bool:
            nonlocal next_sample
            with sampling:  # every client thread asks; one of them samples
                if c.served >= next_sample:
                    rss.append((c.served, rss_mb(server.proc.pid)))
                    next_sample += 1000
                    progress(c, rss[-1][1], started, args.requests)
            return c.served >= args.requests

        phase2_started = time.perf_counter()
        if clients.served < args.requests:
            clients.run(until)
        rss.append((clients.served, rss_mb(server.proc.pid)))
        total = {**percentiles(clients.times), "requests": clients.served, "errors": dict(clients.errors),
                 "seconds": time.perf_counter() - started, "phase2_seconds": time.perf_counter() - phase2_started}
    finally:
        server.stop()
    report = markdown(args, phase1, indexing, added, total, rss, indexed)
    if args.out == "-":
        print(report)
    else:
        Path(args.out).write_text(report, "utf-8")
        print(report)
    errors = sum(total["errors"].values())
    return 0 if errors == 0 and indexing["exit"] == 0 else 1


def markdown(args, phase1: dict, indexing: dict, added: int, total: dict, rss: list[tuple[int, float]],
             indexed: int) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    warm = next((mb for n, mb in rss if n >= 2000), rss[-1][1])
    lines = [
        "# Load test", "",
        (f"Measured {now} on {platform.machine()} ({_cpu()}, {os.cpu_count()} cores), Python "
        f"{platform.python_version()}, by `python bench/load.py --index DIR` (DIR: an index of "
        f"{indexed:,} articles when the run began)."), "",
        f"## Phase 1: {args.concurrency} clients for {args.seconds:g} s while `zhsearch index` adds {added:,} articles",
        "",
        "| requests | errors | requests/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        (f"| {phase1['requests']:,} | {sum(phase1['errors'].values())} | {phase1['rps']:.1f} | {phase1['p50']:.0f} | "
        f"{phase1['p95']:.0f} | {phase1['p99']:.0f} | {phase1['max']:.0f} |"), "",
        (f"The indexing job exited {indexing['exit']}: {indexing.get('indexed', 0):,} added, "
        f"{indexing.get('updated', 0):,} updated in {indexing.get('seconds', 0):.0f} s "
        f"({indexing.get('procs', 1)} worker process(es)), under the same load."),
        "",
        f"## Phase 2: memory over {total['requests']:,} requests",
        "",
        (f"All {total['requests']:,} requests took {total['seconds'] / 60:.1f} min; errors: "
        f"{sum(total['errors'].values())} {total['errors'] or ''}; p50 {total['p50']:.0f} ms, "
        f"p99 {total['p99']:.0f} ms."), "",
        "| requests served | server RSS (MB) | of which anonymous (MB) |", "| ---: | ---: | ---: |",
        *[f"| {n:,} | {mb[0]:.0f} | {mb[1]:.0f} |" for n, mb in rss], "",
        (f"Growth of anonymous memory after warm-up (2,000 requests to the end): {rss[-1][1][1] - warm[1]:+.0f} MB. "
        "The rest of the resident size is the index's files mapped into memory, shared with the page "
        "cache; it grows as more of the index is read and is bounded by the index's size."), "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
