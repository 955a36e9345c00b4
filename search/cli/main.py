"""`zhsearch`: index news, search it, serve it. A thin shell over the same core as the web app."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

import click

from corpus import CorpusError, Skip, iter_files, read_articles, sample_path
from indexer import BuildOptions, Dictionary, IndexerError, IndexStore, build_index
from search.config import ENV_INDEX, ensure_index, resolve_index_dir
from search.errors import ParameterError, QueryError, SearchError
from search.limits import Limits
from search.cli.progress import Progress
from search.research import tools as research
from search.cli.render import (render_eval, render_kwic, render_page, render_report, render_stats, render_timeline,
                           render_trend)
from search.research.tools import EXPORT_FORMATS, INTERVALS, export_lines
from search.engine.results import SORTS, SearchRequest
from search.engine.searcher import Searcher
from search.query.synonyms import Synonyms

INDEX_OPTION = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
    help=f"Index directory (default: ${ENV_INDEX}, else a per-user data directory).")
MAX_SKIPS_SHOWN = 20
SYNONYMS_OPTION = click.option(
    "--synonyms", "synonyms", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra synonyms file (TERM = TERM = ... per line), applied at query time; repeatable.")
QUERY_DICT_OPTION = click.option(
    "--userdict", "query_userdicts", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra words for cutting queries (no re-indexing needed); repeatable.")
#: Below this much input, starting worker processes (each loads jieba) costs more than it saves.
PARALLEL_FROM_BYTES = 4_000_000


def translate_errors(func):
    """The CLI's one error edge: our exceptions become one clear line and an exit code."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (QueryError, ParameterError) as exc:
            raise click.UsageError(str(exc)) from None
        except (SearchError, IndexerError, CorpusError) as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build a fresh index and swap it in when complete.")
