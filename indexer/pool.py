"""A posting pool kept in flat arrays, and a commit that writes Whoosh's blocks term by term.

Whoosh's own pool (``whoosh.writing.PostingPool``) keeps every posting as a Python tuple,
pickles full runs to temporary files and merges them back with ``heapq.merge``, one
``pickle.load`` per posting; its field writer then takes the postings one call at a time and
reads each document's field length from the length column, again per posting. On 5,000 long
articles that was 46% of the build (docs/performance.md, Indexing).

Here a posting is four array entries (term id, document, weight, value length) and its value
bytes go into one ``bytearray``. Over ``limitmb`` the pool sorts what it holds with numpy
and spills it to a run on disk, so memory stays bounded whatever the corpus size. At commit
the runs are merged a chunk of terms at a time (the chunk's extent in every run is known
from per-run term counts, so every read is sequential), and each block of up to 128
postings is handed to Whoosh's own ``W3PostingsWriter`` whole. The block encoding is
Whoosh's code, so the files are byte for byte what Whoosh writes.
"""

from __future__ import annotations

import os
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte

#: Postings merged and written per step at commit (bounds the merge's memory: each posting
#: becomes a few Python objects for the block writer).
CHUNK_POSTINGS = 1 << 18
#: Postings whose value bytes are reordered per step when a run is spilled (the gather's
#: index arrays take 8 bytes per value byte).
GATHER_POSTINGS = 1 << 16
#: Bytes per posting while it waits in the arrays (term id 4, document 4, weight 8, value
#: length 4) plus what sorting it takes (a 64-bit key, the 64-bit order, the sorted copies):
#: ``limitmb`` bounds the pool's peak, not just what it holds between spills.
POSTING_BYTES = 20 + 16 + 20
#: Estimated bytes per distinct term, which stays in memory until the commit (a dict entry,
#: the term's bytes object, its id, two array slots). The arrays get what the terms leave
#: of ``limitmb``, but never less than a quarter of it, so a huge vocabulary does not make
#: the pool spill every few postings.
TERM_BYTES = 120
_CHECK_EVERY = 1 << 14
_ARRAYS = (("tid", np.uint32), ("doc", np.uint32), ("weight", np.float64), ("vlen", np.uint32))

_TERMINFO = W3TermInfo._struct
#: Posting blocks whose pickle is shorter are not compressed: below this, zlib's own
#: header, checksum and code tables outweigh what it finds (on 3,000 news articles, blocks
#: under 80 bytes came out 1% larger compressed; from 80 bytes up, 10-60% smaller).
COMPRESS_FROM = 80

Progress = Callable[[int, int], None]


@dataclass
class _Run:
    """One sorted run on disk: its files, and how many postings each of its terms has."""

    stem: Path
    terms: np.ndarray  # term ids, in the run's (field, text, document) order
    counts: np.ndarray  # postings per term, same order

    def open(self) -> dict[str, object]:
        return {name: open(f"{self.stem}.{name}", "rb") for name, _ in _ARRAYS + (("blob", None),)}

    def remove(self) -> None:
        for name, _ in _ARRAYS + (("blob", None),):
            Path(f"{self.stem}.{name}").unlink(missing_ok=True)


