"""Errors the indexer raises; the CLI and the web app map them to exit codes and HTTP."""

from __future__ import annotations


class IndexerError(Exception):
    """Base class: something about the index or its building went wrong."""

    http_status = 500
    exit_code = 1


class DictionaryError(IndexerError):
    """A dictionary file cannot be read or parsed."""


class DictionaryMismatch(IndexerError):
    """The index was built with other dictionary words than the ones asked for now."""


class IndexNotFound(IndexerError):
    """No index exists where one was expected."""

    http_status = 503


class IndexLocked(IndexerError):
    """Another process is writing to the index."""

    http_status = 503


class IndexWriteError(IndexerError):
    """The index directory cannot be written (read-only, full disk, ...)."""


class IndexOutdated(IndexerError):
    """The index was built by an older version whose fields this one cannot read."""

    http_status = 503
