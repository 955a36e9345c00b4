"""The running server (waitress on loopback) against its own OpenAPI description, by schemathesis.

Every operation is called with generated valid and invalid input, under every one of
schemathesis' checks: each response must be documented (status, content type, headers, body
schema, an Allow header on a 405), never a 500; invalid input is refused and valid input
accepted. The one softening is named below (CANNOT_BE_DESCRIBED) and in docs/reliability.md.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from indexer import IndexStore, build_index
from search.limits import Limits
from search.web.openapi import openapi

TOKEN = "openapi-test-token"
#: A hung request, not a slow one: the server's own search budget is 5 s, and a loaded
#: two-core machine may take several times that; the test asserts nothing about speed.
HUNG_SECONDS = 120
#: The 400s a schema-valid request may get, because JSON Schema cannot state the rule: the
#: query language (balanced parentheses, known fields, a term budget: not a regular language),
#: bounds on two parameters together (page × per_page; a date range's start before its end;
#: a trend by source takes one query, not several), and
#: posted articles read as files are (a publish time in any format the corpus reader knows, a
#: title that is blank once normalised): a batch with no usable article is a 400.
#: Each is named in docs/reliability.md.
CANNOT_BE_DESCRIBED = ('"code":"bad_query"', "results deeper than", "the date range starts after it ends",
                       "no usable article in the request", "by=source splits one query by source")


def positive_data_acceptance_but_grammar(ctx, response, case):
    """schemathesis' own positive_data_acceptance, but for the refusals listed above."""
    if response.status_code == 400 and any(reason in response.text for reason in CANNOT_BE_DESCRIBED):
        return None
    return positive_data_acceptance(ctx, response, case)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory, sample_articles, serve):
    where = tmp_path_factory.mktemp("openapi")
    build_index(IndexStore(where / "index"), sample_articles)
    with serve(where / "index", where / "serve.log", env={"ZHSEARCH_API_TOKEN": TOKEN}) as base:
        yield base


def operations(live_url):
    spec = schemathesis.openapi.from_url(live_url + "/api/openapi.json")
    return [result.ok() for result in spec.get_all_operations()]


@pytest.mark.slow  # a real server, a few hundred requests
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_honours_the_description(live_url, mode):
    """Driven through schemathesis' strategies (its pytest plugin does not run on pytest 9 yet)."""
    tried, skipped = 0, []
    for operation in operations(live_url):
        raw = operation.definition.raw
        if mode is GenerationMode.NEGATIVE and not (raw.get("parameters") or raw.get("requestBody")):
            continue  # nothing to get wrong in a call with no input
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            nonlocal tried
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=HUNG_SECONDS,
                                   excluded_checks=[positive_data_acceptance],
                                   additional_checks=[positive_data_acceptance_but_grammar])
            tried += 1

        try:
            check()
        except Unsatisfiable:
            # a path id's only invalid value is "", which no URL can carry
            assert mode is GenerationMode.NEGATIVE and operation.path_parameters, operation.label
            skipped.append(operation.label)
    assert tried >= 100 and len(skipped) <= 1, skipped
    print(f"\n{mode.value}: {tried} generated requests, 0 failures; no invalid input possible for {skipped}")


def test_description_is_valid_openapi_and_carries_the_servers_limits():
    from openapi_spec_validator import validate

    validate(openapi(Limits()))
    spec = openapi(Limits(query_chars=42, per_page=7))
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["q"]["maxLength"] == 42 and params["per_page"]["maximum"] == 7


def test_description_says_exactly_what_the_server_reads():
    """The findings of a full schemathesis run: dates had no format, empty flags were accepted
    though not listed, the 403 of a read-only server was not explained."""
    from search.query.dates import BOUND_PATTERN

    spec = openapi(Limits())
    search = spec["paths"]["/api/search"]["get"]
    params = {p["name"]: p["schema"] for p in search["parameters"]}
    for name in ("from", "to", "effective_from", "effective_to"):
        assert params[name] == {"type": "string", "pattern": BOUND_PATTERN}
    timeline = {p["name"]: p["schema"] for p in spec["paths"]["/api/timeline"]["get"]["parameters"]}
    assert timeline["on"]["pattern"] == BOUND_PATTERN
    assert "" in params["all"]["enum"] and "true" in params["collapse"]["enum"] and "" in params["sort"]["enum"]
    assert params["page"]["maximum"] == Limits().depth
    forbidden = spec["paths"]["/api/documents"]["post"]["responses"]["403"]["description"]
    assert "writes are off" in forbidden and "ZHSEARCH_API_TOKEN" in forbidden


@pytest.mark.parametrize("value, status", [("", 200), ("1", 200), ("true", 200), ("off", 200), ("TRUE", 400),
                                           ("2", 400), (" 1", 400)])
def test_flags_read_exactly_the_listed_values(client, value, status):
    res = client.get("/api/search", query_string={"q": "1688", "collapse": value})
    assert res.status_code == status, res.get_json()
