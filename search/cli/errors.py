"""The CLI's one error edge: our exceptions become one clear line and their exit status."""

from __future__ import annotations

import functools

import click

from corpus import CorpusError
from indexer import IndexerError
from search.errors import SearchError


class CommandFailed(click.ClickException):
    """One line on stderr, and the exit status the exception class carries."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def translate_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (SearchError, IndexerError, CorpusError) as exc:
            raise CommandFailed(str(exc), exc.exit_code) from None
    return wrapper
