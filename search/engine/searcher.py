"""The one search core: the CLI and the web views are thin presenters over it."""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring, sorting

from indexer import Dictionary, IndexStore, check_compatible, schema_dictionary, word_analyzer
from indexer.store import survive_commits
from search.engine import filtering
from search.engine.budget import Budget
from search.engine.cache import LruCache
from search.engine.duplicates import Signature, collapse, idf_weigher, same_news
from search.engine.facets import ListColumnFacet
from search.engine.results import (
    RECENCY_HALF_LIFE_DAYS,
    SORTS,
    Hit,
    Report,
    SearchPage,
    SearchRequest,
    iso,
)
from search.engine.snippets import highlight, snippet
from search.engine.suggest import FEW_HITS, suggest
from search.errors import DocumentNotFound, ParameterError, QueryError
from search.limits import Limits
from search.query import syntax
from search.query.compiler import DistinctDocs, Highlights, QueryCompiler, Weights, exact_value
from search.query.dates import parse_bound
from search.query.synonyms import Synonyms

log = logging.getLogger(__name__)

#: How many first places a partial hit may take from weaker exact matches.
PROMOTED_PLACES = 10


def _reopen_if_files_vanish(method):
    """Retry once with a freshly opened searcher if a commit deleted a file mid-request.

    Whoosh opens some segment files lazily; a merge in another process may delete them
    between this thread's last refresh and the read. The index itself is fine: a searcher
    opened now sees the merged segments.
    """
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except FileNotFoundError:
            log.info("index files changed under a request; reopening and retrying")
            self._local.searcher = None
            return method(self, *args, **kwargs)
    return wrapper


