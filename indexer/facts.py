"""Facts about a platform rule change, read from one article so the index can filter on them.

Support staff ask "what changed in which rule, and from which day does it apply?". This
module reads effective dates (`将于2024年3月1日生效`, `自9月18日起`, `将于3月20日上线试点`),
public-notice dates (`8月23日公示`), rule names (`《…协议》`), platforms, programmes and the
kind of change. It never invents: a date counts only when its own clause says what happens
on that day (`3月22日消息` is a dateline, not a rule change), and relative terms
(`自发布之日起7日生效`) give no date at all, because a wrong date is worse than none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

#: The shipped term lists :func:`load_terms` reads (``indexer/data/<kind>.txt``).
TERM_KINDS = ("platforms", "programmes")

#: Canonical change kinds and the words that signal them, in canonical order.
KIND_CUES: dict[str, tuple[str, ...]] = {
    "新增": ("新增", "增加", "增设", "上线"),
    "调整": ("调整", "变更", "更改"),
    "取消": ("取消", "不再提供", "下线", "停止"),
    "升级": ("升级", "升级改造"),
    "修订": ("修订", "修改", "更新", "优化"),
    "发布": ("发布", "制定", "出台", "公布"),
    "治理": ("治理", "整治", "处罚", "管控"),
}

#: A yearless date is read in the publication year unless that puts it more than this many
#: days before publication (`1月5日起` in an article of 20 December means next January).
ROLLOVER_DAYS = 60

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN = "〇零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?<![0-9{_CN}])(?:(?P<year>[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<month>[0-9]{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(?P<day>[0-9]{{1,2}}|[{_CN}]{{1,3}})\s*[日号]"
    r"|(?<![0-9])(?P<iyear>[0-9]{4})(?P<sep>[-/])(?P<imonth>[0-9]{1,2})(?P=sep)"
    r"(?P<iday>[0-9]{1,2})(?![0-9])"
)
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n]")
# What the words right after a date say about that day. A "的" in between means the date
# modifies a noun (`3月1日发布的规则已生效`), so it is not the day of the change.
_DATELINE = re.compile(r"\s*(?:消息|电|讯)")
_EFFECTIVE_AFTER = re.compile(r"[^的]{0,8}?(?:生效|上线|实施|施行|正式执行|开始执行)|\s*起(?![诉草])")
_FUTURE_AFTER = re.compile(r"\s*(?:起\s*)?(?:正式\s*)?(?:新增|升级)")
_FUTURE_BEFORE = re.compile(r"(?:将|拟|计划)\s*[于在从自]?\s*$")
_ANNOUNCED_AFTER = re.compile(r"[^的]{0,4}?公示")
_EFFECTIVE_BEFORE = re.compile(r"(?:生效|实施|施行|执行|上线)(?:日期|时间)\s*[为是:：]?\s*$")
_ANNOUNCED_BEFORE = re.compile(r"公示(?:日期|时间)\s*[为是:：]?\s*$")

_BOOK_TITLE = re.compile(r"《([^《》\n]{1,60})》")
# `“1688淘特批发团”退货保障服务规则`: a quoted name, a few joining characters, then
# 规则/协议/规范. Joining words that start a sentence (的, 将, 遵守, 和 ...) break the match.
_QUOTED_RULE = re.compile(
    r"[“\"「『]([^“”\"「」『』《》\s，,。；;、：:]{2,30})[”\"」』]"
    r"([^“”\"「」『』《》\s，,。；;、：:.!?！？的是将要需应和与及或等了在对按据遵违符并]{0,8}?(?:规则|协议|规范))"
)
_NAME_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》]")
# Phrases that contain a kind cue without meaning it (线上线下 holds 上线; 自发布之日起 is a date).
_KIND_NOISE = re.compile(r"线上线下|线下线上|发布之日")


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What one article says about a rule change; empty fields mean "not stated"."""

    effective: tuple[date, ...] = ()
    announced: tuple[date, ...] = ()
    rules: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, list[str]]:
        """Plain JSON-ready data: the index stores it and the web layer renders it as is."""
        return {"effective": [d.isoformat() for d in self.effective],
                "announced": [d.isoformat() for d in self.announced],
                "rules": list(self.rules), "platforms": list(self.platforms),
                "programmes": list(self.programmes), "kinds": list(self.kinds)}


