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

from dataclasses import dataclass

from whoosh import query as wq
from whoosh.matching import ListMatcher

from indexer import GRAM_FIELDS, fold_char_run, is_han, load_terms, normalise_rule
from search.errors import QueryError, SearchError
from search.query import syntax
from search.query.dates import parse_bound
from search.query.synonyms import Synonyms
from search.query.terms import TermAnalysis
from search.query.weights import Weights

__all__ = ["Compiled", "DistinctDocs", "QueryCompiler", "Weights", "date_range", "exact_value", "plain_terms"]


@dataclass
class Compiled:
    """``query`` decides what matches; ``loose`` (any of the words) fills a short result list."""

    query: wq.Query
    loose: wq.Query | None = None
    #: ``loose`` over titles alone: the partial hits that may compete for the first
    #: places (several typed words; None otherwise).
    headlines: wq.Query | None = None
    #: One clause per query word of ``loose`` / ``headlines``: a partial hit must hold the
    #: rarest of them (the engine finds which from the index), see :mod:`search.engine.rank`.
    loose_parts: tuple[wq.Query, ...] = ()
    headline_parts: tuple[wq.Query, ...] = ()
    #: One clause per typed string that jieba cuts into several words (`碳关税`): the
    #: string itself, contiguous (or a synonym of it). The more of them an article holds,
    #: the higher its group (:func:`search.engine.rank.typed_strings_first`).
    contiguous: tuple[wq.Query, ...] = ()
    #: Typed words jieba keeps whole (`和服`), each with its literal query: an article
    #: holding one only across its own word boundary counts little
    #: (:mod:`search.engine.boundaries`).
    whole_words: tuple[tuple[str, wq.Query], ...] = ()


