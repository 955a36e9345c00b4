"""What a reader sees first, per judged query: nDCG@10 and the partial hits of the top 10,
before and after a ranking change (issue 16), for docs/quality.md.

A snapshot records, for each dev query, nDCG@10 (plain and with unjudged articles left
out), recall@100 and the top 10 with each hit's ``partial`` flag. The "before" snapshot
is recorded once with the code of the commit to compare with, on the same index:

    git worktree add /tmp/before <commit>
    python bench/first_page.py --code /tmp/before --index IX --out bench/results/first-page-before.json

``bench/quality.py`` then takes a snapshot of the shipped ranking in its own run and
prints the per-query table and the partial-hit precision against that file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BEFORE = ROOT / "bench" / "results" / "first-page-before.json"
#: A query losing more than this much nDCG@10 is flagged (issue 16's per-query bound).
LOSS = 0.05


def snapshot(searcher, queries) -> list[dict]:
    """Per query: its figures and its first ten hits with their ``partial`` flags."""
    from search.engine.results import SearchRequest
    from search.research.evaluation import judged_ndcg_at, ndcg_at, ranked_ids, recall_at

    rows = []
    for q in queries:
        ranked, total = ranked_ids(searcher, q.query)
        page = searcher.search(SearchRequest(q=q.query, per_page=10), snippets=False)
        rows.append({"qid": q.qid, "query": q.query, "total": total,
                     "ndcg10": round(ndcg_at(ranked, q.judgments), 4),
                     "ndcg10_judged": round(judged_ndcg_at(ranked, q.judgments), 4),
                     "recall100": round(recall_at(ranked, q.judgments), 4),
                     "top10": [[h.id, h.partial] for h in page.hits[:10]]})
    return rows


def partial_precision(rows: list[dict], judgments: dict[str, dict[str, int]]) -> dict:
    """Of the partial hits shown in the top 10s: how many, judged relevant, judged not, unjudged."""
    shown = [(r["qid"], doc) for r in rows for doc, partial in r["top10"] if partial]
    graded = [judgments[qid].get(doc) for qid, doc in shown]
    relevant = sum(1 for g in graded if g is not None and g > 0)
    unjudged = sum(1 for g in graded if g is None)
    return {"shown": len(shown), "relevant": relevant, "not_relevant": len(shown) - relevant - unjudged,
            "unjudged": unjudged, "precision": round(relevant / len(shown), 3) if shown else None}


def section(before: dict, after: list[dict], judgments: dict[str, dict[str, int]]) -> list[str]:
    """docs/quality.md's before-and-after: per query, then the partial hits' precision."""
    old = {r["qid"]: r for r in before["queries"]}
    mean = lambda rows, key: sum(r[key] for r in rows) / len(rows)
    lines = ["## What a reader sees first: before and after (issue 16)", "",
             (f"Before: the ranking of commit `{before['commit']}` ({before['date']}), recorded on the same "
             "collection with `bench/first_page.py`. After: this run. A loss of more than "
             f"{LOSS} nDCG@10 on one query is marked."), "",
             "| qid | query | nDCG@10 before | after | change | recall@100 before | after | partial hits in top 10 before | after |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in after:
        b = old.get(r["qid"])
        if b is None:
            continue
        change = r["ndcg10"] - b["ndcg10"]
        mark = " **loss**" if change < -LOSS else ""
        partials = lambda row: sum(1 for _, p in row["top10"] if p)
        lines.append(f"| {r['qid']} | {r['query']} | {b['ndcg10']:.3f} | {r['ndcg10']:.3f} | {change:+.3f}{mark} | "
                     f"{b['recall100']:.3f} | {r['recall100']:.3f} | {partials(b)} | {partials(r)} |")
    kept = [r for r in after if r["qid"] in old]
    was = [old[r["qid"]] for r in kept]
    lines += ["", "| | nDCG@10 | nDCG@10, unjudged left out | recall@100 | zero-result queries |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for label, rows in (("before", was), ("after", kept)):
        lines.append(f"| {label} | {mean(rows, 'ndcg10'):.4f} | {mean(rows, 'ndcg10_judged'):.4f} | "
                     f"{mean(rows, 'recall100'):.4f} | {sum(1 for r in rows if r['total'] == 0)} |")
    p_before, p_after = partial_precision(was, judgments), partial_precision(kept, judgments)
    lines += ["", "Partial hits shown in the dev top 10s (articles holding only some of the query words):", "",
              "| | shown | judged relevant | judged not relevant | unjudged | precision |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, p in (("before", p_before), ("after", p_after)):
        precision = "-" if p["precision"] is None else f"{p['precision']:.2f}"
        lines.append(f"| {label} | {p['shown']} | {p['relevant']} | {p['not_relevant']} | {p['unjudged']} | {precision} |")
    return lines + [""] + RULES


#: Which of issue 16's rules follow from how Chinese is written, and which are fitted.
RULES = [
    ("Where each rule comes from. Issue 16 is measured on judged queries the ranking never saw, so "
    "its rules follow from how Chinese is written and read, not from trying weights on these 35 "
    "queries:"), "",
    ("- *A piece of a word is not a partial match; a one-word query and a quoted phrase get no "
    "partial hits; a partial hit holds the rarest typed word.* From the writing: a dictionary word "
    "is one unit of meaning (`安心` is not half of `安心购`), quotes ask for that string, and of "
    "several typed words the rarest carries the query. No parameter."),
    ("- *A string typed without spaces is required for the top group* (`碳关税`, also with a modifier "
    "inserted within a phrase's reach: `延迟法定退休年龄` for `延迟退休`). From the writing: Chinese "
    "has no spaces, so an unspaced string is the unit the reader chose; Chinese inserts modifiers "
    "inside compounds. The reach reuses the proximity rule's slop (3 words); nothing was tuned."),
    ("- *A typed word found only across the article's own word boundary keeps a tenth of its score.* "
    "From the writing: `和服` in 和/服务 is two words' edges, not the word. The tenth is a rule of "
    "thumb (\"counts little\", ranks after, still found), not fitted; the sweep row below shows what "
    "it moves on the dev set."),
    ("- *Fitted on the dev set* (before this issue, see the sweep): the field weights, the exact-"
    "sequence bonus, the promotion share (0.3), BM25's k1 and b."), ""]


def load_before(path: Path = BEFORE) -> dict | None:
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose search code ranks")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, default=SHARED / "eval" / "dev_qrels.jsonl")
    parser.add_argument("--out", type=Path, default=BEFORE)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))
    from indexer import IndexStore
    from search.engine.searcher import Searcher
    from search.research.evaluation import load_qrels

    commit = subprocess.run(["git", "-C", str(args.code), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    rows = snapshot(Searcher(IndexStore(args.index)), load_qrels(args.qrels))
    record = {"commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%d"), "queries": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(rows)} queries from {commit} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
