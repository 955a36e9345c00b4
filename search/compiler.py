"""Turn a parsed query into a Whoosh query over word and bigram fields.

Each bare term is analysed exactly as the index was: its jieba words must all occur
(title or body), *or* the term occurs literally (a phrase over the bigram field), so a
string inside a longer word (`农业` in `中国农业发展银行`) is still found. Articles that
match both ways score both ways, which ranks whole-word and exact-sequence matches first.
Quoted phrases match the exact character sequence via the bigram fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from indexer import GRAM_FIELDS, fold_char_run
from search import syntax
from search.dates import parse_bound
from search.errors import QueryError


@dataclass(frozen=True)
class Weights:
    """Field and path weights; chosen on the dev set (see docs/quality.md)."""

    title: float = 2.0
    content: float = 1.0
    literal: float = 0.5


@dataclass
class Highlights:
    """What a snippet should mark: analysed words and literal (folded) strings."""

    words: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)


@dataclass
class Compiled:
    query: wq.Query
    highlights: Highlights


class QueryCompiler:
    """Compiles :mod:`search.syntax` trees with the index's own analyzers."""

    def __init__(self, schema, weights: Weights = Weights()):
        self.schema = schema
        self.weights = weights
        self.words = schema["title"].analyzer
        self.grams = schema["title_g"].analyzer

    def compile(self, node: syntax.Node | None) -> Compiled:
        highlights = Highlights()
        if node is None:
            return Compiled(wq.Every(), highlights)
        query = self._node(node, highlights, positive=True)
        return Compiled(query if query is not None else wq.NullQuery, highlights)

    def _node(self, node, hl: Highlights, positive: bool) -> wq.Query | None:
        if isinstance(node, syntax.And):
            return self._and(node, hl, positive)
        if isinstance(node, syntax.Or):
            parts = [q for n in node.nodes if (q := self._node(n, hl, positive)) is not None]
            return wq.Or(parts) if parts else None
        if isinstance(node, syntax.Not):
            inner = self._node(node.node, hl, not positive)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, syntax.Range):
            return self._range(node)
        if isinstance(node, syntax.Text) and node.field in syntax.EXACT_FIELDS:
            return wq.Term(node.field, node.text if node.field == "id" else node.text.strip())
        fields = (node.field,) if node.field else syntax.TEXT_FIELDS
        if isinstance(node, syntax.Phrase):
            return self._literal(node.text, fields, hl if positive else None, boost=1.0)
        return self._text(node.text, fields, hl if positive else None)

    def _and(self, node: syntax.And, hl: Highlights, positive: bool) -> wq.Query | None:
        parts = [q for n in node.nodes if (q := self._node(n, hl, positive)) is not None]
        if not parts:
            return None
        if all(isinstance(p, wq.Not) for p in parts):
            parts.insert(0, wq.Every())
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _text(self, text: str, fields: tuple[str, ...], hl: Highlights | None) -> wq.Query | None:
        words = [t.text for t in self.words(text, mode="query")]
        if not words:
            return None
        if hl is not None:
            hl.words.update(words)
        per_word = [wq.Or([wq.Term(f, w, boost=getattr(self.weights, f)) for f in fields]) for w in words]
        matched = per_word[0] if len(per_word) == 1 else wq.And(per_word)
        literal = self._literal(text, fields, hl, boost=self.weights.literal)
        return matched if literal is None else wq.Or([matched, literal])

    def _literal(self, text: str, fields: tuple[str, ...], hl: Highlights | None,
                 boost: float) -> wq.Query | None:
        grams = [t.text for t in self.grams(text, mode="query")]
        if not grams:
            return None
        if hl is not None:
            hl.literals.add(fold_char_run("".join(text.split())))
        per_field = []
        for f in fields:
            gf = GRAM_FIELDS[f]
            weight = boost * getattr(self.weights, f)
            if len(grams) == 1:
                per_field.append(wq.Term(gf, grams[0], boost=weight))
            else:
                per_field.append(wq.Phrase(gf, grams, boost=weight))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    @staticmethod
    def _range(node: syntax.Range) -> wq.Query:
        start = parse_bound(node.start, end=False)
        end = parse_bound(node.end, end=True)
        if start is not None and end is not None and start > end:
            raise QueryError(f"the range starts after it ends: {node.start} > {node.end}")
        return wq.DateRange("published", start, end)
