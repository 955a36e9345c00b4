"""Whoosh readers read the mapped index in place instead of each holding a private copy."""

import pickle

from whoosh.filedb.structfile import BufferFile

from indexer import IndexStore, whoosh_compat
from indexer.zerocopy import ViewFile


def anon_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))


def test_a_buffer_file_does_not_copy_its_buffer():
    whoosh_compat.install()
    data = bytearray(64 * 1024 * 1024)
    data[-1] = 7
    before = anon_kb()
    files = [BufferFile(memoryview(data)) for _ in range(4)]
    assert anon_kb() - before < 8 * 1024  # four copies would be 256 MB
    assert files[0].get(len(data) - 1, 1) == b"\x07"


def test_view_file_reads_seeks_and_unpickles_like_a_file():
    payload = b"line one\nline two\n" + pickle.dumps({"词": [1, 2, 3]})
    f = ViewFile(memoryview(payload))
    assert f.readline() == b"line one\n" and f.read(4) == b"line"
    assert f.seek(-3, 1) == 10 and f.tell() == 10
    f.seek(18)
    assert pickle.load(f) == {"词": [1, 2, 3]} and f.read() == b""
    f.seek(0)
    assert list(f)[:2] == [b"line one\n", b"line two\n"]


def test_many_searchers_on_a_real_index_share_its_memory(sample_index):
    ix = IndexStore(sample_index).open()
    first = ix.searcher()
    before = anon_kb()
    others = [ix.searcher() for _ in range(20)]
    assert anon_kb() - before < 4 * 1024
    assert all(s.doc_count() == first.doc_count() == 20 for s in others)
