"""The ``zhsearch`` command line: a thin presenter over the engine and research tools."""

from search.cli.main import cli

__all__ = ["cli"]
