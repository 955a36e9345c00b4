import doctest
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import CHINA_TZ, read_articles, sample_path
from indexer import facts as facts_module
from indexer.facts import RuleFacts, extract_facts, load_terms, normalise_rule

SEED = list(read_articles([sample_path()]))

# Item number in the listing -> (effective, announced, rule names). Eleven items state an
# effective date; the rest only describe a change (3 has just its `12月18日消息` dateline,
# 9's `自发布之日起7日生效` is relative and adds nothing to its explicit 2023-03-20).
SEED_DATES = {
    1: ((), (), ()),
    2: ((), (), ()),
    3: ((), (), ()),
    4: ((), (), ()),
    5: ((), (), ("现货安心购商家服务协议",)),
    6: ((), (), ("1688淘特批发团退货保障服务规则",)),
    7: (("2023-08-24",), (), ("安心购商家服务协议",)),
    8: (("2024-03-29",), (), ()),
    9: (("2023-03-20",), (), ("安心购商家服务协议",)),
    10: (("2024-09-12",), (), ()),
    11: (("2023-09-18",), (), ("1688履约保证险产品及服务升级公告",)),
    12: (("2024-09-05",), (), ()),
    13: ((), (), ()),
    14: ((), (), ("1688站外分销和销售服务规则",)),
    15: ((), (), ("1688淘特批发团48小时发货服务规则",)),
    16: (("2021-05-17",), (), ()),
    17: (("2024-08-31",), ("2024-08-23",), ("1688跨境交易争议处理规范",)),
    18: (("2023-06-01",), ("2023-05-26",), ("1688直播平台管理规范",)),
    19: (("2024-06-24",), ("2024-06-17",), ("交易争议处理规则",)),
    20: (("2024-03-01",), (), ("现货安心购商家服务协议",)),
}


def seed_facts(number: int) -> RuleFacts:
    article = SEED[number - 1]
    return extract_facts(article.title, article.content, article.published)


def test_seed_is_the_listing_we_expect():
    assert len(SEED) == 20
    assert SEED[6].title == "1688修订《安心购商家服务协议》"


@pytest.mark.parametrize("number", sorted(SEED_DATES))
def test_seed_dates_and_rules(number):
    effective, announced, rules = SEED_DATES[number]
    facts = seed_facts(number).to_dict()
    assert facts["effective"] == list(effective)
    assert facts["announced"] == list(announced)
    assert facts["rules"] == list(rules)
    assert facts["platforms"][0] == "1688"


def test_eleven_seed_articles_state_an_effective_date():
    stated = [n for n in SEED_DATES if seed_facts(n).effective]
    assert stated == [7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20]


@pytest.mark.parametrize("number, platforms, programmes, kinds", [
    (1, ("1688",), ("买家保障服务",), ("治理",)),
    (2, ("1688",), ("安心购", "真实工厂保障"), ("新增",)),
    (3, ("1688",), ("分销通",), ("升级",)),
    (5, ("1688",), ("安心购", "晚发必赔", "快速退款", "退货包运费"), ("调整", "取消", "新增")),
    (6, ("1688", "淘特"), ("淘特批发团", "退货保障服务"), ("发布",)),
    (8, ("1688",), ("破损包赔",), ("新增",)),
    (9, ("1688",), ("安心购", "印错包赔"), ("新增",)),
    (10, ("1688",), ("买家保障服务", "退货包运费", "极速退款"), ("升级", "新增")),
    (12, ("1688",), ("假一赔四",), ("升级", "调整")),
    (13, ("1688",), ("官方直送",), ("升级",)),
    (15, ("1688", "淘特"), ("淘特批发团", "48小时发货"), ("发布",)),
    (17, ("1688",), (), ("修订", "调整")),
    (19, ("1688",), (), ("调整",)),
    (20, ("1688",), ("退货包运费", "晚发必赔", "安心购", "快速退款"), ("调整", "取消", "发布", "修订", "新增")),
])
def test_seed_platforms_programmes_kinds(number, platforms, programmes, kinds):
    facts = seed_facts(number)
    assert (facts.platforms, facts.programmes, facts.kinds) == (platforms, programmes, kinds)


PUBLISHED = datetime(2024, 12, 20, 10, 0, tzinfo=CHINA_TZ)
D = date


@pytest.mark.parametrize("text, effective, announced", [
    ("3月22日消息，平台发布公告。", (), ()),
    ("3月22日消息 1688上线新功能", (), ()),
    ("新规将于1月5日起生效。", (D(2025, 1, 5),), ()),                     # year rollover
    ("新规将于12月25日起生效。", (D(2024, 12, 25),), ()),
    ("新规于10月1日起施行。", (D(2025, 10, 1),), ()),                     # > 60 days back
    ("新规于11月1日起施行。", (D(2024, 11, 1),), ()),                     # < 60 days back
    ("此次公告自发布之日起7日生效。", (), ()),
    ("规则于2024年8月23日公示，2024年8月31日生效。", (D(2024, 8, 31),), (D(2024, 8, 23),)),
    ("规则2024年8月23日公示2024年8月31日生效", (D(2024, 8, 31),), (D(2024, 8, 23),)),
    ("２０２４年３月１日起生效", (D(2024, 3, 1),), ()),
    ("二〇二四年三月一日起施行", (D(2024, 3, 1),), ()),
    ("自2025-02-01起执行新标准", (D(2025, 2, 1),), ()),
    ("新规将于2025/2/1正式执行", (D(2025, 2, 1),), ()),
    ("于2024年06月24日进行变更生效", (D(2024, 6, 24),), ()),
    ("生效日期：2025年1月1日", (D(2025, 1, 1),), ()),
    ("将于2024年3月29日新增“破损包赔”", (D(2024, 3, 29),), ()),
    ("于2024年3月29日新增“破损包赔”", (), ()),                           # past 新增 is not a go-live
    ("平台将于9月12日起升级买家保障服务", (D(2025, 9, 12),), ()),
    ("2024年3月1日发布的规则已经生效", (), ()),
    ("平台调整了服务费，没有说明日期。", (), ()),
    ("2月30日生效", (), ()),
    ("订单号120243月1日起", (), ()),
])
def test_tricky_sentences(text, effective, announced):
    facts = extract_facts("", text, PUBLISHED)
    assert (facts.effective, facts.announced) == (effective, announced)