class Searcher:
    """Answers searches over one index directory, following its updates and rebuilds.

    Each thread keeps its own Whoosh searcher (they are cheap to share within a thread,
    not across threads) and reopens it when the index has changed, checked at most
    every ``refresh_seconds``.
    """

    def __init__(self, store: IndexStore, weights: Weights = Weights(), refresh_seconds: float = 1.0,
                 synonyms: Synonyms | None = None, query_userdicts: Sequence[Path] = (),
                 limits: Limits | None = None, cache_pages: int = 0):
        self.store = store
        self.pages: LruCache[SearchPage] = LruCache(cache_pages)
        self._signatures: LruCache[Signature] = LruCache(SIGNATURES_KEPT)
        self._filter_sets: LruCache[filtering.FilterSet] = LruCache(FILTER_SETS_KEPT)
        self.limits = limits if limits is not None else Limits()
        self.weights = weights
        self.refresh_seconds = refresh_seconds
        self.synonyms = synonyms if synonyms is not None else Synonyms.load()
        self.query_userdicts = tuple(query_userdicts)
        self._local = threading.local()
        self._index = None
        self._generation = None
        self._lock = threading.Lock()

    # -- index handling -------------------------------------------------------------

    def _open_index(self):
        generation = self.store.generation()
        with self._lock:
            if self._index is None or generation != self._generation:
                index = self.store.open()
                check_compatible(index.schema, self.store.path)
                self._index, self._generation = index, generation
                self._compiler = self._make_compiler(self._index.schema)
            return self._index, self._generation

    def searcher(self):
        """This thread's Whoosh searcher, reopened if the index changed."""
        local = self._local
        now = time.monotonic()
        current = getattr(local, "searcher", None)
        if current is not None and now - local.checked < self.refresh_seconds:
            return current
        index, generation = self._open_index()
        if current is None or local.index is not index or not current.up_to_date():
            # A fresh searcher, not ``current.refresh()``: refresh reuses the readers of
            # segments it already knows, with their old deletion lists, so an updated
            # article would still be found in its old version (tests pin this).
            fresh = survive_commits(lambda: index.searcher(weighting=scoring.BM25F(
                B=self.weights.b, K1=self.weights.k1, content_B=self.weights.content_b,
                title_B=self.weights.title_b, title_g_B=self.weights.title_b)))
            if current is not None:
                current.close()  # this thread's previous request is over; nothing else holds it
            current = fresh
            local.version = (generation, current.reader().generation())
        local.searcher, local.index, local.checked = current, index, now
        return current

    def _make_compiler(self, schema) -> QueryCompiler:
        query_words = None
        if self.query_userdicts:
            query_words = word_analyzer(schema_dictionary(schema).extended(self.query_userdicts))
        return QueryCompiler(schema, self.weights, self.synonyms, query_words)

    def term_weigher(self, searcher):
        """Term rarities for duplicate detection, cached for as long as this reader is open."""
        self._reader_caches(searcher)
        return idf_weigher(self._local.idf_reader, self._local.idf_cache)

    def signature(self, hit) -> Signature:
        """A hit's duplicate-detection signature, from the cache shared by all threads.

        It depends only on the article, so paging, re-sorting or refining a search reuse
        the ones already made. Keyed by index version and document number; bounded (a
        signature takes about 15 KB).
        """
        key = (self._local.version, hit.docnum)
        signature = self._signatures.get(key)
        if signature is None:
            signature = Signature.of(hit.fields())
            self._signatures.put(key, signature)
        return signature

    def _reader_caches(self, searcher) -> None:
        local = self._local
        if getattr(local, "idf_reader", None) is not searcher.reader() or len(local.idf_cache) > IDF_KEPT:
            local.idf_reader, local.idf_cache = searcher.reader(), {}

    @property
    def compiler(self) -> QueryCompiler:
        self._open_index()
        return self._compiler

    # -- searching --------------------------------------------------------------------

    @_reopen_if_files_vanish
    def search(self, request: SearchRequest, snippets: bool = True) -> SearchPage:
        """Run ``request``; ``snippets=False`` skips highlighting (evaluation, exports).

        ``total`` and the facets count the articles that match the query exactly. On
        relevance order, a page that reaches past them is filled with articles holding
        only some of the words (``partial`` hits), best first: a researcher's counts stay
        exact, and nobody is left with a short list when a headline words things
        differently. For several typed words the best partial hits may also take first
        places from much weaker exact ones (see ``_promoted``).
        """
        started = time.perf_counter()
        self.validate(request)
        searcher = self.searcher()
        key = (self._local.version, request, snippets)
        cached = self.pages.get(key)
        if cached is not None:
            return dataclasses.replace(cached, took_ms=(time.perf_counter() - started) * 1000)
        tree = syntax.parse(request.q)
        validate_terms(tree, self.limits)
        compiled = self.compiler.compile(tree)
        sort = request.sort if request.q.strip() or request.sort != "relevance" else "newest"
        first, limit = (request.page - 1) * request.per_page, request.page * request.per_page
        depth = self.limits.depth
        fetch = min(limit * 2 + 20, depth) if request.collapse else limit
        if sort == "recent":
            fetch = min(max(fetch, RECENCY_POOL), depth)
        filters = self.allowed(searcher, request)
        deadline = time.monotonic() + self.limits.search_seconds
        collector, budget = Budget.around(
            searcher.collector(limit=fetch, filter=filters, **_sorting(sort), groupedby=FACETS,
                               maptype=sorting.Count), deadline)
        searcher.search_with_collector(compiled.query, collector)
        results = collector.results()
        total = len(results)
        analyzer = searcher.schema["content"].analyzer if snippets else None
        ranked = list(results[:fetch])
        if sort == "relevance":  # equal scores in id order, whatever the segment layout
            ranked.sort(key=lambda h: (-(h.score or 0.0), h["id"]))
        if sort == "recent":
            ranked = _by_recency(ranked)
        kept = (_collapsed(ranked, self.term_weigher(searcher), self.signature) if request.collapse
                else [(h, ()) for h in ranked])
        kept = [(h, d, False) for h, d in kept]
        partial_query = wq.And([compiled.loose, wq.Not(compiled.query)]) if compiled.loose is not None else None
        promoted: set[int] = set()
        if sort == "relevance" and request.partial and compiled.headlines is not None and not budget.timed_out:
            kept = self._promoted(searcher, compiled.headlines, filters, ranked, kept, deadline)
            promoted = {h.docnum for h, _, partial in kept if partial}
        hits = [self._hit(h, compiled.highlights, analyzer, partial=p, duplicates=d) for h, d, p in kept[first:limit]]
        exhausted = total <= fetch and not budget.timed_out
        if (sort in ("relevance", "recent") and request.partial and partial_query is not None and exhausted
                and len(kept) < limit):
            fill = [h for h in searcher.search(partial_query, limit=limit - len(kept) + len(promoted), filter=filters)
                    if h.docnum not in promoted]
            hits += [self._hit(h, compiled.highlights, analyzer, partial=True)
                     for h in fill[max(0, first - len(kept)):limit - len(kept)]]
        facets = {name: _ordered(name, results.groups(name)) for name in FACETS}
        suggestion = None
        if request.q.strip() and total < FEW_HITS and not budget.timed_out:
            suggestion = suggest(searcher, tree, request.q, searcher.schema["title_g"].analyzer)
        explain = compiled.explain(request.q, tree) if request.explain else None
        took = (time.perf_counter() - started) * 1000
        page = SearchPage(request, total, took, hits, facets, suggestion=suggestion, explain=explain,
                          timed_out=budget.timed_out, depth=depth, promoted=len(promoted))
        if not page.timed_out:
            self.pages.put(key, page)
        return page

    def _promoted(self, searcher, headlines, filters, ranked: list, kept: list, deadline: float) -> list:
        """``kept`` with the best partial headlines moved into the first places they outscore.

        Several typed words (`光伏 产能`): a headline holding one of them squarely
        (`光伏行业要出清了吗`) beats a long digest that mentions each word once somewhere,
        and without this it would wait behind every such digest. Only the first
        PROMOTED_PLACES are open to it, at ``Weights.promote`` of its score, so the
        exact matches keep their order and every one of them stays in the list.

        Candidates come from titles alone (scoring bodies for every article holding a
        common word like 出口 cost half a second), minus the exact hits already ranked.
        An exact match ranked further down cannot be promoted: its headline score is
        about its exact score at most, far below share x the scores it would have to beat. It runs
        within the search's time budget; out of time, the exact order stands. When even
        Whoosh's upper bound for a headline's score cannot beat the weakest of the first
        places (most queries whose first ten are all strong headlines), it is not run.
        """
        share = self.weights.promote
        floor = min((h.score or 0.0) for h, _, _ in kept[:PROMOTED_PLACES]) if kept else 0.0
        if kept and headlines.matcher(searcher, searcher.context()).max_quality() * share <= floor:
            return kept
        collector, budget = Budget.around(searcher.collector(limit=PROMOTED_PLACES + len(ranked), filter=filters),
                                          deadline)
        searcher.search_with_collector(headlines, collector)
        if budget.timed_out:
            return kept
        exact = {h.docnum for h in ranked}
        candidates = sorted(((h.score * share, h) for h in collector.results() if h.docnum not in exact),
                            key=lambda c: (-c[0], c[1]["id"]))
        merged: list = []
        rest = list(kept)
        while len(merged) < PROMOTED_PLACES and rest and candidates:
            if candidates[0][0] > (rest[0][0].score or 0.0):
                merged.append((candidates.pop(0)[1], (), True))
            else:
                merged.append(rest.pop(0))
        return merged + rest

    def validate(self, request: SearchRequest) -> None:
        validate(request, self.limits)

    def compile_query(self, q: str):
        """Parse and compile ``q`` within the limits (the research tools' entry point)."""
        tree = syntax.parse(q)
        validate_terms(tree, self.limits)
        return self.compiler.compile(tree)

    def allowed(self, searcher, request: SearchRequest) -> filtering.FilterSet | None:
        """The request's filters as the set of articles they allow (None: no filter).

        Kept per index version: users repeat the same few years and platforms, and Whoosh
        would otherwise collect a filter's articles afresh for every search (200 ms for one
        year of the 125,800-article index, ten times the search itself).
        """
        filters = self.filters(request)
        if filters is None:
            return None
        key = (self._local.version, repr(filters))
        docs = self._filter_sets.get(key)
        if docs is None:
            docs = filtering.filter_set(searcher, filters)
            self._filter_sets.put(key, docs)
        return docs

    @staticmethod
    def filters(request: SearchRequest) -> wq.Query | None:
        """The request's date, category and year filters as one query (None: no filter)."""
        parts: list[wq.Query] = []
        start = parse_bound(request.date_from, end=False)
        end = parse_bound(request.date_to, end=True)
        if start is not None or end is not None:
            if start is not None and end is not None and start > end:
                raise ParameterError("'from' is after 'to'")
            parts.append(wq.DateRange("published", start, end))
        first = parse_bound(request.effective_from, end=False)
        last = parse_bound(request.effective_to, end=True)
        if first is not None or last is not None:
            parts.append(DistinctDocs(wq.DateRange("effective", first, last)))
        for name in ("category", "year", "platform", "rule", "kind"):
            value = getattr(request, name)
            if value:
                parts.append(wq.Term(name, exact_value(name, value)))
        return wq.And(parts) if parts else None

    @staticmethod
    def _hit(hit, highlights, analyzer, partial: bool = False, duplicates=()) -> Hit:
        stored = hit.fields()
        title, content = stored.get("title", ""), stored.get("content", "")
        return Hit(
            id=stored["id"], title=title,
            title_html=highlight(title, highlights, analyzer) if analyzer else "",
            published=stored.get("published"), url=stored.get("url", ""),
            category=stored.get("category", ""), source=stored.get("source", ""),
            snippet=snippet(content, highlights, analyzer) if analyzer else "",
            score=hit.score, partial=partial, duplicates=tuple(duplicates), facts=stored.get("facts") or {},
        )

    # -- documents and stats ----------------------------------------------------------------

    @_reopen_if_files_vanish
    def document(self, doc_id: str) -> dict[str, Any]:
        stored = self.searcher().document(id=doc_id)
        if stored is None:
            raise DocumentNotFound(f"no article with id {doc_id!r}")
        return {"id": stored["id"], "title": stored.get("title", ""), "content": stored.get("content", ""),
                "published": iso(stored.get("published")), "url": stored.get("url") or None,
                "category": stored.get("category") or None, "source": stored.get("source") or None,
                "facts": stored.get("facts") or {}}

    @_reopen_if_files_vanish
    def similar(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Related articles: sharing this one's most telling words, other reports of the
        same news left out (see :meth:`reports`) and near-duplicates among them folded."""
        searcher = self.searcher()
        same, candidates = self._neighbours(searcher, doc_id, limit * 2 + 5)
        others = [h for h in candidates if h["id"] not in {r.id for r in same}]
        kept = _collapsed(others, self.term_weigher(searcher), self.signature)[:limit]
        return [self._hit(hit, Highlights(), None, duplicates=d) for hit, d in kept]

    @_reopen_if_files_vanish
    def reports(self, doc_id: str) -> list[Report]:
        """Other reports of the same news as this article (the duplicate rules of search)."""
        return self._neighbours(self.searcher(), doc_id, 15)[0]

    def _neighbours(self, searcher, doc_id: str, limit: int) -> tuple[list[Report], list]:
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise DocumentNotFound(f"no article with id {doc_id!r}")
        stored = searcher.stored_fields(docnum)
        terms = searcher.key_terms_from_text("content", f"{stored.get('title', '')}\n{stored.get('content', '')}",
                                             numterms=12)
        if not terms:
            return [], []
        query = wq.Or([wq.Term(f, term, boost=weight * getattr(self.weights, f))
                       for term, weight in terms for f in ("title", "content")])
        # a slice, not list(): list() asks for len(), which counts every article that matches
        hits = searcher.search(query, limit=limit, mask=wq.Term("id", doc_id))[:]
        mine, weigh = Signature.of(stored), self.term_weigher(searcher)
        same = [Report(h["id"], h.get("title", ""), h.get("published")) for h in hits
                if same_news(mine, Signature.of(h.fields()), weigh)]
        return same, hits

    @_reopen_if_files_vanish
    def stats(self) -> dict[str, Any]:
        searcher = self.searcher()
        meta = self.store.read_meta()
        built_with = schema_dictionary(searcher.schema)
        current = Dictionary.load()
        dictionary = built_with.describe()
        dictionary["up_to_date"] = built_with.builtin_fingerprint == current.builtin_fingerprint
        first = searcher.search(wq.Every("published"), limit=1, sortedby="published")
        last = searcher.search(wq.Every("published"), limit=1, sortedby="published", reverse=True)
        return {
            "articles": searcher.doc_count(),
            "date_range": {"from": iso(first[0]["published"]) if first else None,
                           "to": iso(last[0]["published"]) if last else None},
            "index": {"path": str(self.store.path), "size_bytes": self.store.size_bytes(),
                      "generation": self.store.generation()},
            "dictionary": dictionary,
            "created": meta.get("created"), "last_update": meta.get("updated"),
        }


#: Duplicate signatures kept for all threads (about 15 KB each: some 60 MB at most).
SIGNATURES_KEPT = 4_000
#: Filters kept as sets of articles (a bit per article: 16 KB each for 125,800 articles).
FILTER_SETS_KEPT = 64
#: Bigram rarities kept per thread before starting again (a reader can live for days).
IDF_KEPT = 200_000

FACETS = {"year": sorting.FieldFacet("year"), "category": sorting.FieldFacet("category"),
          **{name: ListColumnFacet(name) for name in ("platform", "rule", "kind")}}
FACET_SIZE = 20


def _ordered(name: str, counts: dict) -> dict[str, int]:
    """Years newest first, everything else most frequent first (top ``FACET_SIZE``)."""
    items = [(k.decode() if isinstance(k, bytes) else k, v) for k, v in counts.items() if k]
    if name == "year":
        return dict(sorted(items, reverse=True))
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE])


RECENCY_POOL = 200


def _by_recency(hits: list) -> list:
    """The best-scoring candidates re-ranked by score decayed with age (half-life in days)."""
    dated = [h.get("published") for h in hits]
    newest = max((d for d in dated if d is not None), default=None)
    if newest is None:
        return hits

    def weight(pair):
        hit, when = pair
        age = (newest - when).days if when is not None else 10 * RECENCY_HALF_LIFE_DAYS
        return (hit.score or 0.0) * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)

    return [hit for hit, _ in sorted(zip(hits, dated, strict=True), key=weight, reverse=True)]


def _collapsed(hits: list, weigh, signature) -> list[tuple[Any, list[str]]]:
    """Ranked hits with near-duplicate reports folded into the first of each story."""
    stored = [h.fields() for h in hits]
    groups = collapse(list(range(len(stored))), [signature(h) for h in hits], weigh)
    return [(hits[g.index], [Report(stored[i]["id"], stored[i].get("title", ""), stored[i].get("published"))
                             for i in g.duplicates]) for g in groups]


def _sorting(sort: str) -> dict[str, Any]:
    if sort == "newest":
        return {"sortedby": "published", "reverse": True}
    if sort == "oldest":
        return {"sortedby": "published"}
    return {}


def validate(request: SearchRequest, limits: Limits = Limits()) -> None:
    """Reject what a client can get wrong, with a message that says how to get it right."""
    if len(request.q) > limits.query_chars:
        raise QueryError(f"the query is longer than {limits.query_chars} characters")
    if request.sort not in SORTS:
        raise ParameterError(f"sort must be one of {', '.join(SORTS)}")
    if not 1 <= request.per_page <= limits.per_page:
        raise ParameterError(f"per_page must be between 1 and {limits.per_page}")
    if request.page < 1:
        raise ParameterError("page must be 1 or more")
    if request.page * request.per_page > limits.depth:
        raise ParameterError(f"results deeper than {limits.depth} are not paged; narrow the query")


def validate_terms(tree: syntax.Node | None, limits: Limits) -> None:
    terms = syntax.count_terms(tree)
    if terms > limits.query_terms:
        raise QueryError(f"the query has {terms} words, phrases and ranges; at most {limits.query_terms} are allowed")