def extract_facts(title: str, content: str, published: datetime | None) -> RuleFacts:
    """Read the facts of one article; ``published`` dates the yearless dates in it."""
    text = unicodedata.normalize("NFKC", f"{title}\n{content}")
    effective, announced = classify_dates(text, published.date() if published else None)
    return RuleFacts(
        effective=tuple(sorted(effective)), announced=tuple(sorted(announced)),
        rules=rule_names(text), platforms=find_terms(text, "platforms"),
        programmes=find_terms(text, "programmes"),
        kinds=change_kinds(*(unicodedata.normalize("NFKC", part) for part in (title, content))),
    )


# --- dates -------------------------------------------------------------------------------

def classify_dates(text: str, published: date | None) -> tuple[set[date], set[date]]:
    """Effective and announced dates: each date is judged by the rest of its own clause."""
    effective: set[date] = set()
    announced: set[date] = set()
    for clause in _CLAUSE_END.split(text):
        matches = list(_DATE.finditer(clause))
        for i, match in enumerate(matches):
            start = matches[i - 1].end() if i else 0
            end = matches[i + 1].start() if i + 1 < len(matches) else len(clause)
            role = date_role(clause[start:match.start()], clause[match.end():end])
            day = _match_date(match, published) if role else None
            if day is not None:
                (effective if role == "effective" else announced).add(day)
    return effective, announced


def date_role(before: str, after: str) -> str | None:
    """What a date is, from the words either side of it in its clause.

    >>> date_role("将于", "生效"), date_role("", "公示"), date_role("", "消息"), date_role("", "发布")
    ('effective', 'announced', None, None)
    >>> date_role("将于", "新增服务"), date_role("于", "新增服务"), date_role("平台将于", "起升级")
    ('effective', None, 'effective')
    """
    if _DATELINE.match(after):
        return None
    cues = [(m.end(), "announced") for m in [_ANNOUNCED_AFTER.match(after)] if m]
    cues += [(m.end(), "effective") for m in [_EFFECTIVE_AFTER.match(after)] if m]
    if (m := _FUTURE_AFTER.match(after)) and (_FUTURE_BEFORE.search(before) or "起" in m.group()):
        cues.append((m.end(), "effective"))
    if cues:
        return min(cues)[1]
    if _EFFECTIVE_BEFORE.search(before):
        return "effective"
    return "announced" if _ANNOUNCED_BEFORE.search(before) else None


def _match_date(match: re.Match[str], published: date | None) -> date | None:
    if match.group("iyear"):
        parts = match.group("iyear", "imonth", "iday")
    else:
        parts = match.group("year", "month", "day")
    year, month, day = (number(p) if p else None for p in parts)
    if month is None or day is None:
        return None
    if year is not None:
        return _safe_date(year, month, day)
    return infer_year(month, day, published) if published else None


def number(text: str) -> int | None:
    """A date number in ASCII or Chinese digits; ``None`` when it is not one.

    >>> number("06"), number("十二"), number("二十三"), number("二〇二四"), number("十十")
    (6, 12, 23, 2024, None)
    """
    if text.isascii():
        return int(text) if text.isdigit() else None
    if "十" in text:
        tens, _, units = text.partition("十")
        high, low = _CN_DIGITS.get(tens or "一"), _CN_DIGITS.get(units or "〇")
        return None if high is None or low is None else high * 10 + low
    digits = [_CN_DIGITS.get(c) for c in text]
    return None if None in digits else int("".join(map(str, digits)))


def infer_year(month: int, day: int, published: date) -> date | None:
    """The day with this month and day in the year from ROLLOVER_DAYS before publication.

    >>> infer_year(1, 5, date(2024, 12, 20)), infer_year(12, 28, date(2025, 1, 3))
    (datetime.date(2025, 1, 5), datetime.date(2024, 12, 28))
    >>> infer_year(2, 29, date(2023, 12, 1)), infer_year(2, 30, date(2024, 1, 1))
    (datetime.date(2024, 2, 29), None)
    """
    try:
        low = published - timedelta(days=ROLLOVER_DAYS)
    except OverflowError:
        low = published
    for year in (published.year - 1, published.year, published.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate and low <= candidate and (candidate - low).days < 365:
            return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- rule names --------------------------------------------------------------------------

def normalise_rule(name: str) -> str:
    """One spelling per rule: NFKC, and no quotes, spaces or 《》 anywhere in the name.

    >>> normalise_rule("现货“安心购”商家服务协议") == normalise_rule("《现货安心购 商家服务协议》")
    True
    >>> normalise_rule("1688　跨境交易争议处理规范")
    '1688跨境交易争议处理规范'
    """
    # NFKC twice: once so full-width quotes and spaces become strippable, once more because
    # stripping can bring a letter and a combining mark together.
    stripped = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))
    return unicodedata.normalize("NFKC", stripped)


