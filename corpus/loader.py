"""Read articles from files and directories: pick the reader, normalise, report skips."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path

from corpus.article import Article
from corpus.encoding import open_source
from corpus.errors import CorpusError, RecordError, Skip
from corpus.formats import READERS, sniff
from corpus.normalize import normalize_article

log = logging.getLogger(__name__)

SkipHandler = Callable[[Skip], None]
BytesHandler = Callable[[int], None]


def sample_path() -> Path:
    """The bundled sample corpus: the seed listing page of 20 articles on 1688's rules."""
    return Path(str(resources.files("corpus").joinpath("data/sample_dsb_1688.txt")))


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every file named or under a named directory (recursively, sorted, hidden ones left out).

    All paths are checked before anything is read, so a typo fails fast.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)))
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(f"no such file or directory: {path}")
    return files


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_articles(paths: Iterable[str | os.PathLike[str]], on_skip: SkipHandler | None = None,
                  on_bytes: BytesHandler | None = None) -> Iterator[Article]:
    """Stream the articles of ``paths``; each bad record goes to ``on_skip`` and is left out.

    ``on_bytes`` receives how many more bytes of the files on disk have been read, for
    progress displays.
    """
    report = on_skip or _log_skip
    for path in iter_files(paths):
        yield from _read_file(path, report, on_bytes)


def _log_skip(skip: Skip) -> None:
    log.warning("skipped %s", skip)


def _read_file(path: Path, report: SkipHandler, on_bytes: BytesHandler | None) -> Iterator[Article]:
    try:
        source = open_source(path)
    except (OSError, EOFError) as exc:
        report(Skip(str(path), 0, "unreadable", getattr(exc, "strerror", None) or str(exc)))
        return
    try:
        kind = sniff(source)
        if kind is None:
            report(Skip(str(path), 0, "unsupported-format", "not JSON Lines, JSON, CSV or a listing page"))
            return
        seen = 0
        for item in _guarded(READERS[kind](source), path, report):
            if isinstance(item, Skip):
                report(item)
                continue
            number, raw = item
            try:
                article = normalize_article(raw, default_source=path.name.split(".")[0])
            except RecordError as exc:
                report(Skip(str(path), number, exc.reason, exc.detail))
                continue
            if on_bytes is not None:
                now = source.position()
                on_bytes(now - seen)
                seen = now
            yield article
    finally:
        source.close()


def _guarded(items, path: Path, report: SkipHandler):
    """A truncated or corrupt compressed file ends its records, not the whole run."""
    try:
        yield from items
    except (OSError, EOFError) as exc:
        report(Skip(str(path), 0, "unreadable", f"file ends early or is corrupt: {exc}"))
