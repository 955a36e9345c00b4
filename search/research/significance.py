"""How much more a word occurs in the matches than in the collection: JLH, chi², MI.

Elasticsearch's ``significant_terms`` heuristics, over arrays of counts: ``fg`` of
``fg_size`` foreground units (news stories among the matches) hold the word, ``bg`` of
``bg_size`` background articles (the whole index, which holds the foreground) do. A word
less common in the matches than elsewhere scores 0: researchers ask what sets a topic
apart, not what it lacks.
"""

from __future__ import annotations

import numpy as np

HEURISTICS = ("jlh", "chi2", "mi")


def score(heuristic: str, fg: np.ndarray, fg_size: int, bg: np.ndarray, bg_size: int) -> np.ndarray:
    """Scores of each word (0 where it is not over-represented in the foreground).

    >>> fg, bg = np.array([8, 2]), np.array([10, 500])
    >>> [round(float(s), 3) for s in score("jlh", fg, 10, bg, 1000)]
    [63.2, 0.0]
    >>> [bool(s > 0) for s in score("chi2", fg, 10, bg, 1000)], [bool(s > 0) for s in score("mi", fg, 10, bg, 1000)]
    ([True, False], [True, False])
    """
    fg, bg = fg.astype(np.float64), bg.astype(np.float64)
    fg_rate, bg_rate = fg / max(fg_size, 1), np.maximum(bg, 1) / max(bg_size, 1)
    over = fg_rate > bg_rate
    if heuristic == "jlh":
        raw = (fg_rate - bg_rate) * (fg_rate / bg_rate)
    elif heuristic in ("chi2", "mi"):
        raw = _chi2(*_table(fg, fg_size, bg, bg_size)) if heuristic == "chi2" else _mi(*_table(fg, fg_size, bg, bg_size))
    else:
        raise ValueError(f"heuristic must be one of {', '.join(HEURISTICS)}")
    return np.where(over, raw, 0.0)


def _table(fg, fg_size, bg, bg_size):
    """The 2×2 contingency table (background is a superset of the foreground)."""
    n11 = fg
    n01 = fg_size - fg
    n10 = np.maximum(bg - fg, 0)
    n00 = np.maximum(bg_size - bg - n01, 0)
    return n00, n01, n10, n11


def _chi2(n00, n01, n10, n11):
    n = n00 + n01 + n10 + n11
    denominator = (n01 + n11) * (n10 + n11) * (n00 + n01) * (n00 + n10)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(n * (n11 * n00 - n01 * n10) ** 2 / denominator)


def _mi(n00, n01, n10, n11):
    n = n00 + n01 + n10 + n11
    n1_, n0_, n_1, n_0 = n10 + n11, n00 + n01, n01 + n11, n00 + n10
    return _part(n11, n, n1_, n_1) + _part(n01, n, n0_, n_1) + _part(n10, n, n1_, n_0) + _part(n00, n, n0_, n_0)


def _part(cell, n, row, column):
    """One cell's term of mutual information, in bits (0·log 0 = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(cell / n * np.log2(n * cell / (row * column)))
