"""Re-ranking ideas tried against the dev set, kept so that anyone can re-run them.

Every experiment re-orders what the user path returns for each judged query (its top 100,
near-duplicates listed after their hit), so counts stay exact and only the order moves;
the one exception, labelled "open", lets a second ranking bring in articles of its own.
The table says how each idea moved nDCG@10 overall and how many queries it helped or
hurt by more than 0.01: an idea that helps five queries and hurts five is noise on 35.

    python bench/quality.py --keep /tmp/q     # once: builds /tmp/q/zhsearch
    python bench/rerank.py --index /tmp/q/zhsearch

Writes docs/ranking-experiments.md (or ``--out``).
"""

from __future__ import annotations

import argparse
import math
import platform
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher as WhooshSearcher

from indexer import IndexStore, fold_char_run
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.query import syntax
from search.research.evaluation import (
    DEPTH,
    JudgedQuery,
    judged_ndcg_at,
    load_qrels,
    ndcg_at,
    recall_at,
)

#: Titles of multi-topic bundles and digests (the judges give these 1 at most).
DIGEST = re.compile(r"快讯|摘要|晚报|早报|点1氪|要闻|速览|一览|精华|日报|周报")

Ranking = list[str]


class Bench:
    """The user path's hits per query, and the index behind them, for re-ordering."""

    def __init__(self, index: Path, queries: list[JudgedQuery]):
        self.queries = queries
        self.engine = Searcher(IndexStore(index))
        self.hits = {q.qid: [h for h in self.engine.search(SearchRequest(q=q.query, per_page=DEPTH),
                                                           snippets=False).hits]
                     for q in queries}
        self.whoosh = self.engine.view().searcher
        self.words = self.whoosh.schema["title"].analyzer

    def base(self, q: JudgedQuery) -> Ranking:
        return flatten(self.hits[q.qid])

    def scored(self, q: JudgedQuery, factor: Callable) -> Ranking:
        """Exact hits re-ordered by score x factor(hit) among their own places; partial hits
        (promoted ones among the first ten, the fill after) keep theirs."""
        hits = self.hits[q.qid]
        exact = iter(sorted((h for h in hits if not h.partial), key=lambda h: -(h.score or 0.0) * factor(h)))
        return flatten([h if h.partial else next(exact) for h in hits])

    def bigram_bm25(self, q: JudgedQuery, title: float, among: set[str] | None) -> Ranking:
        """Plain BM25F over the character-bigram fields (the strongest pooling system's kind)."""
        if among is not None and not among:
            return []
        text = re.sub(r"[\"“”]", " ", q.query)
        grams = [t.text for t in self.whoosh.schema["title_g"].analyzer(text, mode="query")]
        query = wq.Or([wq.Term("title_g", g, boost=title) for g in grams] + [wq.Term("content_g", g) for g in grams])
        plain = WhooshSearcher(self.whoosh.reader(), weighting=scoring.BM25F(B=0.9, K1=1.2))
        mask = None if among is None else wq.Or([wq.Term("id", i) for i in among])
        return [h["id"] for h in plain.search(query, limit=DEPTH, filter=mask)]

    def feedback_terms(self, q: JudgedQuery, docs: int, terms: int) -> list[str]:
        """Words frequent in the top articles and rare in the index (relevance feedback)."""
        reader = self.whoosh.reader()
        typed = {t.text for t in self.words(q.query, mode="query")}
        weight: Counter = Counter()
        for hit in [h for h in self.hits[q.qid] if not h.partial][:docs]:
            stored = self.whoosh.document(id=hit.id) or {}
            text = (stored.get("title", "") + " ") * 2 + stored.get("content", "")[:300]
            counts = Counter(t.text for t in self.words(text) if len(t.text) > 1 and t.text not in typed)
            length = sum(counts.values()) or 1
            for word, n in counts.items():
                weight[word] += n / length
        n_docs = reader.doc_count()
        for word in weight:
            df = reader.doc_frequency("title", word) + reader.doc_frequency("content", word)
            weight[word] *= math.log(1 + n_docs / (df + 1))
        return [w for w, _ in weight.most_common(terms)]


def flatten(hits) -> Ranking:
    return [d for h in hits for d in (h.id, *(r.id for r in h.duplicates))]


def typed_terms(query: str) -> list[str]:
    """The query's words and phrases, folded as the index folds them."""
    def walk(node) -> list[str]:
        if isinstance(node, (syntax.And, syntax.Or)):
            return [t for child in node.nodes for t in walk(child)]
        if isinstance(node, (syntax.Text, syntax.Phrase)):
            return [fold_char_run(node.text).lower()]
        return []  # negations and ranges say nothing about the title

    return walk(syntax.parse(query))


def title_lead(bench: Bench, weight: float):
    """Bonus when a query term opens the title (headlines about X tend to start with X)."""
    def rank(q: JudgedQuery) -> Ranking:
        terms = typed_terms(q.query)

        def factor(hit) -> float:
            title = fold_char_run(hit.title).lower()
            found = [title.find(t) for t in terms if t in title]
            return 1 + (weight * max(0.0, 1 - min(found) / 10) if found else 0.0)
        return bench.scored(q, factor)
    return rank


def body_lead(bench: Bench, chars: int, weight: float):
    """Bonus when every query term is in the title or the body's first ``chars`` characters
    (the judges read the title and the opening; news puts the subject first)."""
    def rank(q: JudgedQuery) -> Ranking:
        terms = typed_terms(q.query)

        def factor(hit) -> float:
            stored = bench.whoosh.document(id=hit.id) or {}
            body = fold_char_run(stored.get("content", "") or "").lower()
            if not body:
                return 1.0
            lead = fold_char_run(hit.title).lower() + " " + body[:chars]
            return 1 + weight * all(t in lead for t in terms)
        return bench.scored(q, factor)
    return rank


