"""Dates at the calendar's edges, in every place a date goes in: answered, or a 400 naming it.

A period's end used to be computed by adding the period to its start, which overflows
``date`` in December 9999: ``to=9999-12-31`` answered 500 on every endpoint.
"""

from __future__ import annotations

import pytest

from search.cli import cli

EDGE_DATES = ["0001", "0001-01", "0001-01-01", "9999", "9999-12", "9999-12-31", "9999年12月31日"]
BAD_DATES = ["0000", "0000-12-31", "10000", "9999-13", "9999-12-32", "2024-02-30"]
#: Every GET route that reads the search parameters (the export is /api/search?format=csv).
ROUTES = ["/api/search", "/api/search?format=csv", "/api/search?all=1", "/api/trend", "/api/timeline",
          "/api/kwic", "/"]
DATE_PARAMS = ["from", "to", "effective_from", "effective_to"]


def get(client, route: str, **params: str):
    path, _, extra = route.partition("?")
    query = dict(pair.split("=") for pair in extra.split("&")) if extra else {}
    res = client.get(path, query_string={"q": "安心购", **query, **params})
    body = res.get_data(as_text=True)  # read it all: exports stream
    res.close()
    return res.status_code, body


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("value", EDGE_DATES)
def test_edge_dates_are_answered_in_every_date_parameter(client, route, value):
    for name in DATE_PARAMS:
        status, body = get(client, route, **{name: value})
        assert status == 200, (route, name, value, body[:300])


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("value", BAD_DATES)
def test_dates_outside_the_calendar_are_400s_naming_parameter_and_value(client, route, value):
    for name in DATE_PARAMS:
        status, body = get(client, route, **{name: value})
        assert status == 400, (route, name, value, body[:300])
        assert f"{name}: " in body and value in body, body[:300]


@pytest.mark.parametrize("query", [
    "published:[9999-12-31 TO *]", "published:9999-12", "date:[0001 TO 9999]", "effective:[* TO 9999-12-31]",
    "effective:[9999 TO *]", "announced:0001-01-01", "安心购 effective:[* TO *]"])
def test_edge_ranges_in_the_query_are_answered(client, query):
    for route in ROUTES:
        status, body = get(client, route, q=query)
        assert status == 200, (route, query, body[:300])


def test_a_range_reaching_year_9999_finds_what_a_plain_search_finds(client):
    everything = client.get("/api/search?q=安心购&per_page=100").get_json()["total"]
    assert everything > 0
    for query in ("安心购 published:[2000 TO 9999-12-31]", "安心购 published:[0001 TO *]"):
        assert client.get("/api/search", query_string={"q": query, "per_page": 100}).get_json()["total"] == everything


@pytest.mark.parametrize("on", ["9999-12-31", "9999", "0001-01-01"])
def test_timeline_on_a_day_at_the_edges(client, on):
    body = client.get("/api/timeline", query_string={"q": "安心购", "on": on}).get_json()
    assert body["on"] == on
    assert all(e["date"] <= "9999-12-31" for e in body["entries"])
    if on.startswith("9999"):  # everything has taken effect by then: the latest change per agreement
        assert "2024-03-01" in [e["date"] for e in body["entries"]]
    else:
        assert body["entries"] == []


@pytest.mark.parametrize("on", ["10000", "0000-01-01", "someday", "2024-02-30"])
def test_timeline_on_a_bad_day_is_a_400_naming_it(client, on):
    res = client.get("/api/timeline", query_string={"q": "安心购", "on": on})
    assert res.status_code == 400
    assert res.get_json()["error"]["message"].startswith("on: ") and on in res.get_json()["error"]["message"]


@pytest.mark.parametrize("args", [
    ["search", "安心购", "--to", "9999-12-31"], ["search", "安心购", "--from", "9999"],
    ["search", "published:[9999-12 TO *]"], ["search", "安心购", "--effective-to", "9999-12-31"],
    ["trend", "安心购", "--to", "9999-12-31"], ["kwic", "安心购", "--to", "9999-12"],
    ["timeline", "安心购", "--on", "9999-12-31"], ["search", "安心购", "--all", "--to", "9999-12-31"],
])
def test_cli_answers_edge_dates(runner, sample_index, args):
    result = runner.invoke(cli, [*args, "--index", str(sample_index)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args", [
    ["search", "安心购", "--to", "10000"], ["search", "安心购", "--from", "0000"],
    ["search", "published:[9999-13 TO *]"], ["search", "安心购", "--effective-from", "9999-12-32"],
    ["trend", "安心购", "--from", "0000"], ["kwic", "安心购", "--to", "2024-02-30"],
    ["timeline", "安心购", "--on", "10000"], ["search", "安心购", "--all", "--to", "0000"],
])
def test_cli_refuses_bad_dates_with_exit_2_and_one_line(runner, sample_index, args):
    result = runner.invoke(cli, [*args, "--index", str(sample_index)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    bad = next(a for a in args if any(ch.isdigit() for ch in a) and a != "安心购")
    assert bad.split("[")[-1].split(" ")[0] in lines[0]
