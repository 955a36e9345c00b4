"""`zhsearch`: index news, search it, serve it. A thin shell over the same core as the web app.

Each command lives in the module named for its job; this one makes the group and names
them. A command's module is imported only when that command runs (or ``--help`` lists
it): `zhsearch search` need not import the indexer's writer, the fetcher or the web app,
which was a third of a one-shot query's start-up.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

#: Command name -> "module:attribute", in the order ``--help`` lists them.
COMMANDS = {
    "index": "search.cli.indexing:index",
    "search": "search.cli.searching:search",
    "serve": "search.cli.searching:serve",
    "trend": "search.cli.research:trend",
    "terms": "search.cli.research:terms",
    "kwic": "search.cli.research:kwic",
    "timeline": "search.cli.research:timeline_command",
    "dict": "search.cli.tools:dict_group",
    "eval": "search.cli.tools:evaluate_command",
    "stats": "search.cli.tools:stats",
    "sources": "search.cli.sources:sources_group",
    "update": "search.cli.sources:update",
    "watch": "search.cli.sources:watch",
    "alerts": "search.cli.alerts:alerts_group",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module when the command is asked for
    (click's documented pattern for lazily loaded subcommands)."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy) + [name for name in super().list_commands(ctx) if name not in self.lazy]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = self.lazy.get(cmd_name)
        if where is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = where.split(":")
        return getattr(importlib.import_module(module), attribute)


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    from indexer.analysis import import_jieba

    import_jieba().setLogLevel(logging.WARNING)  # jieba installs its own DEBUG handler on import


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what is going on to stderr.")
@click.version_option(package_name="zhsearch")
def cli(verbose: bool) -> None:
    """Full-text search for Chinese news: exact Chinese matching, phrases, filters."""
    _configure_logging(verbose)
