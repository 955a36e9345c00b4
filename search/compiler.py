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

    title: float = 6.0
    content: float = 1.0
    literal: float = 2.0
    #: Bonus when the words of a multi-word query stand close together, in order.
    proximity: float = 1.0
    slop: int = 3
    #: BM25 term-frequency saturation and length normalisation.
    k1: float = 2.0
    b: float = 0.9


@dataclass
class Highlights:
    """What a snippet should mark: analysed words and literal (folded) strings."""

    words: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)


@dataclass
class Compiled:
    """``query`` decides what matches; ``loose`` (any of the words) fills a short result list."""

    query: wq.Query
    highlights: Highlights
    loose: wq.Query | None = None


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
        if query is None:
            return Compiled(wq.NullQuery, highlights)
        bonus = self._proximity(node)
        if bonus is not None:
            query = wq.AndMaybe(query, bonus)
        return Compiled(query, highlights, self._loose(node))

    def _proximity(self, node: syntax.Node) -> wq.Query | None:
        """Words typed apart (`光伏 产能`) score more where the article has them together."""
        if not isinstance(node, syntax.And) or self.weights.proximity <= 0:
            return None
        if not all(isinstance(p, syntax.Text) and p.field is None for p in node.nodes):
            return None
        words = [t.text for p in node.nodes for t in self.words(p.text, mode="query")]
        if len(words) < 2:
            return None
        return wq.Or([wq.Phrase(f, words, slop=self.weights.slop,
                                boost=self.weights.proximity * getattr(self.weights, f))
                      for f in syntax.TEXT_FIELDS])

    def _loose(self, node: syntax.Node) -> wq.Query | None:
        """Any-of-the-words version of a plain conjunction, for articles that miss a word.

        Only conjunctions of bare words qualify: OR, NOT, phrases and fields say exactly
        what the user wants, so they get nothing looser.
        """
        parts = node.nodes if isinstance(node, syntax.And) else (node,)
        if not all(isinstance(p, syntax.Text) and p.field is None for p in parts):
            return None
        clauses = []
        for part in parts:
            clauses.extend(self._unit(w, syntax.TEXT_FIELDS, None) for w in self._units(part.text))
        return wq.Or(clauses) if len(clauses) > 1 else None

    def _word(self, word: str, fields: tuple[str, ...]) -> wq.Query:
        return wq.Or([wq.Term(f, word, boost=getattr(self.weights, f)) for f in fields])

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
        words = self._units(text)
        if not words:
            return None
        if hl is not None:
            hl.words.update(w for w in words if len(w) > 1 or not _is_han(w))
        per_word = [self._unit(w, fields, hl) for w in words]
        matched = per_word[0] if len(per_word) == 1 else wq.And(per_word)
        literal = self._literal(text, fields, hl, boost=self.weights.literal)
        return matched if literal is None else wq.Or([matched, literal])

    def _units(self, text: str) -> list[str]:
        """jieba's words, with runs of single Han characters glued back together.

        jieba leaves words it does not know as single characters (`恒`, `大`); matching
        those one by one finds articles with 恒 and 大 anywhere. Glued, the run is
        matched as the exact string (over the bigram fields) instead.
        """
        units: list[str] = []
        glue = False
        for token in self.words(text, mode="query"):
            single = len(token.text) == 1 and _is_han(token.text)
            if single and glue:
                units[-1] += token.text
            else:
                units.append(token.text)
            glue = single
        return units

    def _unit(self, unit: str, fields: tuple[str, ...], hl: Highlights | None) -> wq.Query:
        if len(unit) > 1 and all(_is_han(c) for c in unit) and unit not in self._known(unit):
            return self._literal(unit, fields, hl, boost=1.0)
        return self._word(unit, fields)

    def _known(self, unit: str) -> set[str]:
        return {t.text for t in self.words(unit, mode="query")}

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


def _is_han(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)
