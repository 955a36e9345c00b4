"""Index and dictionary tools: `zhsearch stats` and `zhsearch dict suggest`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from corpus import read_articles
from indexer import Dictionary
from search.cli.errors import translate_errors
from search.cli.options import INDEX_OPTION, open_searcher
from search.cli.render import render_eval, render_stats, render_unjudged
from search.engine.searcher import Searcher
from search.research.evaluation import JudgedQuery, evaluate, load_qrels
from search.research.unjudged import TOP, find_unjudged


@click.group(name="dict")
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


@click.command(name="eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@INDEX_OPTION
@click.option("--unjudged", is_flag=True,
              help="Instead of scores, list the articles in each query's top 10 that have no judgment yet.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores (or the --unjudged list) as JSON.")
@translate_errors
def evaluate_command(qrels: Path, index_dir: Path | None, unjudged: bool, as_json: bool) -> None:
    """Score ranking quality on judged queries (nDCG@10, recall@100, MRR, zero results).

    QRELS is a JSON Lines file of {"qid", "query", "type", "judgments": {id: grade}}.
    Queries run through the same search path as `zhsearch search`. With --unjudged, list
    what to judge next: the top-10 articles the file has no grade for (they count as
    non-relevant in the scores), with id, rank, title and the opening of the text.
    """
    queries = load_qrels(qrels)
    searcher = open_searcher(index_dir)
    if unjudged:
        _list_unjudged(searcher, queries, as_json)
        return
    report = evaluate(searcher, queries)
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else render_eval(report))


def _list_unjudged(searcher: Searcher, queries: list[JudgedQuery], as_json: bool) -> None:
    """The judging aid: a listing, never scores, so a maintainer grades what the scores guess at."""
    listed = find_unjudged(searcher, queries)
    click.echo(json.dumps([q.to_dict() for q in listed], ensure_ascii=False, indent=2) if as_json
               else render_unjudged(listed, checked=len(queries), top=TOP))


@click.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@translate_errors
def stats(index_dir: Path | None, as_json: bool) -> None:
    """Show what the index holds: articles, dates, size, dictionary."""
    data = open_searcher(index_dir).stats()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else render_stats(data))


