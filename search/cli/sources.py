"""`zhsearch sources`, `zhsearch update` and `zhsearch watch`: follow sites and keep the index fresh."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import click

from indexer import IndexStore
from search.cli.errors import translate_errors
from search.cli.options import INDEX_OPTION
from search.config import resolve_index_dir
from search.fresh.db import StateDB
from search.fresh.sources import add_source, list_sources, remove_source


def _store(index_dir: Path | None) -> IndexStore:
    return IndexStore(resolve_index_dir(index_dir))


@click.group("sources")
def sources_group() -> None:
    """Sites to follow: RSS/Atom feeds or news listing pages."""


@sources_group.command("add")
@click.argument("url")
@click.option("--name", help="Short name (default: host and path of URL).")
@click.option("--every", default="30m", show_default=True, help="How often to fetch it: 45s, 30m, 2h, 1d.")
@INDEX_OPTION
@translate_errors
def sources_add(url: str, name: str | None, every: str, index_dir: Path | None) -> None:
    """Follow URL (a feed or listing page); it is fetched at the next `zhsearch update`."""
    with StateDB.beside(_store(index_dir).path) as db:
        source = add_source(db, url, name, every)
    click.echo(f"added {source.name}: {source.url} every {every}")


@sources_group.command("list")
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
@translate_errors
def sources_list(index_dir: Path | None, as_json: bool) -> None:
    """List the sources followed, with when they last ran and any error."""
    with StateDB.beside(_store(index_dir).path) as db:
        sources = list_sources(db)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sources], ensure_ascii=False, indent=2))
        return
    for s in sources:
        state = f"error: {s.last_error}" if s.last_error else f"last run {s.to_dict()['last_run'] or 'never'}"
        click.echo(f"{s.name}\t{s.url}\tevery {s.every_seconds}s\t{state}")


@sources_group.command("remove")
@click.argument("name")
@INDEX_OPTION
@translate_errors
def sources_remove(name: str, index_dir: Path | None) -> None:
    """Stop following NAME (its articles stay in the index)."""
    with StateDB.beside(_store(index_dir).path) as db:
        remove_source(db, name)
    click.echo(f"removed {name}")


@click.command()
@INDEX_OPTION
@click.option("--all", "everything", is_flag=True, help="Fetch every source, due or not.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@translate_errors
def update(index_dir: Path | None, everything: bool, as_json: bool) -> None:
    """Fetch every due source once, index new and changed articles, run the alerts.

    Exit status 0 when every source worked, 1 when some failed (each error is named).
    """
    from corpus.fetch import FetchPolicy  # the fetching stack loads only for commands that fetch
    from search.fresh.update import run_update

    report = run_update(_store(index_dir), FetchPolicy.from_env(), everything)
    _print(report, as_json)
    if not report.ok:
        raise SystemExit(1)


@click.command()
@INDEX_OPTION
@translate_errors
def watch(index_dir: Path | None) -> None:
    """Run `update` on the sources' schedules until interrupted (Ctrl+C); nothing is lost when stopped."""
    from corpus.fetch import FetchPolicy
    from search.fresh.update import run_update, seconds_to_next

    store = _store(index_dir)
    # both stop it cleanly, even when it was started with SIGINT ignored (a background job
    # of a script inherits that, and Python then leaves Ctrl+C ignored)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    click.echo(f"watching the sources of {store.path} (Ctrl+C to stop)", err=True)
    try:
        while True:
            report = run_update(store, FetchPolicy.from_env())
            if report.sources:
                _print(report, as_json=False)
            time.sleep(max(seconds_to_next(store), 1.0))
    except KeyboardInterrupt:
        click.echo("stopped; the next run picks up from here", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for s in report.sources:
        line = f"{s.name}: fetched {s.fetched}, new {s.new}, updated {s.updated}, skipped {s.skipped}"
        if s.not_modified:
            line += " (not modified)"
        click.echo(line + (f"; error: {s.error}" if s.error else ""))
    for a in report.alerts:
        if a.matched or a.delivered or a.error:
            click.echo(f"alert {a.name}: matched {a.matched}, delivered {a.delivered}"
                       + (f"; error: {a.error}" if a.error else ""))
