"""The query language, parsed into a small tree that knows nothing about Whoosh.

Grammar (AND binds tighter than OR; juxtaposition means AND)::

    query   := or
    or      := and (("OR" | "|") and)*
    and     := unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | atom
    atom    := "(" or ")" | FIELD ":" value | value
    value   := "[" BOUND "TO" BOUND "]" | PHRASE | WORD

Phrases take ASCII or Chinese quotes (`"..."`, `“...”`, `「...」`); a quote left open runs to
the end, since pasted Chinese text often carries a stray one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.errors import QueryError

#: Fields a user may name, and what kind of value each takes.
TEXT_FIELDS = ("title", "content")
EXACT_FIELDS = ("category", "source", "id", "year", "rule", "platform", "programme", "kind")
#: Date fields a user may name -> the index field they search.
DATE_FIELDS = {"published": "published", "date": "published", "effective": "effective",
               "announced": "announced"}
FIELDS = TEXT_FIELDS + EXACT_FIELDS + tuple(DATE_FIELDS)

_QUOTES = {'"': '"', "\u201c": "\u201d", "\u300c": "\u300d", "\u300e": "\u300f", "\u201d": "\u201d"}
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<lparen>\() | (?P<rparen>\))
      | (?P<quote>["\u201c\u201d\u300c\u300e])
      | (?P<range>\[[^\]]*\]?)
      | (?P<field>[A-Za-z_]+):(?=\S)
      | (?P<word>[^\s()"\u201c\u201d\u300c\u300e]+)""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Text:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Range:
    field: str
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Text | Phrase | Range | Not | And | Or


def parse(query: str) -> Node | None:
    """Parse ``query``; ``None`` for a query with no terms at all."""
    parser = _Parser(list(_lex(query)))
    if not parser.tokens:
        return None
    node = parser.parse_or()
    if parser.peek() is not None:
        raise QueryError("unbalanced parenthesis: ')' without '('")
    return node


def count_terms(node: Node | None) -> int:
    """Words, phrases and ranges in a parsed query (what its cost grows with).

    >>> count_terms(parse('稀土 OR (光伏 -"产能 过剩") published:[2024 TO 2025]'))
    4
    """
    if node is None:
        return 0
    if isinstance(node, Not):
        return count_terms(node.node)
    if isinstance(node, (And, Or)):
        return sum(count_terms(n) for n in node.nodes)
    return 1


def _lex(query: str):
    pos = 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        kind = match.lastgroup
        if kind == "quote":
            close = _QUOTES[match.group()]
            end = query.find(close, match.end())
            end = len(query) if end < 0 else end
            yield ("phrase", query[match.end():end])
            pos = end + 1
            continue
        if kind != "space":
            yield (kind, match.group())
        pos = match.end()


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse_or(self) -> Node:
        nodes = [self.parse_and()]
        while self.peek() in (("word", "OR"), ("word", "|")):
            self.take()
            if self.peek() is None:
                raise QueryError("OR needs a term on both sides")
            nodes.append(self.parse_and())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def parse_and(self) -> Node:
        nodes = [self.parse_unary()]
        while (token := self.peek()) is not None and token[0] != "rparen" and token not in (("word", "OR"), ("word", "|")):
            if token == ("word", "AND"):
                self.take()
                if self.peek() is None:
                    raise QueryError("AND needs a term on both sides")
                continue
            nodes.append(self.parse_unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def parse_unary(self) -> Node:
        kind, text = self.peek()
        if (kind, text) == ("word", "NOT") or (kind == "word" and text.startswith("-") and len(text) > 1):
            self.take()
            if text != "NOT":
                self.tokens.insert(self.i, ("word", text[1:]))
            if self.peek() is None:
                raise QueryError("NOT needs a term after it")
            return Not(self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        kind, text = self.take()
        if kind == "lparen":
            if self.peek() is None or self.peek()[0] == "rparen":
                raise QueryError("empty parentheses")
            node = self.parse_or()
            if self.peek() is None:
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            self.take()
            return node
        if kind == "rparen":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        if kind == "field":
            return self.parse_field(text[:-1].lower())
        if kind == "phrase":
            return Phrase(text)
        if kind == "range":
            raise QueryError("a date range needs a field, as in published:[2024-01-01 TO 2024-03-31]")
        return Text(text)

    def parse_field(self, field: str) -> Node:
        if field not in FIELDS:
            raise QueryError(f"unknown field {field!r}; fields are: {', '.join(FIELDS)}")
        kind, text = self.take()
        if field in DATE_FIELDS:
            return _range(DATE_FIELDS[field], kind, text)
        if kind == "range":
            raise QueryError(f"{field}: takes a word or a phrase, not a range")
        if kind == "phrase":
            return Phrase(text, field)
        if kind not in ("word",):
            raise QueryError(f"{field}: needs a value")
        return Text(text, field)


def _range(field: str, kind: str, text: str) -> Range:
    if kind == "word":
        return Range(field, text, text)
    if kind != "range" or not text.endswith("]"):
        raise QueryError(f"{field}: takes a date or a range such as [2024-01-01 TO 2024-03-31]")
    parts = re.split(r"\s+TO\s+", text[1:-1].strip(), flags=re.IGNORECASE)
    if len(parts) != 2:
        raise QueryError(f"a range needs the form [START TO END], got {text!r}")
    return Range(field, parts[0].strip() or None, parts[1].strip() or None)
