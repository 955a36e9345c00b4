"""Distinctive words: what sets the articles matching a query apart from the collection.

A pipeline of small steps: the foreground (every match, or the best ``sample`` of them by
relevance, said so in the answer) → folded into news stories so reprinted text counts once
(:mod:`.news`) → its words counted from the term table (:mod:`.vocabulary`) → scored
against the whole index by a significance heuristic (:mod:`.significance`) → the query's
own words left out → the best ``size`` words, each with a link that adds it to the query.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any
from urllib.parse import urlencode

import numpy as np

from search.engine.results import SearchRequest
from search.engine.vocabulary import TermTable
from search.errors import ParameterError
from search.research.news import stories
from search.research.significance import HEURISTICS, score

SAMPLE = 500
#: What the matches are compared with: the whole index, or the articles the filters allow.
BACKGROUNDS = ("index", "filters")
MAX_SAMPLE = 5_000
MAX_SIZE = 200
#: A word must occur in at least this many stories of the foreground (one proves nothing),
#: and in 1 % of them: otherwise JLH ranks words seen twice anywhere at the top.
MIN_STORIES = 2
MIN_STORY_SHARE = 0.01
#: Filters kept in the refine link, as the page's parameter names.
_LINK_PARAMS = {"date_from": "from", "date_to": "to", "category": "category", "year": "year",
                "platform": "platform", "rule": "rule", "kind": "kind"}


def terms(searcher, request: SearchRequest, size: int = 30, heuristic: str = "jlh", sample: int = SAMPLE,
          background: str = "index", wait: bool = True) -> dict[str, Any] | None:
    """``{"query", "foreground", "background", "heuristic", "terms": [{"term", "fg", "bg", "score", "refine"}]}``.

    What is kept between requests is the searcher's: its term tables (built per index
    version, in the background when ``wait`` is false) and its duplicate signatures.
    """
    _check(size, heuristic, sample)
    if background not in BACKGROUNDS:
        raise ParameterError(f"background must be one of {', '.join(BACKGROUNDS)}")
    view, docs, total = _foreground(searcher, request, sample)
    table = searcher.tables.get(view) if wait else searcher.tables.ready(view)
    if table is None:  # ``wait=False`` (the search page): the table is being built
        return None
    story = stories([searcher.signature_of(view, int(d)) for d in docs], searcher.term_weigher(view))
    stories_count = int(story.max()) + 1 if len(story) else 0
    fg = _story_counts(table, docs, story)
    bg, articles = (_filtered(searcher, request, table) if background == "filters"
                    else (table.df, table.articles))
    floor = max(MIN_STORIES, math.ceil(stories_count * MIN_STORY_SHARE))
    # only words in enough stories can be picked: scored alone, not the whole vocabulary
    # (tens of thousands of words; a few hundred pass)
    eligible = np.flatnonzero(fg >= floor)
    scores = np.zeros(len(fg))
    scores[eligible] = score(heuristic, fg[eligible], stories_count, bg[eligible], articles)
    own = _query_words(view, request.q)
    picked = _best(table, scores, eligible, own, size)
    return {
        "query": request.q, "heuristic": heuristic,
        "foreground": {"matches": total, "articles": len(docs), "stories": stories_count,
                       "sampled": len(docs) < total, "sample": sample},
        "background": {"articles": articles, "scope": background},
        "terms": [{"term": str(table.words[w]), "fg": int(fg[w]), "bg": int(bg[w]),
                   "score": round(float(scores[w]), 6), "refine": refine_link(request, str(table.words[w]))}
                  for w in picked],
    }


def _check(size: int, heuristic: str, sample: int) -> None:
    if heuristic not in HEURISTICS:
        raise ParameterError(f"heuristic must be one of {', '.join(HEURISTICS)}")
    if not 1 <= size <= MAX_SIZE:
        raise ParameterError(f"size must be between 1 and {MAX_SIZE}")
    if not 10 <= sample <= MAX_SAMPLE:
        raise ParameterError(f"sample must be between 10 and {MAX_SAMPLE}")


def _foreground(searcher, request: SearchRequest, sample: int):
    """Every match, or the ``sample`` best by relevance when there are more."""
    every = searcher.matching(request, scored=False)
    total = len(every.results)
    if total <= sample:
        return every.view, every.results.astype(np.int64), total
    best = searcher.matching(request, limit=sample)
    return best.view, np.asarray(sorted(hit.docnum for hit in best.results), dtype=np.int64), total


def _filtered(searcher, request: SearchRequest, table: TermTable) -> tuple[np.ndarray, int]:
    """The background as the articles the request's filters allow (its dates, category,
    facts), whatever the query: what sets the matches apart *within* that slice of news."""
    docs = searcher.matching(dataclasses.replace(request, q=""), scored=False).results.astype(np.int64)
    _, words = table.words_of(docs)
    return np.bincount(words, minlength=len(table.words)), len(docs)


def _story_counts(table: TermTable, docs: np.ndarray, story: np.ndarray) -> np.ndarray:
    """In how many stories of the foreground each word occurs.

    An article holds each word once, so a story of one article counts its words as they
    are; only the words of stories with several reports are made unique (most stories
    have one report, and sorting every (story, word) pair was most of this count).
    """
    where, words = table.words_of(docs)
    size = max(len(table.words), 1)
    shared = np.bincount(story, minlength=int(story.max()) + 1 if len(story) else 0)[story] > 1
    alone = ~shared[where]
    counts = np.bincount(words[alone], minlength=size)
    if not alone.all():
        pairs = np.unique(story[where[~alone]] * size + words[~alone])
        counts += np.bincount(pairs % size, minlength=size)
    return counts[:len(table.words)]


def _query_words(view, q: str) -> set[str]:
    analyzer = view.searcher.schema["content"].analyzer
    return {t.text for t in analyzer(q, mode="query")}


def _best(table: TermTable, scores: np.ndarray, eligible: np.ndarray, own: set[str], size: int) -> list[int]:
    """The best-scoring ``eligible`` words (ascending ids), leaving out the query's words
    and the pieces of them; equal scores in word id order."""
    candidates = eligible[scores[eligible] > 0]
    picked: list[int] = []
    for w in candidates[np.argsort(-scores[candidates], kind="stable")]:
        word = str(table.words[w])
        if not any(word in q for q in own):
            picked.append(int(w))
            if len(picked) == size:
                break
    return picked


def refine_link(request: SearchRequest, word: str) -> str:
    """The search page narrowed to the matches that also hold ``word``.

    >>> refine_link(SearchRequest(q="光伏", category="财经"), "硅料")
    '/?q=%E5%85%89%E4%BC%8F+%E7%A1%85%E6%96%99&category=%E8%B4%A2%E7%BB%8F'
    """
    q = request.q.strip()
    if " OR " in q or "|" in q:
        q = f"({q})"
    params = {"q": f"{q} {word}".strip()}
    params |= {name: getattr(request, field) for field, name in _LINK_PARAMS.items() if getattr(request, field)}
    return "/?" + urlencode(params)
