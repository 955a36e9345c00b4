"""Turn a stream of articles into index updates: add new ids, replace known ones."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh.index import LockError

from corpus.article import CHINA_TZ, Article
from indexer.dictionary import Dictionary
from indexer.errors import DictionaryMismatch, IndexLocked, IndexWriteError
from indexer.facts import extract_facts
from indexer.parallel import ParallelWriter
from indexer.pool import Progress
from indexer.schema import build_schema, check_compatible, schema_dictionary
from indexer.store import FORMAT_VERSION, IndexStore
from indexer.writer import ArraySegmentWriter

log = logging.getLogger(__name__)

#: Text (UTF-8 bytes of titles and bodies) past which ``procs=None`` starts worker
#: processes. Adding articles to the 125,800-article index, one process against two
#: (docs/performance.md): 100 articles (0.3 MB) 1.5-1.8 s against 1.4-1.5 s, 1,000 (3 MB)
#: 12.7-13.3 s against 7.3-8.7 s; below about a megabyte the gain is within the noise.
PARALLEL_FROM_BYTES = 1_000_000


@dataclass
class BuildReport:
    """What one indexing run did; the CLI prints it as the closing summary."""

    indexed: int = 0
    updated: int = 0
    #: Processes that segmented and wrote the articles (1: this one alone).
    procs: int = 1
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    rebuilt: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"indexed": self.indexed, "updated": self.updated, "duplicates": self.duplicates,
                "skipped": dict(self.skipped), "skipped_total": sum(self.skipped.values()),
                "seconds": round(self.seconds, 3), "rebuilt": self.rebuilt, "procs": self.procs}


@dataclass(frozen=True)
class BuildOptions:
    """How to build: a fresh generation or in place, with which extra words, how much RAM."""

    rebuild: bool = False
    userdicts: Sequence[Path] = ()
    limitmb: int = 256
    writer_timeout: float = 10.0
    #: Worker processes: each segments its share of the articles and writes it as a segment
    #: of its own, while this process reads the articles, replaces known ids and commits.
    #: ``None`` chooses (:func:`choose_procs`): workers only for a run with enough text to
    #: pay for starting them. The default stays one, for callers inside a threaded server
    #: (the API's write endpoint), where forking is unsafe.
    procs: int | None = 1
    #: Seconds to wait for another process's indexing run to end before giving up.
    lock_wait: float = 0.0


def to_fields(article: Article) -> dict[str, Any]:
    """The Whoosh document for an article (bigram twins get the same text)."""
    doc: dict[str, Any] = {
        "id": article.id, "title": article.title, "content": article.content,
        "title_g": article.title, "content_g": article.content,
        "url": article.url, "source": article.source, "category": article.category,
    }
    if article.published is not None:
        local = article.published.astimezone(CHINA_TZ).replace(tzinfo=None)
        doc["published"] = local
        doc["year"] = str(local.year)
    facts = extract_facts(article.title, article.content, article.published)
    doc["facts"] = facts.to_dict()
    for name, days in (("effective", facts.effective), ("announced", facts.announced)):
        if days:
            doc[name] = [datetime(d.year, d.month, d.day) for d in days]
    for name, values in (("rule", facts.rules), ("platform", facts.platforms),
                         ("programme", facts.programmes), ("kind", facts.kinds)):
        if values:
            doc[name] = ",".join(v.replace(",", " ") for v in values)
    return doc


def build_index(store: IndexStore, articles: Iterable[Article], options: BuildOptions = BuildOptions(),
                on_article: Callable[[Article], None] | None = None,
                on_phase: Callable[[str], None] | None = None,
                on_wait: Callable[[str], None] | None = None,
                on_commit: Progress | None = None) -> BuildReport:
    """Index ``articles`` into ``store``; a rebuild goes live only when it fully succeeds.

    An update commits once, at the end, so an interrupted run leaves the index as it was
    and running it again completes it (ids make every write idempotent).
    ``on_article`` is called as each article is handed to the writer, ``on_phase`` when
    the run moves on to committing (with worker processes, most of the work lands there),
    ``on_wait`` if another process holds the write lock and this run waits for it, and
    ``on_commit(done, total)`` as the commit writes postings out (``total`` may grow while
    worker processes are still sorting theirs).
    """
    started = time.perf_counter()
    requested = Dictionary.load(options.userdicts)
    articles, procs = choose_procs(articles, options.procs)
    options = replace(options, procs=procs)
    with store.writing(options.lock_wait, on_wait):
        fresh = options.rebuild or not store.exists()
        if fresh:
            report = _build_fresh(store, articles, requested, options, on_article, on_phase, on_commit)
        else:
            report = _update(store, articles, requested, options, on_article, on_phase, on_commit)
    report.rebuilt, report.procs = fresh, procs
    report.seconds = time.perf_counter() - started
    return report


def choose_procs(articles: Iterable[Article], procs: int | None) -> tuple[Iterable[Article], int]:
    """How many processes write this run, and its articles (those read ahead put back first).

    ``None`` reads ahead until the articles hold more than :data:`PARALLEL_FROM_BYTES` of
    text: a run that long gets :func:`auto_procs` workers, a shorter one (a feed's few new
    articles) is written here, without forking processes that would each load jieba.
    """
    if procs is not None:
        return articles, procs
    stream = iter(articles)
    ahead: list[Article] = []
    size = 0
    for article in stream:
        ahead.append(article)
        size += len(article.title.encode("utf-8")) + len(article.content.encode("utf-8"))
        if size > PARALLEL_FROM_BYTES:
            return chain(ahead, stream), auto_procs()
    return ahead, 1


def auto_procs() -> int:
    """Two workers on a multi-core machine: each holds its own posting pool (``limitmb``)
    and jieba's dictionary, and two already keep the indexing peak RSS near 1 GB."""
    return min(os.cpu_count() or 1, 2)


