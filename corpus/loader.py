"""Read articles from files and directories: pick the reader, normalise, report skips.

Nothing here holds more than one file open or more than one record (plus a reader's
read-ahead) in memory, so a corpus of any size streams.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from importlib import resources
from pathlib import Path

from corpus.article import Article
from corpus.errors import CorpusError, RecordError, Skip
from corpus.formats import READERS, sniff
from corpus.normalize import normalize_article
from corpus.source import READ_ERRORS, Source, open_source

log = logging.getLogger(__name__)

SkipHandler = Callable[[Skip], None]
BytesHandler = Callable[[int], None]
PathLike = str | os.PathLike[str]


def sample_path() -> Path:
    """The bundled sample corpus: the seed listing page of 20 articles on 1688's rules.

    A real path (the package is installed unzipped), so it can be passed like any file.
    """
    return Path(str(resources.files("corpus").joinpath("data/sample_dsb_1688.txt")))


def iter_files(paths: Iterable[PathLike] | PathLike) -> list[Path]:
    """Every file named or under a named directory, in order, each once.

    Directories are walked recursively, files sorted, hidden files and directories (a
    name starting with ``.``) left out; a file named explicitly is read even if hidden.
    All paths are checked first, so a typo fails before anything is read.
    """
    given = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else [Path(p) for p in paths]
    for path in given:
        if not path.exists():
            raise CorpusError(f"no such file or directory: {path}")
    files: list[Path] = []
    seen: set[Path] = set()
    for path in given:
        for file in _walk(path) if path.is_dir() else [path]:
            if (key := file.resolve()) not in seen:
                seen.add(key)
                files.append(file)
    return files


def _walk(root: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(folder, name) for name in names if not name.startswith("."))
    return sorted(path for path in found if path.is_file())


def read_articles(paths: Iterable[PathLike] | PathLike, on_skip: SkipHandler | None = None,
                  on_bytes: BytesHandler | None = None) -> Iterator[Article]:
    """Stream the articles of ``paths``; each bad record goes to ``on_skip`` and is left out.

    Raises :class:`CorpusError` at once (before anything is read) if a path is missing.
    Without ``on_skip``, skips are logged as warnings. ``on_bytes`` receives how many more
    bytes of the files on disk (compressed bytes for gzip) have been read, as deltas; by
    the end of each file they add up to its size, so the sizes of :func:`iter_files`
    make the total for a progress bar.
    """
    files = iter_files(paths)
    return _articles(files, on_skip or _log_skip, on_bytes or _ignore)


def _log_skip(skip: Skip) -> None:
    log.warning("skipped %s", skip)


def _ignore(_count: int) -> None:
    pass


def _articles(files: list[Path], report: SkipHandler, on_bytes: BytesHandler) -> Iterator[Article]:
    for path in files:
        yield from _read_file(path, report, on_bytes)


def _read_file(path: Path, report: SkipHandler, on_bytes: BytesHandler) -> Iterator[Article]:
    done = 0
    try:
        source = open_source(path)
    except READ_ERRORS as exc:
        report(Skip(str(path), 0, "unreadable", _why(exc)))
    else:
        with closing(source):
            for article in _records(source, report):
                now = source.position()
                on_bytes(now - done)
                done = now
                yield article
    on_bytes(max(_size(path) - done, 0))


def _records(source: Source, report: SkipHandler) -> Iterator[Article]:
    """The file's articles; bad records, and a file that breaks off, go to ``report``."""
    path = str(source.path)
    if not source.sample.strip():
        log.debug("%s is empty", path)
        return
    kind = sniff(source.sample_text) if source.encoding else None
    if kind is None:
        detail = source.why_unsupported if source.encoding is None else (
            "not JSON Lines, a JSON array, CSV with a title column or a listing page")
        report(Skip(path, 0, "unsupported-format", detail))
        return
    default_source = source.path.name.split(".")[0]
    try:
        for number, raw in READERS[kind](source.lines()):
            article = _to_article(raw, default_source)
            if isinstance(article, RecordError):
                report(Skip(path, number, article.reason, _detail(article, source)))
            else:
                yield article
    except READ_ERRORS as exc:
        detail = f"file ends early or is damaged: {_why(exc)}"
        report(Skip(path, source.lines_read + 1, "unreadable", detail))


def _to_article(raw: object, default_source: str) -> Article | RecordError:
    """The article, or why there is none (the reader's own verdict, or the normaliser's)."""
    if isinstance(raw, RecordError):
        return raw
    try:
        return normalize_article(raw, default_source=default_source)  # type: ignore[arg-type]
    except RecordError as exc:
        return exc


def _detail(exc: RecordError, source: Source) -> str:
    if exc.reason == "undecodable":
        return f"{exc.detail} ({source.encoding})"
    return exc.detail


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
