"""Sample the near-duplicate pairs zhsearch collapses, for a person to judge precision.

Runs every dev query and the benchmark query mix against an index, collects each pair
(kept hit, folded report) that result collapsing produced, and prints a random sample with
titles and openings side by side. Judge each pair "same news" or not and record the count
in docs/duplicates.md.

    python bench/duplicates.py INDEX_DIR [--sample 40] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer import IndexStore
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher


def queries() -> list[str]:
    mix = [l.strip() for l in (ROOT / "bench" / "queries.txt").read_text("utf-8").splitlines()
           if l.strip() and not l.startswith("#")]
    qrels = ROOT.parent / "shared" / "eval" / "dev_qrels.jsonl"
    dev = [json.loads(l)["query"] for l in qrels.read_text("utf-8").splitlines()] if qrels.exists() else []
    return mix + dev


def pairs(searcher: Searcher) -> list[tuple[dict, dict]]:
    found = {}
    for q in queries():
        for hit in searcher.search(SearchRequest(q=q, per_page=50, partial=False)).hits:
            for dup in hit.duplicates:
                key = tuple(sorted((hit.id, dup.id)))
                found.setdefault(key, (searcher.document(hit.id), searcher.document(dup.id)))
    return list(found.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    found = pairs(Searcher(IndexStore(args.index)))
    random.Random(args.seed).shuffle(found)
    print(f"{len(found)} collapsed pairs over {len(queries())} queries; a sample of {min(args.sample, len(found))}:\n")
    for n, (a, b) in enumerate(found[: args.sample], 1):
        for doc in (a, b):
            print(f"{n:>3} {doc['published'] or '':<19} {doc['id']:<34} {doc['title']}")
            print(f"    {(doc['content'] or '')[:90]!r}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
