"""The one search core: the CLI, the web views and the research tools are thin users of it.

A search is a pipeline of small steps, each with one owner:
parse and plan (:mod:`.plan`) → match (:mod:`.match`) → rank (:mod:`.rank`) →
assemble (:mod:`.hits`, snippets, facets, suggestion, explain).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer import IndexStore, schema_dictionary, word_analyzer
from indexer.analysis import jieba_for, segment
from indexer.frequencies import MappedFrequencies
from search.engine.arrays import POSTINGS_MB, IndexArrays, VersionArrays
from search.engine.boundaries import DictionaryWords, dictionary_words, straddling_down
from search.engine.budget import Deadline
from search.engine.cache import LruCache
from search.engine.candidates import Candidate
from search.engine.duplicates import Signature, idf_weigher
from search.engine.evaluate import Evaluator, Scored
from search.engine.filtering import FilterSets
from search.engine.hits import HitMaker, document
from search.engine.live import LiveIndex, View, reopen_if_files_vanish
from search.engine.match import Matched, best, candidates, match
from search.engine.plan import Plan, plan
from search.engine.rank import Placed, fill, folded, order, promote, typed_strings_first
from search.engine.related import neighbours
from search.engine.results import Hit, Report, SearchPage, SearchRequest
from search.engine.stats import index_stats
from search.engine.suggest import FEW_HITS, suggest
from search.engine.validate import validate
from search.engine.vocabulary import TermTables
from search.errors import DocumentNotFound
from search.limits import Limits
from search.query import syntax
from search.query.compiler import Compiled, QueryCompiler
from search.query.explain import explain
from search.query.highlights import Highlights, highlights
from search.query.synonyms import Synonyms
from search.query.weights import Weights

#: Duplicate signatures kept for all threads (about 15 KB each: some 60 MB at most).
SIGNATURES_KEPT = 4_000
#: Match sets kept for the requests that follow a search (chart, words, export).
EVALUATIONS_KEPT = 32
#: Bigram rarities kept per thread before starting again (a reader can live for days).
IDF_KEPT = 200_000


@dataclass
class Matching:
    """The exact matches of a request, for the research tools (trend, KWIC, export, timeline)."""

    view: View
    tree: syntax.Node | None
    compiled: Compiled
    #: Candidates (``fields()``, ``score``) in the asked order, or, with ``scored=False``,
    #: the matching document numbers (an ascending array).
    results: Any
    compiler: QueryCompiler
    #: Every match with its score, as arrays (ascending document numbers).
    scored: Scored
    arrays: IndexArrays

    @functools.cached_property
    def highlights(self) -> Highlights:
        c = self.compiler
        return highlights(self.tree, c.terms, c.synonyms, c.weights)


#: Candidates among which an article's other reports of the same news are looked for.
REPORTS_FROM = 15


class Searcher:
    """Answers searches over one index directory, following its updates and rebuilds."""

    def __init__(self, store: IndexStore, weights: Weights = Weights(), refresh_seconds: float = 1.0,
                 synonyms: Synonyms | None = None, query_userdicts: Sequence[Path] = (),
                 limits: Limits | None = None, cache_pages: int = 0, postings_mb: float = POSTINGS_MB):
        self.store = store
        self.weights = weights
        self.limits = limits if limits is not None else Limits()
        self.synonyms = synonyms if synonyms is not None else Synonyms.load()
        self.query_userdicts = tuple(query_userdicts)
        self.live = LiveIndex(store, weights, refresh_seconds)
        self.pages: LruCache[SearchPage] = LruCache(cache_pages)
        self.filter_sets = FilterSets()
        self._signatures: LruCache[Signature] = LruCache(SIGNATURES_KEPT)
        self._compilers: dict[int, QueryCompiler] = {}
        self.versions = VersionArrays(store, postings_mb)
        #: Each article's words, per index version: related articles and distinctive words.
        self.tables = TermTables()
        # a result cache like the pages: off with them (benchmarks measure the engine, not caches)
        self._evaluated: LruCache[Scored] = LruCache(EVALUATIONS_KEPT if cache_pages else 0)
        self._request = threading.local()
        #: Match sets evaluated so far (not served from a cache or the request's memo).
        self.evaluations = 0

    @contextlib.contextmanager
    def one_request(self) -> Iterator[None]:
        """Within it, this thread evaluates each query (with its filters) once.

        The search page asks one query several ways (the hits, the chart by month, then
        by year if months are too many, its sources, its words): each counts the same
        matches. This is no result cache: it lives for one request, on one thread, and
        holds whatever the caches are set to.
        """
        self._request.memo = {}
        try:
            yield
        finally:
            self._request.memo = None

    # -- the search pipeline -------------------------------------------------------------

    @reopen_if_files_vanish
    def search(self, request: SearchRequest, snippets: bool = True) -> SearchPage:
        """Run ``request``; ``snippets=False`` skips highlighting (evaluation, exports).

        ``total`` and the facets count the articles that match the query exactly. On
        relevance order, a page that reaches past them is filled with articles holding
        only some of the words (``partial`` hits), best first; for several typed words the
        best partial headlines may also take first places from much weaker exact ones.
        """
        started = time.perf_counter()
        validate(request, self.limits)
        view = self.live.view()
        key = (view.version, request, snippets)
        cached = self.pages.get(key)
        if cached is not None:
            return dataclasses.replace(cached, took_ms=(time.perf_counter() - started) * 1000)
        deadline = Deadline(self.limits.search_seconds)
        the_plan = plan(request, self.compiler_for(view), self.limits, getattr(self._request, "memo", None))
        evaluator = self.evaluator(view)
        allowed = self.filter_sets.allowed(evaluator, view.version, request)
        matched = match(evaluator, the_plan, view, self._matches(view, evaluator, the_plan, allowed))
        kept = self._rank(view, evaluator, the_plan, allowed, matched, deadline)
        page = self._assemble(view, evaluator, the_plan, allowed, matched, kept, snippets, started, deadline)
        if not page.timed_out:
            self.pages.put(key, page)
        return page

    def _rank(self, view: View, evaluator: Evaluator, the_plan: Plan, allowed: np.ndarray,
              matched: Matched, deadline: Deadline) -> list[Placed]:
        ranked = order(matched.ranked, the_plan.sort, evaluator.arrays)
        matched.ranked = ranked
        # Deep pages fold duplicates within their own window only (see plan.FOLD_DEPTH):
        # the places before it are taken as ranked, so page 100 costs one page of folding.
        start = the_plan.fold_from
        head = [Placed(c) for c in ranked[:start]]
        kept = head + (folded(ranked[start:], self.term_weigher(view), self.signatures(view))
                       if the_plan.request.collapse else [Placed(c) for c in ranked[start:]])
        if (the_plan.sort == "relevance" and the_plan.request.partial and the_plan.compiled.headlines is not None
                and not deadline.passed()):
            kept = promote(view, evaluator, the_plan, allowed, ranked, kept, self.weights.promote)
        return kept

    def _assemble(self, view: View, evaluator: Evaluator, the_plan: Plan, allowed: np.ndarray,
                  matched: Matched, kept: list[Placed], snippets: bool, started: float,
                  deadline: Deadline) -> SearchPage:
        request = the_plan.request
        maker, plain = self._hit_maker(view, the_plan, snippets), HitMaker()

        def hit(candidate: Candidate, partial: bool = False, duplicates=()) -> Hit:
            made = plain if deadline.passed() else maker  # out of time: no more snippets
            return made.hit(candidate.fields(), candidate.score, partial, duplicates, candidate.docnum)

        hits = [hit(p.candidate, p.partial, p.duplicates) for p in kept[the_plan.first:the_plan.limit]]
        if self._wants_fill(the_plan, matched, kept) and not deadline.passed():
            hits += [hit(c, partial=True) for c in fill(view, evaluator, the_plan, allowed, kept)]
        suggestion = None
        if request.q.strip() and matched.total < FEW_HITS and not deadline.passed():
            suggestion = suggest(view.searcher, the_plan.tree, request.q, view.searcher.schema["title_g"].analyzer,
                                 lambda q: len(evaluator.evaluate(q).only(allowed)))
        explained = (explain(request.q, the_plan.tree, the_plan.compiled, self.compiler_for(view))
                     if request.explain else None)
        took = (time.perf_counter() - started) * 1000
        return SearchPage(request, matched.total, took, hits, matched.facets, suggestion=suggestion,
                          explain=explained, timed_out=deadline.missed,
                          depth=self.limits.depth,
                          promoted=sum(1 for p in kept if p.partial))

    @staticmethod
    def _wants_fill(the_plan: Plan, matched: Matched, kept: list[Placed]) -> bool:
        """Fill only past the last exact match, on relevance orders, for loose-able queries."""
        exhausted = matched.total <= the_plan.fetch
        return (the_plan.sort in ("relevance", "recent") and the_plan.request.partial
                and the_plan.compiled.loose is not None and exhausted and len(kept) < the_plan.limit)

    def _hit_maker(self, view: View, the_plan: Plan, snippets: bool) -> HitMaker:
        if not snippets:
            return HitMaker()
        c = self.compiler_for(view)
        segmenter = view.cache.get("segmenter")
        if segmenter is None:
            segmenter = view.cache["segmenter"] = functools.partial(segment, dictionary=schema_dictionary(view.searcher.schema))
        return HitMaker(highlights(the_plan.tree, c.terms, c.synonyms, c.weights), view.searcher.schema["content"].analyzer,
                        self.arrays(view).term_count, segmenter)

    # -- the research tools' entry point --------------------------------------------------------

    @reopen_if_files_vanish
    def matching(self, request: SearchRequest, sort: str | None = None, limit: int | None = None,
                 scored: bool = True) -> Matching:
        """The exact matches of ``request`` with its filters, validated like a search.

        ``sort`` is newest or oldest (else by score); ``scored=False`` gives only the set of
        matching document numbers in ``results`` (what counting needs), as an ascending array.
        """
        validate(request, self.limits)
        view = self.live.view()
        compiler = self.compiler_for(view)
        the_plan = plan(request, compiler, self.limits, getattr(self._request, "memo", None))
        evaluator = self.evaluator(view)
        allowed = self.filter_sets.allowed(evaluator, view.version, request)
        found = self._matches(view, evaluator, the_plan, allowed)
        if not scored:
            results: Any = found.docs
        else:
            order = sort if sort in ("newest", "oldest") else "relevance"
            picked = best(evaluator, found, len(found) if limit is None else limit, order)
            results = candidates(view, found, picked, "relevance")
        return Matching(view, the_plan.tree, the_plan.compiled, results, compiler, found, evaluator.arrays)

    # -- shared pieces -------------------------------------------------------------------------

    def compiler_for(self, view: View) -> QueryCompiler:
        """The compiler for this index (its analyzers), made once per opened index."""
        compiler = self._compilers.get(id(view.index))
        if compiler is None:
            query_words = None
            if self.query_userdicts:
                dictionary = schema_dictionary(view.index.schema).extended(self.query_userdicts)
                query_words = word_analyzer(dictionary)
            compiler = QueryCompiler(view.index.schema, self.weights, self.synonyms, query_words)
            self._compilers = {id(view.index): compiler}  # the previous index is gone for good
        return compiler

    def arrays(self, view: View) -> IndexArrays:
        """The arrays of the index version ``view`` shows, shared by every thread."""
        return self.versions.arrays(view)

    def _matches(self, view: View, evaluator: Evaluator, the_plan: Plan, allowed: np.ndarray) -> Scored:
        """Every match of a plan, evaluated once per index version and kept a little while.

        The search page asks the same query three ways (the hits, the chart, the words);
        the chart and the research tools then count the very matches the search found,
        with no second evaluation. Keyed by the query and the filters, so never stale.
        """
        r = the_plan.request
        key = (view.version, repr(the_plan.compiled.query), r.date_from, r.date_to, r.effective_from,
               r.effective_to, r.category, r.year, r.platform, r.rule, r.kind)
        memo = getattr(self._request, "memo", None)
        found = self._evaluated.get(key) if memo is None or key not in memo else memo[key]
        if found is None:
            found = evaluator.evaluate(the_plan.compiled.query).only(allowed)
            self.evaluations += 1
            found = straddling_down(evaluator, self.dictionary_words(view), the_plan.compiled.whole_words, found,
                                    self.weights.straddle)
            found = typed_strings_first(evaluator, the_plan.compiled.contiguous, found)
            self._evaluated.put(key, found)
        if memo is not None:
            memo[key] = found
        return found

    def warm_segmenter(self) -> None:
        """jieba for this index as a plain dict, and its word list, ready before any request.

        A one-shot process maps jieba's frequencies and binary-searches them
        (:mod:`indexer.frequencies`); a server cuts every snippet's text and would swap
        to a dict mid-request. Called in the server's master before it forks, so every
        worker inherits both. Opens the index only to read its schema.
        """
        index = self.store.open()
        try:
            dictionary = schema_dictionary(index.schema)
        finally:
            index.close()
        tokenizer = jieba_for(dictionary)
        if isinstance(tokenizer.FREQ, MappedFrequencies):
            tokenizer.FREQ = tokenizer.FREQ.as_dict()
        dictionary_words(dictionary).containing("预热")

    def dictionary_words(self, view: View) -> DictionaryWords:
        """The words of the dictionary this index was cut with (see :mod:`search.engine.boundaries`).

        Kept in the view: ``Index.schema`` re-reads the index's table of contents from disk
        and the dictionary is hashed to find its word list, about 1 ms a query.
        """
        words = view.cache.get("dictionary_words")
        if words is None:
            words = view.cache["dictionary_words"] = dictionary_words(schema_dictionary(view.searcher.schema))
        return words

    def evaluator(self, view: View) -> Evaluator:
        """An evaluator for one request: the version's arrays, this thread's searcher."""
        return Evaluator(self.arrays(view), self.weights, view.searcher)

    def term_weigher(self, view: View):
        """Term rarities for duplicate detection, cached for as long as this view is open."""
        cache = view.cache.setdefault("idf", {})
        if len(cache) > IDF_KEPT:
            cache.clear()
        return idf_weigher(view.searcher.reader(), cache)

    def signatures(self, view: View) -> Callable[[Candidate], Signature]:
        """Candidates' duplicate-detection signatures, from the cache shared by all threads.

        A signature depends only on the article, so paging, re-sorting or refining a search
        reuse the ones already made. Keyed by index version and document number; bounded (a
        signature takes about 15 KB).
        """
        def signature(candidate: Candidate) -> Signature:
            return self._signature(view, candidate.docnum, candidate.fields)
        return signature

    def signature_of(self, view: View, docnum: int) -> Signature:
        """An article's signature from the same cache: the distinctive words group their
        sample into stories with the very signatures the result list folded (one cache,
        not two copies of the same few thousand articles' bigram sets per worker)."""
        return self._signature(view, docnum, lambda: view.searcher.stored_fields(docnum))

    def _signature(self, view: View, docnum: int, fields: Callable[[], dict[str, Any]]) -> Signature:
        key = (view.version, docnum)
        found = self._signatures.get(key)
        if found is None:
            found = Signature.of(fields())
            self._signatures.put(key, found)
        return found

    def view(self) -> View:
        """This thread's view of the live index (the healthz check opens it)."""
        return self.live.view()

    # -- documents and stats ---------------------------------------------------------------------

    @reopen_if_files_vanish
    def document(self, doc_id: str) -> dict[str, Any]:
        stored = self.live.view().searcher.document(id=doc_id)
        if stored is None:
            raise DocumentNotFound(f"no article with id {doc_id!r}")
        return document(stored)

    @reopen_if_files_vanish
    def related(self, doc_id: str, limit: int = 5) -> tuple[list[Hit], list[Report]]:
        """(related articles, other reports of the same news) from one look at the article.

        Related articles share its most telling words, with the other reports of the same
        news (among the best ``limit * 2 + 5`` candidates) left out and near-duplicates
        folded; the reports are those among the best :data:`REPORTS_FROM` candidates. An
        article page shows both, so the article's words and candidates are found once.
        """
        view = self.live.view()
        wanted = limit * 2 + 5
        same, candidates = neighbours(view, self.evaluator(view), doc_id, max(wanted, REPORTS_FROM), self.weights,
                                      self.term_weigher(view), self.tables.ready(view), self.signatures(view))

        def among(n: int) -> list[Report]:  # candidates come best first: n of them are those of top(n)
            ids = {c.id for c in candidates[:n]}
            return [r for r in same if r.id in ids]

        reported = {r.id for r in among(wanted)}
        others = [c for c in candidates[:wanted] if c.id not in reported]
        kept = folded(others, self.term_weigher(view), self.signatures(view))[:limit]
        maker = HitMaker()
        hits = [maker.hit(p.candidate.fields(), p.candidate.score, duplicates=p.duplicates) for p in kept]
        return hits, among(REPORTS_FROM)

    def similar(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Related articles (see :meth:`related`)."""
        return self.related(doc_id, limit)[0]

    def reports(self, doc_id: str) -> list[Report]:
        """Other reports of the same news as this article (the duplicate rules of search)."""
        return self.related(doc_id)[1]

    @reopen_if_files_vanish
    def stats(self) -> dict[str, Any]:
        view = self.live.view()
        return index_stats(view, self.store, self.arrays(view))