class QueryCompiler:
    """Compiles :mod:`search.query.syntax` trees with the index's own analyzers.

    Only the Whoosh queries come out of here; what to highlight and how the query was read
    are passes of their own (:mod:`search.query.highlights`, :mod:`search.query.explain`),
    run only when a caller needs them.
    """

    def __init__(self, schema, weights: Weights = Weights(), synonyms: Synonyms | None = None,
                 query_words=None):
        self.weights = weights
        self.synonyms = synonyms or Synonyms()
        self.terms = TermAnalysis(schema["title"].analyzer, schema["title_g"].analyzer, query_words)

    def compile(self, node: syntax.Node | None) -> Compiled:
        if node is None:
            return Compiled(wq.Every())
        query = self._node(node)
        if query is None:
            return Compiled(wq.NullQuery)
        bonus = self._proximity(node)
        loose = self._loose_parts(node)
        compiled = Compiled(wq.AndMaybe(query, bonus) if bonus is not None else query,
                            wq.Or(list(loose)) if loose else None, loose_parts=loose)
        compiled.contiguous = self._contiguous(node)
        compiled.whole_words = self._whole_words(node)
        several = isinstance(node, syntax.And) and plain_terms(node) is not None
        if several and self.weights.promote > 0:
            headlines = tuple(q.accept(_bigrams_anywhere) for q in self._loose_parts(node, fields=("title",)))
            if headlines:
                compiled.headlines, compiled.headline_parts = wq.Or(list(headlines)), headlines
        return compiled

    # -- tree walking ---------------------------------------------------------------------

    def _node(self, node) -> wq.Query | None:
        if isinstance(node, (syntax.And, syntax.Or)):
            return self._group(node)
        if isinstance(node, syntax.Not):
            inner = self._node(node.node)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, syntax.Range):
            return self._range(node)
        if node.field in syntax.EXACT_FIELDS:
            return wq.Term(node.field, exact_value(node.field, node.text))
        fields = (node.field,) if node.field else syntax.TEXT_FIELDS
        if isinstance(node, syntax.Phrase):
            return self._literal(node.text, fields, boost=1.0)
        return self._expanded(node.text, fields)

    def _group(self, node: syntax.And | syntax.Or) -> wq.Query | None:
        parts = [q for n in node.nodes if (q := self._node(n)) is not None]
        if not parts:
            return None
        if isinstance(node, syntax.Or):
            return wq.Or(parts)
        if all(isinstance(p, wq.Not) for p in parts):
            parts.insert(0, wq.Every())
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _expanded(self, text: str, fields) -> wq.Query | None:
        """A bare term, widened by its synonyms."""
        typed = self._text(text, fields)
        widened = [q for t in self.synonyms.lookup(text) if (q := self._text(t, fields)) is not None]
        if not widened:
            return typed
        for q in widened:
            q.boost = self.weights.synonym
        return wq.Or(([typed] if typed is not None else []) + widened)

    def _text(self, text: str, fields: tuple[str, ...]) -> wq.Query | None:
        units = self.terms.units(text)
        if not units:
            return None
        per_unit = [self._unit(u, fields, inside=len(units) > 1) for u in units]
        matched = per_unit[0] if len(per_unit) == 1 else wq.And(per_unit)
        literal = self._literal(text, fields, boost=self.weights.literal)
        return matched if literal is None else wq.Or([matched, literal])

    def _unit(self, unit: str, fields: tuple[str, ...], inside: bool = False) -> wq.Query:
        """One unit of a term; with ``inside``, a two-character word may also sit inside a
        longer title word."""
        if not self.terms.is_word(unit):
            return self._literal(unit, fields, boost=1.0)
        word = self._word(unit, fields)
        if not inside or len(unit) != 2 or self.weights.unit_literal <= 0:
            return word
        titles = tuple(f for f in fields if f == "title")
        literal = self._literal(unit, titles, boost=self.weights.unit_literal) if titles else None
        return word if literal is None else wq.Or([word, literal])

    def _word(self, word: str, fields: tuple[str, ...]) -> wq.Query:
        return wq.Or([wq.Term(f, word, boost=getattr(self.weights, f)) for f in fields])

    def _literal(self, text: str, fields: tuple[str, ...], boost: float) -> wq.Query | None:
        grams = self.terms.grams(text)
        if not grams:
            return None
        if self.weights.gram_average:
            boost /= len(grams)
        per_field = []
        for f in fields:
            weight = boost * getattr(self.weights, f)
            gf = GRAM_FIELDS[f]
            per_field.append(wq.Term(gf, grams[0], boost=weight) if len(grams) == 1
                             else wq.Phrase(gf, list(grams), boost=weight))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    # -- whole-query extras ----------------------------------------------------------------------

    def _proximity(self, node: syntax.Node) -> wq.Query | None:
        """Terms typed apart (`光伏 产能`, `618 大促`) score more where the article has them
        side by side (`光伏产能`, `618大促`), and more still than merely close together."""
        parts = plain_terms(node) if isinstance(node, syntax.And) else None
        if not parts or self.weights.proximity <= 0:
            return None
        bonus = [self._literal("".join(p.text for p in parts), syntax.TEXT_FIELDS, boost=self.weights.proximity)]
        units = [u for p in parts for u in self.terms.units(p.text)]
        if all(self.terms.is_word(u) for u in units):
            bonus += [wq.Phrase(f, units, slop=self.weights.slop,
                                boost=self.weights.proximity * getattr(self.weights, f))
                      for f in syntax.TEXT_FIELDS]
        bonus = [b for b in bonus if b is not None]
        return wq.Or(bonus) if bonus else None

    def _contiguous(self, node: syntax.Node) -> tuple[wq.Query, ...]:
        """The typed strings of a plain query that jieba cuts into several words, each as the
        exact string (or one of its synonyms), for the top group.

        Someone who types `碳关税` asks for that string; an article saying 碳排放 in one
        paragraph and 关税 in another shares its words, not its meaning. Chinese is written
        without spaces, so an unspaced string is the unit the reader chose; words the reader
        typed apart (`光伏 产能`) carry no such requirement. Fielded, OR and NOT queries say
        exactly what they want, and a quoted phrase is exact already.

        "Apart" means not within one phrase: the words in order with at most ``slop`` words
        between them are the string with a modifier inserted, as Chinese inserts them inside
        compounds (`延迟法定退休年龄` for `延迟退休`, where 退休 even sits inside the longer
        word 退休年龄), and count as the string.
        """
        if not self.weights.typed_strings_first:
            return ()
        clauses = []
        for part, units in self._typed_units(node):
            if len(units) < 2:
                continue
            strings = [part.text, *self.synonyms.lookup(part.text)]
            held = [q for t in strings if (q := self._literal(t, syntax.TEXT_FIELDS, boost=1.0)) is not None]
            if all(len(u) > 1 and is_han(u) for u in units):
                # each word as a string (so 退休 inside 退休年龄 counts), in order, with at
                # most ``slop`` two-character words inserted between them
                grams = [g for u in units for g in self.terms.grams(u)]
                held += [wq.Phrase(GRAM_FIELDS[f], grams, slop=2 + 2 * self.weights.slop) for f in syntax.TEXT_FIELDS]
            if held:
                clauses.append(held[0] if len(held) == 1 else wq.Or(held))
        return tuple(clauses)

    def _typed_units(self, node: syntax.Node) -> list[tuple[syntax.Text, tuple[str, ...]]]:
        """Each bare term of a plain query with its units as jieba cuts them (none otherwise)."""
        parts = plain_terms(node)
        return [] if parts is None else [(p, self.terms.units(p.text)) for p in parts]

    def _whole_words(self, node: syntax.Node) -> tuple[tuple[str, wq.Query], ...]:
        """The typed Han words of a plain query that jieba keeps whole, with their literals."""
        if self.weights.straddle >= 1.0:
            return ()
        found = []
        for _part, units in self._typed_units(node):
            if len(units) == 1 and len(units[0]) > 1 and is_han(units[0]):
                literal = self._literal(units[0], syntax.TEXT_FIELDS, boost=1.0)
                if literal is not None:
                    found.append((units[0], literal))
        return tuple(found)

    def _loose_parts(self, node: syntax.Node,
                     fields: tuple[str, ...] = syntax.TEXT_FIELDS) -> tuple[wq.Query, ...]:
        """One clause per query word, for the articles that miss a word (else empty).

        Only a plain conjunction of several words qualifies. OR, NOT and fields say exactly
        what the user wants; a quoted phrase asks for that exact string; and a one-word
        query has no "some of the words": a piece of a dictionary word (`安心` of
        `安心购`) is not a partial match, it is noise. The exact matches always come first
        and alone make the count; these only fill the list after them.
        """
        parts = node.nodes if isinstance(node, syntax.And) else (node,)
        if not all(isinstance(p, syntax.Text) and p.field is None for p in parts):
            return ()
        units = [u for p in parts for u in self.terms.units(p.text)]
        # a lone character or digit (`1` of `alert(1)`) matches everything: it only fills noise
        units = list(dict.fromkeys(u for u in units if len(u) > 1))
        clauses = tuple(q for u in units if (q := self._text(u, fields)) is not None)
        return clauses if len(clauses) > 1 else ()

    @staticmethod
    def _range(node: syntax.Range) -> wq.Query:
        return date_range(node.field, node.start, node.end)


def date_range(field: str, start: str | None, end: str | None,
               error: type[SearchError] = QueryError) -> wq.Query:
    """Articles whose ``field`` date falls in the periods from ``start`` to ``end`` (open ends
    allowed): the one date-order check for query ranges and request filters alike. A range
    typed in the query is a :class:`QueryError`; the filters pass ``ParameterError``."""
    first, last = parse_bound(start, end=False), parse_bound(end, end=True)
    if first is not None and last is not None and first > last:
        raise error(f"the date range starts after it ends: {start} > {end}")
    query = wq.DateRange(field, first, last)
    return query if field == "published" else DistinctDocs(query)


def plain_terms(node: syntax.Node) -> tuple[syntax.Text, ...] | None:
    """The parts of a conjunction of bare, unfielded words (else None)."""
    parts = node.nodes if isinstance(node, syntax.And) else (node,)
    if all(isinstance(p, syntax.Text) and p.field is None for p in parts):
        return parts  # type: ignore[return-value]
    return None


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
