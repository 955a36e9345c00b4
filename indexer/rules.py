"""Facts about platform rule changes, read from an article at index time.

Support staff ask "what changed in which agreement, and from which day does it apply?".
This reads, from title and body: effective dates (`将于2024年3月1日生效`, `自9月18日起`,
`将于3月20日上线试点`), announcement dates (`8月23日公示`), agreement names (`《…协议》`),
platforms, programmes and the kind of change. It never invents: a date counts only when
the words right after it say what happens on that day (`3月22日消息` is a dateline, not a
rule change), and relative terms (`自发布之日起7日生效`) give no date at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
#: What the words right after a date must say for it to be an effective date.
_EFFECTIVE_CUE = re.compile(r"^[^，。；,;！？!?\n]{0,10}?(生效|起|上线|实施|施行|执行|新增|升级|开始)")
_ANNOUNCED_CUE = re.compile(r"^[^，。；,;！？!?\n]{0,4}?公示")
_BOOK_TITLE = re.compile(r"《([^《》]{2,60})》")
_QUOTES = re.compile(r"[\s\"'“”‘’「」『』]")
#: The year of a yearless date is the publication's, or the next when that puts it this
#: far before publication (`1月5日起` in an article of 20 December).
ROLLOVER_DAYS = 60

KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("新增", ("新增", "增加", "增设", "上线")),
    ("调整", ("调整", "变更", "更改")),
    ("取消", ("取消", "不再提供", "下线", "停止")),
    ("升级", ("升级",)),
    ("修订", ("修订", "修改", "更新", "优化")),
    ("发布", ("发布", "制定", "出台", "公布")),
    ("治理", ("治理", "整治", "处罚", "管控")),
)


@dataclass(frozen=True)
class RuleFacts:
    effective: tuple[date, ...] = ()
    announced: tuple[date, ...] = ()
    rules: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"effective": [d.isoformat() for d in self.effective],
                "announced": [d.isoformat() for d in self.announced],
                "rules": list(self.rules), "platforms": list(self.platforms),
                "programmes": list(self.programmes), "kinds": list(self.kinds)}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalise_rule(name: str) -> str:
    """One spelling per agreement: quotes and spaces out, full width folded.

    >>> normalise_rule("现货“安心购”商家服务协议") == normalise_rule("现货安心购 商家服务协议")
    True
    """
    return _QUOTES.sub("", _fold(name)).strip()


def extract_facts(title: str, content: str, published: datetime | None) -> RuleFacts:
    text = _fold(f"{title}\n{content}")
    effective, announced = _dates(text, published)
    return RuleFacts(
        effective=tuple(sorted(effective)), announced=tuple(sorted(announced - effective)),
        rules=_unique(normalise_rule(m.group(1)) for m in _BOOK_TITLE.finditer(text)),
        platforms=_terms(text, "platforms"), programmes=_terms(text, "programmes"),
        kinds=_kinds(_fold(title), _fold(content)),
    )


def _dates(text: str, published: datetime | None) -> tuple[set[date], set[date]]:
    effective: set[date] = set()
    announced: set[date] = set()
    for match in _DATE.finditer(text):
        day = _to_date(match, published)
        if day is None:
            continue
        after = text[match.end():match.end() + 16]
        if _ANNOUNCED_CUE.match(after):
            announced.add(day)
        elif _EFFECTIVE_CUE.match(after):
            effective.add(day)
    return effective, announced


def _to_date(match: re.Match[str], published: datetime | None) -> date | None:
    year, month, day = (match.group(1), match.group(2), match.group(3)) if match.group(2) else match.groups()[3:]
    try:
        if year:
            return date(int(year), int(month), int(day))
        if published is None:
            return None
        guess = date(published.year, int(month), int(day))
    except ValueError:
        return None
    if guess < published.date() - timedelta(days=ROLLOVER_DAYS):
        try:
            return date(published.year + 1, int(month), int(day))
        except ValueError:
            return None
    return guess


@lru_cache(maxsize=4)
def load_terms(kind: str) -> dict[str, str]:
    """``alias -> canonical`` from the shipped list (`CANONICAL = ALIAS = ...` per line)."""
    text = resources.files("indexer").joinpath(f"data/{kind}.txt").read_text("utf-8")
    terms: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [_fold(n.strip()) for n in line.split("=") if n.strip()]
        for name in names:
            terms[name.lower()] = names[0]
    return terms


def _terms(text: str, kind: str) -> tuple[str, ...]:
    lowered = text.lower()
    found = []
    for alias, canonical in sorted(load_terms(kind).items(), key=lambda kv: -len(kv[0])):
        for match in re.finditer(re.escape(alias), lowered):
            if alias.isdigit() and _digit_around(lowered, match):
                continue
            found.append((match.start(), canonical))
            break
    return _unique(name for _, name in sorted(found))


def _digit_around(text: str, match: re.Match[str]) -> bool:
    """`1688` is the platform, not part of `16880` or `21688`."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return before.isdigit() or after.isdigit()


def _kinds(title: str, content: str) -> tuple[str, ...]:
    found = []
    for part_rank, part in enumerate((title, content)):
        for label, cues in KINDS:
            positions = [part.find(c) for c in cues if c in part]
            if positions:
                found.append((part_rank, min(positions), label))
    return _unique(label for _, _, label in sorted(found))


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))
