"""The dictionary scan behind the word-boundary rule (search.engine.boundaries)."""

from indexer import Dictionary
from search.engine.boundaries import MAX_CONTAINING, DictionaryWords


def test_the_words_holding_a_fragment_come_from_the_index_dictionary():
    words = DictionaryWords(Dictionary.load())
    assert "安心购" in words.containing("心购")  # a shipped domain word
    assert "和服" in words.containing("和服")
    assert all("国会" in w for w in words.containing("国会"))
    assert words.containing("齉龘") == ()


def test_a_productive_fragment_is_left_alone():
    """`中国` is inside thousands of words: checking them all would cost more than it tells."""
    words = DictionaryWords(Dictionary.load())
    assert words.containing("中国") is None
    assert 0 < len(words.containing("运费险")) <= MAX_CONTAINING
