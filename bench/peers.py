"""Peer engines for bench/speed.py: tantivy and SQLite FTS5, fed the same jieba words as us.

A user who wants Chinese full-text search could skip zhsearch and put jieba in front of an
off-the-shelf engine. This module is that alternative, done plainly, so the speed benchmark can
report ratios against it rather than absolute numbers nobody can judge:

* **tantivy** (PyPI ``tantivy``, a Rust engine): fields ``title`` and ``content`` analysed by
  a whitespace tokenizer plus lowercasing, positions indexed (phrases work); ``id`` stored.
* **fts5** (SQLite's FTS5 from the stdlib ``sqlite3``): ``fts5(id UNINDEXED, title, content)``
  with ``unicode61``, which splits on whitespace and punctuation but never inside a run of Han
  characters, so each space-joined jieba word stays one token; case is folded.

Both keep the (segmented) title and content text as well as the index: FTS5 does so by
default, tantivy's fields are marked stored to match, and zhsearch stores both too, so index
sizes compare like with like.

Both get the text as jieba precise mode without HMM cuts it (the mode zhsearch indexes with),
re-joined with single spaces. Pieces without a letter, digit or Han character (punctuation) are
dropped before joining: FTS5 could not index them anyway, and dropping them for both keeps the
two peers on one token stream (zhsearch drops them too). Ranking is each engine's BM25 over
both fields with the title weighted x6.

What the peers do *not* get, by design (it is what zhsearch adds): no date field (date
clauses are dropped from queries), no traditional->simplified or full-width folding of the
indexed text (queries are NFKC-folded and lowercased only), no synonyms, no character
bigrams for words jieba cuts differently in query and document.

    python bench/peers.py --limit 2000      # self-check: build both, run bench/queries.txt
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import logging
import multiprocessing as mp
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jieba

PEERS = ("tantivy", "fts5")
FTS_FILE = "fts.db"
TITLE_BOOST = 6.0
CUT_MODES = ("cut", "cut_for_search")

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "bench" / "queries.txt"
CORPORA = ROOT.parent / "shared" / "corpora"
#: Self-check input, read in this order: finance_rss has 3,035 articles, cctv_xwlb 24k more.
CORPUS = (CORPORA / "finance_rss.jsonl", CORPORA / "cctv_xwlb.jsonl.gz")

_ANALYZER = "jieba_words"  # tantivy analyzer name: whitespace split + lowercase
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter, digit or Han character
_DATE_RANGE = re.compile(r"\b[a-z_]+:\[[^\]]*\]", re.IGNORECASE)  # published:[a TO b]
_PART = re.compile(r'(?:[a-z_]+:)?(?:"([^"]*)"|\u201c([^\u201d]*)\u201d|(\S+))', re.IGNORECASE)
_FTS_SCHEMA = (
    "CREATE VIRTUAL TABLE t USING fts5("
    "id UNINDEXED, title, content, tokenize = 'unicode61 remove_diacritics 0')"
)
_FTS_QUERY = f"SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0.0, {TITLE_BOOST}, 1.0) LIMIT ?"


# -- segmentation ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """One initialised jieba tokenizer per process (loading the dictionary costs ~1 s)."""
    import jieba  # deferred: importing jieba is slow and bench/speed.py imports us early

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """jieba precise mode without HMM, punctuation-only pieces dropped."""
    return [w for w in _tokenizer().cut(text, HMM=False) if _WORD_CHAR.search(w)]


def joined(text: str) -> str:
    """The text as both peers index it: jieba words separated by single spaces."""
    return " ".join(words(text))


# -- queries --------------------------------------------------------------------------------

def peer_terms(query: str) -> list[list[str]]:
    """One line of bench/queries.txt as required clauses; a clause of 2+ words is a phrase.

    Field prefixes (``title:``, ``platform:``) are stripped: the words are searched in both
    text fields. Date clauses (``published:[a TO b]``) are dropped because the peers index no
    dates; a query with nothing else left gives ``[]`` (the peer skips it). The query is
    NFKC-folded (full-width to half-width) and its words lowercased, as both indexes
    lowercase; there is no traditional to simplified folding, so ``對等關稅`` is looked up as
    written. Quoted text (``"…"`` or ``“…”``) is one phrase of its jieba words; every other
    whitespace-separated part is cut by jieba and each of its words is required (AND).
    Lowercasing comes after cutting, as in the indexes: jieba cuts ``A股`` as one word but
    ``a股`` as two.

    >>> peer_terms('title:特斯拉 published:[2025-01-01 TO 2025-06-30] "数字人民币" A股')
    [['特斯拉'], ['数字', '人民币'], ['a股']]
    """
    text = _DATE_RANGE.sub(" ", unicodedata.normalize("NFKC", query))
    clauses: list[list[str]] = []
    for match in _PART.finditer(text):
        straight, curly, bare = match.groups()
        phrase = straight if straight is not None else curly
        if phrase is not None:
            found = [w.lower() for w in words(phrase)]
            if found:
                clauses.append(found)
        else:
            clauses.extend([w.lower()] for w in words(bare))
    return clauses


def fts5_match(clauses: list[list[str]]) -> str:
    """An FTS5 MATCH string: every clause a double-quoted string (a phrase), ANDed.

    Quoting every token keeps FTS5 operators and symbols (``+``, ``-``, ``:``, ``*``) inert.

    >>> fts5_match([['数字', '人民币'], ['a"b']])
    '"数字 人民币" AND "a""b"'
    """
    return " AND ".join('"' + " ".join(w.replace('"', '""') for w in c) + '"' for c in clauses)


def _tantivy_query(schema: Any, clauses: list[list[str]]) -> Any:
    """All clauses required; each matches in title (boosted) or content, scores summed."""
    import tantivy

    def field_query(field: str, clause: list[str]) -> Any:
        if len(clause) == 1:
            return tantivy.Query.term_query(schema, field, clause[0])
        return tantivy.Query.phrase_query(schema, field, clause)

    should = tantivy.Occur.Should
    required = [
        (tantivy.Occur.Must, tantivy.Query.boolean_query([
            (should, tantivy.Query.boost_query(field_query("title", c), TITLE_BOOST)),
            (should, field_query("content", c)),
        ]))
        for c in clauses
    ]
    return tantivy.Query.boolean_query(required)


# -- availability ---------------------------------------------------------------------------

def available() -> dict[str, str | None]:
    """engine -> version string, or None when the engine can't be used here."""
    return {"tantivy": _tantivy_version(), "fts5": _fts5_version()}


