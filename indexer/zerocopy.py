"""Whoosh readers without a private copy of the index (installed by :mod:`indexer.whoosh_compat`).

Whoosh maps each segment file into memory, then wraps every sub-file (postings, term index)
in ``io.BytesIO(memoryview)``, and ``BytesIO`` copies what it is given. So every open reader
held the whole postings file in private memory: 645 MB for the 125,800-article index, per
reader, and a server keeps one reader per thread, plus the previous one while an update
lands. The load test found a server at 12.7 GB. Here the sub-file is read through the
mapped view itself, which the kernel shares between readers and processes.
"""

from __future__ import annotations


class ViewFile:
    """The part of a file object Whoosh's ``StructFile`` and ``pickle`` use, over a memoryview."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start, length = self._pos, len(self._view)
        end = length if size is None or size < 0 else min(length, start + size)
        self._pos = end
        return bytes(self._view[start:end])

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        end = self._pos
        while end < limit:
            chunk = bytes(self._view[end:min(limit, end + 4096)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        return self.read(end - self._pos)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._view = memoryview(b"")


def buffer_file_init(self, buf, name=None, onclose=None) -> None:
    """``BufferFile.__init__`` reading through a view of ``buf`` instead of a copy of it."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(memoryview(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False
