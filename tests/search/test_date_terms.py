"""Ranges over the multi-valued date fields (effective, announced) on arrays, against Whoosh's
own matcher as the oracle: same articles, each once, for open and closed ranges."""

from __future__ import annotations

from datetime import datetime

import pytest
from whoosh import query as wq

from indexer import IndexStore
from search.engine.searcher import Searcher
from search.query.compiler import DistinctDocs

RANGES = [(None, None), (datetime(2024, 1, 1), None), (None, datetime(2024, 6, 30, 23, 59, 59)),
          (datetime(2024, 3, 1), datetime(2024, 12, 31, 23, 59, 59)), (datetime(2031, 1, 1), None)]


@pytest.mark.parametrize("field", ["effective", "announced"])
@pytest.mark.parametrize(("start", "end"), RANGES)
def test_date_term_ranges_match_whoosh(sample_index, field, start, end):
    searcher = Searcher(IndexStore(sample_index))
    view = searcher.view()
    query = DistinctDocs(wq.DateRange(field, start, end))
    got = searcher.evaluator(view).evaluate(query)
    expected = sorted(set(query.child.matcher(view.searcher, view.searcher.context()).all_ids()))
    assert got.docs.tolist() == expected
    assert set(got.scores.tolist()) <= {1.0}


def test_the_sample_has_dates_to_range_over(sample_index):
    """The test above is only as good as its data: some ranges must find something, some not."""
    searcher = Searcher(IndexStore(sample_index))
    view = searcher.view()
    found = [len(searcher.evaluator(view).evaluate(DistinctDocs(wq.DateRange("effective", s, e))))
             for s, e in RANGES]
    assert found[0] > 0 and 0 in found and len(set(found)) > 2
