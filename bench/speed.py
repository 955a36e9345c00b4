"""Speed and memory, zhsearch against the baseline, in one run: writes docs/benchmarks.md.

Measures, on the real corpora in ../shared/corpora (the judged collection first, then the
headline sets): jieba's own segmentation speed (the floor every jieba engine shares);
indexing wall time, articles/s, MB/s, peak RSS and index size for zhsearch and for the
baseline (Whoosh + jieba's ChineseAnalyzer) at each size; query latency through the Python
API and through the real HTTP server on loopback (concurrency 1 and 4); cold start of
`zhsearch search`; and an incremental add of 1,000 articles seen by a running server.

    python bench/speed.py                           # sizes 10000 and 125800
    python bench/speed.py --sizes 300 --rounds 1 --out -   # a smoke run (the test suite does this)
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpora"
ORDER = ("dsb_1688_seed.jsonl", "finance_rss.jsonl", "cctv_xwlb.jsonl.gz", "toutiao_hot_titles.jsonl.gz",
         "thucnews_titles.jsonl", "tnews_titles.jsonl")
QUERIES = ROOT / "bench" / "queries.txt"
sys.path.insert(0, str(ROOT / "bench"))
from peers import PEERS, PeerSearcher, available
from peers import segmentation_floor as jieba_floor


def articles(corpora: Path, limit: int):
    from corpus import read_articles

    return itertools.islice(read_articles([corpora / n for n in ORDER if (corpora / n).exists()]), limit)


class RssPeak:
    """Peak resident memory of this process and its worker processes together, sampled.

    ``ru_maxrss`` will not do: Linux keeps it across fork and exec, so a child started by
    a big parent reports the parent's peak, and workers' peaks are not summed.
    """

    def __init__(self, every: float = 0.1):
        self.every, self.peak_kb = every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def mb(self) -> float:
        return self.peak_kb / 1024

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _family(os.getpid())))
            if self._stop.wait(self.every):
                return


def _family(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except OSError:
            continue
    return pids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- child processes: one build each, so peak RSS is the build's own --------------------------

def child_build(engine: str, corpora: Path, size: int, path: Path) -> dict:
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)
    started = time.perf_counter()
    chars = text_bytes = 0

    def counted():
        nonlocal chars, text_bytes
        for a in articles(corpora, size):
            chars += len(a.title) + len(a.content)
            text_bytes += len(a.title.encode("utf-8")) + len(a.content.encode("utf-8"))
            yield a

    if engine in PEERS:
        from peers import build as build_peer

        with RssPeak() as peak:
            row = build_peer(engine, ((a.id, a.title, a.content) for a in articles(corpora, size)), path)
        row["seconds"] = time.perf_counter() - started  # like the others: jieba's loading included
        return {**row, "peak_rss_mb": peak.mb}
    with RssPeak() as peak:
        if engine == "zhsearch":
            from indexer import BuildOptions, IndexStore, build_index

            report = build_index(IndexStore(path), counted(), BuildOptions(rebuild=True, procs=2, limitmb=256))
            count = report.indexed
        else:
            from quality import Baseline

            count = Baseline(path).build(counted())
    seconds = time.perf_counter() - started
    size_bytes = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return {"engine": engine, "articles": count, "seconds": seconds, "chars": chars, "text_mb": text_bytes / 1e6,
            "peak_rss_mb": peak.mb, "index_mb": size_bytes / 1e6}


def median_build(engine: str, corpora: Path, size: int, path: Path, rounds: int) -> dict:
    """The median of ``rounds`` builds by wall time; the last one's index stays at ``path``."""
    runs = []
    for i in range(rounds):
        if path.exists():
            shutil.rmtree(path)
        runs.append(build(engine, corpora, size, path))
    return sorted(runs, key=lambda row: row["seconds"])[len(runs) // 2]


def build(engine: str, corpora: Path, size: int, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "_build", engine, str(corpora), str(size), str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- measurements ---------------------------------------------------------------------------

def segmentation_floor(corpora: Path) -> dict:
    """jieba alone on 800 article bodies, one process and two (medians of 3 passes)."""
    texts = [a.content for a in articles(corpora, 3000) if a.content][:800]
    return {procs: jieba_floor(texts, procs, repeats=3) for procs in (1, 2)}


def peer_latency(engine: str, index: Path, rounds: int) -> dict:
    """The same query mix through a peer (queries it cannot run, date-only ones, are left out)."""
    searcher = PeerSearcher(engine, index)
    for q in query_mix():  # one pass unrecorded, as for zhsearch: the steady state of a server
        searcher.search(q)
    times = []
    for _ in range(rounds):
        for q in query_mix():
            started = time.perf_counter()
            if searcher.search(q) is not None:
                times.append((time.perf_counter() - started) * 1000)
    searcher.close()
    return percentiles(times)


def query_mix() -> list[str]:
    return [line.strip() for line in QUERIES.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def api_latency(index: Path, rounds: int) -> dict:
    from indexer import IndexStore
    from search.engine.results import SearchRequest
    from search.engine.searcher import Searcher

    searcher = Searcher(IndexStore(index))
    searcher.warm_segmenter()  # as the server does before forking: jieba's words as a dict
    for q in query_mix():  # one pass unrecorded: postings decoded, jieba loaded, as in a running server
        searcher.search(SearchRequest(q=q))
    times = []
    for _ in range(rounds):
        for q in query_mix():
            started = time.perf_counter()
            searcher.search(SearchRequest(q=q))
            times.append((time.perf_counter() - started) * 1000)
    return percentiles(times)


def percentiles(times: list[float]) -> dict:
    times = sorted(times)
    pick = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    return {"n": len(times), "p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99), "max": times[-1]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`zhsearch serve` on loopback, as users run it."""

    def __init__(self, index: Path, threads: int = 4, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = Path(sys.executable).with_name("zhsearch")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "search"]
        env = {**os.environ, "ZHSEARCH_REFRESH_SECONDS": "1", "ZHSEARCH_CACHE_PAGES": "0", **(env or {})}
        # SIGINT back to its default: a benchmark started in the background inherits it ignored
        self.proc = subprocess.Popen(cmd + ["serve", "--index", str(index), "--port", str(self.port), "--threads", str(threads)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509 (before threads)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def get(self, q: str, connection: http.client.HTTPConnection | None = None) -> dict:
        """One API search: on a new connection (``urllib``), or on ``connection``, kept open
        between requests as browsers and HTTP libraries keep theirs."""
        path = "/api/search?" + urllib.parse.urlencode({"q": q})
        if connection is None:
            with urllib.request.urlopen(self.base + path, timeout=30) as res:
                return json.load(res)
        connection.request("GET", path)
        res = connection.getresponse()
        body = res.read()
        if res.status != 200:
            raise OSError(f"HTTP {res.status}")
        return json.loads(body)

    def stop(self) -> None:
        """Ctrl+C as a user would; a server that does not go in 20 s is terminated, so a
        half-hour run never ends without its report."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            print("the server did not stop on SIGINT within 20 s; terminating it", file=sys.stderr)
            self.proc.terminate()
            self.proc.wait(timeout=20)


def http_latency(server: Server, concurrency: int, rounds: int, warm: bool = True, keep_alive: bool = False) -> dict:
    """Latency over HTTP, every worker warm first (the in-process figures are warm too: each
    gunicorn worker decodes its own postings, so a cold worker measured its first reads).
    ``keep_alive``: each client keeps one connection open instead of opening one per request."""
    if warm:
        http_latency(server, 4, 2, warm=False)
    work = [q for _ in range(rounds) for q in query_mix()]
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    started = time.perf_counter()

    def worker(items):
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) if keep_alive else None
        for q in items:
            t0 = time.perf_counter()
            try:
                server.get(q, connection)
            except (OSError, http.client.HTTPException):
                with lock:
                    errors += 1
                if connection is not None:
                    connection.close()  # reconnects on the next request
                continue
            with lock:
                times.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=worker, args=(work[i::concurrency],)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {**percentiles(times), "errors": errors, "rps": len(times) / wall}


def cold_start(index: Path, rounds: int) -> float:
    """Median seconds of a one-shot ``zhsearch search`` as a user's shell runs it.

    With Python's bytecode cache, as a normal environment keeps it: a sandbox that sets
    ``PYTHONDONTWRITEBYTECODE`` makes every run compile zhsearch's own modules again (an
    editable install has no ``.pyc`` from pip), about 0.1 s that no user pays. One untimed
    run writes the cache (and the index's saved facet lists) first.
    """
    exe = Path(sys.executable).with_name("zhsearch")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "search"]
    cmd += ["search", "中国", "--index", str(index), "-n", "3"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    runs = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def incremental(index: Path, corpora: Path, server: Server, count: int) -> dict:
    """Add ``count`` new articles; time the commit and until the server shows them.

    The articles are the corpus's first ``count`` under new ids, whatever the index size: full
    articles (about 3 MB of text). The ones after the indexed part of the corpus would be new
    too, but past 125,800 they are headlines without a body (0.1 MB for 1,000), which made
    an update look ten times cheaper than one of real news.
    """
    from dataclasses import replace

    from indexer import BuildOptions, IndexStore, build_index

    pool = list(articles(corpora, count))
    fresh = [replace(a, id=f"bench-new-{i}") for i, a in enumerate(pool)]
    marker = fresh[0].title
    started = time.perf_counter()
    report = build_index(IndexStore(index), fresh, BuildOptions(procs=None))  # as `zhsearch index` chooses
    committed = time.perf_counter()
    seen = None
    while time.perf_counter() - committed < 60:
        hits = server.get(f'"{marker}"')["hits"]
        if any(h["id"] == "bench-new-0" or "bench-new-0" in h.get("duplicates", []) for h in hits):
            seen = time.perf_counter() - committed
            break
        time.sleep(0.2)
    text_mb = sum(len((a.title + "\n" + a.content).encode("utf-8")) for a in fresh) / 1e6
    return {"articles": len(fresh), "text_mb": text_mb, "commit_s": committed - started, "visible_after_s": seen,
            "procs": report.procs}


# -- report ---------------------------------------------------------------------------------------

def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _rate(row: dict) -> float:
    return row["articles"] / row["seconds"]


def markdown(r: dict) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seg = r["segmentation"]
    peers = [e for e in PEERS if r["peers"].get(e)]
    lines = ["# Benchmarks", "",
             f"Measured {now} on {_cpu()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
             f"by `python bench/speed.py --sizes {' '.join(map(str, r['sizes']))} --rounds {r['rounds']}"
             f" --build-rounds {r['build_rounds']}`. "
             "Each build runs in its own process (peak RSS is the build's, worker processes included), "
             + (f"{r['build_rounds']} times at sizes up to 10,000 (the median is shown) and once above, where a "
                "build takes minutes; " if r["build_rounds"] > 1 else "once per size (a build takes minutes); ")
             + "latencies are percentiles over the committed query mix "
             f"(`bench/queries.txt`, {r['mix']} queries) repeated {r['rounds']} times.", "",
             "Engines: **zhsearch** as users get it (word and bigram fields, facts, 2 worker processes for "
             "fresh builds and updates of over 1 MB); **baseline**: Whoosh + `jieba.analyse.ChineseAnalyzer`, default parser; "
             + ", ".join(f"**{e}** {r['peers'][e]}" for e in peers)
             + (" fed the same jieba words (`bench/peers.py`: no dates, no folding, no bigrams, one process)."
                if peers else ""), "",
             "## The floor: jieba alone", "",
             "| processes | `cut` MB/s | `cut_for_search` MB/s |", "| ---: | ---: | ---: |",
             *[f"| {procs} | {v['cut']:.2f} | {v['cut_for_search']:.2f} |" for procs, v in seg.items()], "",
             "## Indexing", "",
             "| articles | engine | wall (s) | articles/s | MB/s of text | peak RSS (MB) | index (MB) | zhsearch ÷ engine, articles/s |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for rows in r["builds"].values():
        z = rows["zhsearch"]
        for row in rows.values():
            ratio = "" if row is z else f"{_rate(z) / _rate(row):.2f}"
            lines.append(f"| {row['articles']:,} | {row['engine']} | {row['seconds']:.1f} | {_rate(row):,.0f} | "
                         f"{_text_mb(row) / row['seconds']:.2f} | {row['peak_rss_mb']:,.0f} | "
                         f"{row['index_mb']:,.0f} | {ratio} |")
    lines += ["", ("MB/s counts the UTF-8 bytes of title and body read, as jieba's floor above does "
              "(older runs estimated 3 bytes a character)."), "",
              "## Query latency", "",
              "| articles | engine, path | p50 (ms) | p95 (ms) | p99 (ms) | requests/s | errors | zhsearch ÷ engine, p50 |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, q in r["queries"].items():
        a = q["api"]
        lines.append(f"| {int(size):,} | zhsearch, Python API | {a['p50']:.1f} | {a['p95']:.1f} | {a['p99']:.1f} | | | |")
        for c, label in (("http_c1", "HTTP, concurrency 1"), ("http_c4", "HTTP, concurrency 4"),
                         ("http_c4_keepalive", "HTTP, concurrency 4, connections kept open"),
                         ("http_c4_cached", "HTTP, concurrency 4, page cache on, mix asked before")):
            if c in q:
                h = q[c]
                lines.append(f"| {int(size):,} | zhsearch, {label} | {h['p50']:.1f} | {h['p95']:.1f} | "
                             f"{h['p99']:.1f} | {h['rps']:.1f} | {h['errors']} | |")
        for e in peers:
            if e in q:
                p_ = q[e]
                lines.append(f"| {int(size):,} | {e}, Python | {p_['p50']:.2f} | {p_['p95']:.2f} | {p_['p99']:.2f} | | | "
                             f"{a['p50'] / p_['p50']:.0f}× |")
    sizes = list(r["queries"])
    if len(sizes) > 1:
        first, last = r["queries"][sizes[0]]["api"], r["queries"][sizes[-1]]["api"]
        growth = int(sizes[-1]) / int(sizes[0])
        lines += ["", (f"From {int(sizes[0]):,} to {int(sizes[-1]):,} articles ({growth:.1f}× the articles) "
                      f"zhsearch's API p99 grows {last['p99'] / first['p99']:.1f}× and p50 {last['p50'] / first['p50']:.1f}×.")]
    lines += targets(r)
    inc = r["incremental"]
    seen = inc["visible_after_s"]
    lines += ["", "## Start and update", "",
              (f"- cold start of `zhsearch search 中国` on the largest index (process start to printed results, "
              f"median): {r['cold_start_s']:.2f} s"),
              (f"- incremental add of {inc['articles']:,} new articles ({inc['text_mb']:.1f} MB of text) "
              f"to the largest index, {inc.get('procs', 1)} worker process(es): {inc['commit_s']:.1f} s; visible to the running server "
              f"{seen if seen is None else round(seen, 1)} s after the commit"), ""]
    return "\n".join(lines)


def checkpoint(out: str, result: dict) -> None:
    """Keep what has been measured so far beside the report, so a late failure loses nothing."""
    if out != "-":
        Path(out + ".json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), "utf-8")


def targets(r: dict) -> list[str]:
    """The benchmark issue's targets against this run, at the judged collection's size."""
    size = "125800" if "125800" in map(str, r["builds"]) else str(max(map(int, r["builds"])))
    builds = {str(k): v for k, v in r["builds"].items()}[size]
    queries = {str(k): v for k, v in r["queries"].items()}
    api = queries[size]["api"]
    ratio = _rate(builds["zhsearch"]) / _rate(builds["baseline"])
    largest = queries[str(max(map(int, queries)))]
    sizes = sorted(map(int, queries))
    p99_growth = queries[str(sizes[-1])]["api"]["p99"] / queries[str(sizes[0])]["api"]["p99"]
    inc, cold = r["incremental"], r["cold_start_s"]
    mark = lambda ok: "met" if ok else "**not met**"
    size_ratio = builds["zhsearch"]["index_mb"] / builds["baseline"]["index_mb"]
    fts5 = queries[size].get("fts5")
    rows = [
        ("issue 14: indexing articles/s ≥ 1.5× the baseline's (goal 2×)", f"{ratio:.2f}×", mark(ratio >= 1.5)),
        ("issue 14: index on disk ≤ 2× the baseline's", f"{size_ratio:.1f}×", mark(size_ratio <= 2)),
        ("indexing peak RSS ≤ 1.5 GB", f"{builds['zhsearch']['peak_rss_mb'] / 1024:.2f} GB",
         mark(builds["zhsearch"]["peak_rss_mb"] <= 1536)),
        ("issue 13: API p50 ≤ 3 ms", f"{api['p50']:.1f} ms", mark(api["p50"] <= 3)),
        ("issue 13: API p99 ≤ 30 ms", f"{api['p99']:.1f} ms", mark(api["p99"] <= 30)),
    ]
    if fts5:
        rows.append(("issue 13: API p99 below FTS5's (same run)", f"{api['p99'] / fts5['p99']:.2f}× FTS5's",
                     mark(api["p99"] < fts5["p99"])))
    for key, label in (("http_c4", "new connection per request"), ("http_c4_keepalive", "connections kept open")):
        h = largest.get(key)
        if h:
            rows.append((f"issue 13: HTTP concurrency 4 ({label}): p50 ≤ 10 ms, ≥ 200 requests/s, no errors",
                         f"{h['p50']:.1f} ms, {h['rps']:.0f}/s, {h['errors']} errors",
                         mark(h["p50"] <= 10 and h["rps"] >= 200 and not h["errors"])))
    if len(sizes) > 1:  # one size measures no growth
        rows.append((f"p99 grows less than linearly ({sizes[0]:,} → {sizes[-1]:,}: {sizes[-1] / sizes[0]:.1f}× the articles)",
                     f"{p99_growth:.1f}×", mark(p99_growth < sizes[-1] / sizes[0])))
    rows += [
        (f"issue 13: cold start ≤ 1 s (at {sizes[-1]:,})", f"{cold:.2f} s", mark(cold <= 1)),
        (f"issue 14: adding {inc['articles']:,} articles ≤ 10 s (to {sizes[-1]:,})", f"{inc['commit_s']:.1f} s",
         mark(inc["commit_s"] <= 10)),
        ("issue 14: visible to a running server ≤ 2 s after the commit",
         "never" if inc["visible_after_s"] is None else f"{inc['visible_after_s']:.1f} s",
         mark(inc["visible_after_s"] is not None and inc["visible_after_s"] <= 2)),
    ]
    return ["", f"## Targets (at {int(size):,} articles unless said otherwise)", "",
            "| target | this run | |", "| --- | ---: | --- |",
            *[f"| {name} | {value} | {verdict} |" for name, value, verdict in rows], "",
            "Why the unmet ones are not met, with profiles: [`performance.md`](performance.md)."]



def _text_mb(row: dict) -> float:
    """Megabytes of text a build read (UTF-8 bytes; older rows only counted characters)."""
    return row["text_mb"] if "text_mb" in row else row["chars"] * 3 / 1e6


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_build":
        print(json.dumps(child_build(argv[1], Path(argv[2]), int(argv[3]), Path(argv[4]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=SHARED)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 125_800])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build-rounds", type=int, default=3, help="builds per engine at sizes up to 10,000")
    parser.add_argument("--add", type=int, default=1000, help="articles in the incremental-update test")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"no corpora at {args.corpora}", file=sys.stderr)
        return 2
    versions = available()
    result: dict = {"sizes": args.sizes, "rounds": args.rounds, "build_rounds": args.build_rounds,
                    "mix": len(query_mix()), "builds": {}, "queries": {}, "peers": versions}
    result["segmentation"] = segmentation_floor(args.corpora)
    engines = ("zhsearch", "baseline", *(e for e in PEERS if versions.get(e)))
    with tempfile.TemporaryDirectory(prefix="zhsearch-speed-") as tmp:
        for size in args.sizes:
            rounds = args.build_rounds if size <= 10_000 else 1
            result["builds"][size] = {e: median_build(e, args.corpora, size, Path(tmp) / f"{e}{size}", rounds)
                                      for e in engines}
            result["queries"][size] = {"api": api_latency(Path(tmp) / f"zhsearch{size}", args.rounds)}
            for e in engines[2:]:
                result["queries"][size][e] = peer_latency(e, Path(tmp) / f"{e}{size}", args.rounds)
            checkpoint(args.out, result)
        largest = Path(tmp) / f"zhsearch{max(args.sizes)}"
        server = Server(largest)
        try:
            result["queries"][max(args.sizes)]["http_c1"] = http_latency(server, 1, args.rounds)
            result["queries"][max(args.sizes)]["http_c4"] = http_latency(server, 4, args.rounds)
            result["queries"][max(args.sizes)]["http_c4_keepalive"] = http_latency(server, 4, args.rounds,
                                                                                   keep_alive=True)
            result["cold_start_s"] = cold_start(largest, args.rounds)
            result["incremental"] = incremental(largest, args.corpora, server, count=args.add)
        finally:
            server.stop()
        cached = Server(largest, env={"ZHSEARCH_CACHE_PAGES": "256"})
        try:
            http_latency(cached, 4, 1)  # each query asked once: the cache now holds the mix
            result["queries"][max(args.sizes)]["http_c4_cached"] = http_latency(cached, 4, args.rounds)
        finally:
            cached.stop()
    text = markdown(result)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, "utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
