"""The API's OpenAPI 3.0 description, served at ``/api/openapi.json``.

Built in code rather than kept as a file so the documented bounds are the server's own
(:class:`Limits`) and cannot drift from what the handlers enforce; the schemathesis tests
check every response of the running server against it.
"""

from __future__ import annotations

from typing import Any

from search.engine.results import SORTS
from search.limits import Limits
from search.query.dates import BOUND_PATTERN
from search.research.compare import BY, MAX_SERIES
from search.research.significance import HEURISTICS
from search.research.terms import BACKGROUNDS, MAX_SAMPLE, MAX_SIZE, SAMPLE
from search.research.tools import EXPORT_FORMATS, INTERVALS
from search.web.params import FLAG_VALUES
from search.web.writes import MAX_ARTICLES_PER_POST

_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
_INT = {"type": "integer"}
_DATE_HELP = ("a day, month or year from 0001 to 9999: 2024-03-01, 2024-03, 2024 (also 2024/3/1, "
              "2024.3.1, 2024年3月, 2024年3月1日); * or empty for no bound")
#: Dates exactly as the server reads them (search/query/dates.py writes the grammar once).
_DATE = {"type": "string", "pattern": BOUND_PATTERN}
#: A yes/no parameter: the values the server reads, empty meaning the default.
_FLAG = {"type": "string", "enum": list(FLAG_VALUES)}
_FLAG_HELP = " (1/true/yes/on or 0/false/no/off; empty: the default)"


