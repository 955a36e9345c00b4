from datetime import date, datetime

import pytest
from hypothesis import given, settings, strategies as st

from corpus import CHINA_TZ, read_articles, sample_path
from indexer.rules import extract_facts, normalise_rule

SEED = list(read_articles([sample_path()]))

# item number in the listing -> (effective dates, announced dates, agreement names)
EXPECTED = {
    1: ((), (), ()), 2: ((), (), ()), 3: ((), (), ()), 4: ((), (), ()),
    5: ((), (), ("现货安心购商家服务协议",)), 6: ((), (), ()),
    7: (("2023-08-24",), (), ("安心购商家服务协议",)),
    8: (("2024-03-29",), (), ()),
    9: (("2023-03-20",), (), ("安心购商家服务协议",)),
    10: (("2024-09-12",), (), ()),
    11: (("2023-09-18",), (), ("1688履约保证险产品及服务升级公告",)),
    12: (("2024-09-05",), (), ()),
    13: ((), (), ()), 14: ((), (), ()), 15: ((), (), ()),
    16: (("2021-05-17",), (), ()),
    17: (("2024-08-31",), ("2024-08-23",), ("1688跨境交易争议处理规范",)),
    18: (("2023-06-01",), ("2023-05-26",), ("1688直播平台管理规范",)),
    19: (("2024-06-24",), ("2024-06-17",), ("交易争议处理规则",)),
    20: (("2024-03-01",), (), ("现货安心购商家服务协议",)),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_seed_article(number):
    article = SEED[number - 1]
    facts = extract_facts(article.title, article.content, article.published)
    effective, announced, rules = EXPECTED[number]
    assert [d.isoformat() for d in facts.effective] == list(effective)
    assert [d.isoformat() for d in facts.announced] == list(announced)
    assert facts.rules == rules
    assert "1688" in facts.platforms


def test_eleven_seed_articles_state_an_effective_date():
    assert sum(1 for a in SEED if extract_facts(a.title, a.content, a.published).effective) == 11


@pytest.mark.parametrize("number, platforms, programmes, kinds", [
    (1, ("1688",), ("买家保障服务",), ("治理",)),
    (5, ("1688",), ("安心购", "晚发必赔", "快速退款", "退货包运费"), ("调整", "取消", "新增")),
    (6, ("1688", "淘特"), ("淘特批发团", "退货保障服务"), ("发布",)),
    (12, ("1688",), ("假一赔四",), ("升级", "调整")),
    (13, ("1688",), ("官方直送",), ("升级",)),
])
def test_platforms_programmes_kinds(number, platforms, programmes, kinds):
    a = SEED[number - 1]
    facts = extract_facts(a.title, a.content, a.published)
    assert (facts.platforms, facts.programmes, facts.kinds) == (platforms, programmes, kinds)


PUBLISHED = datetime(2024, 12, 20, 10, 0, tzinfo=CHINA_TZ)


@pytest.mark.parametrize("text, effective, announced", [
    ("3月22日消息，平台发布公告。", (), ()),
    ("新规将于1月5日起生效。", (date(2025, 1, 5),), ()),
    ("新规将于12月25日起生效。", (date(2024, 12, 25),), ()),
    ("此次公告自发布之日起7日生效。", (), ()),
    ("规则于2024年8月23日公示，2024年8月31日生效。", (date(2024, 8, 31),), (date(2024, 8, 23),)),
    ("２０２４年３月１日起生效", (date(2024, 3, 1),), ()),
    ("自2025-02-01起执行新标准", (date(2025, 2, 1),), ()),
    ("平台调整了服务费，没有说明日期。", (), ()),
    ("2月30日生效", (), ()),
])
def test_tricky_sentences(text, effective, announced):
    facts = extract_facts("", text, PUBLISHED)
    assert facts.effective == effective and facts.announced == announced


def test_yearless_dates_need_a_publication_date():
    assert extract_facts("5月17日生效", "", None).effective == ()


def test_platform_numbers_are_not_parts_of_other_numbers():
    assert extract_facts("订单号16880123", "", None).platforms == ()
    assert extract_facts("1688上线新功能", "", None).platforms == ("1688",)


@pytest.mark.parametrize("raw", ["《现货“安心购”商家服务协议》", "《现货安心购商家服务协议》", "《现货 安心购 商家服务协议》",
                                 "《现货「安心购」商家服务协议》"])
def test_agreement_names_fold_to_one(raw):
    assert extract_facts(raw, "", None).rules == ("现货安心购商家服务协议",)
    assert normalise_rule(raw[1:-1]) == "现货安心购商家服务协议"


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("年月日号起生效公示将于消息0123456789，。《》安心购 -")), max_size=60))
def test_never_raises_and_never_invents(text):
    facts = extract_facts("", text, PUBLISHED)
    for day in facts.effective + facts.announced:
        assert str(day.month) in text and str(day.day) in text