class ArrayPostingPool:
    """Collects ``(fieldname, tbytes, docnum, weight, vbytes)`` postings in arrays.

    Documents must arrive in non-decreasing ``docnum`` order (a ``SegmentWriter`` numbers
    them as they come), which lets runs be concatenated without re-sorting documents.
    """

    def __init__(self, tempdir: str | os.PathLike[str], limitmb: int = 128):
        self.tempdir = Path(tempdir)
        self.limit = limitmb * 1024 * 1024
        self.fieldnames: set[str] = set()
        self._by_field: dict[str, dict[bytes, int]] = {}
        self._term_field: array = array("H")
        self._term_text: list[bytes] = []
        self._field_ids: dict[str, int] = {}
        self._field_list: list[str] = []
        self._runs: list[_Run] = []
        self.postings = 0
        self._reset()

    def _reset(self) -> None:
        self._tid, self._doc = array("I"), array("I")
        self._weight, self._vlen = array("d"), array("I")
        self._blob = bytearray()
        self._next_check = _CHECK_EVERY

    def _terms_of(self, fieldname: str) -> dict[bytes, int]:
        """The field's term ids, the field registered on first sight."""
        terms = self._by_field.get(fieldname)
        if terms is None:
            terms = self._by_field[fieldname] = {}
            self._field_ids[fieldname] = len(self._field_list)
            self._field_list.append(fieldname)
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._terms_of(fieldname)
        tid = terms.get(tbytes)
        if tid is None:
            tid = terms[tbytes] = len(self._term_text)
            self._term_text.append(tbytes)
            self._term_field.append(self._field_ids[fieldname])
        self._tid.append(tid)
        self._doc.append(docnum)
        self._weight.append(weight)
        if vbytes:
            self._blob += vbytes
            self._vlen.append(len(vbytes))
        else:
            self._vlen.append(0)
        if len(self._tid) >= self._next_check:
            self._check()

    def add_terms(self, fieldname: str, docnum: int, terms: list[bytes], weights: list[float],
                  values: list[bytes]) -> None:
        """One document's postings in one field: what ``add`` does per posting, for a list."""
        known = self._terms_of(fieldname)
        tids = [known.get(t) for t in terms]
        if None in tids:
            field_id = self._field_ids[fieldname]
            for i, tid in enumerate(tids):
                if tid is None:
                    tbytes = terms[i]
                    tid = known.get(tbytes)  # the same new term twice in one list
                    if tid is None:
                        tid = known[tbytes] = len(self._term_text)
                        self._term_text.append(tbytes)
                        self._term_field.append(field_id)
                    tids[i] = tid
        self._tid.extend(tids)
        self._doc.extend(array("I", (docnum,)) * len(tids))
        self._weight.extend(weights)
        self._vlen.extend([len(v) for v in values])
        self._blob += b"".join(values)
        if len(self._tid) >= self._next_check:
            self._check()

    def _check(self) -> None:
        """Spill to a run when the arrays (and the terms they name) pass ``limitmb``."""
        self._next_check = len(self._tid) + _CHECK_EVERY
        budget = max(self.limit - len(self._term_text) * TERM_BYTES, self.limit // 4)
        if len(self._tid) * POSTING_BYTES + len(self._blob) > budget:
            self.save()

    def ranks(self) -> np.ndarray:
        """Each term id's place in (field name, term bytes) order: Whoosh's posting order."""
        rank = np.empty(len(self._term_text), dtype=np.uint32)
        texts, start = self._term_text, 0
        for fieldname in sorted(self._by_field):
            ids = sorted(self._by_field[fieldname].values(), key=texts.__getitem__)
            rank[ids] = np.arange(start, start + len(ids), dtype=np.uint32)
            start += len(ids)
        return rank

    def save(self) -> None:
        """Sort what is in memory by (term, document) and write it as a run."""
        if not self._tid:
            return
        tid = np.frombuffer(self._tid, dtype=np.uint32)
        doc = np.frombuffer(self._doc, dtype=np.uint32)
        key = (self.ranks()[tid].astype(np.uint64) << np.uint64(32)) | doc
        order = np.argsort(key, kind="stable")
        vlen = np.frombuffer(self._vlen, dtype=np.uint32)
        stem = self.tempdir / f"{random_name()}.run"
        sorted_tid = tid[order]
        for name, values in (("tid", sorted_tid), ("doc", doc[order]),
                             ("weight", np.frombuffer(self._weight, dtype=np.float64)[order]),
                             ("vlen", vlen[order])):
            values.tofile(f"{stem}.{name}")
        _write_gathered(f"{stem}.blob", np.frombuffer(self._blob, dtype=np.uint8), vlen, order)
        change = np.flatnonzero(np.diff(sorted_tid)) + 1
        starts = np.concatenate(([0], change))
        counts = np.diff(np.concatenate((starts, [len(sorted_tid)])))
        self._runs.append(_Run(stem, sorted_tid[starts], counts))
        self.postings += len(sorted_tid)
        del tid, doc, vlen, key, order, sorted_tid
        self._reset()

    def cleanup(self) -> None:
        for run in self._runs:
            run.remove()
        self._runs = []

    def sorted_chunks(self) -> Iterator[_Chunk]:
        """All postings in (field, term, document) order, a bounded chunk at a time."""
        self.save()
        if not self._runs:
            return
        rank = self.ranks()
        nterms = len(self._term_text)
        run_ranks = [rank[run.terms] for run in self._runs]
        per_rank = np.zeros(nterms, dtype=np.int64)
        for r, run in zip(run_ranks, self._runs, strict=True):
            per_rank[r] += run.counts
        total = np.cumsum(per_rank)
        bounds = np.unique(np.searchsorted(total, np.arange(CHUNK_POSTINGS, total[-1], CHUNK_POSTINGS), "right"))
        bounds = np.concatenate((bounds, [nterms]))
        files = [run.open() for run in self._runs]
        run_ends = [np.concatenate(([0], np.cumsum(run.counts))) for run in self._runs]
        taken = [0] * len(self._runs)
        try:
            for high in bounds.tolist():
                parts = []
                for i, r in enumerate(run_ranks):
                    upto = int(run_ends[i][np.searchsorted(r, high)])
                    parts.append(_read(files[i], upto - taken[i]))
                    taken[i] = upto
                yield _Chunk.merge(parts, rank)
        finally:
            for handles in files:
                for handle in handles.values():
                    handle.close()

    def term(self, tid: int) -> tuple[str, bytes]:
        return self._field_list[self._term_field[tid]], self._term_text[tid]

    def iter_postings(self) -> Iterator[tuple]:
        """Whoosh's pool interface: every posting as a tuple, in order."""
        for chunk in self.sorted_chunks():
            for tid, start, end in chunk.terms():
                fieldname, text = self.term(tid)
                for i in range(start, end):
                    yield fieldname, text, int(chunk.doc[i]), float(chunk.weight[i]), chunk.values[i]


def _write_gathered(path: str, blob: np.ndarray, vlen: np.ndarray, order: np.ndarray) -> None:
    """Write the value bytes in ``order``, a slice of postings at a time (bounded memory)."""
    starts = np.concatenate(([0], np.cumsum(vlen, dtype=np.int64)))[:-1]
    with open(path, "wb") as out:
        for low in range(0, len(order), GATHER_POSTINGS):
            part = order[low:low + GATHER_POSTINGS]
            lens = vlen[part].astype(np.int64)
            if not lens.sum():
                continue
            new_starts = np.cumsum(lens) - lens
            index = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(starts[part] - new_starts, lens)
            blob[index].tofile(out)


def _read(handles: dict, count: int) -> dict[str, np.ndarray | bytes]:
    part: dict[str, np.ndarray | bytes] = {name: np.fromfile(handles[name], dtype=dtype, count=count)
                                           for name, dtype in _ARRAYS}
    part["blob"] = handles["blob"].read(int(part["vlen"].sum(dtype=np.int64)))
    return part


@dataclass
class _Chunk:
    """Postings of a run of consecutive terms, merged from every run, in order."""

    tid: np.ndarray
    doc: np.ndarray
    weight: np.ndarray
    values: list[bytes]

    def __post_init__(self) -> None:
        self.doc_list = self.doc.tolist()
        self.weight_list = self.weight.tolist()

    @classmethod
    def merge(cls, parts: list[dict], rank: np.ndarray) -> _Chunk:
        tid = np.concatenate([p["tid"] for p in parts])
        order = np.argsort(rank[tid], kind="stable")  # runs are in document order already
        vlen = np.concatenate([p["vlen"] for p in parts]).astype(np.int64)
        blob = b"".join(p["blob"] for p in parts)
        ends = np.cumsum(vlen).tolist()
        starts = (np.cumsum(vlen) - vlen).tolist()
        values = [blob[s:e] for s, e in zip(starts, ends, strict=True)]
        values = [values[i] for i in order.tolist()]
        return cls(tid[order], np.concatenate([p["doc"] for p in parts])[order],
                   np.concatenate([p["weight"] for p in parts])[order], values)

    def terms(self) -> Iterator[tuple[int, int, int]]:
        """(term id, start, end) for every term with postings in this chunk, in order."""
        if not len(self.tid):
            return
        change = np.flatnonzero(np.diff(self.tid)) + 1
        starts = np.concatenate(([0], change)).tolist()
        ends = np.concatenate((change, [len(self.tid)])).tolist()
        yield from zip(self.tid[starts].tolist(), starts, ends, strict=True)


def write_postings(fieldwriter: W3FieldWriter, schema, lengths, pool: ArrayPostingPool,
                   doccount: int, on_progress: Progress | None = None) -> None:
    """Write the pool's postings through ``fieldwriter``, a whole block per call.

    Equivalent to Whoosh's ``FieldWriter.add_postings(schema, lengths, pool.iter_postings())``
    for a ``W3FieldWriter``: the same start_field/start_term/finish_term calls, and each
    block's buffer filled as ``W3PostingsWriter.add_posting`` would have filled it.
    """
    field_lengths: dict[str, list[int]] = {}
    done, lastfield, fixedsize = 0, None, None
    for chunk in pool.sorted_chunks():
        for tid, start, end in chunk.terms():
            fieldname, text = pool.term(tid)
            if fieldname != lastfield:
                if lastfield is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                fixedsize = schema[fieldname].format.fixed_value_size()
                lastfield = fieldname
                if fieldname not in field_lengths:
                    field_lengths[fieldname] = _lengths(lengths, fieldname, doccount)
            _write_term(fieldwriter, text, chunk, start, end, field_lengths[fieldname], fixedsize)
        done += len(chunk.tid)
        if on_progress is not None:
            on_progress(done, pool.postings)
    if lastfield is not None:
        fieldwriter.finish_field()


def _lengths(lengths, fieldname: str, doccount: int) -> list[int]:
    """Each document's field length as Whoosh's writer sees it (0 for none)."""
    if lengths is None:
        return [0] * (doccount + 1)
    dfl = lengths.doc_field_length
    return [dfl(d, fieldname) or 0 for d in range(doccount)] + [0]


def _write_term(fieldwriter: W3FieldWriter, text: bytes, chunk: _Chunk, start: int, end: int,
                flen: list[int], fixedsize: int | None) -> None:
    """Write one term's posting blocks and its term-table row, in Whoosh 2.7.5's W3 format.

    The same steps as ``W3FieldWriter.start_term`` / ``W3PostingsWriter.add_posting`` (per
    posting) / ``_write_block`` / ``finish_postings`` / ``W3FieldWriter.finish_term``, in one
    function over plain lists: most terms have a handful of postings, where Whoosh's
    per-object calls (and numpy's per-call cost) are larger than the work. Two choices
    differ from Whoosh's own writer, both in the format its reader reads:

    - a term with a single posting (half a segment's terms: most bigrams of a news
      collection occur once) keeps it in its term-table row, as W3's ``inlinelimit``
      means to (Whoosh's writer cannot: it calls a ``set_inline`` its term info lacks),
      instead of a block of its own in the postings file;
    - a block whose pickle is under :data:`COMPRESS_FROM` bytes is stored as it is, as
      Whoosh's ``_write_block`` means to (its check is overwritten on the next line).

    tests/indexer/test_pool.py holds every term's postings and statistics, read back by
    Whoosh's own reader, to those of Whoosh's own writer.
    """
    if end - start == 1:
        _write_single(fieldwriter, text, chunk, start, flen)
        return
    postfile = fieldwriter._postfile
    postwriter = fieldwriter._postwriter
    limit, compression = postwriter._blocklimit, postwriter._compression
    offset = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total, df, minlength, maxlength, maxweight, minid, maxid = 0, 0, None, 0, 0, None, 0
    for low in range(start, end, limit):
        high = min(low + limit, end)
        ids = chunk.doc_list[low:high]
        raw = chunk.weight_list[low:high]
        weights = array("f", raw)
        values = [v for v in chunk.values[low:high] if v]
        lens = [flen[d] for d in ids]
        positive = [n for n in lens if n]
        block_min = min(positive) if positive else None
        block_max = max(lens) if positive else 0
        block_weight = max(0, max(raw))
        total += sum(weights)
        df += len(ids)
        minlength = block_min if minlength is None else min(minlength, block_min)
        maxlength = max(maxlength, block_max)
        maxweight = max(maxweight, block_weight)
        if minid is None:
            minid = ids[0]
        maxid = ids[-1]
        deltas = (ids[0], *(b - a for a, b in pairwise(ids)))
        if all(w == 1.0 for w in weights):
            mini_weights = None
        elif all(w == weights[0] for w in weights):
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        if fixedsize is None or fixedsize < 0:
            mini_values = tuple(values)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(values)
        data = dumps((deltas, mini_weights, mini_values), 2)
        level = compression if len(data) >= COMPRESS_FROM else 0
        if level:
            data = zlib.compress(data, level)
        info = dumps((len(ids), ids[-1], block_weight, level, length_to_byte(block_min),
                      length_to_byte(block_max)), 2)
        size = len(info) + len(data)
        postfile.write_int(-size if high == end else size)
        postfile.write(info)
        postfile.write(data)
    row = _TERMINFO.pack(False, total, df, 0 if minlength is None else length_to_byte(minlength),
                         length_to_byte(maxlength), maxweight, minid, maxid)
    row += pack_long(offset) + pack_int(postfile.tell() - offset)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + text, row)


def _write_single(fieldwriter: W3FieldWriter, text: bytes, chunk: _Chunk, at: int, flen: list[int]) -> None:
    """A one-posting term's row with the posting inlined, as ``W3TermInfo.to_bytes`` writes
    one (the weight rounded to a float32 as a block's ``array("f")`` would; no value when
    the format has none)."""
    doc = chunk.doc_list[at]
    weight = array("f", (chunk.weight_list[at],))[0]
    value = chunk.values[at]
    length = flen[doc]
    row = _TERMINFO.pack(True, weight, 1, length_to_byte(length) if length else 0, length_to_byte(length),
                         max(0, weight), doc, doc)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + text,
                            row + dumps(((doc,), (weight,), (value,) if value else ()), 2))
