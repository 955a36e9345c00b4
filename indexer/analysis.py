"""Chinese analysis for Whoosh: jieba words for ranking, character bigrams for recall.

Two pipelines, each ``Tokenizer | Filter`` in the Whoosh style, used for index *and*
query text alike, so the two can never disagree (the classic IK failure):

* :func:`word_analyzer` - folded text cut by jieba in precise mode without HMM (new-word
  guessing makes segmentation depend on context, which breaks query/index agreement),
  punctuation dropped, positions renumbered as ordinals so phrase queries work.
* :func:`gram_analyzer` - overlapping character bigrams of every Han run (quotes and
  book-title marks inside a run are transparent), whole ASCII words, single Han
  characters where a run has only one. Any literal Chinese string of two or more
  characters is a phrase over this field, whatever jieba does with it.

Every token's ``startchar``/``endchar`` slice the *original* text, not the folded one.
"""

from __future__ import annotations

import itertools
import logging
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from types import ModuleType

from whoosh.analysis import Composable, CompositeAnalyzer, Filter, Token, Tokenizer

from indexer import frequencies
from indexer.dictionary import Dictionary
from indexer.folding import fold

log = logging.getLogger(__name__)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3007"
#: Marks that do not break a Han run for bigrams: `现货“安心购”` reads as `现货安心购`.
_TRANSPARENT = "\u201c\u201d\u2018\u2019\"'\u300a\u300b\u3008\u3009\u300c\u300d\u300e\u300f\u00b7\u30fb"
#: Symbols that carry meaning next to words (`人工智能+`, `C++`, `C#`, `5%`, `R&D`): kept as tokens.
_SYMBOLS = "+#%&"
_RUN = re.compile(
    rf"(?P<han>[{_HAN}](?:[{_TRANSPARENT}]*[{_HAN}])*)|(?P<word>(?:(?![{_HAN}])[^\W_])+)|(?P<sym>[{_SYMBOLS}]+)"
)
_ALNUM_CUT = re.compile(r"(?<=[a-z]{2})(?=[0-9])")
_HAS_WORD_CHAR = re.compile(rf"[^\W_]|^[{_SYMBOLS}]+$")
_IS_HAN = re.compile(rf"[{_HAN}]")
_ALL_HAN = re.compile(rf"[{_HAN}]+")


def is_han(text: str) -> bool:
    """Whether ``text`` is one or more Han characters, and nothing else: the one such test.

    >>> is_han("安心购"), is_han("6G"), is_han("")
    (True, False, False)
    """
    return _ALL_HAN.fullmatch(text) is not None


def import_jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources``.

    jieba finds its model files through ``pkg_resources`` when it can import it, and
    importing ``pkg_resources`` (setuptools' whole distribution scan) took 155 ms of a
    1.4 s ``zhsearch search``. Seen as missing, jieba opens the same files from its own
    folder instead. ``sys.modules`` is left as it was found.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=8)
def jieba_for(dictionary: Dictionary):
    """One initialised ``jieba.Tokenizer`` per dictionary per process (loading costs ~1 s)."""
    jieba = import_jieba()  # deferred: importing jieba is slow and must not happen at import time

    tokenizer = jieba.Tokenizer()
    path = frequencies.cache_path(jieba, dictionary.fingerprint)
    saved = frequencies.load(path, owner=tokenizer)
    if saved is not None:
        tokenizer.FREQ, tokenizer.total = saved
        tokenizer.initialized = True
        return tokenizer
    tokenizer.initialize()
    for entry in dictionary.entries:
        tokenizer.add_word(entry.word, entry.freq, entry.tag)
    frequencies.save(path, tokenizer.FREQ, tokenizer.total)
    log.debug("jieba ready with %d extra words", len(dictionary.entries))
    return tokenizer


def segment(text: str, dictionary: Dictionary) -> list[str]:
    """The words of already-folded ``text`` as jieba cuts them (punctuation included)."""
    return list(jieba_for(dictionary).cut(text, HMM=False))


def subwords(word: str, dictionary: Dictionary) -> list[str]:
    """Dictionary words inside a longer word (`运费险` → `运费`), for widening recall.

    >>> subwords("新能源汽车", Dictionary())
    ['新能源', '能源', '汽车']
    """
    pieces = jieba_for(dictionary).cut_for_search(word, HMM=False)
    seen: list[str] = []
    for piece in pieces:
        if piece != word and len(piece) > 1 and piece not in seen:
            seen.append(piece)
    return sorted(seen, key=lambda p: (word.index(p), -len(p)))


class ZhTokenizer(Tokenizer):
    """Fold, then cut with jieba; yields every piece, punctuation too.

    Holds only the :class:`Dictionary` (plain data) so the analyzer pickles into the
    index schema; the jieba instance is rebuilt lazily in each process.
    """

    def __init__(self, dictionary: Dictionary | None = None):
        self.dictionary = dictionary if dictionary is not None else Dictionary()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ZhTokenizer) and other.dictionary == self.dictionary

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        if not tokenize:
            yield _fill(token, folded.text, value, 0, len(value), start_pos, start_char, keeporiginal)
            return
        offset = 0
        for pos, piece in enumerate(segment(folded.text, self.dictionary), start_pos):
            start, end = folded.span(offset, offset + len(piece))
            offset += len(piece)
            yield _fill(token, piece, value, start, end, pos, start_char, keeporiginal)


