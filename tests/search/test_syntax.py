import re

import pytest

from search.errors import QueryError
from search.query.syntax import And, Not, Or, Phrase, Range, Text, parse


@pytest.mark.parametrize("query, tree", [
    ("晚发必赔", Text("晚发必赔")),
    ("1688 安心购", And((Text("1688"), Text("安心购")))),
    ('"商家服务协议"', Phrase("商家服务协议")),
    ("“全国统一大市场”", Phrase("全国统一大市场")),
    ("淘宝 OR 拼多多", Or((Text("淘宝"), Text("拼多多")))),
    ("淘宝 | 拼多多", Or((Text("淘宝"), Text("拼多多")))),
    ("1688 -淘宝", And((Text("1688"), Not(Text("淘宝"))))),
    ("1688 NOT 淘宝", And((Text("1688"), Not(Text("淘宝"))))),
    ("1688 AND 淘宝", And((Text("1688"), Text("淘宝")))),
    ("title:安心购", Text("安心购", "title")),
    ('title:"安心购 协议"', Phrase("安心购 协议", "title")),
    ("published:[2023-01-01 TO 2023-12-31]", Range("published", "2023-01-01", "2023-12-31")),
    ("date:[2024-03 TO *]", Range("published", "2024-03", "*")),
    ("published:2024", Range("published", "2024", "2024")),
    ("(淘宝 OR 天猫) 规则", And((Or((Text("淘宝"), Text("天猫"))), Text("规则")))),
    ('"没有闭合的引号', Phrase("没有闭合的引号")),
    ("   ", None),
])
def test_parse(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize("query, message", [
    ("(淘宝", "without ')'"),
    ("淘宝)", "without '('"),
    ("()", "empty parentheses"),
    ("淘宝 OR", "both sides"),
    ("NOT", "after it"),
    ("foo:bar", "unknown field 'foo'"),
    ("published:[2024]", "START TO END"),
    ("[2024 TO 2025]", "needs a field"),
])
def test_syntax_errors_say_what_is_wrong(query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(query)
