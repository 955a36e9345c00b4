"""`zhsearch eval --unjudged`: the top-10 articles a qrels file has no grade for, on a small real index.

What the listing should hold is read off `zhsearch search --json` (what a user sees, collapsed
reports right after their hit), not off the code under test.
"""

import doctest
import json

import pytest

from corpus import Article
from indexer import IndexStore, build_index
from search.cli import cli
from search.research import unjudged as unjudged_module

#: Fourteen different stories about 光伏, so `光伏` has more hits than the top 10 holds.
SOLAR = ["光伏组件价格下调", "光伏装机量创新高", "光伏企业出海加速", "光伏玻璃供需转向", "光伏电站并网发电",
         "光伏扶贫项目验收", "光伏硅料库存上升", "光伏行业协会发布报告", "屋顶光伏补贴政策出台", "光伏逆变器出口增长",
         "光伏产业链价格企稳", "沙漠光伏基地开工", "光伏治沙成效显著", "光伏储能一体化示范"]
#: Two reports of one story, so that one is folded under the other and has its own rank.
TWIN = "光伏减产"
LONG_CONTENT = "光伏" + "产业链上下游价格持续调整，" * 12
FILLER = ["央行开展逆回购操作", "多地出台稳就业措施", "国际油价小幅上涨", "高铁客流创新高"]


@pytest.fixture(scope="module")
def solar_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("unjudged-index")
    articles = [Article(id=f"s{i:02d}", title=t, content=f"{t}。{LONG_CONTENT if i == 0 else '相关报道。'}")
                for i, t in enumerate(SOLAR)]
    articles += [Article(id="twin-a", title=TWIN, content=TWIN, source="甲报"),
                 Article(id="twin-b", title=TWIN, content=TWIN, source="乙报")]
    articles += [Article(id=f"filler{i}", title=t, content=t) for i, t in enumerate(FILLER)]
    build_index(IndexStore(path), articles)
    return path


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def seen_by_user(runner, index, query: str) -> list[tuple[str, str]]:
    """(id, title) in the order the search results show them, folded reports after their hit."""
    body = json.loads(invoke(runner, "search", query, "--json", "--index", str(index), "--limit", "30").stdout)
    return [(d["id"], d["title"]) for h in body["hits"] for d in (h, *h["similar_reports"])]


def write_qrels(path, *queries: dict):
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), "utf-8")
    return path


@pytest.fixture
def judged(runner, solar_index, tmp_path):
    """q1 judges ranks 1, 3 (grade 0: a judgment too) and 4 and something below the top 10;
    q2 judges its whole top 10; q3 finds nothing."""
    seen = seen_by_user(runner, solar_index, "光伏")
    assert len(seen) > 12 and any(i.startswith("twin") for i, _ in seen[:10]), "the index must exercise the cut"
    grades = {seen[0][0]: 2, seen[2][0]: 0, seen[3][0]: 1, seen[11][0]: 1, "not-in-index": 2}
    twins = seen_by_user(runner, solar_index, TWIN)
    qrels = write_qrels(tmp_path / "qrels.jsonl",
                        {"qid": "q1", "query": "光伏", "type": "keyword", "judgments": grades},
                        {"qid": "q2", "query": TWIN, "type": "keyword", "judgments": {i: 2 for i, _ in twins[:10]}},
                        {"qid": "q3", "query": "不存在的词语组合", "type": "keyword", "judgments": {"s00": 0}})
    expected = [(rank, i, t) for rank, (i, t) in enumerate(seen[:10], 1) if i not in grades]
    return qrels, expected


def test_lists_exactly_the_unjudged_top_ten_in_rank_order(runner, solar_index, judged):
    qrels, expected = judged
    body = json.loads(invoke(runner, "eval", str(qrels), "--unjudged", "--json", "--index", str(solar_index)).stdout)
    assert [q["qid"] for q in body] == ["q1"], "queries with nothing to judge are left out"
    assert body[0]["query"] == "光伏"
    assert [(a["rank"], a["id"], a["title"]) for a in body[0]["unjudged"]] == expected
    assert len(expected) == 7
    assert all(set(a) == {"id", "rank", "title", "lead"} for a in body[0]["unjudged"])


def test_the_lead_is_the_opening_of_the_text_on_one_line(runner, solar_index, tmp_path):
    qrels = write_qrels(tmp_path / "qrels.jsonl",
                        {"qid": "q1", "query": "光伏组件价格下调", "type": "keyword", "judgments": {}})
    body = json.loads(invoke(runner, "eval", str(qrels), "--unjudged", "--json", "--index", str(solar_index)).stdout)
    first = next(a for a in body[0]["unjudged"] if a["id"] == "s00")
    assert first["lead"] == f"{SOLAR[0]}。{LONG_CONTENT}"[:80] + "…"


def test_terminal_listing_groups_by_query_and_counts(runner, solar_index, judged):
    qrels, expected = judged
    text = invoke(runner, "eval", str(qrels), "--unjudged", "--index", str(solar_index)).stdout
    lines = text.splitlines()
    assert lines[0] == "q1  光伏"
    listed = [line for line in lines if line[:6].strip().rstrip(".").isdigit()]
    assert listed == [f"  {rank:>3}. {i}  {title}" for rank, i, title in expected]
    assert "q2" not in text and "q3" not in text
    assert lines[-1] == "7 unjudged articles in the top 10 of 1 query (3 checked)"
    assert "nDCG" not in text, "a listing, not the scores"


def test_nothing_to_judge_says_so(runner, solar_index, tmp_path):
    qrels = write_qrels(tmp_path / "qrels.jsonl",
                        {"qid": "q3", "query": "不存在的词语组合", "type": "keyword", "judgments": {}})
    assert invoke(runner, "eval", str(qrels), "--unjudged", "--json", "--index", str(solar_index)).stdout.strip() == "[]"
    text = invoke(runner, "eval", str(qrels), "--unjudged", "--index", str(solar_index)).stdout
    assert text.strip() == "0 unjudged articles in the top 10 of 0 queries (1 checked)"


@pytest.mark.parametrize("line, message", [
    ('{"qid": "q1", "query": "光伏"}', "qrels.jsonl:1: not a judged query"),
    ("{broken", "qrels.jsonl:1: not a judged query"),
])
def test_a_bad_qrels_file_is_a_usage_error(runner, solar_index, tmp_path, line, message):
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text(line + "\n", "utf-8")
    result = runner.invoke(cli, ["eval", str(qrels), "--unjudged", "--index", str(solar_index)])
    assert result.exit_code == 2 and message in result.stderr


def test_a_missing_index_is_an_error_not_the_sample(runner, tmp_path):
    qrels = write_qrels(tmp_path / "qrels.jsonl", {"qid": "q1", "query": "光伏", "type": "keyword", "judgments": {}})
    result = runner.invoke(cli, ["eval", str(qrels), "--unjudged", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no index at" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_docstring_examples():
    result = doctest.testmod(unjudged_module)
    assert result.attempted > 0 and result.failed == 0
