"""The intake server, tested as a client meets it: a real uvicorn server on 127.0.0.1 (in a
thread, or `warroom intake serve` in processes of its own), real HTTP, a real journal."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES as NEGATIVE,
)
from schemathesis.config._checks import (
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES as POSITIVE,
)

from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.tips import add_tip
from warroom.tips.tokens import PREFIX, add_token, revoke_tokens

from intakeserve import bearer, prepared, serving, spawned

TIP = {"text": "A copy of the list is on a forum", "urls": ["https://forum.example/t/1"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the tests that do not count: rates high enough never to bite."""
    setup = prepared(tmp_path_factory.mktemp("intake") / "journal.db")
    with serving(setup.db, tip_rate="100000/hour", lookup_rate="100000/hour") as url:
        yield setup, url


def post(url: str, path: str, token: str | None = None, **kwargs) -> httpx.Response:
    headers = {**(bearer(token) if token else {}), **kwargs.pop("headers", {})}
    return httpx.post(f"{url}{path}", headers=headers, timeout=30, **kwargs)


def said(response: httpx.Response) -> dict:
    """A JSON reply, checked to carry the same receipt in its body and its header."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert body["receipt"] == response.headers["x-receipt"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    return body


def test_health_needs_no_token_and_holds_no_data(server):
    _, url = server
    response = httpx.get(f"{url}/health")
    body = said(response)
    assert response.status_code == 200 and set(body) == {"status", "receipt"}
    assert body["status"] == "ok" and body["receipt"].startswith("R-")


def test_a_tip_is_received_with_its_receipt(server):
    setup, url = server
    response = post(url, "/tips", setup.token, json={**TIP, "a_numbers": ["A# 123 456 789"]})
    body = said(response)
    assert response.status_code == 201
    assert set(body) == {"receipt", "state", "duplicate"}   # never a word on the roster
    assert body["state"] == "new" and body["duplicate"] is False
    with Journal(setup.db) as j:
        tip = queries.tip(j.conn, body["receipt"])
    assert tip["org"] == tip["source"] == "Legal Aid (fictitious)"
    assert tip["channel"] == "api" and tip["a_numbers"] == ["A123456789"]


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"},
    {"Authorization": f"Bearer {PREFIX}not-a-token-anyone-was-given"},
    {"Authorization": "Bearer " + "x" * 5000},
], ids=["none", "basic", "empty", "unknown", "huge"])
def test_a_request_without_a_valid_token_is_refused(server, headers):
    setup, url = server
    before = _tips(setup.db)
    response = post(url, "/tips", json=TIP, headers=headers)
    body = said(response)
    assert response.status_code == 401 and "token" in body["error"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert _tips(setup.db) == before


def test_a_revoked_token_is_refused_at_once_and_only_its_hash_is_kept(server):
    setup, url = server
    with Journal(setup.db) as j:
        other = add_token(j, "Other Group")
    assert post(url, "/tips", other.token, json=TIP).status_code == 201
    with Journal(setup.db) as j:
        assert revoke_tokens(j, "other group") == [other.token_id]
    refused = post(url, "/tips", other.token, json=TIP)
    assert refused.status_code == 401
    assert post(url, "/tips", setup.token, json=TIP).status_code == 201
    stored = b"".join(p.read_bytes() for p in setup.db.parent.glob("journal.db*"))
    assert other.token.encode() not in stored and setup.token.encode() not in stored


def test_a_body_over_64_kb_is_refused_with_413_however_it_is_sent(server):
    setup, url = server
    big = json.dumps({"text": "x" * 70_000}).encode()
    stated = post(url, "/tips", setup.token, content=big,
                  headers={"Content-Type": "application/json"})
    assert stated.status_code == 413 and "64 KB" in said(stated)["error"]

    def chunks():   # no Content-Length: counted as it streams
        for i in range(0, len(big), 4096):
            yield big[i:i + 4096]

    streamed = post(url, "/tips", setup.token, content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and said(streamed)["error"] == said(stated)["error"]
    page = httpx.post(f"{url}/page/tip", content=b"token=x&text=" + b"y" * 70_000,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]
    just = json.dumps({"text": "x" * (64 * 1024 - 20)}).encode()   # under the limit: read
    assert len(just) <= 64 * 1024
    assert post(url, "/tips", setup.token, content=just,
                headers={"Content-Type": "application/json"}).status_code == 422   # too long


@pytest.mark.parametrize("body, status, where", [
    (b'{"text": "unfinished', 400, None),
    (b"\xff\xfe not json", 400, None),
    (b'["a", "list"]', 422, None),
    (b'{"text": "x", "source": "I say who I am"}', 422, "source"),
    (b'{"txt": "typo"}', 422, "text"),
    (b'{"text": ""}', 422, "text"),
    (b'{"text": 5}', 422, "text"),
    (b'{"text": "x", "urls": "https://one.example/"}', 422, "urls"),
    (b'{"text": "x", "urls": ["ftp://h/f"]}', 422, None),
    (b'{"text": "x", "a_numbers": ["A12345678X"]}', 422, None),
])
def test_malformed_json_and_schema_violations_are_refused(server, body, status, where):
    setup, url = server
    before = _tips(setup.db)
    response = post(url, "/tips", setup.token, content=body,
                    headers={"Content-Type": "application/json"})
    reply = said(response)
    assert response.status_code == status, reply
    if where:
        assert where in {p["where"] for p in reply["problems"]}
    assert _tips(setup.db) == before


def test_a_retried_tip_with_its_idempotency_key_is_recorded_once(server):
    setup, url = server
    key = {"Idempotency-Key": "retry-1"}
    first = post(url, "/tips", setup.token, json=TIP, headers=key)
    again = post(url, "/tips", setup.token, json=TIP, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert said(first)["receipt"] == said(again)["receipt"] and said(again)["duplicate"]
    changed = post(url, "/tips", setup.token, json={**TIP, "text": "other"}, headers=key)
    assert changed.status_code == 409


def test_the_page_form_sent_twice_records_one_tip_and_explains_a_refusal(server):
    setup, url = server
    form = {"token": setup.token, "text": "copy found", "urls": "https://c.example/1\n",
            "a_numbers": "A-123-456-789", "form_key": "page-form-1"}
    first = httpx.post(f"{url}/page/tip", data=form)
    again = httpx.post(f"{url}/page/tip", data=form)
    assert first.status_code == again.status_code == 200
    assert "is with the response team" in first.text and "already reached us" in again.text
    assert first.headers["x-receipt"] == again.headers["x-receipt"]
    assert first.headers["x-receipt"] in first.text
    bad = httpx.post(f"{url}/page/tip", data={**form, "a_numbers": "A12345678X",
                                              "form_key": "page-form-2"})
    assert bad.status_code == 422 and "text/html" in bad.headers["content-type"]
    assert "a numbers.0: not an A-number" in bad.text and ">copy found</textarea>" in bad.text
    assert setup.token not in bad.text and setup.token not in first.text


def test_a_flood_past_the_rate_limit_is_refused_per_token(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=0)
    with Journal(setup.db) as j:
        other = add_token(j, "Other Group").token
    with serving(setup.db, tip_rate="5/hour") as url:
        codes = [post(url, "/tips", setup.token, json=TIP).status_code for _ in range(8)]
        limited = post(url, "/tips", setup.token, json=TIP)
        assert post(url, "/tips", other, json=TIP).status_code == 201   # its own window
    assert codes == [201] * 5 + [429] * 3
    assert int(limited.headers["retry-after"]) > 0 and "at most 5 per hour" in said(limited)[
        "error"]
    assert _tips(setup.db) == 6


def test_several_servers_share_one_rate_limit(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=0)
    with spawned(setup.db, "--tip-rate", "6/hour") as one, \
            spawned(setup.db, "--tip-rate", "6/hour") as two:
        codes = [post(url, "/tips", setup.token, json=TIP).status_code
                 for url in [one, two] * 5]
    assert codes.count(201) == 6 and codes.count(429) == 4
    assert _tips(setup.db) == 6


def test_concurrent_submissions_to_two_servers_and_the_console_land_exactly_once(tmp_path):
    setup = prepared(tmp_path / "journal.db", people=0)
    rate = ("--tip-rate", "1000/hour")
    with spawned(setup.db, *rate) as one, spawned(setup.db, *rate) as two:
        def send(i: int) -> httpx.Response:
            url = (one, two)[i % 2]
            key = {"Idempotency-Key": "the-same" if i % 4 == 0 else f"key-{i}"}
            return post(url, "/tips", setup.token, json={**TIP, "text": f"tip {i % 4 and i}"},
                        headers=key)

        def console() -> None:   # a responder typing tips in at the same time
            with Journal(setup.db) as j:
                for i in range(10):
                    add_tip(j, "Phone call", f"console tip {i}")

        typing = threading.Thread(target=console)
        typing.start()
        with ThreadPoolExecutor(12) as pool:
            replies = list(pool.map(send, range(48)))
        typing.join()
    assert all(r.status_code in (200, 201) for r in replies), [
        (r.status_code, r.text) for r in replies if r.status_code not in (200, 201)]
    same = {said(r)["receipt"] for i, r in enumerate(replies) if i % 4 == 0}
    assert len(same) == 1                                  # 12 sends, one tip
    assert sum(r.status_code == 201 for i, r in enumerate(replies) if i % 4 == 0) == 1
    assert len({said(r)["receipt"] for r in replies}) == 36 + 1
    with Journal(setup.db) as j:
        kinds = j.conn.execute("SELECT count(*) FROM events WHERE kind = 'tip_received'")
        assert kinds.fetchone()[0] == _tips(setup.db) == 37 + 10
    assert verify(setup.db).ok


def test_the_openapi_description_declares_the_limits_and_no_bulk_path(server):
    _, url = server
    doc = httpx.get(f"{url}/openapi.json").json()
    assert set(doc["paths"]) == {"/health", "/tips", "/lookup"}
    for path in ("/tips", "/lookup"):
        responses = doc["paths"][path]["post"]["responses"]
        assert {"400", "401", "413", "422", "429"} <= set(responses), path
    schemas = doc["components"]["schemas"]
    assert schemas["TipFields"]["additionalProperties"] is False
    assert schemas["LookupBody"]["additionalProperties"] is False
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "Have I Been Pwned" in doc["info"]["description"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["text", "urls", "a_numbers", "contact",
                                        "confidential", "source", "x"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                                    lambda kids: st.lists(kids, max_size=3), max_leaves=5),
                       max_size=5))
def test_any_body_gets_a_declared_answer_never_a_crash(server, body):
    setup, url = server
    response = post(url, "/tips", setup.token, json=body)
    assert response.status_code in (201, 400, 409, 422), response.text
    said(response)


@pytest.fixture(scope="module")
def openapi(server):
    """The API as it describes itself. A body over 64 KB is refused with its documented 413
    before it is read, whatever it holds: a valid tip can be that large (20,000 characters
    escaped in JSON), and so can an invalid one; either way 413 is the declared answer."""
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_dict({"checks": {
        "negative_data_rejection": {"expected-statuses": [*NEGATIVE, "413"]},
        "positive_data_acceptance": {"expected-statuses": [*POSITIVE, "413"]}}})
    return schemathesis.openapi.from_url(f"{server[1]}/openapi.json", config=config)


api = schemathesis.pytest.from_fixture("openapi")


@api.parametrize()
@settings(max_examples=40)
def test_the_server_keeps_to_its_openapi_description(case, server):
    """Schemathesis, from /openapi.json, against the real server: valid bodies accepted,
    invalid ones refused, no 5xx, every reply as described (status, type, schema)."""
    setup, _ = server
    response = case.call_and_validate(headers=bearer(setup.token))
    assert response.headers["x-receipt"]


def _tips(db) -> int:
    with Journal(db) as j:
        return queries.counts(j.conn)["tips"]
