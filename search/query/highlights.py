"""What a snippet should mark, read from the query tree in a pass of its own.

Only positive parts count (nothing under NOT), and a term marks what it matches: its
indexed words, and the literal strings matched over the bigram fields (the whole term,
units the index does not hold whole, two-character units that may sit inside a longer
title word), for the term as typed and for each of its synonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer import fold_char_run
from search.query import syntax
from search.query.synonyms import Synonyms
from search.query.terms import TermAnalysis
from search.query.weights import Weights


@dataclass
class Highlights:
    """What a snippet should mark: analysed words and literal (folded) strings."""

    words: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)


def highlights(node: syntax.Node | None, terms: TermAnalysis, synonyms: Synonyms,
               weights: Weights = Weights()) -> Highlights:
    """The words and literal strings ``node`` asks for, as the compiler matches them."""
    found = Highlights()
    if node is not None:
        _walk(node, _Marker(terms, synonyms, weights, found), positive=True)
    return found


def _walk(node: syntax.Node, marker: _Marker, positive: bool) -> None:
    if isinstance(node, (syntax.And, syntax.Or)):
        for child in node.nodes:
            _walk(child, marker, positive)
    elif isinstance(node, syntax.Not):
        _walk(node.node, marker, not positive)
    elif positive and not isinstance(node, syntax.Range) and node.field not in syntax.EXACT_FIELDS:
        fields = (node.field,) if node.field else syntax.TEXT_FIELDS
        if isinstance(node, syntax.Phrase):
            marker.literal(node.text)
        else:
            for text in (node.text, *marker.synonyms.lookup(node.text)):
                marker.term(text, fields)


@dataclass
class _Marker:
    terms: TermAnalysis
    synonyms: Synonyms
    weights: Weights
    found: Highlights

    def literal(self, text: str) -> None:
        if self.terms.grams(text):
            self.found.literals.add(fold_char_run("".join(text.split())))

    def term(self, text: str, fields: tuple[str, ...]) -> None:
        units = self.terms.units(text)
        if not units:
            return
        self.found.words.update(u for u in units if self.terms.is_word(u))
        for unit in units:
            if not self.terms.is_word(unit) or (len(units) > 1 and len(unit) == 2 and self.weights.unit_literal > 0
                  and "title" in fields):
                self.literal(unit)
        self.literal(text)
