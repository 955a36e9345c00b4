"""jieba's frequencies mapped from disk cut exactly as its own dict does (indexer.frequencies)."""

import jieba
import pytest

from indexer import frequencies
from indexer.analysis import jieba_for
from indexer.dictionary import Dictionary

SENTENCES = ["淘宝调整退货规则", "欧盟对进口钢铁征收碳关税", "现货安心购商家服务协议自12月1日起生效",
             "新能源汽车出口增长", "1688严选服务升级", "南京市长江大桥"]


@pytest.fixture(scope="module")
def loaded():
    """jieba as it loads itself, with the shipped domain words (the reference)."""
    return jieba_for(Dictionary.load())


def mapped_tokenizer(stem, owner_dict=None):
    tokenizer = jieba.Tokenizer()
    saved = frequencies.load(stem, owner=tokenizer)
    assert saved is not None
    tokenizer.FREQ, tokenizer.total = saved
    tokenizer.initialized = True
    return tokenizer


def test_mapped_frequencies_cut_as_jieba_does(tmp_path, loaded):
    stem = tmp_path / "freq"
    frequencies.save(stem, loaded.FREQ, loaded.total)
    mapped = mapped_tokenizer(stem)
    assert isinstance(mapped.FREQ, frequencies.MappedFrequencies)
    for text in SENTENCES:
        assert list(mapped.cut(text, HMM=False)) == list(loaded.cut(text, HMM=False))
        assert list(mapped.cut_for_search(text, HMM=False)) == list(loaded.cut_for_search(text, HMM=False))
    assert "安心购" in mapped.FREQ and mapped.FREQ["安心购"] == loaded.FREQ["安心购"]
    assert mapped.FREQ.get("不是一个词语吧", 7) == 7 and "一个超过十六个字的词语肯定不会在词典里面出现的吧" not in mapped.FREQ
    assert mapped.total == loaded.total and len(mapped.FREQ) == len(loaded.FREQ)


def test_a_busy_tokenizer_swaps_in_a_dict(tmp_path, loaded, monkeypatch):
    """Bulk cutting (indexing) must not pay a binary search per look-up."""
    stem = tmp_path / "freq"
    frequencies.save(stem, loaded.FREQ, loaded.total)
    monkeypatch.setattr(frequencies, "LOOKUPS_BEFORE_DICT", 50)
    mapped = mapped_tokenizer(stem)
    words = [list(mapped.cut(text, HMM=False)) for text in SENTENCES * 3]
    assert type(mapped.FREQ) is dict and mapped.FREQ == loaded.FREQ
    assert words == [list(loaded.cut(text, HMM=False)) for text in SENTENCES * 3]


def test_a_missing_or_damaged_file_is_no_file(tmp_path):
    stem = tmp_path / "freq"
    assert frequencies.load(stem) is None
    (tmp_path / "freq-words.npy").write_bytes(b"not numpy")
    (tmp_path / "freq-counts.npy").write_bytes(b"nor this")
    assert frequencies.load(stem) is None


def test_the_file_name_follows_the_words(tmp_path):
    """Other extra words, another file: an index never cuts with a stale dictionary."""
    a = frequencies.cache_path(jieba, Dictionary.load().fingerprint, tmp_path)
    b = frequencies.cache_path(jieba, Dictionary().fingerprint, tmp_path)
    assert a != b and a.parent == tmp_path
