"""Related articles and other reports of the same news, for an article's page."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from indexer import fold
from search.engine.candidates import Candidate
from search.engine.duplicates import Signature, same_news
from search.engine.evaluate import Evaluator
from search.engine.live import View
from search.engine.match import top
from search.engine.results import Report
from search.engine.vocabulary import TermTable
from search.errors import DocumentNotFound
from search.query.weights import Weights

#: The article's words that pick its related articles.
KEY_WORDS = 12
#: Characters of an article in which its words are counted: news says what it is about
#: early, and counting every word through a 50,000-character transcript cost 25 ms.
KEY_TEXT = 5000


def neighbours(view: View, evaluator: Evaluator, doc_id: str, limit: int, weights: Weights,
               weigh, table: TermTable | None, signature) -> tuple[list[Report], list[Candidate]]:
    """(other reports of the same news, articles sharing this one's most telling words);
    ``signature``: a candidate's duplicate signature (the searcher's cache).

    ``table`` is the index version's term table; while a new version's is still being
    built (in the background, see :meth:`TermTables.ready`), the article is cut again
    with Whoosh's key-term extraction instead, so no article page waits for it.
    """
    searcher = view.searcher
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        raise DocumentNotFound(f"no article with id {doc_id!r}")
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored.get('content', '')}"
    terms = (key_words(table, docnum, text) if table is not None
             else searcher.key_terms_from_text("content", text, numterms=KEY_WORDS))
    if not terms:
        return [], []
    query = wq.Or([wq.Term(f, term, boost=weight * getattr(weights, f))
                   for term, weight in terms for f in ("title", "content")])
    others = evaluator.arrays.live.copy()
    others[docnum] = False
    hits = top(view, evaluator, query, limit, others)
    mine = Signature.of(stored)
    same = [Report(c.id, c.get("title", ""), c.get("published")) for c in hits
            if same_news(mine, signature(c), weigh)]
    return same, hits


def key_words(table: TermTable, docnum: int, text: str, size: int = KEY_WORDS) -> list[tuple[str, float]]:
    """The article's most telling words with their weights (the best 1.0).

    The words are the article's row of the term table, as the index's own analysis cut
    them: no jieba at query time (Whoosh's ``key_terms_from_text`` cut the whole article
    again and looked every word up, 130 ms an article page, twice). Each is weighed by
    Whoosh's Bo1 model, how often the article uses it (in its first :data:`KEY_TEXT`
    characters) against how common it is, with the share of articles holding it as the
    word's rate.
    Equal weights keep the table's word order.
    """
    ids = table.indices[table.indptr[docnum]:table.indptr[docnum + 1]]
    if not len(ids):
        return []
    words = table.words[ids].tolist()
    folded = fold(text[:KEY_TEXT]).text
    used = np.array([folded.count(w) for w in words], dtype=np.float64)
    rate = table.df[ids] / max(table.articles, 1)
    weight = np.where(used > 0, used * np.log2((1 + rate) / rate) + np.log2(1 + rate), 0.0)
    best = [i for i in np.argsort(-weight, kind="stable")[:size].tolist() if weight[i] > 0]
    if not best:
        return []
    top = float(weight[best[0]])
    return [(words[i], float(weight[i]) / top) for i in best]
