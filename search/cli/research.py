"""The research commands: trend (compared, by source), distinctive words, KWIC, the rule-change timeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search.cli.errors import translate_errors
from search.cli.options import CATEGORY_OPTION, FROM_OPTION, INDEX_OPTION, TO_OPTION, open_searcher
from search.cli.render import render_kwic, render_timeline, render_trend
from search.cli.render_research import render_series, render_sources, render_terms
from search.engine.results import SORTS, SearchRequest
from search.research import tools as research
from search.research.compare import BY, MAX_SERIES, compare
from search.research.significance import HEURISTICS
from search.research.terms import BACKGROUNDS, MAX_SAMPLE, MAX_SIZE, SAMPLE
from search.research.terms import terms as distinctive
from search.research.tools import INTERVALS


@click.command()
@click.argument("queries", nargs=-1, required=True)
@INDEX_OPTION
@click.option("--interval", type=click.Choice(INTERVALS), default="month", show_default=True)
@click.option("--normalize", is_flag=True, help="Also give each count as a share of all articles published then.")
@click.option("--by", type=click.Choice(BY), default="query", show_default=True,
              help="One series per query, or one per top source of one query.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, MAX_SERIES),
              help="Sources shown with --by source.")
@FROM_OPTION
@TO_OPTION
@CATEGORY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: query, source, period, count, share.")
@translate_errors
def trend(queries: tuple[str, ...], index_dir: Path | None, interval: str, normalize: bool, by: str, top: int,
          date_from: str | None, date_to: str | None, category: str | None, as_json: bool, as_csv: bool) -> None:
    """How many articles match each QUERY exactly, per year, month, week or day.

    One query draws a bar chart; several are compared side by side, with --normalize as
    shares of everything published in each period. --by source splits one query by who
    reports it.
    """
    requests = [SearchRequest(q=q, date_from=date_from, date_to=date_to, category=category) for q in queries]
    data = compare(open_searcher(index_dir), requests, interval, normalize, by=by, top=top)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif as_csv:
        click.echo(research.trend_csv(data), nl=False)
    elif len(queries) == 1 and by == "query" and not normalize:
        click.echo(render_trend(data) + "\n\nTop sources\n" + render_sources(data["sources"]))
    else:
        click.echo(render_series(data))


@click.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--size", default=30, show_default=True, type=click.IntRange(1, MAX_SIZE), help="Words to list.")
@click.option("--heuristic", type=click.Choice(HEURISTICS), default="jlh", show_default=True,
              help="jlh, chi2 (chi-square) or mi (mutual information).")
@click.option("--sample", default=SAMPLE, show_default=True, type=click.IntRange(10, MAX_SAMPLE),
              help="Count the best this many matches when there are more.")
@click.option("--background", type=click.Choice(BACKGROUNDS), default="index", show_default=True,
              help="Compare with the whole index, or with the articles the filters allow.")
@FROM_OPTION
@TO_OPTION
@CATEGORY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def terms(query: str, index_dir: Path | None, size: int, heuristic: str, sample: int, background: str,
          date_from: str | None, date_to: str | None, category: str | None, as_json: bool) -> None:
    """The words that set the articles matching QUERY apart from the whole index (or the filters' slice)."""
    request = SearchRequest(q=query, date_from=date_from, date_to=date_to, category=category)
    data = distinctive(open_searcher(index_dir), request, size=size, heuristic=heuristic, sample=sample,
                       background=background)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_terms(data))


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


