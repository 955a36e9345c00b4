"""Matches folded into news stories, so text repeated by reprints counts once.

Several outlets running the same story (or a wire story with its boilerplate) would
otherwise make every word of it look distinctive. Reports are grouped with the search
results' own duplicate rule (:func:`search.engine.duplicates.same_news`, on their
:class:`Signature`), and the distinctive words count stories, not articles.

Stories fall within a week of their first report, so reports are walked in date order and
compared only with the stories of the last week: the cost grows with the matches of a week,
not with the square of all of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from search.engine.duplicates import (
    WINDOW,
    Signature,
    Weigh,
    plainly_different,
    quick_values,
    same_news,
)


def stories(signatures: Sequence[Signature], weigh: Weigh) -> np.ndarray:
    """The story number of each report (reports of the same news share one).

    >>> a = Signature("光伏组件价格下跌", frozenset({"光伏", "组件", "价格", "下跌", "伏组", "件价", "格下", "跌了"}))
    >>> stories([a, a, Signature("风电", frozenset({"风电"}))], lambda g: 1.0).tolist()
    [0, 0, 1]
    """
    story = np.full(len(signatures), -1, dtype=np.int64)
    order = sorted(range(len(signatures)), key=lambda i: _when(signatures[i]))
    recent: deque[tuple[Signature, int, tuple]] = deque()  # first reports of the last week's stories
    undated: list[tuple[Signature, int, tuple]] = []
    totals: dict[frozenset[str], float] = {}  # each gram set weighed once, not once a pair
    made = 0
    for i in order:
        sig = signatures[i]
        quick = quick_values(sig)
        pool = undated if sig.published is None else recent
        while sig.published is not None and recent and sig.published - recent[0][0].published > WINDOW:
            recent.popleft()
        story[i] = next((n for first, n, seen in pool
                         if not plainly_different(quick, seen) and same_news(first, sig, weigh, totals)), -1)
        if story[i] < 0:
            story[i], made = made, made + 1
            pool.append((sig, int(story[i]), quick))
    return story


def _when(sig: Signature) -> tuple[int, datetime]:
    return (1, datetime.min) if sig.published is None else (0, sig.published)
