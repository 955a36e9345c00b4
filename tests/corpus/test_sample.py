"""The bundled sample: the seed listing page, 20 articles, nothing of the page chrome."""

from datetime import datetime

import pytest

from corpus import CHINA_TZ, listing, read_articles, sample_path
from corpus.encoding import decode_lines


@pytest.fixture(scope="module")
def sample():
    skips = []
    articles = list(read_articles([sample_path()], on_skip=skips.append))
    assert skips == []
    return articles


def test_the_sample_is_package_data():
    path = sample_path()
    assert path.is_file() and path.name == "sample_dsb_1688.txt" and path.parent.parent.name == "corpus"


def test_twenty_articles(sample):
    assert len(sample) == 20


@pytest.mark.parametrize("item, title, published", [
    (1, "1688治理“买家保障服务”不达标商家", datetime(2023, 2, 9, 10, 58, 59)),
    (5, "1688调整《现货“安心购”商家服务协议》:不再提供晚发必赔补偿", datetime(2024, 2, 24, 15, 16, 6)),
    (11, "1688履约保证险产品及服务升级 保单将新增保障范围", datetime(2023, 9, 12, 17, 22, 44)),
    (16, "1688调整加工定制品发布信息限制 5月17日生效", datetime(2021, 5, 12, 15, 23, 45)),
    (20, "1688调整退货包运费机制 且不再提供晚发必赔补偿", datetime(2024, 2, 23, 17, 29, 30)),
])
def test_titles_and_times(sample, item, title, published):
    article = sample[item - 1]
    assert article.title == title
    assert article.published == published.replace(tzinfo=CHINA_TZ)
    assert article.published.isoformat().endswith("+08:00")


def test_content_is_the_summary_line_and_source_the_site(sample):
    assert sample[0].content == "近期平台发现少量卖家仍存在“买家保障服务”不符合平台要求的情况,1688平台将开展严肃治理。"
    assert sample[19].content.startswith("2月23日消息,1688发布《现货“安心购”商家服务协议》修改公告")
    assert {a.source for a in sample} == {"电商派"}
    assert {a.url for a in sample} == {a.category for a in sample} == {""}


def test_no_navigation_footer_or_pagination(sample):
    text = "\n".join(f"{a.title}\n{a.content}" for a in sample)
    for chrome in ("快速导航", "零售", "投稿合作", "版权声明", "Copyright", "ICP", "•", "‹", "›"):
        assert chrome not in text
    assert all(a.content and a.title != a.content for a in sample)


def test_ids_are_stable_and_unique(sample):
    again = [a.id for a in read_articles([sample_path()])]
    assert again == [a.id for a in sample]
    assert len(set(again)) == 20
    assert sample[3].title == sample[10].title and sample[3].id != sample[10].id


def test_each_item_is_on_the_line_of_its_title():
    with sample_path().open("rb") as raw:
        numbers = [number for number, _ in listing.read(decode_lines(raw, "utf-8"))]
    assert numbers == [17 + 3 * i for i in range(20)]
