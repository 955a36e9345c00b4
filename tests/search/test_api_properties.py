"""No query string a client can send makes any route answer 500 or leave its shape.

The strategies reach the edges on purpose: the calendar's first and last days in every date
parameter and query field, the deepest page the limits allow, the largest ``per_page``, and
the page routes as well as the API (a 500 at year 9999 went unseen while they did not).
"""

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.limits import Limits

LIMITS = Limits()
QUERY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80) | st.sampled_from([
    '"', "“未闭合", "((", "))", "a OR", "NOT", "-", "*", "?", "title:", "published:[", "published:[2024 TO",
    "effective:[2025-13-01 TO *]", "rule:", "platform:\"\"", "foo:bar", "x" * 600, "\x00", "𠀀𠀁", "\u200b"])
NUMBER = st.one_of(st.integers(-10**6, 10**6).map(str), st.text(max_size=5), st.just("1e9"))
#: Dates at and just past the calendar's ends, in every spelling, with the ordinary ones.
EDGE_DATE = st.sampled_from([
    "", "*", "0001", "0001-01", "0001-01-01", "9999", "9999-12", "9999-12-31", "9999年12月31日", "9999/12/31",
    "0000", "10000", "9999-12-32", "9999-13", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29",
    "2024", "2024-02-30", "tomorrow", "2024年3月", " 2024"])
DATE_FIELD = st.sampled_from(["published", "date", "effective", "announced"])
#: The deepest page and the largest per_page the limits allow, and one past each.
PAGING = st.sampled_from([
    (1, LIMITS.per_page), (LIMITS.depth // LIMITS.per_page, LIMITS.per_page), (LIMITS.depth, 1),
    (LIMITS.depth // LIMITS.per_page + 1, LIMITS.per_page), (1, LIMITS.per_page + 1), (LIMITS.depth + 1, 1)])
ROUTES = ("/api/search", "/api/trend", "/api/timeline", "/api/kwic", "/api/search?format=csv", "/",
          "/?view=timeline")


def get(client, route: str, params: dict[str, str]):
    path, _, extra = route.partition("?")
    res = client.get(path + "?" + urlencode({**dict(p.split("=") for p in extra.split("&") if p), **params}))
    body = res.get_data(as_text=True)  # exports stream: read them whole
    res.close()
    return res, body


def assert_answered(res, body, route):
    assert res.status_code in (200, 400), (route, res.status_code, body[:300])
    if not route.startswith("/api/"):  # a page for people, whatever happened
        assert body.startswith("<!doctype html>") and 'class="searchbox"' in body
    elif res.status_code == 400:
        data = res.get_json()
        assert set(data) == {"error"} and data["error"]["message"] and data["error"]["code"]
    elif "format=" not in route:  # exports are CSV; everything else JSON
        assert isinstance(res.get_json(), dict) and res.get_json()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY_TEXT, page=NUMBER, per_page=NUMBER, sort=st.sampled_from(["", "relevance", "newest", "x"]),
       date=EDGE_DATE)
def test_search_api_never_fails(client, q, page, per_page, sort, date):
    params = {"q": q, "page": page, "per_page": per_page, "sort": sort, "from": date, "effective_to": date}
    res, body = get(client, "/api/search", params)
    assert_answered(res, body, "/api/search")
    if res.status_code == 200:
        assert isinstance(res.get_json()["hits"], list) and res.get_json()["total"] >= 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY_TEXT)
def test_other_endpoints_never_fail(client, q):
    for route in ROUTES:
        res, body = get(client, route, {"q": q})
        assert_answered(res, body, route)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), param=st.sampled_from(["from", "to", "effective_from", "effective_to"]),
       date=EDGE_DATE, other=EDGE_DATE, field=DATE_FIELD, paging=PAGING, word=st.sampled_from(["", "安心购", "1688"]))
def test_every_route_answers_edge_dates_and_paging(client, route, param, date, other, field, paging, word):
    page, per_page = paging
    params = {"q": f"{word} {field}:[{date or '*'} TO {other or '*'}]".strip(), param: date,
              "page": str(page), "per_page": str(per_page)}
    if route == "/api/timeline":
        params["on"] = other
    res, body = get(client, route, params)
    assert_answered(res, body, route)
    deepest_ok = page * per_page <= LIMITS.depth and per_page <= LIMITS.per_page
    if res.status_code == 400 and route == "/api/search" and "deeper" in body:
        assert not deepest_ok, "the deepest allowed page must be answered"
