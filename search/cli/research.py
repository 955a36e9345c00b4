"""The research commands: trend, KWIC, the rule-change timeline and evaluation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search.cli.errors import translate_errors
from search.cli.options import CATEGORY_OPTION, FROM_OPTION, INDEX_OPTION, TO_OPTION, open_searcher
from search.cli.render import render_kwic, render_timeline, render_trend
from search.engine.results import SORTS, SearchRequest
from search.research import tools as research
from search.research.tools import INTERVALS


@click.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--interval", type=click.Choice(INTERVALS), default="month", show_default=True)
@FROM_OPTION
@TO_OPTION
@CATEGORY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def trend(query: str, index_dir: Path | None, interval: str, date_from: str | None, date_to: str | None,
          category: str | None, as_json: bool) -> None:
    """How many articles match QUERY exactly, per year, month or day (a bar chart)."""
    data = research.trend(open_searcher(index_dir), SearchRequest(q=query, date_from=date_from, date_to=date_to,
                                                              category=category), interval)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_trend(data))


@click.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--width", default=20, show_default=True, help="Characters of context on each side.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000), help="Lines at most.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@FROM_OPTION
@TO_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one occurrence a line.")
@translate_errors
def kwic(query: str, index_dir: Path | None, width: int, limit: int, sort: str, date_from: str | None,
         date_to: str | None, as_json: bool) -> None:
    """Keyword in context: every occurrence of QUERY's words with the text around it."""
    request = SearchRequest(q=query, sort=sort, date_from=date_from, date_to=date_to)
    for line in research.kwic(open_searcher(index_dir), request, width=width, limit=limit):
        if as_json:
            click.echo(json.dumps(line.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_kwic(line, width, color=sys.stdout.isatty()))


@click.command(name="timeline")
@click.argument("query", default="")
@INDEX_OPTION
@click.option("--rule", help="Only this agreement or rule (《…》 name).")
@click.option("--platform", help="Only this platform.")
@click.option("--on", "on_day", metavar="DATE", help="What is in force or takes effect on DATE.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def timeline_command(query: str, index_dir: Path | None, rule: str | None, platform: str | None,
                     on_day: str | None, as_json: bool) -> None:
    """Rule changes matching QUERY in the order they take effect, duplicate reports merged."""
    from search.research.timeline import timeline

    data = timeline(open_searcher(index_dir), SearchRequest(q=query, rule=rule, platform=platform), on=on_day)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_timeline(data))


