"""Fixture feeds and pages, as a Chinese news site would serve them."""

from __future__ import annotations

BODY = "平台今日发布公告，对商家保证金规则进行调整，新规自2024年4月1日起施行。商家须在规定时间内补足保证金，否则将被限制经营。"


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    """``items``: (path, title, summary)."""
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}?utm_source=rss</link>"
        f"<pubDate>Tue, 05 Mar 2024 0{i}:00:00 +0800</pubDate><description>{summary}</description></item>"
        for i, (path, title, summary) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>电商新闻</title>'
            f"<link>{base}/</link><description>新闻</description>{entries}</channel></rss>")


def article(title: str, body: str = BODY, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{title} - 电商派</title></head><body>'
            f'<nav><a href="/">首页</a></nav><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>'
            f"<footer>版权所有</footer></body></html>")


def listing(items: list[tuple[str, str, str, str]], charset: str = "utf-8") -> str:
    """``items``: (href, title, time, summary), as on the seed page."""
    rows = "".join(f'<li><a href="{href}">{title}</a><span class="time">{stamp}</span><p>{summary}</p></li>'
                   for href, title, stamp, summary in items)
    return (f'<html><head><meta charset="{charset}"><title>电商派</title></head><body>'
            f'<div class="nav"><a href="/">首页导航链接</a></div><ul class="news">{rows}</ul></body></html>')