def _param(name: str, schema: dict[str, Any], description: str, where: str = "query",
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        body["required"] = list(required)
    return body


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    why = {400: "bad query or parameter", 401: "no token", 403: "wrong token, or writes are off (the server was started without ZHSEARCH_API_TOKEN): "
               "declining every write with 403 is the documented behaviour of a read-only server",
           404: "no such article", 413: "request body too large", 503: "index missing, outdated or busy"}
    return {str(s): _json({"$ref": "#/components/schemas/Error"}, why[s]) for s in statuses}


def search_params(limits: Limits) -> list[dict[str, Any]]:
    """What /api/search, /trend, /timeline and /kwic share."""
    date = _DATE
    return [
        _param("q", {"type": "string", "maxLength": limits.query_chars},
               'words, "phrases", OR, NOT/-word, field:value, published:[A TO B]; empty lists everything'),
        _param("page", {"type": "integer", "minimum": 1, "maximum": limits.depth},
               f"page of results; page × per_page at most {limits.depth}"),
        _param("per_page", {"type": "integer", "minimum": 1, "maximum": limits.per_page}, "hits per page"),
        _param("sort", {"type": "string", "enum": ["", *SORTS]},
               "relevance (default; also when empty), recent, newest or oldest"),
        _param("from", date, "published on or after: " + _DATE_HELP),
        _param("to", date, "published on or before: " + _DATE_HELP),
        _param("category", _STR, "only this category"),
        _param("year", _STR, "only this year"),
        _param("effective_from", date, "rule changes taking effect on or after: " + _DATE_HELP),
        _param("effective_to", date, "rule changes taking effect on or before: " + _DATE_HELP),
        _param("platform", _STR, "only articles about this platform (1688, 淘宝, 拼多多 …)"),
        _param("rule", _STR, "only articles about this agreement or rule (the name inside 《》)"),
        _param("kind", _STR, "only this kind of change (新增, 调整, 取消 …)"),
        _param("partial", _FLAG, "allow partial matches: after the exact ones, and for several words "
               "among the first ten (default 1)" + _FLAG_HELP),
        _param("explain", _FLAG, "include how the query was understood (default 0)" + _FLAG_HELP),
        _param("collapse", _FLAG, "fold reports of the same news (default 1)" + _FLAG_HELP),
    ]


def trend_params(limits: Limits, params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """/api/search's parameters, with ``q`` repeatable (one series per query) and the trend's own."""
    q = _param("q", {"type": "array", "maxItems": MAX_SERIES,
                     "items": {"type": "string", "maxLength": limits.query_chars}},
               f"a query; repeat q (at most {MAX_SERIES}) to compare queries, one series each")
    q |= {"style": "form", "explode": True}
    return [q, *(p for p in params if p["name"] != "q"),
            _param("interval", {"type": "string", "enum": ["", *INTERVALS]},
                   "period (month when empty or not given; week is ISO, from Monday)"),
            _param("normalize", _FLAG,
                   "also give each count as a share (0-1) of all articles published in the period, same filters"
                   + _FLAG_HELP),
            _param("by", {"type": "string", "enum": ["", *BY]},
                   "query (default, also when empty): a series per q; source: one q split by its top sources"),
            _param("top", {"type": "integer", "minimum": 1, "maximum": MAX_SERIES}, "sources shown with by=source (default 5)"),
            _param("format", {"type": "string", "enum": ["json", "csv"]}, "json (default) or csv (query, source, period, count, share)")]


def research_schemas() -> dict[str, Any]:
    """Trend and Terms: the same shapes the CLI prints with --json."""
    number, source = {"type": "number"}, _obj({"source": _NSTR, "count": _INT, "share": {"type": "number"}},
                                                ("source", "count", "share"))
    count = _obj({"period": _STR, "count": _INT, "share": {"type": "number", "minimum": 0, "maximum": 1}},
                 ("period", "count"))
    counts, sources = {"type": "array", "items": count}, {"type": "array", "items": source}
    series = _obj({"query": _STR, "source": _NSTR, "total": _INT, "undated": _INT, "counts": counts,
                   "sources": sources}, ("query", "total", "counts"))
    trend = _obj({"interval": {"type": "string", "enum": list(INTERVALS)}, "normalize": {"type": "boolean"},
                  "by": {"type": "string", "enum": list(BY)}, "series": {"type": "array", "items": series},
                  "query": _STR, "total": _INT, "undated": _INT, "counts": counts, "sources": sources},
                 ("interval", "normalize", "series"))
    term = _obj({"term": _STR, "fg": _INT, "bg": _INT, "score": number, "refine": _STR},
                ("term", "fg", "bg", "score"))
    terms = _obj({"query": _STR, "heuristic": {"type": "string", "enum": list(HEURISTICS)},
                  "foreground": _obj({"matches": _INT, "articles": _INT, "stories": _INT,
                                      "sampled": {"type": "boolean"}, "sample": _INT},
                                     ("matches", "articles", "stories", "sampled")),
                  "background": _obj({"articles": _INT, "scope": _STR}, ("articles",)),
                  "terms": {"type": "array", "items": term}},
                 ("query", "foreground", "background", "heuristic", "terms"))
    return {"Trend": trend, "Terms": terms}


def _schemas() -> dict[str, Any]:
    facts = _obj({k: {"type": "array", "items": _STR} for k in
                  ("effective", "announced", "rules", "platforms", "programmes", "kinds")})
    report = _obj({"id": _STR, "title": _STR, "published": _NSTR, "url": _NSTR}, ("id", "title"))
    hit = _obj({
        "id": _STR, "title": _STR, "title_html": _STR, "published": _NSTR, "url": _NSTR, "category": _NSTR,
        "source": _NSTR, "snippet": _STR, "score": {"type": "number", "nullable": True},
        "partial": {"type": "boolean"}, "duplicates": {"type": "array", "items": _STR},
        "similar_reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
        "facts": {"$ref": "#/components/schemas/Facts"},
    }, ("id", "title", "published", "snippet", "partial"))
    counts = {"type": "object", "additionalProperties": _INT}
    page = _obj({
        "query": _STR, "total": _INT, "page": _INT, "per_page": _INT, "pages": _INT, "sort": _STR,
        "took_ms": {"type": "number"}, "timed_out": {"type": "boolean"},
        "filters": {"type": "object", "additionalProperties": _NSTR},
        "suggestion": _NSTR, "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {"type": "object", "additionalProperties": counts},
        "explain": {"type": "object"},
    }, ("query", "total", "page", "per_page", "pages", "hits", "facets", "timed_out"))
    document = _obj({"id": _STR, "title": _STR, "content": _STR, "published": _NSTR, "url": _NSTR,
                     "category": _NSTR, "source": _NSTR, "facts": {"$ref": "#/components/schemas/Facts"}},
                    ("id", "title", "content"))
    error = _obj({"error": _obj({"code": _STR, "message": _STR}, ("code", "message"))}, ("error",))
    # Posted records are read as files are (corpus/normalize.py): any key case, the same
    # aliases (headline, body, pubdate …), any JSON value read as text, a publish time in
    # any format the readers know. So the fields carry no type: a record without a usable
    # title or date is skipped and listed, and only a batch with none usable is a 400.
    read = lambda what: {"description": what}
    article_in = {"type": "object", "description": "an article; bad records are skipped and listed",
                  "properties": {"id": read("its id (else a hash of url, else of title and time)"),
                                 "title": read("required for the record to be used (or headline)"),
                                 "content": read("the text (or summary, body, text)"),
                                 "date": read("publish time: ISO 8601, 2024-03-01 09:30, 2024年3月1日, epoch "
                                              "seconds, RFC 2822; China time unless an offset is given"),
                                 "url": read("link"), "source": read("publisher"), "category": read("channel"),
                                 "articles": {"anyOf": [{"type": "array", "minItems": 1,
                                                         "maxItems": MAX_ARTICLES_PER_POST},
                                                        {"not": {"type": "array"}}],
                                              "description": "a batch of articles (when a list)"}}}
    return {"Facts": facts, "Report": report, "Hit": hit, "SearchPage": page, "Document": document,
            "Error": error, "ArticleIn": article_in} | research_schemas()


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _search_paths(limits: Limits) -> dict[str, Any]:
    """Search and the research views over its matches: they share the search parameters."""
    params = search_params(limits)
    ref = _ref
    export = {"description": "every exact match as CSV (with a BOM, formula-safe cells) or JSON Lines",
              "content": {"text/csv": {"schema": _STR}, "application/x-ndjson": {"schema": _STR}}}
    search_200 = _json(ref("SearchPage"), "one page of hits, with total and facets")
    search_200["content"] |= export["content"]
    return {
        "/api/search": {"get": {
            "summary": "Search", "operationId": "search",
            "parameters": params + [
                _param("format", {"type": "string", "enum": ["json", *EXPORT_FORMATS]},
                       "json (default), or csv / jsonl to export every exact match"),
                _param("all", _FLAG, "export every exact match (JSON Lines; default 0)" + _FLAG_HELP)],
            "responses": {"200": search_200} | _errors(400, 503)}},
        "/api/trend": {"get": {
            "summary": "Articles per period: one query, several compared, or one by source",
            "operationId": "trend", "parameters": trend_params(limits, params),
            "responses": {"200": {"description": "counts per period, every period present",
                                  "content": {"application/json": {"schema": ref("Trend")},
                                              "text/csv": {"schema": _STR}}}} | _errors(400, 503)}},
        "/api/terms": {"get": {
            "summary": "Distinctive words of the matches against the whole index", "operationId": "terms",
            "parameters": params + [
                _param("size", {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}, "words to list (default 30)"),
                _param("heuristic", {"type": "string", "enum": ["", *HEURISTICS]},
                       "jlh (default), chi2 (chi-square) or mi (mutual information)"),
                _param("background", {"type": "string", "enum": ["", *BACKGROUNDS]},
                       "index (default, also when empty): the whole index; filters: the articles the "
                       "request's filters allow, whatever the query"),
                _param("sample", {"type": "integer", "minimum": 10, "maximum": MAX_SAMPLE},
                       f"count the best this many matches when there are more (default {SAMPLE})")],
            "responses": {"200": _json(ref("Terms"), "distinctive words")} | _errors(400, 503)}},
        "/api/timeline": {"get": {
            "summary": "Rule changes in date order", "operationId": "timeline",
            "parameters": params + [_param("on", _DATE,
                                           "only what is in force on this day: " + _DATE_HELP)],
            "responses": {"200": _json(_obj({"query": _STR, "on": _NSTR, "articles": _INT,
                                             "entries": {"type": "array", "items": {"type": "object"}},
                                             "timed_out": {"type": "boolean"}},
                                            ("entries",)), "timeline entries")} | _errors(400, 503)}},
        "/api/kwic": {"get": {
            "summary": "Keyword in context", "operationId": "kwic",
            "parameters": params + [
                _param("width", {"type": "integer", "minimum": 1, "maximum": 200}, "characters each side"),
                _param("limit", {"type": "integer", "minimum": 1, "maximum": limits.kwic_lines}, "lines")],
            "responses": {"200": _json(_obj({"query": _STR, "timed_out": {"type": "boolean"},
                                             "lines": {"type": "array", "items": _obj(
                {"id": _STR, "published": _NSTR, "left": _STR, "match": _STR, "right": _STR})}}, ("lines",)),
                "concordance lines")} | _errors(400, 503)}},
    }


def _document_paths() -> dict[str, Any]:
    """Articles: add (with the write token), read, and their neighbours."""
    ref = _ref
    doc_id = _param("doc_id", {"type": "string", "minLength": 1}, "the article's id", where="path",
                    required=True)
    return {
        "/api/documents": {"post": {
            "summary": "Add or update articles (needs the write token)", "operationId": "addDocuments",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"anyOf": [
                ref("ArticleIn"),
                {"type": "array", "items": {"description": "an article object (anything else is skipped)"},
                 "minItems": 1, "maxItems": MAX_ARTICLES_PER_POST}]}}}},
            "responses": {"201": _json(_obj({"indexed": _INT, "updated": _INT, "duplicates": _INT,
                                             "ids": {"type": "array", "items": _STR},
                                             "skipped": {"type": "array", "items": {"type": "object"}},
                                             "visible_within_seconds": {"type": "number"}},
                                            ("indexed", "updated", "ids", "skipped")), "indexed")}
                         | _errors(400, 401, 403, 413, 503)}},
        "/api/documents/{doc_id}": {"get": {
            "summary": "One article, with its rule-change facts", "operationId": "document",
            "parameters": [doc_id], "responses": {"200": _json(ref("Document"), "the article")} | _errors(404, 503)}},
        "/api/documents/{doc_id}/similar": {"get": {
            "summary": "Related articles and other reports of the same news", "operationId": "similar",
            "parameters": [doc_id, _param("limit", {"type": "integer", "minimum": 1, "maximum": 50}, "how many")],
            "responses": {"200": _json(_obj({"id": _STR, "similar": {"type": "array", "items": ref("Hit")},
                                             "same_news": {"type": "array", "items": ref("Report")}},
                                            ("similar", "same_news")), "related articles")}
                         | _errors(400, 404, 503)}},
    }


def _service_paths() -> dict[str, Any]:
    return {
        "/api/stats": {"get": {"summary": "Index statistics", "operationId": "stats",
                               "responses": {"200": _json(_obj({"articles": _INT}, ("articles",)), "statistics")}
                               | _errors(503)}},
        "/healthz": {"get": {"summary": "Liveness: the index opens", "operationId": "health",
                             "responses": {"200": _json(_obj({"status": _STR}, ("status",)), "ok")} | _errors(503)}},
        "/api/openapi.json": {"get": {"summary": "This description", "operationId": "openapi",
                                      "responses": {"200": _json({"type": "object"}, "OpenAPI 3.0")}}},
    }


def openapi(limits: Limits) -> dict[str, Any]:
    """The whole description, for the limits this server runs with."""
    paths = _search_paths(limits) | _document_paths() | _service_paths()
    return {
        "openapi": "3.0.3",
        "info": {"title": "zhsearch", "version": "1",
                 "description": "Full-text search over Chinese news. Reads are open; writes need "
                                "'Authorization: Bearer <ZHSEARCH_API_TOKEN>'. Errors are always "
                                "{\"error\": {\"code\", \"message\"}}."},
        "paths": paths,
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
