"""Which words jieba must keep whole: the shipped domain dictionary plus users' own.

The dictionary is plain data (folded words and their sources) so that it can be pickled
into the index with the analyzer: an index always segments queries with the dictionary
it was built with, and a fingerprint tells when the one in force has changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from indexer.errors import DictionaryError
from indexer.folding import fold_char_run

BUILTIN_NAME = "builtin:domain_dict.txt"


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary word; ``freq`` ``None`` lets jieba pick one that keeps it whole."""

    word: str
    freq: int | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Dictionary:
    """The words added to jieba's own dictionary, with where they came from."""

    entries: tuple[Entry, ...] = ()
    sources: tuple[str, ...] = ()
    #: Fingerprint of the shipped part alone: tells when a new release changed it.
    builtin_fingerprint: str = ""

    @classmethod
    def load(cls, userdicts: Sequence[str | Path] = ()) -> Dictionary:
        """The shipped domain dictionary followed by each user dictionary, in order."""
        builtin = resources.files("indexer").joinpath("data/domain_dict.txt").read_text("utf-8")
        entries = list(parse_entries(builtin.splitlines(), BUILTIN_NAME))
        shipped = _digest(entries)
        sources = [BUILTIN_NAME]
        for path in userdicts:
            entries.extend(parse_entries(_read_user_file(Path(path)), str(path)))
            sources.append(f"user:{Path(path).name}")
        return cls(tuple(entries), tuple(sources), shipped)

    def extended(self, userdicts: Sequence[str | Path]) -> Dictionary:
        """This dictionary plus users' words (for segmenting queries only)."""
        entries, sources = list(self.entries), list(self.sources)
        for path in userdicts:
            entries.extend(parse_entries(_read_user_file(Path(path)), str(path)))
            sources.append(f"user:{Path(path).name}")
        return Dictionary(tuple(entries), tuple(sources), self.builtin_fingerprint)

    @property
    def fingerprint(self) -> str:
        """A short digest of the words: equal fingerprints segment identically."""
        return _digest(self.entries)

    def describe(self) -> dict[str, object]:
        return {"sources": list(self.sources), "words": len(self.entries), "fingerprint": self.fingerprint}


def _digest(entries: Iterable[Entry]) -> str:
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(f"{entry.word}\t{entry.freq}\t{entry.tag}\n".encode())
    return digest.hexdigest()[:16]


def parse_entries(lines: Iterable[str], source: str) -> Iterable[Entry]:
    """Parse jieba's ``WORD [FREQ] [TAG]`` lines, skipping blanks and ``#`` comments.

    >>> [e.word for e in parse_entries(["# c", "安心购 10 n", "", "ＡＢ"], "t")]
    ['安心购', 'ab']
    """
    for lineno, line in enumerate(lines, 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise DictionaryError(f"{source}:{lineno}: frequency must be a whole number: {parts[1]!r}")
            freq = int(parts[1])
        tag = parts[2] if len(parts) > 2 else None
        yield Entry(fold_char_run(parts[0]), freq, tag)


def _read_user_file(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise DictionaryError(f"user dictionary not found: {path}") from None
    except UnicodeDecodeError:
        raise DictionaryError(f"user dictionary is not UTF-8: {path}") from None
    except OSError as exc:
        raise DictionaryError(f"cannot read user dictionary {path}: {exc.strerror}") from None
