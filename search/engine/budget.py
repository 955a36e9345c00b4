"""A time budget for one whole request: each step after the deadline is left out.

Matching over arrays takes milliseconds, so the budget no longer interrupts it; what it
guards is everything after it. Checked between steps (before promotion and fill, before
each snippet), a request past its deadline answers with what it has and says so
(``timed_out``): the exact count and facets, no promoted or filled hits, hits without
snippets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Deadline:
    """Seconds from now; once passed it stays passed (the request is then ``timed_out``)."""

    seconds: float
    at: float = field(init=False)
    missed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.at = time.monotonic() + self.seconds

    def passed(self) -> bool:
        if not self.missed and time.monotonic() > self.at:
            self.missed = True
        return self.missed