class WordFilter(Filter):
    """Drop pieces without a letter, digit or Han character (meaningful symbols stay).

    Positions are renumbered, which keeps `现货“安心购”` and `现货安心购` the same phrase.

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in (RegexTokenizer(r"\\S+") | WordFilter())("a , 3 。 + ++ -")]
    ['a', '3', '+', '++']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = None
        for token in tokens:
            if not _HAS_WORD_CHAR.search(token.text):
                continue
            if token.positions:
                pos = token.pos if pos is None else pos + 1
                token.pos = pos
            yield token


class AlnumSplitFilter(Filter):
    """Split a Latin word from the number glued to it: `iphone17` is `iphone` `17`.

    Only after two or more letters, so model codes stay whole (`c919`, `h20`, `5g`); the
    same rule runs at index and query time, so `iPhone17` and `iPhone 17` meet.

    >>> [t.text for t in (CharRunTokenizer() | AlnumSplitFilter())("iPhone17 C919 mate60pro")]
    ['iphone', '17', 'c919', 'mate', '60pro']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            cuts = [m.start() for m in _ALNUM_CUT.finditer(text)] if text.isascii() else []
            same_width = not token.chars or token.endchar - token.startchar == len(text)
            if not cuts or not same_width or getattr(token, "offsets", None):
                yield token
                continue
            start = token.startchar if token.chars else 0
            bounds = [0, *cuts, len(text)]
            for a, b in itertools.pairwise(bounds):
                token.text = text[a:b]
                if token.chars:
                    token.startchar, token.endchar = start + a, start + b
                yield token


class CharRunTokenizer(Tokenizer):
    """Yield runs of Han characters and runs of other letters/digits from folded text.

    A Han run carries ``offsets``: the original offset of each of its characters, since
    transparent marks inside the run are left out of its text.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CharRunTokenizer)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        for pos, match in enumerate(_RUN.finditer(folded.text), start_pos):
            start, end = folded.span(*match.span())
            if match.group("han"):
                token.offsets = [folded.span(i, i + 1)[0] for i in range(*match.span())
                                 if _IS_HAN.match(folded.text, i)]
                text = "".join(c for c in match.group() if _IS_HAN.match(c))
            else:
                token.offsets = None
                text = match.group()
            yield _fill(token, text, value, start, end, pos, start_char, keeporiginal)


class BigramFilter(Filter):
    """Split Han runs into bigrams plus single characters, one position per character.

    At index time every character yields its unigram and the bigram it starts, both at
    the character's position, so any Han string - one character or many, at a run's edge
    or inside it - is a phrase of bigrams ending in a unigram. At query time a run yields
    its bigrams and, when more text follows it, its last character, keeping the positions
    of what follows aligned with the index.

    >>> [t.text for t in (CharRunTokenizer() | BigramFilter())("农业发展 AI 蝶")]
    ['农', '农业', '业', '业发', '发', '发展', '展', 'ai', '蝶']
    >>> [t.text for t in (CharRunTokenizer() | BigramFilter())("农业发展 AI 蝶", mode="query")]
    ['农业', '业发', '发展', '展', 'ai', '蝶']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        token = None
        runs: list[tuple[str, list[int] | None, int, int]] = []
        for token in tokens:  # Whoosh reuses one Token: copy what each run needs
            if not runs:
                pos = token.pos if token.positions else 0
            runs.append((token.text, token.offsets, token.startchar if token.chars else 0,
                         token.endchar if token.chars else 0))
        if token is None:
            return
        query = token.mode == "query"
        for index, (run, offsets, start, end) in enumerate(runs):
            if offsets is None or len(run) < 2:
                yield _gram(token, run, pos, start, end)
                pos += 1
                continue
            base = start - offsets[0]
            last = len(run) - 1
            for i, char in enumerate(run):
                cstart = base + offsets[i]
                if not query or (i == last and index < len(runs) - 1):
                    yield _gram(token, char, pos + i, cstart, cstart + 1)
                if i < last:
                    yield _gram(token, run[i:i + 2], pos + i, cstart, base + offsets[i + 1] + 1)
            pos += len(run)


def _gram(token: Token, text: str, pos: int, start: int, end: int) -> Token:
    token.text = text
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar, token.endchar = start, end
    return token


def _fill(token: Token, text: str, value: str, start: int, end: int, pos: int,
          start_char: int, keeporiginal: bool) -> Token:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if keeporiginal:
        token.original = value[start:end]
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar = start_char + start
        token.endchar = start_char + end
    return token


def word_analyzer(dictionary: Dictionary | None = None) -> Composable:
    """The analyzer for ranked word fields (``title``, ``content``)."""
    return ZhTokenizer(dictionary) | AlnumSplitFilter() | WordFilter()


