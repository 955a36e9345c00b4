"""Every request limit is enforced with a clear 400, configurable from the environment."""

import pytest

from indexer import IndexStore
from search.cli import cli
from search.engine.results import SearchRequest
from search.engine.searcher import Searcher
from search.errors import ConfigError
from search.limits import Limits
from search.web import create_app


def test_defaults_and_environment():
    assert Limits.from_env({}) == Limits()
    limits = Limits.from_env({"ZHSEARCH_MAX_QUERY_CHARS": "20", "ZHSEARCH_MAX_SEARCH_SECONDS": "0.5"})
    assert limits.query_chars == 20 and limits.search_seconds == 0.5 and limits.per_page == 100


@pytest.mark.parametrize("value", ["ten", "0", "-3", "1.5", "1e400", "nan", "inf", " "])
def test_bad_settings_are_refused_by_name(value):
    with pytest.raises(ConfigError, match="ZHSEARCH_MAX_PER_PAGE"):
        Limits.from_env({"ZHSEARCH_MAX_PER_PAGE": value})


@pytest.fixture
def strict(sample_index, monkeypatch):
    for name, value in {"QUERY_CHARS": "12", "QUERY_TERMS": "3", "PER_PAGE": "5", "DEPTH": "20",
                        "EXPORT_ROWS": "3", "KWIC_LINES": "4"}.items():
        monkeypatch.setenv(f"ZHSEARCH_MAX_{name}", value)
    return create_app({"index_dir": sample_index}).test_client()


@pytest.mark.parametrize("url, message", [
    ("/api/search?q=" + "买家保障" * 4, "longer than 12 characters"),
    ("/api/search?q=a b c d", "at most 3"),
    ("/api/search?q=1688&per_page=6", "between 1 and 5"),
    ("/api/search?q=1688&page=5&per_page=5", "deeper than 20"),
    ("/api/search?q=1688&format=csv", "more than the limit of 3"),
    ("/api/kwic?q=1688&limit=5", "between 1 and 4"),
    ("/api/trend?q=a b c d", "at most 3"),
    ("/api/timeline?q=a b c d", "at most 3"),
])
def test_each_limit_answers_400_with_the_reason(strict, url, message):
    response = strict.get(url)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_within_the_limits_all_is_normal(strict):
    assert strict.get("/api/search?q=1688&per_page=5&page=4").status_code == 200
    assert strict.get("/api/search?q=晚发必赔&format=csv").status_code == 200
    assert strict.get("/api/kwic?q=1688&limit=4").status_code == 200


def test_wildcards_are_text_not_expansions(client):
    body = client.get("/api/search?q=*").get_json()
    assert body["total"] == 0 and body["timed_out"] is False
    assert client.get("/api/search?q=1688 ?").get_json()["total"] > 0


def test_time_budget_answers_with_what_it_has(sample_index):
    store = IndexStore(sample_index)
    page = Searcher(store, limits=Limits(search_seconds=0)).search(SearchRequest(q="1688"))
    # matching (array passes) always runs: the count is exact; what follows it is left out
    assert page.timed_out and page.to_dict()["timed_out"] is True
    assert page.total > 0 and page.hits and not any(h.snippet for h in page.hits)
    page = Searcher(store).search(SearchRequest(q="1688"))
    assert not page.timed_out and page.total > 0 and any(h.snippet for h in page.hits)


def test_time_budget_is_shown_on_the_page_and_in_the_cli(sample_index, monkeypatch, runner):
    monkeypatch.setenv("ZHSEARCH_MAX_SEARCH_SECONDS", "0.0000001")
    html = create_app({"index_dir": sample_index}).test_client().get("/?q=1688").get_data(as_text=True)
    assert "搜索超时" in html
    out = runner.invoke(cli, ["search", "1688", "--index", str(sample_index)])
    assert out.exit_code == 0 and "Time budget reached" in out.output


def test_cli_reports_a_bad_setting_in_one_line(sample_index, monkeypatch, runner):
    monkeypatch.setenv("ZHSEARCH_MAX_QUERY_TERMS", "many")
    out = runner.invoke(cli, ["search", "1688", "--index", str(sample_index)])
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        "Error: ZHSEARCH_MAX_QUERY_TERMS must be a whole number of more than 0, got 'many'"]


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e400", "soon"])
def test_a_bad_time_budget_is_refused_by_name(value):
    with pytest.raises(ConfigError, match="^ZHSEARCH_MAX_SEARCH_SECONDS must be a number of more than 0"):
        Limits.from_env({"ZHSEARCH_MAX_SEARCH_SECONDS": value})


def test_a_misspelt_limit_is_refused_not_ignored():
    with pytest.raises(ConfigError, match="^ZHSEARCH_MAX_PERPAGE is not a setting; limits are: .*ZHSEARCH_MAX_PER_PAGE"):
        Limits.from_env({"ZHSEARCH_MAX_PERPAGE": "20"})


def test_every_research_path_keeps_the_budget_and_says_so(sample_index, monkeypatch):
    """KWIC and the timeline stop at the search budget with what they have (issue 13/17)."""
    quick = create_app({"index_dir": sample_index}).test_client()
    for path in ("/api/kwic?q=1688", "/api/timeline?q=1688"):
        body = quick.get(path).get_json()
        assert body["timed_out"] is False, path
    assert quick.get("/api/kwic?q=1688").get_json()["lines"]
    monkeypatch.setenv("ZHSEARCH_MAX_SEARCH_SECONDS", "0.0000001")
    hurried = create_app({"index_dir": sample_index}).test_client()
    for path in ("/api/kwic?q=1688", "/api/timeline?q=1688"):
        res = hurried.get(path)
        assert res.status_code == 200 and res.get_json()["timed_out"] is True, path
