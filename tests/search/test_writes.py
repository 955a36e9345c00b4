"""POST /api/documents: token-protected writes through the real indexer, visible to searches."""

import json

import pytest

from search.web import create_app
from search.web.writes import MAX_ARTICLES_PER_POST

TOKEN = "s3cret-token-for-tests"
NOTICE = {"id": "notice-1", "title": "拼多多更新《商家服务协议》 3月1日起生效",
          "content": "拼多多平台近日发布公告，修订后的《商家服务协议》将于2025年3月1日起生效。",
          "date": "2025-02-20 10:00", "url": "https://example.com/notice-1"}


@pytest.fixture
def writable(index_dir, monkeypatch):
    monkeypatch.setenv("ZHSEARCH_API_TOKEN", TOKEN)
    return create_app({"index_dir": index_dir, "refresh_seconds": 0}).test_client()


def post(client, body, token=TOKEN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/api/documents", data=json.dumps(body, ensure_ascii=False), headers=headers,
                       content_type="application/json", **kwargs)


def test_posted_article_is_indexed_with_its_facts_and_searchable(writable):
    response = post(writable, NOTICE)
    assert response.status_code == 201
    assert response.get_json() | {"visible_within_seconds": 0} == {
        "indexed": 1, "updated": 0, "duplicates": 0, "ids": ["notice-1"], "skipped": [], "visible_within_seconds": 0}
    doc = writable.get("/api/documents/notice-1").get_json()
    assert doc["title"] == NOTICE["title"] and doc["source"] == "api"
    assert doc["facts"]["effective"] == ["2025-03-01"] and "商家服务协议" in doc["facts"]["rules"]
    assert writable.get("/api/search?q=商家服务协议 拼多多").get_json()["hits"][0]["id"] == "notice-1"


def test_posting_again_updates_never_duplicates(writable):
    post(writable, NOTICE)
    body = post(writable, {"articles": [NOTICE | {"title": NOTICE["title"] + "（更正）"}]}).get_json()
    assert body["updated"] == 1 and body["indexed"] == 0
    assert writable.get("/api/stats").get_json()["articles"] == 21


def test_bad_records_are_listed_and_the_good_ones_kept(writable):
    response = post(writable, [NOTICE, {"content": "没有标题"}, "not an object", NOTICE | {"id": "n2", "date": "昨天"}])
    body = response.get_json()
    assert response.status_code == 201 and body["indexed"] == 1 and body["ids"] == ["notice-1"]
    assert [(s["index"], s["reason"]) for s in body["skipped"]] == [(1, "no-title"), (2, "not-an-object"),
                                                                     (3, "bad-date")]


@pytest.mark.parametrize("token, status, code", [
    (None, 401, "unauthorized"), ("", 401, "unauthorized"), ("wrong", 403, "forbidden"),
    (TOKEN + "x", 403, "forbidden"), (TOKEN[:-1], 403, "forbidden"),
])
def test_writes_need_the_right_token(writable, token, status, code):
    response = post(writable, NOTICE, token=token)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert writable.get("/api/stats").get_json()["articles"] == 20


def test_other_schemes_are_unauthorized(writable):
    response = writable.post("/api/documents", json=NOTICE, headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401


def test_without_a_configured_token_the_api_is_read_only(index_dir, monkeypatch):
    monkeypatch.delenv("ZHSEARCH_API_TOKEN", raising=False)
    client = create_app({"index_dir": index_dir}).test_client()
    response = post(client, NOTICE)
    assert response.status_code == 403 and "does not accept writes" in response.get_json()["error"]["message"]
    assert client.get("/api/search?q=1688").status_code == 200  # reads stay open


@pytest.mark.parametrize("body, status, message", [
    (b"{not json", 400, "must be JSON"),
    (b"[]", 400, "no articles"),
    (json.dumps([{"content": "x"}]).encode(), 400, "no usable article"),
    (json.dumps([NOTICE] * (MAX_ARTICLES_PER_POST + 1)).encode(), 400, "at most"),
])
def test_malformed_posts_are_400s(writable, body, status, message):
    response = writable.post("/api/documents", data=body, content_type="application/json",
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == status and message in response.get_json()["error"]["message"]


def test_oversized_body_is_413(index_dir, monkeypatch):
    monkeypatch.setenv("ZHSEARCH_API_TOKEN", TOKEN)
    client = create_app({"index_dir": index_dir, "max_request_mb": 0.01}).test_client()
    response = post(client, NOTICE | {"content": "长" * 20_000})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "request_entity_too_large"


def test_a_post_waits_for_a_running_indexer(writable, index_dir):
    """Ordered by events, not timed: the post may only finish after the indexer lets go.

    A post that ignored the lock would finish while ``released`` is still unset and fail the
    test; a loaded machine can only make the post slower, which never fails it falsely.
    """
    import threading

    from indexer import IndexStore

    store = IndexStore(index_dir)
    held, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def hold():
        with store.writing():
            held.set()
            release.wait(120)  # a stuck test, not a slow one, gets this far

    def poster():
        seen["status"] = post(writable, NOTICE).status_code
        seen["after_release"] = release.is_set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(60), "the indexer's lock was never taken"  # generous: a loaded two-core machine
    sender = threading.Thread(target=poster)
    sender.start()
    # give a post that ignores the lock time to finish (it takes well under a second alone);
    # the post itself waits up to LOCK_WAIT_SECONDS (10 s), far longer than this
    sender.join(timeout=2)
    release.set()
    sender.join(timeout=120)
    holder.join(timeout=60)
    assert not sender.is_alive(), "the post never finished"
    assert seen == {"status": 201, "after_release": True}, seen


@pytest.mark.parametrize("path", ["/api/documents/../../etc/passwd", "/api/documents/%2e%2e%2fCURRENT",
                                  "/api/documents/CURRENT", "/api/documents/gen-*"])
def test_ids_in_urls_only_look_up_ids(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
