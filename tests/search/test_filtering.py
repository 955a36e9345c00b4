"""Whoosh's count of a filtered search agrees with the hits it returns (search/engine/filtering.py)."""

from whoosh import query as wq

from search.engine.results import SearchRequest


def test_a_filter_that_matches_nothing_counts_nothing(searcher):
    whoosh = searcher.view().searcher
    anything = wq.Every()
    everything = len(whoosh.search(anything, limit=1))
    assert everything == 20
    nothing = whoosh.search(wq.Term("content", "分销通"), limit=1, filter=wq.Term("id", "no-such-article"))
    assert nothing.scored_length() == 0
    assert len(nothing) == 0  # Whoosh alone counted every match: an empty filter read as no filter


def test_masked_counts_leave_out_exactly_the_masked_articles(searcher):
    whoosh = searcher.view().searcher
    term = wq.Term("content", "1688")
    every = {hit["id"] for hit in whoosh.search(term, limit=None)}
    one = min(every)
    masked = whoosh.search(term, limit=1, mask=wq.Term("id", one))
    assert len(masked) == len(every) - 1 and masked[0]["id"] != one


def test_related_articles_never_include_the_article_itself(searcher):
    first = searcher.search(SearchRequest(q="1688")).hits[0]
    related = searcher.similar(first.id)
    assert related and first.id not in {hit.id for hit in related}
