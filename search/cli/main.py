"""`zhsearch`: index news, search it, serve it. A thin shell over the same core as the web app.

Each command lives in the module named for its job; this one makes the group and adds them.
"""

from __future__ import annotations

import logging
import sys

import click

from search.cli.alerts import alerts_group
from search.cli.indexing import index
from search.cli.research import kwic, terms, timeline_command, trend
from search.cli.searching import search, serve
from search.cli.sources import sources_group, update, watch
from search.cli.tools import dict_group, evaluate_command, stats


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    import jieba  # jieba installs its own DEBUG handler on import; quiet it here, once

    jieba.setLogLevel(logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what is going on to stderr.")
@click.version_option(package_name="zhsearch")
def cli(verbose: bool) -> None:
    """Full-text search for Chinese news: exact Chinese matching, phrases, filters."""
    _configure_logging(verbose)


for command in (index, search, serve, trend, terms, kwic, timeline_command, dict_group, evaluate_command, stats,
                sources_group, update, watch, alerts_group):
    cli.add_command(command)
