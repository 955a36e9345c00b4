"""Terminal presentation of search results, index reports and stats."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from search.engine.results import SearchPage
from search.research.unjudged import QueryUnjudged

if TYPE_CHECKING:  # the writer loads only where a build runs
    from indexer import BuildReport

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def terminal_text(fragment: str, color: bool) -> str:
    """Our HTML snippet as terminal text: marks in bold yellow (or ``[...]`` without colour)."""
    def repl(match: re.Match[str]) -> str:
        inner = match.group(1)
        return click.style(inner, fg="yellow", bold=True) if color else f"[{inner}]"
    return html.unescape(_MARK.sub(repl, fragment))


def render_page(page: SearchPage, color: bool) -> str:
    req = page.request
    head = (f"{page.total:,} results for {req.q!r} ({page.took_ms:.1f} ms)"
            f" · page {req.page}/{page.pages} · sorted by {req.sort}")
    lines = [click.style(head, bold=True) if color else head]
    if page.suggestion:
        lines.append(f"Did you mean: {page.suggestion}")
    if page.timed_out:
        lines.append("Time budget reached: the count and the list cover only what was matched in time.")
    if page.explain:
        lines += _explain_lines(page.explain)
    lines.append("")
    first = (req.page - 1) * req.per_page + 1
    for number, hit in enumerate(page.hits, first):
        when = hit.published.strftime("%Y-%m-%d %H:%M:%S") if hit.published else "undated"
        tag = "  (partial match)" if hit.partial else ""
        lines.append(f"{number:>3}. {terminal_text(hit.title_html, color)}{tag}")
        facts = hit.facts or {}
        badges = [f"生效 {d}" for d in facts.get("effective", [])] + [f"《{r}》" for r in facts.get("rules", [])]
        meta = "  ".join(x for x in (when, hit.source, hit.category, *badges, f"id {hit.id}") if x)
        lines.append("     " + (click.style(meta, dim=True) if color else meta))
        if hit.snippet:
            lines.append("     " + terminal_text(hit.snippet, color).replace("\n", " "))
        for dup in hit.duplicates:
            when = dup.published.strftime("%Y-%m-%d %H:%M") if dup.published else "undated"
            lines.append(f"     + same news: {dup.title}  ({when}, id {dup.id})")
        lines.append("")
    if not page.hits:
        lines.append("No articles match. Try fewer words, or drop quotes and filters.")
    for name, counts in page.facets.items():
        if counts:
            top = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:8])
            lines.append(f"{name}: {top}")
    return "\n".join(lines).rstrip()


def _explain_lines(explain: dict[str, Any]) -> list[str]:
    lines = ["", "how the query was read:", f"  parsed   {explain['parsed']}"]
    for term in explain["terms"]:
        pieces = " / ".join(term.get("units") or term.get("grams") or [])
        extra = f"  synonyms: {', '.join(term['synonyms'])}" if term.get("synonyms") else ""
        lines.append(f"  {term['kind']:<8} {term['text']!r} → folded {term['folded']!r} → {pieces}{extra}")
    lines.append(f"  whoosh   {explain['whoosh']}")
    if explain.get("fill"):
        lines.append(f"  partial  {explain['fill']}")
    if explain.get("headlines"):
        lines.append(f"  promoted headlines (first ten places) {explain['headlines']}")
    return lines


def render_report(report: BuildReport, index_path: Path) -> str:
    rate = (report.indexed + report.updated) / report.seconds if report.seconds else 0.0
    skipped = sum(report.skipped.values())
    reasons = ", ".join(f"{reason} {n}" for reason, n in report.skipped.most_common())
    lines = [
        f"{'Rebuilt' if report.rebuilt else 'Updated'} index at {index_path}",
        (f"  indexed {report.indexed:,} new, updated {report.updated:,}, "
        f"skipped {skipped:,}{' (' + reasons + ')' if reasons else ''}"
        f"{f', {report.duplicates:,} repeated ids ignored' if report.duplicates else ''}"),
        (f"  in {report.seconds:.1f} s ({rate:,.0f} articles/s"
         f"{f', {report.procs} worker processes' if report.procs > 1 else ''})"),
    ]
    return "\n".join(lines)


def render_stats(data: dict[str, Any]) -> str:
    span = data["date_range"]
    dic = data["dictionary"]
    lines = [
        f"articles     {data['articles']:,}",
        f"published    {span['from'] or '-'} … {span['to'] or '-'}",
        f"index        {data['index']['path']} ({data['index']['size_bytes'] / 1e6:.1f} MB)",
        f"dictionary   {', '.join(dic['sources'])} ({dic['words']} words, {dic['fingerprint']})",
        f"last update  {data['last_update'] or '-'}",
    ]
    if not dic.get("up_to_date", True):
        lines.append("note         the shipped dictionary changed since this index was built: "
                     "run `zhsearch index --rebuild` to use it")
    return "\n".join(lines)


def render_eval(report) -> str:
    """Overall, per type, then every query worst first: where to look is at the top."""
    def row(name: str, o: dict[str, Any]) -> str:
        return (f"{name:<14} {o['queries']:>7} {o['ndcg@10']:>8.3f} {o['recall@100']:>10.3f} "
                f"{o['mrr']:>6.3f} {o['zero_results']:>6}")
    lines = [f"{'':<14} {'queries':>7} {'nDCG@10':>8} {'recall@100':>10} {'MRR':>6} {'zero':>6}",
             row("overall", report.overall())]
    lines += [row(name, o) for name, o in report.by_type().items()]
    lines += ["", "worst first:"]
    lines += [f"  {s.qid:<6} {s.type:<13} nDCG@10 {s.ndcg10:.3f}  recall@100 {s.recall100:.3f}  "
              f"hits {s.hits:>6}  {s.query}" for s in report.worst_first()]
    return "\n".join(lines)


def render_unjudged(listed: list[QueryUnjudged], checked: int, top: int) -> str:
    """Query by query, the articles to judge (rank, id, title, then the lead), and a count."""
    lines = []
    for q in listed:
        lines.append(f"{q.qid}  {q.query}")
        for a in q.unjudged:
            lines += [f"  {a.rank:>3}. {a.id}  {a.title}"] + ([f"       {a.lead}"] if a.lead else [])
        lines.append("")
    count = sum(len(q.unjudged) for q in listed)
    lines.append(f"{_plural(count, 'unjudged article')} in the top {top} of {_plural(len(listed), 'query')}"
                 f" ({checked} checked)")
    return "\n".join(lines)


def _plural(n: int, noun: str) -> str:
    """
    >>> _plural(1, "query"), _plural(2, "query"), _plural(0, "unjudged article")
    ('1 query', '2 queries', '0 unjudged articles')
    """
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_trend(data: dict[str, Any], bar_width: int = 40) -> str:
    counts = data["counts"]
    top = max((c["count"] for c in counts), default=0)
    lines = [f"{data['total']:,} articles match {data['query']!r}, per {data['interval']}"
             + (f" ({data['undated']:,} undated)" if data["undated"] else "")]
    for row in counts:
        bar = "█" * (round(row["count"] / top * bar_width) if top else 0)
        lines.append(f"{row['period']:>10} {row['count']:>7,} {bar}")
    return "\n".join(lines)


def render_kwic(line, width: int, color: bool) -> str:
    pad = " " * max(0, 2 * width - display_width(line.left))
    match = click.style(line.match, fg="yellow", bold=True) if color else line.match
    when = line.published.strftime("%Y-%m-%d") if line.published else "undated"
    return f"{pad}{line.left} | {match} | {line.right}    {when} {line.id}"


def render_timeline(data: dict[str, Any]) -> str:
    head = f"{len(data['entries'])} changes for {data['query']!r}"
    if data.get("on"):
        head += f", in force or taking effect on {data['on']}"
    lines = [head, ""]
    for e in data["entries"]:
        label = "生效" if e["dated_by"] == "effective" else "发布"
        rules = " ".join(f"《{r}》" for r in e["rules"])
        kinds = "/".join(e["kinds"])
        lines.append(f"{e['date']} {label}  {kinds:<8} {rules} {e['title']}".rstrip())
        if e["announced"]:
            lines.append(f"           公示 {', '.join(e['announced'])}")
        for src in e["sources"]:
            lines.append(f"           · {src['published'] or 'undated'}  {src['title']}  ({src['id']})")
    return "\n".join(lines)
