"""Terminal renderings of compared trends, trends by source and distinctive words."""

from __future__ import annotations

from typing import Any

from search.cli.render import display_width


def _pad(text: str, width: int) -> str:
    return " " * max(0, width - display_width(text)) + text


def _name(series: dict[str, Any], by: str) -> str:
    if by == "source":
        return series.get("source") or "(no source)"
    return series["query"]


def render_series(data: dict[str, Any]) -> str:
    """One column per series, one row per period; shares in % when normalised."""
    by = data.get("by", "query")
    names = [_name(s, by) for s in data["series"]]
    width = max([12, *(display_width(n) + 2 for n in names)])
    lines = [" ".join([_pad("period", 10), *(_pad(n, width) for n in names)])]
    rows = zip(*(s["counts"] for s in data["series"])) if data["series"] else []
    for cells in rows:
        shown = [f"{c['count']:,}" + (f" {c['share'] * 100:.2f}%" if "share" in c else "") for c in cells]
        lines.append(" ".join([_pad(cells[0]["period"], 10), *(_pad(v, width) for v in shown)]))
    totals = [f"{s['total']:,}" for s in data["series"]]
    lines.append(" ".join([_pad("total", 10), *(_pad(t, width) for t in totals)]))
    return "\n".join(lines)


def render_sources(sources: list[dict[str, Any]]) -> str:
    return "\n".join(f"{row['count']:>8,} {row['share'] * 100:5.1f}%  {row['source'] or '(no source)'}"
                     for row in sources)


def render_terms(data: dict[str, Any]) -> str:
    fg, bg = data["foreground"], data["background"]
    sample = f"the best {fg['articles']:,} of " if fg["sampled"] else ""
    head = (f"Words that set {data['query']!r} apart ({data['heuristic']}): {sample}{fg['matches']:,} matches "
            f"({fg['stories']:,} stories) against {bg['articles']:,} articles")
    lines = [head, f"{'term':<16}{'fg':>8}{'bg':>9}{'score':>12}"]
    for t in data["terms"]:
        lines.append(t["term"] + " " * max(1, 16 - display_width(t["term"])) + f"{t['fg']:>8,}{t['bg']:>9,}{t['score']:>12.4f}")
    return "\n".join(lines)
