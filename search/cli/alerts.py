"""`zhsearch alerts`: saved searches run after each update, delivered to a webhook and as Atom."""

from __future__ import annotations

import json
from pathlib import Path

import click

from indexer import IndexStore
from search.alerts.store import add_alert, list_alerts, remove_alert
from search.cli.errors import translate_errors
from search.cli.options import (
    INDEX_OPTION,
    filter_options,
)
from search.config import resolve_index_dir
from search.fresh.db import StateDB


def _db(index_dir: Path | None) -> StateDB:
    return StateDB.beside(IndexStore(resolve_index_dir(index_dir)).path)


@click.group("alerts")
def alerts_group() -> None:
    """Saved searches: new matching articles go to a webhook and an Atom feed."""


@alerts_group.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--webhook", metavar="URL", help="POST new matches here as JSON after each update.")
@filter_options
@click.option("--kind", help="Only articles of this kind of change.")
@INDEX_OPTION
@translate_errors
def alerts_add(name: str, query: str, webhook: str | None, index_dir: Path | None, **filters: str | None) -> None:
    """Save QUERY as alert NAME; it reports articles indexed from now on."""
    with _db(index_dir) as db:
        alert = add_alert(db, name, query, filters, webhook)
    click.echo(f"added alert {alert.name}: {alert.query}" + (f" → {alert.webhook}" if alert.webhook else ""))


@alerts_group.command("list")
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@translate_errors
def alerts_list(index_dir: Path | None, as_json: bool) -> None:
    """List saved alerts."""
    with _db(index_dir) as db:
        alerts = list_alerts(db)
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in alerts], ensure_ascii=False, indent=2))
        return
    for a in alerts:
        click.echo(f"{a.name}\t{a.query}\t{a.webhook or '(feed only)'}")


@alerts_group.command("remove")
@click.argument("name")
@INDEX_OPTION
@translate_errors
def alerts_remove(name: str, index_dir: Path | None) -> None:
    """Delete alert NAME (and its unsent deliveries)."""
    with _db(index_dir) as db:
        remove_alert(db, name)
    click.echo(f"removed alert {name}")
