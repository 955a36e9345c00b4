"""Options shared by several commands, defined once, and how a command opens the index."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import IndexStore
from search.config import ENV_INDEX, ensure_index, resolve_index_dir
from search.engine.searcher import Searcher
from search.limits import Limits
from search.query.synonyms import Synonyms

INDEX_OPTION = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
    help=f"Index directory (default: ${ENV_INDEX}, else a per-user data directory).")
SYNONYMS_OPTION = click.option(
    "--synonyms", "synonyms", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra synonyms file (TERM = TERM = ... per line), applied at query time; repeatable.")
QUERY_DICT_OPTION = click.option(
    "--userdict", "query_userdicts", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra words for cutting queries (no re-indexing needed); repeatable.")
FROM_OPTION = click.option("--from", "date_from", metavar="DATE", help="Only articles published on or after DATE.")
TO_OPTION = click.option("--to", "date_to", metavar="DATE", help="Only articles published on or before DATE.")
CATEGORY_OPTION = click.option("--category", help="Only articles of this category.")
EFFECTIVE_FROM_OPTION = click.option("--effective-from", metavar="DATE",
                                     help="Only rule changes taking effect on or after DATE.")
EFFECTIVE_TO_OPTION = click.option("--effective-to", metavar="DATE",
                                   help="Only rule changes taking effect on or before DATE.")
PLATFORM_OPTION = click.option("--platform", help="Only articles about this platform (1688, 淘宝, 拼多多 …).")
RULE_OPTION = click.option("--rule", help="Only articles about this agreement or rule (《…》 name).")


def filter_options(command):
    """The filters a search and a saved search share: dates, category, rule-change facts."""
    for option in reversed((FROM_OPTION, TO_OPTION, CATEGORY_OPTION, EFFECTIVE_FROM_OPTION, EFFECTIVE_TO_OPTION,
                            PLATFORM_OPTION, RULE_OPTION)):
        command = option(command)
    return command


def open_store(index_dir: Path | None) -> IndexStore:
    """The index a command works on; the bundled sample is built only at the default location."""
    store = IndexStore(resolve_index_dir(index_dir))
    ensure_index(store, announce=lambda msg: click.echo(msg, err=True), explicit=index_dir is not None)
    return store


def open_searcher(index_dir: Path | None, synonyms: tuple[Path, ...] = (),
                  query_userdicts: tuple[Path, ...] = ()) -> Searcher:
    return Searcher(open_store(index_dir), synonyms=Synonyms.load(synonyms), query_userdicts=query_userdicts,
                    limits=Limits.from_env())