def gram_analyzer() -> Composable:
    """The analyzer for the character-bigram recall fields (``title_g``, ``content_g``)."""
    return CharRunTokenizer() | AlnumSplitFilter() | BigramFilter()


# --- index-time terms without Token objects -----------------------------------------------
#
# At index time Whoosh asks an analyzer only for each token's text and position (no offsets,
# no boosts), then groups them by text. The pipelines above build, move and copy a Token per
# piece through three generators to say that: half of a build's CPU. The functions below
# compute the same grouping straight from the folded text, for exactly the two pipelines
# this module builds; tests/indexer/test_index_terms.py holds them to the pipelines' output.

Positions = dict[str, list[int]]


def index_positions(analyzer: object) -> Callable[[str], Positions] | None:
    """``folded text -> {term: positions}`` equal to ``analyzer``'s index-mode tokens, or ``None``.

    ``None`` for any analyzer but :func:`word_analyzer`'s and :func:`gram_analyzer`'s pipelines.
    """
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    kinds = tuple(type(item) for item in analyzer.items)
    if kinds == (ZhTokenizer, AlnumSplitFilter, WordFilter):
        return partial(word_positions, dictionary=analyzer.items[0].dictionary)
    if kinds == (CharRunTokenizer, AlnumSplitFilter, BigramFilter):
        return gram_positions
    return None


def word_positions(folded: str, dictionary: Dictionary) -> Positions:
    """:func:`word_analyzer`'s index-mode terms of already-folded text, with their positions.

    >>> word_positions("“iphone17”发布", Dictionary())
    {'iphone': [1], '17': [2], '发布': [3]}
    """
    found: Positions = {}
    pos = None
    for ordinal, piece in enumerate(block_cuts(dictionary)(folded)):
        for part in _alnum_parts(piece):
            if _HAS_WORD_CHAR.search(part):  # WordFilter: the first kept piece keeps its ordinal
                pos = ordinal if pos is None else pos + 1
                if (where := found.get(part)) is None:
                    found[part] = [pos]
                else:
                    where.append(pos)
    return found


def gram_positions(folded: str) -> Positions:
    """:func:`gram_analyzer`'s index-mode terms of already-folded text, with their positions.

    >>> gram_positions("农业发展 ai 蝶")
    {'农': [0], '业': [1], '发': [2], '展': [3], '农业': [0], '业发': [1], '发展': [2], 'ai': [4], '蝶': [5]}
    """
    found: Positions = {}
    pos = 0
    for match in _RUN.finditer(folded):
        run = match.group()
        if match.lastgroup != "han":
            for part in _alnum_parts(run):
                _add(found, part, pos)
                pos += 1
            continue
        if not run.isalpha():  # transparent marks inside the run are not part of it
            run = "".join(c for c in run if _IS_HAN.match(c))
        if len(run) < 2:
            _add(found, run, pos)
            pos += 1
            continue
        for i, char in enumerate(run, pos):
            _add(found, char, i)
        for i in range(len(run) - 1):
            _add(found, run[i:i + 2], pos + i)
        pos += len(run)
    return found


#: Blocks whose cut :class:`BlockCuts` remembers before it starts afresh (a few MB).
BLOCK_CACHE = 1 << 16
#: Blocks longer than this are cut every time: they hardly ever repeat.
BLOCK_CHARS = 24


class BlockCuts:
    """:func:`segment`, remembering the cut of each block of text it has seen.

    jieba cuts a text block by block (runs of word characters, and what lies between
    them), each on its own: ``cut(text)`` is the blocks' ``cut`` one after the other. News
    repeats its short blocks (datelines, 新华社北京, 近日, 据了解): about a fifth of
    the characters of 20,000 articles are in a block seen before.
    """

    def __init__(self, dictionary: Dictionary):
        jieba = import_jieba()
        self._cut = jieba_for(dictionary).cut
        self._blocks = jieba.re_han_default
        self._known: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        words: list[str] = []
        known = self._known
        for block in self._blocks.split(text):
            cut = known.get(block)
            if cut is None:
                cut = tuple(self._cut(block, HMM=False))
                if len(block) <= BLOCK_CHARS:
                    if len(known) >= BLOCK_CACHE:
                        known.clear()
                    known[block] = cut
            words.extend(cut)
        return words


@lru_cache(maxsize=8)
def block_cuts(dictionary: Dictionary) -> BlockCuts:
    """The one :class:`BlockCuts` per dictionary per process (an indexing worker's)."""
    return BlockCuts(dictionary)


def _add(found: Positions, term: str, pos: int) -> None:
    if (where := found.get(term)) is None:
        found[term] = [pos]
    else:
        where.append(pos)


def _alnum_parts(text: str) -> list[str]:
    """:class:`AlnumSplitFilter` on one token's text (positions aside)."""
    if not text.isascii():
        return [text]
    cuts = [m.start() for m in _ALNUM_CUT.finditer(text)]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]
