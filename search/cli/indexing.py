"""`zhsearch index`: files in, one crash-safe index out, with progress and a summary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from corpus import Skip, iter_files, read_articles, sample_path
from indexer import BuildOptions, IndexStore, build_index
from search.cli.errors import translate_errors
from search.cli.options import INDEX_OPTION
from search.cli.progress import Progress
from search.cli.render import render_report
from search.config import resolve_index_dir

MAX_SKIPS_SHOWN = 20


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build a fresh index and swap it in when complete.")
@click.option("--userdict", "userdicts", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra jieba dictionary (WORD [FREQ] [TAG] per line); repeatable.")
@click.option("--procs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for segmenting and writing, fresh build or update "
                   "(default: 2 on a multi-core machine once the articles hold over 1 MB of text).")
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
    options = BuildOptions(rebuild=rebuild, userdicts=userdicts, procs=procs, lock_wait=wait)
    with Progress(total_bytes, enabled=not as_json) as progress:
        articles = read_articles(files, on_skip=on_skip, on_bytes=progress.advance_bytes)
        report = build_index(store, articles, options, on_article=progress.count, on_phase=progress.phase,
                             on_commit=progress.commit,
                             on_wait=lambda message: click.echo(message + " …", err=True))
    report.skipped.update(skips)
    if as_json:
        click.echo(json.dumps(report.to_dict() | {"index": str(store.path)}, ensure_ascii=False))
    else:
        click.echo(render_report(report, store.path))