@click.option("--userdict", "userdicts", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra jieba dictionary (WORD [FREQ] [TAG] per line); repeatable.")
@click.option("--procs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for a fresh build (default: 2 on a multi-core machine for inputs over 4 MB).")
@click.option("--wait", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait if another `zhsearch index` is writing to the same index.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@translate_errors
def index(paths: tuple[Path, ...], index_dir: Path | None, rebuild: bool,
          userdicts: tuple[Path, ...], procs: int | None, wait: float, as_json: bool) -> None:
    """Index news files or directories (JSON Lines, JSON, CSV, listing pages; .gz too).

    With no PATH, indexes the bundled sample corpus (20 articles on 1688's rules).
    Articles whose id is already indexed are updated, never duplicated.
    """
    store = IndexStore(resolve_index_dir(index_dir))
    sources = list(paths) or [sample_path()]
    files = iter_files(sources)
    skips: Counter[str] = Counter()

    def on_skip(skip: Skip) -> None:
        skips[skip.reason] += 1
        if sum(skips.values()) <= MAX_SKIPS_SHOWN:
            click.echo(f"skipped {skip}", err=True)

    total_bytes = sum(f.stat().st_size for f in files)
    if procs is None:
        procs = min(os.cpu_count() or 1, 2) if total_bytes > PARALLEL_FROM_BYTES else 1
    options = BuildOptions(rebuild=rebuild, userdicts=userdicts, procs=procs, lock_wait=wait)
    with Progress(total_bytes, enabled=not as_json) as progress:
        articles = read_articles(files, on_skip=on_skip, on_bytes=progress.advance_bytes)
        report = build_index(store, articles, options, on_article=progress.count, on_phase=progress.phase,
                             on_wait=lambda message: click.echo(message + " …", err=True))
    report.skipped.update(skips)
    if as_json:
        click.echo(json.dumps(report.to_dict() | {"index": str(store.path)}, ensure_ascii=False))
    else:
        click.echo(render_report(report, store.path))


@cli.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--limit", "-n", default=10, show_default=True, help="Results per page.")
@click.option("--page", default=1, show_default=True, help="Page of results to show.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--from", "date_from", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--category", help="Only articles of this category.")
@click.option("--effective-from", metavar="DATE", help="Only rule changes taking effect on or after DATE.")
@click.option("--effective-to", metavar="DATE", help="Only rule changes taking effect on or before DATE.")
@click.option("--platform", help="Only articles about this platform (1688, 淘宝, 拼多多 …).")
@click.option("--rule", help="Only articles about this agreement or rule (《…》 name).")
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
    searcher = _searcher(index_dir, synonyms, query_userdicts)
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


@cli.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@SYNONYMS_OPTION
@QUERY_DICT_OPTION
@translate_errors
def serve(index_dir: Path | None, host: str, port: int, threads: int, synonyms: tuple[Path, ...],
          query_userdicts: tuple[Path, ...]) -> None:
    """Serve the search page and JSON API with waitress (a production WSGI server)."""
    import waitress

    from search.web import create_app

    store = IndexStore(resolve_index_dir(index_dir))
    ensure_index(store, announce=lambda msg: click.echo(msg, err=True))
    app = create_app({"index_dir": store.path, "synonyms": synonyms, "query_userdicts": query_userdicts})
    click.echo(f"Serving {store.path} on http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="zhsearch")


@cli.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--interval", type=click.Choice(INTERVALS), default="month", show_default=True)
@click.option("--from", "date_from", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--category", help="Only articles of this category.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def trend(query: str, index_dir: Path | None, interval: str, date_from: str | None, date_to: str | None,
          category: str | None, as_json: bool) -> None:
    """How many articles match QUERY exactly, per year, month or day (a bar chart)."""
    data = research.trend(_searcher(index_dir), SearchRequest(q=query, date_from=date_from, date_to=date_to,
                                                              category=category), interval)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_trend(data))


@cli.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--width", default=20, show_default=True, help="Characters of context on each side.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000), help="Lines at most.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--from", "date_from", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one occurrence a line.")
@translate_errors
def kwic(query: str, index_dir: Path | None, width: int, limit: int, sort: str, date_from: str | None,
         date_to: str | None, as_json: bool) -> None:
    """Keyword in context: every occurrence of QUERY's words with the text around it."""
    request = SearchRequest(q=query, sort=sort, date_from=date_from, date_to=date_to)
    for line in research.kwic(_searcher(index_dir), request, width=width, limit=limit):
        if as_json:
            click.echo(json.dumps(line.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_kwic(line, width, color=sys.stdout.isatty()))


@cli.command(name="timeline")
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

    data = timeline(_searcher(index_dir), SearchRequest(q=query, rule=rule, platform=platform), on=on_day)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_timeline(data))


@cli.group(name="dict")
def dict_group() -> None:
    """Dictionary tools: find domain words jieba splits."""


@dict_group.command(name="suggest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--userdict", "userdicts", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Words you already have (they are not proposed again).")
@click.option("--min-count", default=5, show_default=True, help="Occurrences a word needs.")
@click.option("--top", default=50, show_default=True, help="How many words to propose.")
@click.option("--json", "as_json", is_flag=True, help="Print candidates as JSON.")
@translate_errors
def dict_suggest(paths: tuple[Path, ...], userdicts: tuple[Path, ...], min_count: int, top: int,
                 as_json: bool) -> None:
    """Propose new dictionary words mined from news files, for review.

    Prints jieba user-dictionary lines (WORD COUNT) with how the word is cut today;
    save the ones you want to a file and pass it to `zhsearch index --rebuild --userdict`.
    """
    from indexer.discovery import suggest_words

    texts = (f"{a.title}\n{a.content}" for a in read_articles(paths))
    found = suggest_words(texts, Dictionary.load(userdicts), min_count=min_count, top=top)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=2))
        return
    for cand in found:
        click.echo(f"{cand.word} {cand.count}\t# now cut as {'/'.join(cand.pieces)}, cohesion {cand.cohesion:.2f}")


@cli.command(name="eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@translate_errors
def evaluate_command(qrels: Path, index_dir: Path | None, as_json: bool) -> None:
    """Score ranking quality on judged queries (nDCG@10, recall@100, MRR, zero results).

    QRELS is a JSON Lines file of {"qid", "query", "type", "judgments": {id: grade}}.
    Queries run through the same search path as `zhsearch search`.
    """
    from search.research.evaluation import evaluate, load_qrels

    report = evaluate(_searcher(index_dir), load_qrels(qrels))
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else render_eval(report))


@cli.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def stats(index_dir: Path | None, as_json: bool) -> None:
    """Show what the index holds: articles, dates, size, dictionary."""
    data = _searcher(index_dir).stats()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_stats(data))


def _searcher(index_dir: Path | None, synonyms: tuple[Path, ...] = (),
              query_userdicts: tuple[Path, ...] = ()) -> Searcher:
    store = IndexStore(resolve_index_dir(index_dir))
    ensure_index(store, announce=lambda msg: click.echo(msg, err=True))
    return Searcher(store, synonyms=Synonyms.load(synonyms), query_userdicts=query_userdicts,
                    limits=Limits.from_env())
