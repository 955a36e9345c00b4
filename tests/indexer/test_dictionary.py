import pytest

from indexer import Dictionary, DictionaryError, word_analyzer


def test_userdict_adds_words_and_changes_the_fingerprint(tmp_path):
    user = tmp_path / "words.txt"
    user.write_text("# our words\n极兔速递 100 nz\n", "utf-8")
    base, mine = Dictionary.load(), Dictionary.load([user])
    assert mine.fingerprint != base.fingerprint
    assert mine.builtin_fingerprint == base.builtin_fingerprint
    assert "极兔速递" in [t.text for t in word_analyzer(mine)("极兔速递发布公告")]
    assert "极兔速递" not in [t.text for t in word_analyzer(base)("极兔速递发布公告")]


@pytest.mark.parametrize("content, message", [
    ("词 abc\n", "frequency must be a whole number"),
])
def test_bad_userdict_lines_are_reported_with_line(tmp_path, content, message):
    user = tmp_path / "bad.txt"
    user.write_text(content, "utf-8")
    with pytest.raises(DictionaryError, match=message):
        Dictionary.load([user])


def test_missing_userdict_is_a_clear_error(tmp_path):
    with pytest.raises(DictionaryError, match="not found"):
        Dictionary.load([tmp_path / "nope.txt"])


def test_discovery_proposes_words_jieba_splits():
    from indexer.discovery import suggest_words

    texts = ["极兔速递宣布涨价", "极兔速递回应", "今天极兔速递很忙", "极兔速递与顺丰"] * 2 + ["速递行业", "极兔出海"]
    found = {c.word: c for c in suggest_words(texts, Dictionary.load(), min_count=3)}
    assert "极兔速递" in found
    assert found["极兔速递"].count == 8 and len(found["极兔速递"].pieces) > 1
    assert not any(w.startswith("日") for w in found)