def digest_demotion(bench: Bench, factor: float):
    return lambda q: bench.scored(q, lambda h: factor if DIGEST.search(h.title) else 1.0)


def fused(bench: Bench, k: int, weight: float, title: float, open_: bool):
    """Reciprocal-rank fusion of the user path and plain bigram BM25."""
    def rank(q: JudgedQuery) -> Ranking:
        ours = bench.hits[q.qid]
        among = None if open_ else {d for h in ours for d in (h.id, *(r.id for r in h.duplicates))}
        score: Counter = Counter()
        for i, hit in enumerate(ours):
            for d in (hit.id, *(r.id for r in hit.duplicates)):
                score[d] += 1 / (k + i + 1)
        for i, d in enumerate(bench.bigram_bm25(q, title, among)):
            score[d] += weight / (k + i + 1)
        return [d for d, _ in score.most_common()]
    return rank


def feedback(bench: Bench, docs: int, terms: int, weight: float):
    """Pseudo-relevance feedback: candidates re-scored with the top articles' own words."""
    def rank(q: JudgedQuery) -> Ranking:
        exact = [h for h in bench.hits[q.qid] if not h.partial]
        words = bench.feedback_terms(q, docs, terms)
        if not exact or not words:
            return bench.base(q)
        query = wq.Or([wq.Term(f, w, boost=6.0 if f == "title" else 1.0) for w in words for f in ("title", "content")])
        mask = wq.Or([wq.Term("id", h.id) for h in exact])
        extra = {h["id"]: h.score for h in bench.whoosh.search(query, limit=None, filter=mask)}
        top, top_extra = max(h.score or 0.0 for h in exact) or 1.0, max(extra.values(), default=0.0) or 1.0
        return bench.scored(q, lambda h: 1 + weight * (extra.get(h.id, 0.0) / top_extra) * top / (h.score or top))
    return rank


def oracle(bench: Bench):
    """The best order of the user path's own top 100: the ceiling for any re-ranker."""
    return lambda q: sorted(bench.base(q), key=lambda d: -q.judgments.get(d, 0))


def experiments(bench: Bench) -> list[tuple[str, Callable]]:
    rows: list[tuple[str, Callable]] = [("shipped ranking", bench.base)]
    rows += [(f"title-lead bonus {w}", title_lead(bench, w)) for w in (0.05, 0.1, 0.2, 0.3)]
    rows += [(f"body-lead bonus {w} (first {c} characters)", body_lead(bench, c, w))
             for c, w in ((150, 0.2), (150, 0.5), (250, 0.5))]
    rows += [(f"digest titles x{f}", digest_demotion(bench, f)) for f in (0.7, 0.5, 0.3)]
    rows += [(f"RRF with bigram BM25 (k {k}, weight {w}, title x{t}{', open' if o else ''})", fused(bench, k, w, t, o))
             for k, w, t, o in ((10, 0.3, 4, False), (10, 0.7, 4, False), (10, 0.7, 8, False), (30, 0.5, 4, False),
                                (60, 1.0, 4, False), (10, 0.7, 8, True), (60, 1.0, 4, True))]
    rows += [(f"feedback: {d} articles, {t} words, weight {w}", feedback(bench, d, t, w))
             for d, t, w in ((5, 10, 0.2), (10, 10, 0.2), (10, 20, 0.2), (10, 20, 0.4))]
    rows.append(("ceiling: best order of the shipped top 100", oracle(bench)))
    return rows


def measure(bench: Bench, rank: Callable) -> tuple[dict[str, float], float]:
    per = {}
    recall = 0.0
    for q in bench.queries:
        ranked = rank(q)[:DEPTH]
        per[q.qid] = ndcg_at(ranked, q.judgments)
        recall += recall_at(ranked, q.judgments)
    return per, recall / len(bench.queries)


def markdown(bench: Bench) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Ranking experiments", "",
             (f"Measured {now} on {platform.machine()}, Python {platform.python_version()}, by "
             f"`python bench/rerank.py` over the {bench.whoosh.doc_count():,}-article judged collection "
             f"and {len(bench.queries)} dev queries. Each row re-orders the shipped ranking's top {DEPTH}; "
             "helped / hurt count queries that moved by more than 0.01 nDCG@10."), "",
             "| experiment | nDCG@10 | Δ | recall@100 | helped | hurt |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    base = None
    for name, rank in experiments(bench):
        per, recall = measure(bench, rank)
        mean = sum(per.values()) / len(per)
        base = base or (per, mean)
        helped = sum(1 for k in per if per[k] > base[0][k] + 0.01)
        hurt = sum(1 for k in per if per[k] < base[0][k] - 0.01)
        lines.append(f"| {name} | {mean:.3f} | {mean - base[1]:+.3f} | {recall:.3f} | {helped} | {hurt} |")
        print(lines[-1], file=sys.stderr, flush=True)
    unjudged = sum(1 for q in bench.queries for d in bench.base(q)[:10] if d not in q.judgments)
    condensed = sum(judged_ndcg_at(bench.base(q), q.judgments) for q in bench.queries) / len(bench.queries)
    lines += ["", (f"Unjudged articles in the shipped top 10s: {unjudged} of {10 * len(bench.queries)} places; "
              f"nDCG@10 with unjudged articles left out (condensed lists): {condensed:.3f}."), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a zhsearch index of the judged collection")
    parser.add_argument("--qrels", type=Path, default=SHARED / "eval" / "dev_qrels.jsonl")
    parser.add_argument("--out", default=str(ROOT / "docs" / "ranking-experiments.md"))
    args = parser.parse_args(argv)
    text = markdown(Bench(args.index, load_qrels(args.qrels)))
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
