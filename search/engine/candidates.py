"""A matching article on its way to the page: its number, its score, its stored fields."""

from __future__ import annotations

from typing import Any


class Candidate:
    """Stored fields are read at most once, and only for what reaches ranking or the page."""

    __slots__ = ("_fields", "_searcher", "docnum", "score")

    def __init__(self, searcher, docnum: int, score: float | None):
        self._searcher = searcher
        self.docnum = docnum
        self.score = score
        self._fields: dict[str, Any] | None = None

    def fields(self) -> dict[str, Any]:
        if self._fields is None:
            self._fields = self._searcher.stored_fields(self.docnum)
        return self._fields

    def __getitem__(self, name: str) -> Any:
        return self.fields()[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields().get(name, default)

    @property
    def id(self) -> str:
        return self.fields()["id"]