def _build_fresh(store: IndexStore, articles: Iterable[Article], dictionary: Dictionary,
                 options: BuildOptions, on_article: Callable[[Article], None] | None,
                 on_phase: Callable[[str], None] | None, on_commit: Progress | None) -> BuildReport:
    from whoosh import index as whoosh_index

    gen = store.new_generation()
    try:
        ix = whoosh_index.create_in(str(gen), build_schema(dictionary))
        report = _write(ix, articles, on_article, on_phase, on_commit, existing=False, options=options)
        _stamp(store, gen, dictionary, created=True)
        store.publish(gen)
    except OSError as exc:  # Whoosh creating its files: full disk, read-only directory
        store.discard(gen)
        raise IndexWriteError(f"cannot write the index at {store.path}: {exc.strerror or exc}") from None
    except BaseException:
        store.discard(gen)
        raise
    return report


def _update(store: IndexStore, articles: Iterable[Article], requested: Dictionary,
            options: BuildOptions, on_article: Callable[[Article], None] | None,
            on_phase: Callable[[str], None] | None, on_commit: Progress | None) -> BuildReport:
    ix = store.open()
    check_compatible(ix.schema, store.path)
    current = schema_dictionary(ix.schema)
    if options.userdicts and requested.fingerprint != current.fingerprint:
        raise DictionaryMismatch(
            f"the index was built with dictionary {current.fingerprint} ({', '.join(current.sources)}); "
            f"the one asked for is {requested.fingerprint} ({', '.join(requested.sources)}): "
            "run again with --rebuild to re-segment everything")
    report = _write(ix, articles, on_article, on_phase, on_commit, existing=True, options=options)
    _stamp(store, store.current_dir(), current, created=False)
    return report


def _write(ix, articles: Iterable[Article], on_article, on_phase, on_commit, existing: bool,
           options: BuildOptions) -> BuildReport:
    report = BuildReport()
    try:
        if options.procs > 1:
            writer = ParallelWriter(ix, procs=options.procs, limitmb=options.limitmb, on_progress=on_commit,
                                    timeout=options.writer_timeout)
        else:
            writer = ArraySegmentWriter(ix, limitmb=options.limitmb, timeout=options.writer_timeout,
                                        on_progress=on_commit)
    except LockError:
        raise IndexLocked("another zhsearch process is writing to this index; try again when it ends") from None
    seen: set[str] = set()
    try:
        with ix.searcher() as searcher:
            for article in articles:
                if article.id in seen:
                    report.duplicates += 1
                    log.warning("id %s appears more than once in this batch; the first is kept", article.id)
                    continue
                seen.add(article.id)
                if existing and searcher.document_number(id=article.id) is not None:
                    writer.update_document(**to_fields(article))
                    report.updated += 1
                else:
                    writer.add_document(**to_fields(article))
                    report.indexed += 1
                if on_article is not None:
                    on_article(article)
        if on_phase is not None:
            on_phase("committing")
        writer.commit()
    except OSError as exc:
        _abandon(ix, writer)
        raise IndexWriteError(f"cannot write the index: {exc.strerror or exc}") from None
    except BaseException:
        _abandon(ix, writer)
        raise
    return report


def _abandon(ix, writer) -> None:
    """Cancel a write that failed, even when cancelling itself cannot write (a full disk).

    The committed table of contents was never replaced, so the index is as it was; what
    is left to do is release Whoosh's lock and delete the half-written segment files.
    """
    try:
        writer.cancel()
    except OSError:
        _close_anyway(writer)
    if not hasattr(ix, "_segments"):  # the multi-process writer's fresh generation is discarded whole
        return
    from whoosh.index import clean_files

    try:
        live = ix.refresh()
        clean_files(live.storage, live.indexname, live.latest_generation(), live._segments())
    except OSError as exc:
        log.warning("could not remove the abandoned segment files: %s", exc)


def _close_anyway(writer) -> None:
    """What Whoosh's ``_finish`` does after a failed cancel, each step on its own: removing
    the temporary files can fail too (a full disk, a file already gone), and that must
    neither keep the index locked nor replace the error that stopped the write (a full
    disk once surfaced as "No such file or directory" from this clean-up)."""
    try:
        writer._tempstorage.destroy()
    except OSError as exc:
        log.warning("could not remove the abandoned write's temporary files: %s", exc)
    if writer.writelock:
        writer.writelock.release()
    writer.is_closed = True


def _stamp(store: IndexStore, gen: Path, dictionary: Dictionary, created: bool) -> None:
    meta = store.read_meta(gen) if not created else {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    meta.update({"format": FORMAT_VERSION, "updated": now, "dictionary": dictionary.describe()})
    meta.setdefault("created", now)
    store.write_meta(gen, meta)