def _tantivy_version() -> str | None:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return None
    return importlib.metadata.version("tantivy")


def _fts5_version() -> str | None:
    """SQLite's version if its FTS5 extension is compiled in (it usually is)."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(_FTS_SCHEMA)
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return f"sqlite {sqlite3.sqlite_version}"


# -- building -------------------------------------------------------------------------------

class _Counts:
    """Articles, characters and UTF-8 bytes of text seen while the documents stream through
    segmentation (bytes, not characters times three: MB/s is compared with jieba's floor,
    which is measured in bytes)."""

    def __init__(self) -> None:
        self.articles = 0
        self.chars = 0
        self.bytes = 0

    def segmented(self, docs: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
        for doc_id, title, content in docs:
            self.articles += 1
            self.chars += len(title) + len(content)
            self.bytes += len(title.encode("utf-8")) + len(content.encode("utf-8"))
            yield doc_id, joined(title), joined(content)


def build(engine: str, docs: Iterable[tuple[str, str, str]], path: Path) -> dict:
    """Index (id, title, content) triples into a new index in directory `path`.

    Segmentation happens here, in this process, interleaved with indexing (tantivy indexes
    on its own threads meanwhile). ``seconds`` runs from the first document consumed to the
    final commit (tantivy: and its merges); loading jieba is done before the clock starts.
    ``index_mb`` is the size on disk afterwards.
    """
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise FileExistsError(f"{path} is not empty")
    path.mkdir(parents=True, exist_ok=True)
    _tokenizer()
    counts = _Counts()
    started = time.perf_counter()
    if engine == "tantivy":
        _build_tantivy(counts.segmented(docs), path)
    elif engine == "fts5":
        _build_fts5(counts.segmented(docs), path / FTS_FILE)
    else:
        raise ValueError(f"unknown peer {engine!r}; expected one of {PEERS}")
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return {"engine": engine, "articles": counts.articles, "seconds": seconds,
            "chars": counts.chars, "text_mb": counts.bytes / 1e6, "index_mb": size / 1e6}


def _tantivy_index(path: Path, create: bool) -> Any:
    """A tantivy index at `path` with the whitespace+lowercase analyzer registered.

    Custom analyzers are not stored in the index, so every open must register it again.
    """
    import tantivy

    if create:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
        for field in ("title", "content"):  # stored, as FTS5 and zhsearch keep the text too
            builder.add_text_field(field, stored=True, tokenizer_name=_ANALYZER,
                                   index_option="position")
        index = tantivy.Index(builder.build(), path=str(path), reuse=False)
    else:
        index = tantivy.Index.open(str(path))
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
                .filter(tantivy.Filter.lowercase()).build())
    index.register_tokenizer(_ANALYZER, analyzer)
    return index


def _build_tantivy(rows: Iterable[tuple[str, str, str]], path: Path) -> None:
    import tantivy

    writer = _tantivy_index(path, create=True).writer()  # default 128 MB heap, auto threads
    for doc_id, title, content in rows:
        writer.add_document(tantivy.Document(id=doc_id, title=title, content=content))
    writer.commit()
    writer.wait_merging_threads()


def _build_fts5(rows: Iterable[tuple[str, str, str]], db: Path) -> None:
    """One transaction, SQLite defaults otherwise (FTS5 automerge, no 'optimize')."""
    con = sqlite3.connect(db)
    try:
        con.execute(_FTS_SCHEMA)
        with con:
            con.executemany("INSERT INTO t (id, title, content) VALUES (?, ?, ?)", rows)
    finally:
        con.close()


# -- searching ------------------------------------------------------------------------------

class PeerSearcher:
    """A warm searcher over one peer index: opened once, jieba loaded once."""

    def __init__(self, engine: str, path: Path):
        if engine not in PEERS:
            raise ValueError(f"unknown peer {engine!r}; expected one of {PEERS}")
        self.engine = engine
        _tokenizer()
        path = Path(path)
        if engine == "tantivy":
            index = _tantivy_index(path, create=False)
            index.reload()
            self._schema = index.schema
            self._searcher = index.searcher()
        else:
            self._con = sqlite3.connect(f"file:{path / FTS_FILE}?mode=ro", uri=True,
                                        check_same_thread=False)

    def search(self, query: str, limit: int = 10) -> list[str] | None:
        """Ids in rank order; None if nothing is left for a peer to run (dates, punctuation)."""
        clauses = peer_terms(query)
        if not clauses:
            return None
        if self.engine == "tantivy":
            result = self._searcher.search(_tantivy_query(self._schema, clauses), limit,
                                           count=False)
            return [self._searcher.doc(address)["id"][0] for _, address in result.hits]
        rows = self._con.execute(_FTS_QUERY, (fts5_match(clauses), limit)).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        if self.engine == "fts5":
            self._con.close()


# -- segmentation floor ---------------------------------------------------------------------

def _cut_count(mode: str, text: str) -> int:
    """Cut one text and count the pieces (counting forces jieba's lazy generator to run)."""
    tokenizer = _tokenizer()
    cut = tokenizer.cut if mode == "cut" else tokenizer.cut_for_search
    return sum(1 for _ in cut(text, HMM=False))


def _init_worker(ready: threading.Barrier) -> None:
    """Pool initializer: load jieba, then tell the parent this worker is ready to cut.

    A forked worker may inherit the parent's tokenizer; it loads its own instead, so that
    cutting does not pay copy-on-write page faults on shared dictionary pages while timed.
    """
    _tokenizer.cache_clear()
    _tokenizer()
    try:
        ready.wait(timeout=120)
    except threading.BrokenBarrierError:  # a replacement worker after start-up: no one waits
        pass


def segmentation_floor(texts: list[str], procs: int, repeats: int = 5) -> dict[str, float]:
    """jieba's own speed in MB/s of UTF-8 input, `cut` and `cut_for_search` (HMM off).

    The floor every jieba-based engine shares: no engine indexing these texts can beat it
    with the same number of processes. Only the cutting is timed: with ``procs > 1`` the
    pool is started and every worker has loaded its own jieba before the clock starts.
    Each mode reports the median of `repeats` passes.
    """
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    if procs <= 1:
        _tokenizer()
        return {mode: megabytes / _median_time(repeats, lambda m=mode: [_cut_count(m, t) for t in texts])
                for mode in CUT_MODES}
    # fork explicitly: spawn/forkserver would re-import the caller's __main__ in every worker
    context = mp.get_context("fork")
    ready = context.Barrier(procs + 1)
    chunksize = max(1, len(texts) // (procs * 8))
    with context.Pool(procs, initializer=_init_worker, initargs=(ready,)) as pool:
        ready.wait(timeout=120)
        return {mode: megabytes / _median_time(
                    repeats, lambda m=mode: list(pool.imap_unordered(partial(_cut_count, m),
                                                                     texts, chunksize)))
                for mode in CUT_MODES}


def _median_time(repeats: int, work: Callable[[], object]) -> float:
    """Median seconds over `repeats` calls of `work()` (the benchmark reports medians)."""
    times = []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- self-check -----------------------------------------------------------------------------

def _read_docs(corpora: Iterable[Path], limit: int) -> list[tuple[str, str, str]]:
    """The first `limit` (id, title, content) triples of the JSON Lines files, in order."""
    docs: list[tuple[str, str, str]] = []
    for corpus in corpora:
        opener = gzip.open if corpus.suffix == ".gz" else open
        with opener(corpus, "rt", encoding="utf-8") as f:
            for line in f:
                if len(docs) >= limit:
                    return docs
                if line.strip():
                    record = json.loads(line)
                    docs.append((record["id"], record.get("title") or "",
                                 record.get("content") or ""))
    return docs


def _read_queries(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _phrase_check(query: str, ids: list[str], texts: dict[str, str]) -> str:
    """For a quoted query: how many hits really contain the quoted text (NFKC, lowercased)."""
    quoted = [a or b for a, b, _ in _PART.findall(unicodedata.normalize("NFKC", query).lower())
              if a or b]
    if not quoted or not ids:
        return ""
    ok = sum(all(q in texts[i] for q in quoted) for i in ids)
    return f" ({ok}/{len(ids)} contain it)"


def _measure(engine: str, docs: list[tuple[str, str, str]], queries: list[str], rounds: int,
             path: Path) -> tuple[dict, dict[str, list[str] | None]]:
    """Build one peer, then time `rounds` warm passes over the queries (skipped ones untimed)."""
    report = build(engine, docs, path)
    searcher = PeerSearcher(engine, path)
    try:
        hits = {q: searcher.search(q) for q in queries}  # also the warm-up pass
        latencies = []
        for _ in range(rounds):
            for q in queries:
                started = time.perf_counter()
                if searcher.search(q) is not None:
                    latencies.append((time.perf_counter() - started) * 1000)
    finally:
        searcher.close()
    report["p50_ms"] = _percentile(latencies, 50)
    report["p95_ms"] = _percentile(latencies, 95)
    return report, hits


def _print_reports(reports: list[dict]) -> None:
    print(f"\n{'engine':<8} {'articles':>8} {'build s':>8} {'art/s':>8} {'index MB':>9}"
          f" {'p50 ms':>7} {'p95 ms':>7}")
    for r in reports:
        print(f"{r['engine']:<8} {r['articles']:>8} {r['seconds']:>8.2f}"
              f" {r['articles'] / r['seconds']:>8.0f} {r['index_mb']:>9.1f}"
              f" {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f}")


def _print_hits(queries: list[str], hits: dict[str, dict[str, list[str] | None]],
                texts: dict[str, str]) -> None:
    """Hits per query and engine; for phrases, how many hits contain the quoted text."""
    print("\nhits per query (limit 10):")
    for q in queries:
        results = {engine: by_query[q] for engine, by_query in hits.items()}
        cells = [f"{engine} " + ("skipped" if ids is None else
                                 f"{len(ids)}{_phrase_check(q, ids, texts)}")
                 for engine, ids in results.items()]
        lists = [set(ids) for ids in results.values() if ids]
        if len(lists) == 2:
            cells.append(f"same ids {len(lists[0] & lists[1])}")
        print(f"  {q:<40} {' | '.join(cells)}")


def _print_floor(docs: list[tuple[str, str, str]], count: int) -> None:
    sample = [f"{t}\n{c}" for _, t, c in docs[:count]]
    mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
    print(f"\njieba segmentation floor, {len(sample)} texts, {mb:.2f} MB (HMM off):")
    for procs in (1, 2):
        floor = segmentation_floor(sample, procs)
        print(f"  procs={procs}: " + ", ".join(f"{m} {v:.2f} MB/s" for m, v in floor.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="articles to index")
    parser.add_argument("--corpus", type=Path, nargs="+", default=list(CORPUS),
                        help="JSON Lines files (.gz too), read in order up to --limit")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the queries")
    parser.add_argument("--floor-texts", type=int, default=500)
    args = parser.parse_args(argv)

    versions = available()
    print("peers:", ", ".join(f"{e} {v or 'UNAVAILABLE'}" for e, v in versions.items()))
    docs = _read_docs(args.corpus, args.limit)
    queries = _read_queries(args.queries)
    reports, hits = [], {}
    with tempfile.TemporaryDirectory(prefix="peers-") as tmp:
        for engine in (e for e in PEERS if versions[e]):
            report, hits[engine] = _measure(engine, docs, queries, args.rounds,
                                            Path(tmp) / engine)
            reports.append(report)
    _print_reports(reports)
    texts = {i: unicodedata.normalize("NFKC", f"{t}\n{c}").lower() for i, t, c in docs}
    _print_hits(queries, hits, texts)
    _print_floor(docs, args.floor_texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