def test_yearless_dates_need_a_publication_date():
    assert extract_facts("5月17日生效", "", None).effective == ()
    assert extract_facts("2021年5月17日生效", "", None).effective == (D(2021, 5, 17),)


def test_title_dates_count_and_merge_with_body_dates():
    facts = extract_facts("调整发布信息限制 5月17日生效", "此调整于2021年5月17日生效。",
                          datetime(2021, 5, 12, tzinfo=CHINA_TZ))
    assert facts.effective == (D(2021, 5, 17),)


@pytest.mark.parametrize("text, platforms", [
    ("1688上线新功能", ("1688",)),
    ("订单号16880123", ()),
    ("编号21688", ()),
    ("1688APP改版", ("1688",)),
    ("淘宝特价版更名", ("淘特",)),
    ("淘宝网和天猫、ＰＤＤ", ("淘宝", "天猫", "拼多多")),
    ("updd不是拼多多的简称", ("拼多多",)),
    ("抖音电商与快手", ("抖音", "快手")),
])
def test_platforms(text, platforms):
    assert extract_facts(text, "", None).platforms == platforms


@pytest.mark.parametrize("raw", ["《现货“安心购”商家服务协议》", "《现货安心购商家服务协议》",
                                 "《现货 安心购 商家服务协议》", "《现货「安心购」商家服务协议》",
                                 "《现货＂安心购＂商家服务协议》"])
def test_rule_names_fold_to_one(raw):
    assert extract_facts(raw, "", None).rules == ("现货安心购商家服务协议",)
    assert normalise_rule(raw) == "现货安心购商家服务协议"


@pytest.mark.parametrize("text, rules", [
    ("拟变更《1688 跨境交易争议处理规范》", ("1688跨境交易争议处理规范",)),
    ("《Ａ规则》与《B规则》，再提《Ａ规则》", ("A规则", "B规则")),
    ("“1688淘特批发团”退货保障服务规则发布", ("1688淘特批发团退货保障服务规则",)),
    ("商家应当遵守“48小时发货服务”、“退货保障服务”要求", ()),
    ("“安心购”商家需要遵守平台规则", ()),
])
def test_rule_names(text, rules):
    assert extract_facts("", text, None).rules == rules


def test_terms_are_loaded_from_the_shipped_lists():
    platforms, programmes = load_terms("platforms"), load_terms("programmes")
    assert platforms["淘宝网"] == "淘宝" and platforms["pdd"] == "拼多多" and platforms["1688"] == "1688"
    assert programmes["安心购"] == "安心购" and programmes["现货安心购"] == "安心购"
    load_terms("platforms")["淘宝网"] = "changed"        # callers get a copy
    assert load_terms("platforms")["淘宝网"] == "淘宝"
    with pytest.raises(ValueError):
        load_terms("people")


def test_to_dict_is_plain_json_data():
    facts = RuleFacts(effective=(D(2024, 3, 1),), rules=("x",), kinds=("调整",))
    assert facts.to_dict() == {"effective": ["2024-03-01"], "announced": [], "rules": ["x"],
                               "platforms": [], "programmes": [], "kinds": ["调整"]}


def test_doctests():
    assert doctest.testmod(facts_module).failed == 0


# -- properties ---------------------------------------------------------------------------

CN_DIGITS = "〇一二三四五六七八九"


def spellings(n: int) -> set[str]:
    """How a month or day number may be written: 6, 06, 六, 十六, 二十六."""
    tens, units = divmod(n, 10)
    cn = (CN_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    cn += CN_DIGITS[units] if units else ""
    return {str(n), f"{n:02d}", cn}


DATEISH = st.text(
    alphabet=st.sampled_from(list("年月日号起生效公示将于消息上线新增升级的0123456789〇一二十，。-/ ")),
    max_size=60)
PUBLISHED_ANY = st.none() | st.datetimes()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.text(max_size=200), PUBLISHED_ANY)
def test_never_raises_on_any_text(title, content, published):
    assert isinstance(extract_facts(title, content, published), RuleFacts)


@settings(max_examples=300, deadline=None)
@given(DATEISH, PUBLISHED_ANY)
def test_every_date_is_written_in_the_text(text, published):
    folded = unicodedata.normalize("NFKC", text)
    facts = extract_facts("", text, published)
    for day in facts.effective + facts.announced:
        assert any(s in folded for s in spellings(day.month))
        assert any(s in folded for s in spellings(day.day))
    assert list(facts.effective) == sorted(set(facts.effective))


@given(st.text(max_size=40))
def test_normalise_rule_is_idempotent(name):
    once = normalise_rule(name)
    assert normalise_rule(once) == once