def rule_names(text: str) -> tuple[str, ...]:
    """Names in 《》, then quoted names followed by 规则/协议/规范, in order of appearance.

    >>> rule_names("发布《现货“安心购”商家服务协议》与“1688淘特批发团”退货保障服务规则")
    ('现货安心购商家服务协议', '1688淘特批发团退货保障服务规则')
    """
    found = [(m.start(), normalise_rule(m.group(1))) for m in _BOOK_TITLE.finditer(text)]
    # Blank out 《…》 so the quotes inside a book title are not read a second time.
    masked = _BOOK_TITLE.sub(lambda m: "□" * len(m.group()), text)
    found += [(m.start(), normalise_rule(m.group(1) + m.group(2)))
              for m in _QUOTED_RULE.finditer(masked)]
    return _unique(name for _, name in sorted(found))


# --- platforms and programmes ------------------------------------------------------------

def load_terms(kind: str) -> dict[str, str]:
    """``alias -> canonical``, aliases NFKC and lower case; a copy, so the cache stays clean."""
    return dict(_aliases(kind))


@lru_cache(maxsize=len(TERM_KINDS))
def _aliases(kind: str) -> tuple[tuple[str, str], ...]:
    """The shipped list, longest alias first so `淘宝特价版` wins over `淘宝`."""
    if kind not in TERM_KINDS:
        raise ValueError(f"unknown term list {kind!r}; expected one of {TERM_KINDS}")
    text = resources.files("indexer").joinpath("data").joinpath(f"{kind}.txt").read_text("utf-8")
    terms = dict(parse_terms(text.splitlines()))
    return tuple(sorted(terms.items(), key=lambda item: (-len(item[0]), item[0])))


def parse_terms(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``(alias, canonical)`` pairs from ``CANONICAL = ALIAS = ...`` lines; later lines win.

    >>> list(parse_terms(["# platforms", "拼多多 = PDD  # Pinduoduo", "", "京东"]))
    [('拼多多', '拼多多'), ('pdd', '拼多多'), ('京东', '京东')]
    """
    for line in lines:
        names = [unicodedata.normalize("NFKC", n).strip() for n in line.split("#", 1)[0].split("=")]
        names = [n for n in names if n]
        for name in names:
            yield name.lower(), names[0]


def find_terms(text: str, kind: str) -> tuple[str, ...]:
    """Canonical names of the terms in ``text`` (NFKC-folded), in order of first appearance.

    >>> find_terms("淘宝特价版与1688、16880", "platforms")
    ('淘特', '1688')
    """
    lowered = text.lower()
    claimed: list[range] = []
    hits: list[tuple[int, str]] = []
    for alias, canonical in _aliases(kind):
        for match in re.finditer(re.escape(alias), lowered):
            span = range(match.start(), match.end())
            overlaps = any(span.start < c.stop and c.start < span.stop for c in claimed)
            if overlaps or _embedded(lowered, span):
                continue
            claimed.append(span)
            hits.append((match.start(), canonical))
    return _unique(name for _, name in sorted(hits))


def _embedded(text: str, span: range) -> bool:
    """Whether a match is part of a longer number or Latin word (`16880`, `updd`)."""
    def same_class(a: str, b: str) -> bool:
        both = a.isascii() and b.isascii()
        return both and (a.isdigit() and b.isdigit() or a.isalpha() and b.isalpha())

    before = text[span.start - 1] if span.start else ""
    after = text[span.stop] if span.stop < len(text) else ""
    return (bool(before) and same_class(before, text[span.start])) or (
        bool(after) and same_class(text[span.stop - 1], after))


# --- kinds of change ---------------------------------------------------------------------

def change_kinds(title: str, content: str) -> tuple[str, ...]:
    """Canonical kinds, title cues before body cues, each in order of first appearance.

    >>> change_kinds("1688调整协议：不再提供补偿", "增设快速退款，调整运费")
    ('调整', '取消', '新增')
    """
    first: dict[str, tuple[int, int]] = {}
    for rank, part in enumerate((title, content)):
        part = _KIND_NOISE.sub(lambda m: "□" * len(m.group()), part)
        for label, cues in KIND_CUES.items():
            positions = [part.find(cue) for cue in cues if cue in part]
            if positions:
                first.setdefault(label, (rank, min(positions)))
    return tuple(sorted(first, key=first.__getitem__))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))
