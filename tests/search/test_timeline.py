from search.cli import cli
from search.engine.results import SearchRequest
from search.research.timeline import timeline


def test_anxingou_changes_in_effective_date_order(searcher):
    data = timeline(searcher, SearchRequest(q="安心购"))
    dated = [(e["date"], e["dated_by"]) for e in data["entries"] if e["dated_by"] == "effective"]
    assert dated == [("2023-03-20", "effective"), ("2023-08-24", "effective"), ("2024-03-01", "effective")]
    days = [e["date"] for e in data["entries"]]
    assert days == sorted(days)
    last = data["entries"][-1]
    assert last["rules"] == ["现货安心购商家服务协议"] and "取消" in last["kinds"]
    assert len(last["sources"]) == 2, "the two reports of the same change are one entry"


def test_rule_and_platform_filters(searcher):
    data = timeline(searcher, SearchRequest(q="", rule="安心购商家服务协议"))
    assert [e["date"] for e in data["entries"]] == ["2023-03-20", "2023-08-24"]
    data = timeline(searcher, SearchRequest(q="", platform="淘特"))
    assert {e["title"] for e in data["entries"]} == {"“1688淘特批发团”退货保障服务规则发布",
                                                     "“1688淘特批发团”48小时发货服务规则发布"}


def test_what_is_in_force_on_a_day(searcher):
    data = timeline(searcher, SearchRequest(q=""), on="2024-03-01")
    rules = {tuple(e["rules"]): e["date"] for e in data["entries"]}
    assert rules[("安心购商家服务协议",)] == "2023-08-24"
    assert rules[("现货安心购商家服务协议",)] == "2024-03-01"
    assert all(e["date"] <= "2024-03-01" for e in data["entries"])


def test_timeline_api_and_cli(client, runner, sample_index):
    body = client.get("/api/timeline?q=安心购").get_json()
    assert body["entries"][-1]["date"] == "2024-03-01"
    assert client.get("/api/timeline?q=x&on=someday").status_code == 400
    out = runner.invoke(cli, ["timeline", "安心购", "--index", str(sample_index)]).stdout
    assert out.index("2023-03-20 生效") < out.index("2023-08-24 生效") < out.index("2024-03-01 生效")


def test_a_digest_mentioning_the_query_in_passing_is_not_a_change(tmp_path):
    from datetime import datetime

    from corpus import CHINA_TZ, Article
    from indexer import IndexStore, build_index
    from search.engine.searcher import Searcher

    store = IndexStore(tmp_path / "ix")
    when = datetime(2024, 6, 1, tzinfo=CHINA_TZ)
    build_index(store, [
        Article(id="rule", title="拼多多调整《自动跟价服务协议》", content="将于2024年7月1日生效。", published=when),
        Article(id="digest", title="早报：多家公司发布财报", content="拼多多发布财报，另《某规范》将于2024年7月2日生效。", published=when),
    ])
    entries = timeline(Searcher(store), SearchRequest(q="拼多多"))["entries"]
    assert [e["id"] for e in entries] == ["rule"]
