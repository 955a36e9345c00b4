"""Query-time synonyms: `阳光财险 = 阳光保险 = 阳光财产保险`, applied without re-indexing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from indexer import fold_char_run
from search.errors import ParameterError


@dataclass(frozen=True)
class Synonyms:
    """Groups of equivalent terms, keyed by each member's folded form."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), builtin: bool = True) -> Synonyms:
        """The shipped groups (unless ``builtin`` is false), then each file's, in order."""
        lines: list[tuple[str, int, str]] = []
        if builtin:
            text = resources.files("search").joinpath("data/synonyms.txt").read_text("utf-8")
            lines += [("builtin", n, line) for n, line in enumerate(text.splitlines(), 1)]
        for path in paths:
            try:
                text = Path(path).read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ParameterError(f"cannot read synonyms file {path}: {exc}") from None
            lines += [(str(path), n, line) for n, line in enumerate(text.splitlines(), 1)]
        return cls(dict(_parse(lines)))

    def lookup(self, term: str) -> tuple[str, ...]:
        """The other members of ``term``'s group (empty when it has none).

        >>> Synonyms.load().lookup("陽光財險")
        ('阳光保险', '阳光财产保险')
        """
        key = fold_char_run(term.strip())
        return tuple(m for m in self.groups.get(key, ()) if fold_char_run(m) != key)


def _parse(lines: Iterable[tuple[str, int, str]]):
    for source, number, line in lines:
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        members = tuple(m.strip() for m in line.split("=") if m.strip())
        if len(members) < 2:
            raise ParameterError(f"{source}:{number}: a synonym line needs two or more terms joined by '='")
        for member in members:
            yield fold_char_run(member), members
