"""`zhsearch search` and `zhsearch serve`: the engine in a terminal and over HTTP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search.cli.errors import translate_errors
from search.cli.options import (
    INDEX_OPTION,
    QUERY_DICT_OPTION,
    SYNONYMS_OPTION,
    filter_options,
    open_searcher,
    open_store,
)
from search.cli.render import render_page
from search.engine.results import SORTS, SearchRequest
from search.research.tools import EXPORT_FORMATS, export_lines


@click.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--per-page", "--limit", "-n", "limit", default=10, show_default=True, help="Results per page.")
@click.option("--page", default=1, show_default=True, help="Page of results to show.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@filter_options
@click.option("--exact", is_flag=True, help="Only articles with every word (no partial matches).")
@click.option("--explain", is_flag=True, help="Show how the query was folded, cut, expanded and parsed.")
@click.option("--no-collapse", is_flag=True, help="List near-duplicate reports of the same news separately.")
@SYNONYMS_OPTION
@QUERY_DICT_OPTION
@click.option("--all", "export_all", is_flag=True, help="Export every exact match (with --format).")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True,
              help="Export format for --all: CSV (spreadsheet-safe) or JSON Lines.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly the API's JSON.")
@translate_errors
def search(query: str, index_dir: Path | None, limit: int, page: int, sort: str, date_from: str | None,
           date_to: str | None, category: str | None, effective_from: str | None, effective_to: str | None,
           platform: str | None, rule: str | None, exact: bool, explain: bool, no_collapse: bool,
           synonyms: tuple[Path, ...], query_userdicts: tuple[Path, ...], export_all: bool, fmt: str,
           as_json: bool) -> None:
    """Search the index. QUERY uses words, "phrases", OR, NOT/-word, title:word, published:[A TO B]."""
    searcher = open_searcher(index_dir, synonyms, query_userdicts)
    request = SearchRequest(q=query, page=page, per_page=limit, sort=sort, date_from=date_from,
                            date_to=date_to, category=category, effective_from=effective_from,
                            effective_to=effective_to, platform=platform, rule=rule,
                            partial=not exact, explain=explain,
                            collapse=not no_collapse)
    if export_all:
        for chunk in export_lines(searcher, request, fmt):
            sys.stdout.write(chunk)
        return
    result = searcher.search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_page(result, color=sys.stdout.isatty()))


@click.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: one per core).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per process.")
@SYNONYMS_OPTION
@QUERY_DICT_OPTION
@translate_errors
def serve(index_dir: Path | None, host: str, port: int, workers: int | None, threads: int,
          synonyms: tuple[Path, ...], query_userdicts: tuple[Path, ...]) -> None:
    """Serve the search page and JSON API with gunicorn: a process per core, threads in each."""
    from search.config import AppConfig
    from search.web import create_app
    from search.web.server import ServerOptions, default_workers, run

    AppConfig.from_sources()  # a bad ZHSEARCH_* value stops here, before any index is built
    store = open_store(index_dir)
    app = create_app({"index_dir": store.path, "synonyms": synonyms, "query_userdicts": query_userdicts})
    workers = workers or default_workers()
    click.echo(f"Serving {store.path} on http://{host}:{port}/ with {workers} worker process"
               f"{'es' if workers > 1 else ''} x {threads} threads  (Ctrl+C to stop)", err=True)
    run(app, ServerOptions(host, port, workers, threads))


