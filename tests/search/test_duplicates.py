"""Near-duplicate folding: the windowed walk gives exactly the definition's groups."""

import random
from datetime import datetime, timedelta

import pytest

from search.engine.duplicates import WINDOW, Signature, collapse, same_news


def _definition(signatures, weigh):
    """Each hit joins the first kept hit it duplicates (every kept hit tried, in order)."""
    groups: list[tuple[int, list[int]]] = []
    for index, sig in enumerate(signatures):
        for first, members in groups:
            if same_news(signatures[first], sig, weigh):
                members.append(index)
                break
        else:
            groups.append((index, []))
    return groups


@pytest.mark.parametrize("seed", range(6))
def test_folding_only_near_dates_gives_the_groups_of_trying_every_kept_hit(seed):
    """Dates around the window's edges, undated reports, shared and different titles and
    numbers: the bisection over kept dates must never skip a group the definition joins."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8)
    stories = [frozenset(f"{chr(0x4E00 + s * 50 + k)}{chr(0x4E00 + s * 50 + k + 1)}" for k in range(30))
               for s in range(6)]
    signatures = []
    for _ in range(120):
        story = rng.randrange(len(stories))
        grams = frozenset(rng.sample(sorted(stories[story]), 26))
        when = None if rng.random() < 0.15 else start + rng.choice(
            [WINDOW, WINDOW + timedelta(seconds=1), WINDOW - timedelta(seconds=1), timedelta(0)]) * rng.randrange(4)
        title = f"报道{story}" if rng.random() < 0.5 else f"报道{story}之{rng.randrange(3)}"
        numbers = frozenset({str(rng.randrange(2))}) if rng.random() < 0.3 else frozenset()
        signatures.append(Signature(title=title, grams=grams, body=grams, numbers=numbers, published=when))
    weigh = lambda g: 1.0 + (ord(g[0]) % 3)
    found = [(g.index, [int(i) for i in g.duplicates]) for g in collapse(list(range(len(signatures))), signatures, weigh)]
    assert found == _definition(signatures, weigh)
    assert any(members for _, members in found) and len(found) > len(stories), "both folds and splits happen"
