"""Whoosh's posting lists read straight into numpy arrays, one term at a time.

Whoosh stays the index of record: its segments, posting blocks and columns are read
here as they are on disk. What changes is that a term's postings are decoded once (per
index version and process, see :mod:`search.engine.arrays`) into arrays of document
numbers and frequencies, instead of being walked one match at a time by Python matchers
on every search. Positions are decoded only for the terms a phrase needs.

Reading the blocks relies on the layout of Whoosh 2.7's W3 codec (a pickled tuple of
delta-coded ids, weights and values per block); :mod:`indexer.whoosh_compat` refuses any
other Whoosh version, so this cannot silently misread an index.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search.engine import sidecar

T = TypeVar("T")


@functools.cache
def length_table() -> np.ndarray:
    """Whoosh's byte_to_length as a table: it stores each field length as one lossy byte."""
    return np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


@dataclass
class Postings:
    """One term's postings over the whole index: global document numbers, ascending."""

    docs: np.ndarray  # int32
    freqs: np.ndarray  # float64 (Whoosh's weights: term frequency x field boost)
    #: Per posting, the raw Whoosh value (positions), kept only when asked for.
    values: list[bytes] | None = None
    #: Decoded positions as CSR (offsets into ``positions``), made on first use.
    _offsets: np.ndarray | None = field(default=None, repr=False)
    _positions: np.ndarray | None = field(default=None, repr=False)

    @property
    def nbytes(self) -> int:
        size = self.docs.nbytes + self.freqs.nbytes
        if self._positions is not None:
            size += self._positions.nbytes + self._offsets.nbytes
        if self.values is not None:
            size += sum(len(v) for v in self.values) + 8 * len(self.values)
        return size

    def positions(self, decode) -> tuple[np.ndarray, np.ndarray]:
        """(offsets, positions): posting i's positions are positions[offsets[i]:offsets[i+1]]."""
        if self._positions is None:
            lists = [decode(v) for v in self.values or ()]
            counts = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
            offsets = np.zeros(len(lists) + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            flat = np.fromiter((p for ps in lists for p in ps), dtype=np.int32, count=int(offsets[-1]))
            self._offsets, self._positions, self.values = offsets, flat, None
        return self._offsets, self._positions


EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def read_postings(leaves, fieldname: str, text: str, with_values: bool = False) -> Postings:
    """A term's postings across ``leaves`` ((segment reader, doc offset) pairs).

    Deleted articles are still listed here (as in Whoosh's own files); callers mask
    them with the index's live-document array.
    """
    docs_parts, freq_parts, values = [], [], ([] if with_values else None)
    for reader, offset in leaves:
        if fieldname not in reader.schema:
            continue
        terms = reader._terms
        btext = reader.schema[fieldname].to_bytes(text)
        try:
            info = terms.term_info(fieldname, btext)
        except TermNotFound:
            continue
        _read_info(terms, reader.schema[fieldname].format, info, offset, docs_parts, freq_parts, values)
    if not docs_parts:
        return Postings(EMPTY.docs, EMPTY.freqs, [] if with_values else None)
    return Postings(np.concatenate(docs_parts).astype(np.int32), np.concatenate(freq_parts), values)


def field_postings(leaves, fieldname: str, kept: dict | None = None, numeric: bool = False) -> dict[str, np.ndarray]:
    """Every term of ``fieldname`` with its documents, in one walk of the term index
    (a fact field has thousands of terms: one lookup each cost seconds).

    ``kept`` holds each segment's part by segment id: segments never change once written,
    so after a commit only the new segment is walked, not the whole index again; and the
    first walk of a segment is saved beside it (:mod:`search.engine.sidecar`) for every
    later process. ``numeric``: a numeric field's full-precision values only, keyed by their
    sortable integer (as a string), not the coarser trie terms Whoosh indexes beside them.
    """
    found: dict[str, list[np.ndarray]] = {}
    for reader, offset in leaves:
        if fieldname not in reader.schema:
            continue
        name = f"{fieldname}.keys" if numeric else fieldname

        def walk(path, reader=reader) -> dict[str, np.ndarray]:
            lists = segment_field_postings(reader, fieldname, numeric)
            sidecar.save(path, lists)
            return lists

        local = saved_part(reader, name, kept, sidecar.load, walk)
        for text, docs in local.items():
            found.setdefault(text, []).append(docs + offset)
    return {text: np.concatenate(parts).astype(np.int32) for text, parts in found.items() if parts}


def field_codes(leaves, fieldname: str, kept: dict | None = None) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Every (document, term) pair of ``fieldname`` as (the terms sorted, global document
    numbers, each pair's index into the terms): a facet's values as small integers.

    Read from the segments' saved lists as :func:`field_value_pairs` reads them, with no
    dictionary per segment: a one-shot search counts four facets before its first answer.
    """
    parts = [(_packed_part(reader, fieldname, kept), offset) for reader, offset in leaves
             if fieldname in reader.schema]
    if not parts:
        return (), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    values, inverse = np.unique(np.concatenate([text for (text, _, _), _ in parts]), return_inverse=True)
    docs, codes, base = [], [], 0
    for (text, ends, local_docs), offset in parts:
        local = inverse[base:base + len(text)].astype(np.int32)
        codes.append(np.repeat(local, np.diff(ends, prepend=0)))
        docs.append(local_docs.astype(np.int64) + offset)
        base += len(text)
    return tuple(values.tolist()), np.concatenate(docs), np.concatenate(codes)


def _packed_part(reader, fieldname: str, kept: dict | None) -> sidecar.Packed:
    """One segment's saved lists of ``fieldname`` as arrays (walked and saved if absent)."""
    def walk(path) -> sidecar.Packed:
        lists = segment_field_postings(reader, fieldname)
        sidecar.save(path, lists)
        return sidecar.packed(lists)
    return saved_part(reader, fieldname, kept, sidecar.load_packed, walk, kept_as=f"{fieldname}.packed")


def field_value_pairs(leaves, fieldname: str, kept: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every (term, document) pair of ``fieldname`` as two arrays (terms, global document
    numbers), for a field with a term per document (``id``). Kept and saved per segment as
    :func:`field_postings` does, but as arrays: no dictionary of one-element lists."""
    values: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    for reader, offset in leaves:
        if fieldname not in reader.schema:
            continue
        text, ends, local_docs = _packed_part(reader, fieldname, kept)
        values.append(text if len(text) == len(local_docs) else np.repeat(text, np.diff(ends, prepend=0)))
        docs.append(local_docs.astype(np.int64) + offset)
    if not values:
        return np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64)
    return np.concatenate(values), np.concatenate(docs)


def segment_part(reader, name: str, kept: dict | None, build):
    """A segment's ``name`` part from ``kept`` (by segment id), else built and kept there:
    segments never change once written, so a commit costs only its new segment's walk."""
    key = (_segment_id(reader), name)
    keep = kept is not None and key[0] is not None
    local = kept.get(key) if keep else None
    if local is None:
        local = build()
        if keep:
            kept[key] = local
    return local


def saved_part(reader, name: str, kept: dict | None, read: Callable[[Path | None], T | None],
               make: Callable[[Path | None], T], kept_as: str | None = None) -> T:
    """A segment's part ``name``: from ``kept`` (:func:`segment_part`), else ``read`` from
    its file beside the segment, else ``make`` (which walks the segment and saves the file),
    one process at a time (:func:`search.engine.sidecar.read_or_make`). ``kept_as``: its
    key in ``kept`` when the same file is kept in two shapes."""
    path = sidecar.path_for(reader, name)
    return segment_part(reader, kept_as or name, kept,
                        lambda: sidecar.read_or_make(path, lambda: read(path), lambda: make(path)))


def segment_field_postings(reader, fieldname: str, numeric: bool = False,
                           keep: Callable[[str], bool] | None = None) -> dict[str, np.ndarray]:
    """Every term of one segment's field with its (segment-local) documents; ``keep``
    decides from a term's text, before its postings are read, whether it is wanted."""
    field = reader.schema[fieldname]
    terms = reader._terms
    local: dict[str, np.ndarray] = {}
    for (name, btext), info in terms.items_from(fieldname, b""):
        if name != fieldname or (numeric and btext[:1] != b"\x00"):
            break  # a numeric field's shifted (coarser) terms sort after its exact values
        value = str(numeric_key(field, btext)) if numeric else field.from_bytes(btext)
        if keep is not None and not keep(value):
            continue
        docs: list[np.ndarray] = []
        _read_info(terms, field.format, info, 0, docs, [], None)
        if docs:
            local[value] = np.concatenate(docs).astype(np.int32)
    return local


def numeric_key(field, term: bytes) -> int:
    """The sortable integer of a numeric field's full-precision term (Whoosh's encoding)."""
    return field._struct.unpack(term[1:])[0]


def _segment_id(reader) -> str | None:
    try:
        return reader.segment().segment_id()
    except AttributeError:
        return None


def _read_info(terms, format_, info, offset: int, docs_parts, freq_parts, values) -> None:
    if info.is_inlined():
        ids, weights, vals = info.inlined_postings()
        docs_parts.append(np.asarray(ids, dtype=np.int64) + offset)
        freq_parts.append(np.asarray(weights, dtype=np.float64) if weights is not None else np.ones(len(ids)))
        if values is not None:  # a format without values inlines none
            values.extend(vals if len(vals) == len(ids) else [None] * len(ids))
        return
    matcher = terms._codec.postings_reader(terms._postfile, info, format_)
    _read_blocks(matcher, offset, docs_parts, freq_parts, values)


def _read_blocks(matcher: W3LeafMatcher, offset: int, docs_parts, freq_parts, values) -> None:
    fixed = matcher.format.fixed_value_size()
    while matcher.is_active():
        matcher._read_data()
        ids, weights, vals = matcher._data
        n = matcher._blocklength
        docs_parts.append(np.cumsum(np.asarray(ids, dtype=np.int64)) + offset)
        if weights is None:
            freq_parts.append(np.ones(n))
        elif isinstance(weights, float):
            freq_parts.append(np.full(n, weights))
        else:
            freq_parts.append(np.asarray(weights, dtype=np.float64))
        if values is not None:
            if fixed is None or fixed < 0:
                values.extend(vals)
            else:
                values.extend([None] * n)
        matcher._next_block()


def field_lengths(leaves, fieldname: str, doc_count: int) -> np.ndarray:
    """Every article's length in ``fieldname`` as Whoosh scores it (its one-byte encoding)."""
    raw = np.zeros(doc_count, dtype=np.uint8)
    lenfield = _lenfield(fieldname)
    for reader, offset in leaves:
        perdoc = reader._perdoc
        column = perdoc._cached_reader(lenfield, LENGTHS_COLUMN) if perdoc.has_column(lenfield) else None
        if column is None:
            continue
        stored = column._count
        if stored:
            data = column._dbfile.get(column._basepos, stored)
            raw[offset:offset + stored] = np.frombuffer(data, dtype=np.uint8)
    return length_table()[raw]


def numeric_column(leaves, fieldname: str, doc_count: int) -> tuple[np.ndarray, int] | None:
    """A numeric column (``published``) as order-preserving int64 keys (see :func:`sort_key`)
    and the key that stands for "none" (Whoosh's column default); None where no segment
    has the column."""
    out: np.ndarray | None = None
    default = 0
    for reader, offset in leaves:
        if not reader.has_column(fieldname):
            continue
        column = reader.column_reader(fieldname, translate=False)
        dtype = np.dtype(column._typecode).newbyteorder(">")
        if out is None:
            default = sort_key(column._default, column._typecode)
            out = np.full(doc_count, default, dtype=np.int64)
        stored = column._count
        if stored:
            data = np.frombuffer(column._dbfile.get(column._basepos, stored * column._fixedlen), dtype=dtype)
            out[offset:offset + stored] = _keys(data)
    return None if out is None else (out, default)


def sort_key(value: int, typecode: str) -> int:
    """A column value as a signed 64-bit key in the same order (unsigned ones shifted)."""
    return value - (1 << 63) if typecode.isupper() else value


def _keys(data: np.ndarray) -> np.ndarray:
    if data.dtype.kind == "u":
        return (data.astype(np.uint64) ^ np.uint64(1 << 63)).view(np.int64)
    return data.astype(np.int64)


def live_documents(leaves, doc_count: int) -> np.ndarray:
    """True for every article not deleted (Whoosh keeps deleted ones until a merge)."""
    live = np.ones(doc_count, dtype=bool)
    for reader, offset in leaves:
        if reader.has_deletions():
            dead = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
            live[dead + offset] = False
    return live
