"""Related articles and other reports of the same news, for an article's page."""

from __future__ import annotations

from whoosh import query as wq

from search.engine.candidates import Candidate
from search.engine.duplicates import Signature, same_news
from search.engine.evaluate import Evaluator
from search.engine.live import View
from search.engine.match import top
from search.engine.results import Report
from search.errors import DocumentNotFound
from search.query.weights import Weights


def neighbours(view: View, evaluator: Evaluator, doc_id: str, limit: int, weights: Weights,
               weigh) -> tuple[list[Report], list[Candidate]]:
    """(other reports of the same news, articles sharing this one's most telling words)."""
    searcher = view.searcher
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        raise DocumentNotFound(f"no article with id {doc_id!r}")
    stored = searcher.stored_fields(docnum)
    terms = searcher.key_terms_from_text("content", f"{stored.get('title', '')}\n{stored.get('content', '')}",
                                         numterms=12)
    if not terms:
        return [], []
    query = wq.Or([wq.Term(f, term, boost=weight * getattr(weights, f))
                   for term, weight in terms for f in ("title", "content")])
    others = evaluator.arrays.live.copy()
    others[docnum] = False
    hits = top(view, evaluator, query, limit, others)
    mine = Signature.of(stored)
    same = [Report(c.id, c.get("title", ""), c.get("published")) for c in hits
            if same_news(mine, Signature.of(c.fields()), weigh)]
    return same, hits
