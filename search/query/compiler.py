"""Turn a parsed query into a Whoosh query over word and bigram fields.

Each bare term is analysed as the index was: its jieba words must all occur (title or
body), *or* the term occurs literally (a phrase over the bigram field), so a string inside
a longer word (`农业` in `中国农业发展银行`) is still found. Articles that match both ways
score both ways, which ranks whole-word and exact-sequence matches first. Quoted phrases
match the exact character sequence. Synonyms widen a term at query time; an extra query
dictionary changes how a term is cut without touching the index (a word the index does
not hold whole is matched literally).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher

from indexer import GRAM_FIELDS, fold_char_run, load_terms, normalise_rule, subwords
from search.errors import QueryError
from search.query import syntax
from search.query.dates import parse_bound
from search.query.synonyms import Synonyms


@dataclass(frozen=True)
class Weights:
    """Field and path weights; chosen on the dev set (see docs/quality.md)."""

    title: float = 8.0
    content: float = 1.0
    literal: float = 4.0
    #: A two-character word of a term jieba splits (`退休` of `延迟退休`) also counts where
    #: it sits inside a longer indexed word of a title (`延迟法定退休年龄` holds `退休年龄`),
    #: at this weight. Titles only, two characters only: in a long body the pieces
    #: anywhere say little, longer words are rarely buried in longer ones, and either
    #: cost the slowest queries 15% or more for no measured gain.
    unit_literal: float = 0.5
    #: A literal's bigram scores are averaged, not summed: the bigrams of one string are
    #: not independent evidence, and summed they made `乌克兰` (two bigrams) outweigh the
    #: rarer `和谈` (one) and every long word outweigh every short one.
    gram_average: bool = True
    #: Several typed words: an article missing one of them (a headline that words it
    #: differently) may take a first-page place from an exact match scoring below this
    #: share of its own score (a long body that has every word, each in passing).
    promote: float = 0.3
    #: Synonyms widen a term but rank below the form the user typed.
    synonym: float = 0.3
    #: Bonus when the words of a multi-word query stand close together, in order: as
    #: strong as one more word matched literally, so that `618大促` beats a shorter
    #: headline holding `618` and `大促` apart.
    proximity: float = 4.0
    slop: int = 3
    #: BM25 term-frequency saturation and length normalisation.
    k1: float = 2.0
    b: float = 0.9
    #: Length normalisation of titles: among headlines that all hold the query, the
    #: shorter one is more squarely about it.
    title_b: float = 1.0
    #: Length normalisation of bodies alone (long digests mention everything once).
    content_b: float = 0.9


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
    #: ``loose`` over titles alone: the partial hits that may compete for the first
    #: places (several typed words; None otherwise).
    headlines: wq.Query | None = None
    terms: list[dict[str, Any]] = field(default_factory=list)

    def explain(self, raw: str, tree: syntax.Node | None) -> dict[str, Any]:
        """How the query was read: folding, segmentation, expansion and the final query."""
        return {"query": raw, "parsed": repr(tree) if tree is not None else None, "terms": self.terms,
                "whoosh": str(self.query), "fill": str(self.loose) if self.loose is not None else None,
                "headlines": str(self.headlines) if self.headlines is not None else None}


class QueryCompiler:
    """Compiles :mod:`search.query.syntax` trees with the index's own analyzers.

    ``query_words`` may carry extra dictionary words for segmenting queries only;
    ``index_words`` (the schema's analyzer) decides which units exist as indexed words.
    """

    def __init__(self, schema, weights: Weights = Weights(), synonyms: Synonyms | None = None,
                 query_words=None):
        self.weights = weights
        self.synonyms = synonyms or Synonyms()
        self.index_words = schema["title"].analyzer
        self.words = query_words or self.index_words
        self.grams = schema["title_g"].analyzer

    def compile(self, node: syntax.Node | None) -> Compiled:
        compiled = Compiled(wq.Every(), Highlights())
        if node is None:
            return compiled
        query = self._node(node, compiled, positive=True)
        if query is None:
            compiled.query = wq.NullQuery
            return compiled
        bonus = self._proximity(node)
        compiled.query = wq.AndMaybe(query, bonus) if bonus is not None else query
        compiled.loose = self._loose(node)
        several = isinstance(node, syntax.And) and self._plain_terms(node) is not None
        if several and self.weights.promote > 0:
            headlines = self._loose(node, fields=("title",))
            compiled.headlines = headlines.accept(_bigrams_anywhere) if headlines is not None else None
        return compiled

    # -- tree walking ---------------------------------------------------------------------

    def _node(self, node, out: Compiled, positive: bool) -> wq.Query | None:
        if isinstance(node, (syntax.And, syntax.Or)):
            parts = [q for n in node.nodes if (q := self._node(n, out, positive)) is not None]
            if not parts:
                return None
            if isinstance(node, syntax.Or):
                return wq.Or(parts)
            if all(isinstance(p, wq.Not) for p in parts):
                parts.insert(0, wq.Every())
            return parts[0] if len(parts) == 1 else wq.And(parts)
        if isinstance(node, syntax.Not):
            inner = self._node(node.node, out, not positive)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, syntax.Range):
            return self._range(node)
        if node.field in syntax.EXACT_FIELDS:
            return wq.Term(node.field, exact_value(node.field, node.text))
        fields = (node.field,) if node.field else syntax.TEXT_FIELDS
        hl = out.highlights if positive else None
        if isinstance(node, syntax.Phrase):
            out.terms.append({"text": node.text, "kind": "phrase", "folded": fold_char_run(node.text),
                              "grams": self._grams(node.text)})
            return self._literal(node.text, fields, hl, boost=1.0)
        return self._expanded(node.text, fields, hl, out)

    def _expanded(self, text: str, fields, hl: Highlights | None, out: Compiled) -> wq.Query | None:
        """A bare term, widened by its synonyms."""
        others = self.synonyms.lookup(text)
        out.terms.append({"text": text, "kind": "term", "folded": fold_char_run(text),
                          "units": self._units(text), "synonyms": list(others)})
        typed = self._text(text, fields, hl)
        widened = [q for t in others if (q := self._text(t, fields, hl)) is not None]
        if not widened:
            return typed
        for q in widened:
            q.boost = self.weights.synonym
        return wq.Or(([typed] if typed is not None else []) + widened)

    def _text(self, text: str, fields: tuple[str, ...], hl: Highlights | None) -> wq.Query | None:
        units = self._units(text)
        if not units:
            return None
        if hl is not None:
            hl.words.update(u for u in units if self._is_word(u))
        per_unit = [self._unit(u, fields, hl, inside=len(units) > 1) for u in units]
        matched = per_unit[0] if len(per_unit) == 1 else wq.And(per_unit)
        literal = self._literal(text, fields, hl, boost=self.weights.literal)
        return matched if literal is None else wq.Or([matched, literal])

    # -- units: what a term is made of ----------------------------------------------------------

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

    def _is_word(self, unit: str) -> bool:
        """Whether the index holds ``unit`` as one word (else it is matched literally)."""
        if len(unit) < 2 or not _is_han(unit):
            return True
        return [t.text for t in self.index_words(unit, mode="query")] == [unit]

    def _unit(self, unit: str, fields: tuple[str, ...], hl: Highlights | None, inside: bool = False) -> wq.Query:
        """One unit of a term; with ``inside``, a two-character word may also sit inside a
        longer title word."""
        if not self._is_word(unit):
            return self._literal(unit, fields, hl, boost=1.0)
        word = self._word(unit, fields)
        if not inside or len(unit) != 2 or self.weights.unit_literal <= 0:
            return word
        titles = tuple(f for f in fields if f == "title")
        literal = self._literal(unit, titles, hl, boost=self.weights.unit_literal) if titles else None
        return word if literal is None else wq.Or([word, literal])

    def _word(self, word: str, fields: tuple[str, ...]) -> wq.Query:
        return wq.Or([wq.Term(f, word, boost=getattr(self.weights, f)) for f in fields])

    def _grams(self, text: str) -> list[str]:
        return [t.text for t in self.grams(text, mode="query")]

    def _literal(self, text: str, fields: tuple[str, ...], hl: Highlights | None,
                 boost: float) -> wq.Query | None:
        grams = self._grams(text)
        if not grams:
            return None
        if hl is not None:
            hl.literals.add(fold_char_run("".join(text.split())))
        per_field = []
        if self.weights.gram_average:
            boost /= len(grams)
        for f in fields:
            weight = boost * getattr(self.weights, f)
            gf = GRAM_FIELDS[f]
            per_field.append(wq.Term(gf, grams[0], boost=weight) if len(grams) == 1
                             else wq.Phrase(gf, grams, boost=weight))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    # -- whole-query extras ----------------------------------------------------------------------

    def _plain_terms(self, node: syntax.Node) -> tuple[syntax.Text, ...] | None:
        parts = node.nodes if isinstance(node, syntax.And) else (node,)
        if all(isinstance(p, syntax.Text) and p.field is None for p in parts):
            return parts  # type: ignore[return-value]
        return None

    def _proximity(self, node: syntax.Node) -> wq.Query | None:
        """Terms typed apart (`光伏 产能`, `618 大促`) score more where the article has them
        side by side (`光伏产能`, `618大促`), and more still than merely close together."""
        parts = self._plain_terms(node) if isinstance(node, syntax.And) else None
        if not parts or self.weights.proximity <= 0:
            return None
        bonus = [self._literal("".join(p.text for p in parts), syntax.TEXT_FIELDS, None,
                               boost=self.weights.proximity)]
        units = [u for p in parts for u in self._units(p.text)]
        if all(self._is_word(u) for u in units):
            bonus += [wq.Phrase(f, units, slop=self.weights.slop,
                                boost=self.weights.proximity * getattr(self.weights, f))
                      for f in syntax.TEXT_FIELDS]
        bonus = [b for b in bonus if b is not None]
        return wq.Or(bonus) if bonus else None

    def _loose(self, node: syntax.Node, fields: tuple[str, ...] = syntax.TEXT_FIELDS) -> wq.Query | None:
        """Any-of-the-words version of a plain conjunction, for articles that miss a word.

        Conjunctions of bare words and phrases qualify; OR, NOT and fields say exactly
        what the user wants, so they get nothing looser. The exact matches always come
        first and alone make the count; these only fill the list after them.
        """
        parts = node.nodes if isinstance(node, syntax.And) else (node,)
        if not all(isinstance(p, (syntax.Text, syntax.Phrase)) and p.field is None for p in parts):
            return None
        units = [u for p in parts for u in self._units(p.text)]
        if len(units) == 1 and self._is_word(units[0]):
            # one long word: its dictionary sub-words (`运费险` → `运费`), the secondary cut
            units += subwords(units[0], self.index_words.items[0].dictionary)
        # a lone character or digit (`1` of `alert(1)`) matches everything: it only fills noise
        units = [u for u in units if len(u) > 1]
        clauses = [q for u in units if (q := self._text(u, fields, None)) is not None]
        return wq.Or(clauses) if len(clauses) > 1 else None

    @staticmethod
    def _range(node: syntax.Range) -> wq.Query:
        start = parse_bound(node.start, end=False)
        end = parse_bound(node.end, end=True)
        if start is not None and end is not None and start > end:
            raise QueryError(f"the range starts after it ends: {node.start} > {node.end}")
        query = wq.DateRange(node.field, start, end)
        return query if node.field == "published" else DistinctDocs(query)


class DistinctDocs(wq.WrappingQuery):
    """Each matching article once: Whoosh's range over a multi-valued date field (an
    article with two effective dates in range) otherwise yields the article twice."""

    def matcher(self, searcher, context=None):
        ids = sorted(set(self.child.matcher(searcher, context).all_ids()))
        return ListMatcher(ids, all_weights=1.0)


def _bigrams_anywhere(query: wq.Query) -> wq.Query:
    """A phrase's bigrams as a plain conjunction: within a headline they are almost never
    apart, and Whoosh's position matching was most of the cost of finding candidates."""
    if isinstance(query, wq.Phrase):
        return wq.And([wq.Term(query.fieldname, w) for w in query.words], boost=query.boost)
    return query


def exact_value(field: str, value: str) -> str:
    """The indexed form of a field value: agreements and platforms have one spelling each.

    >>> exact_value("rule", "现货“安心购” 商家服务协议")
    '现货安心购商家服务协议'
    >>> exact_value("platform", "淘宝网")
    '淘宝'
    """
    value = value.strip()
    if field == "rule":
        return normalise_rule(value).lower()
    if field in ("platform", "programme"):
        folded = fold_char_run(value)
        return load_terms(field + "s").get(folded, folded).lower()
    return value


def _is_han(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)
