"""A time budget for one search: matching stops at a deadline and keeps what it found."""

from __future__ import annotations

import time

from whoosh import collectors


class Budget(collectors.WrappingCollector):
    """Stops matching at a deadline and keeps what it has, instead of letting a search hang.

    It sits innermost, under the filter and facet collectors, so whatever loop drives the
    search stops when its stream of matches does. Whoosh's ``TimeLimitCollector`` starts a
    timer thread per search and can signal the whole process; reading the clock every few
    hundred matches costs nothing by comparison.
    """

    CHECK_EVERY = 256

    def __init__(self, child: collectors.Collector, deadline: float):
        super().__init__(child)
        self.deadline = deadline
        self.timed_out = False

    @classmethod
    def around(cls, collector: collectors.Collector, deadline: float) -> tuple[collectors.Collector, Budget]:
        """Insert a budget under ``collector``'s wrappers; returns (collector to run, budget)."""
        parent, inner = None, collector
        while isinstance(inner, collectors.WrappingCollector):
            parent, inner = inner, inner.child
        budget = cls(inner, deadline)
        if parent is None:
            return budget, budget
        parent.child = budget
        return collector, budget

    def matches(self):
        if self.timed_out:
            return
        for i, docnum in enumerate(self.child.matches()):
            if not i % self.CHECK_EVERY and time.monotonic() > self.deadline:
                self.timed_out = True
                return
            yield docnum

    def collect_matches(self) -> None:
        collect = self.child.collect
        for docnum in self.matches():
            collect(docnum)
