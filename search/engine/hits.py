"""Assemble: stored fields become the hits of the page, with marks and snippets when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search.engine.results import Hit, Report, iso
from search.engine.snippets import Segmenter, TokenCount, highlight, snippet
from search.query.highlights import Highlights


class HitMaker:
    """Turns stored fields into :class:`Hit` objects: the one place that does it.

    Without ``highlights`` (evaluation, exports, related articles) no snippet is made and
    the analyser never runs.
    """

    def __init__(self, highlights: Highlights | None = None, analyzer=None,
                 tokens: Callable[[str, str, int], int] | None = None, segmenter: Segmenter | None = None):
        """``tokens(field, word, docnum)``: how many of the article's ``field`` tokens are
        ``word``, from the index; ``segmenter``: the word fields' jieba on folded text
        (see :func:`search.engine.snippets.verified`)."""
        self.highlights = highlights
        self.analyzer = analyzer if highlights is not None else None
        self.tokens = tokens
        self.segmenter = segmenter

    def hit(self, stored: dict[str, Any], score: float | None, partial: bool = False,
            duplicates: tuple[Report, ...] = (), docnum: int | None = None) -> Hit:
        title, content = stored.get("title", ""), stored.get("content", "")
        marked = self.analyzer is not None
        return Hit(
            id=stored["id"], title=title,
            title_html=highlight(title, self.highlights, self.analyzer, self._tokens("title", docnum),
                                 self.segmenter) if marked else "",
            published=stored.get("published"), url=stored.get("url", ""),
            category=stored.get("category", ""), source=stored.get("source", ""),
            snippet=snippet(content, self.highlights, self.analyzer,
                            tokens=self._tokens("content", docnum), segmenter=self.segmenter) if marked else "",
            score=score, partial=partial, duplicates=tuple(duplicates), facts=stored.get("facts") or {},
        )

    def _tokens(self, field: str, docnum: int | None) -> TokenCount | None:
        if self.tokens is None or docnum is None:
            return None
        tokens = self.tokens
        return lambda word: tokens(field, word, docnum)


def document(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored article as the API shows it (`GET /api/documents/<id>`)."""
    return {"id": stored["id"], "title": stored.get("title", ""), "content": stored.get("content", ""),
            "published": iso(stored.get("published")), "url": stored.get("url") or None,
            "category": stored.get("category") or None, "source": stored.get("source") or None,
            "facts": stored.get("facts") or {}}
