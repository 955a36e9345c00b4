"""The page's inline SVG trend chart: bars for one query, lines and a legend for several.

Drawn on the server as plain SVG shapes (no JavaScript, nothing loaded from elsewhere);
the page's CSP allows no inline styles, so colours are SVG presentation attributes.
"""

from __future__ import annotations

from typing import Any

COLORS = ("#c2410c", "#1d4ed8", "#15803d", "#7e22ce", "#b45309", "#0e7490", "#be185d", "#4d7c0f")
WIDTH, HEIGHT = 600, 110
MAX_STEP = 48


def trend_chart(data: dict[str, Any]) -> dict[str, Any] | None:
    """Shapes for the chart of a trend's series (counts, or shares when normalised)."""
    series = data["series"]
    periods = [row["period"] for row in series[0]["counts"]] if series else []
    if not periods:
        return None
    value = "share" if data["normalize"] else "count"
    top = max(row.get(value, 0) for s in series for row in s["counts"]) or 1
    step = min(WIDTH / len(periods), MAX_STEP)
    chart = {"width": max(round(step * len(periods)), 140), "height": HEIGHT, "interval": data["interval"],
             "first": periods[0], "last": periods[-1], "top": _shown(top, value), "normalize": data["normalize"],
             "legend": [], "lines": [], "bars": []}
    if len(series) == 1 and data.get("by", "query") == "query":
        chart["bars"] = [_bar(i, row, value, top, step) for i, row in enumerate(series[0]["counts"])]
        return chart
    for s, color in zip(series, COLORS):
        name = s.get("source") or "未注明来源" if data.get("by") == "source" else s["query"]
        points = " ".join(f"{round(i * step + step / 2, 1)},{_y(row.get(value, 0), top)}"
                          for i, row in enumerate(s["counts"]))
        chart["lines"].append({"points": points, "color": color, "name": name, "total": s["total"]})
        chart["legend"].append({"name": name, "color": color, "total": s["total"]})
    return chart


def _bar(i: int, row: dict[str, Any], value: str, top: float, step: float) -> dict[str, Any]:
    h = round(row.get(value, 0) / top * HEIGHT, 1)
    return {"x": round(i * step, 1), "w": max(round(step - 1, 1), 1), "h": h, "y": round(HEIGHT - h, 1),
            "period": row["period"], "count": row["count"], "label": _shown(row.get(value, 0), value)}


def _y(v: float, top: float) -> float:
    """A line's height, kept a stroke's width inside the box so a line at the top still shows."""
    return round(2 + (HEIGHT - 4) * (1 - v / top), 1)


def _shown(v: float, value: str) -> str:
    """``12 篇`` or ``1.25%``.

    >>> _shown(0.0125, "share"), _shown(12, "count")
    ('1.25%', '12 篇')
    """
    return f"{v * 100:.2f}%" if value == "share" else f"{v} 篇"
