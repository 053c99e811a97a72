"""`warroom intake token add|revoke` and `warroom intake serve`'s refusals: a token shown
once and kept hashed; a non-loopback address only with --public."""

from __future__ import annotations

import hashlib

import pytest
from clirun import installed, invoke, one_json, one_line

from warroom.intake.server import NotLoopback, check_host, is_loopback
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.tips.tokens import PREFIX, authenticate


def _init(db):
    assert invoke("--db", db, "init", "--name", "tokens").exit_code == 0


def test_a_token_is_printed_once_and_only_its_hash_is_kept(db):
    _init(db)
    made = invoke("--db", db, "intake", "token", "add", "Legal Aid")
    assert made.exit_code == 0
    token = made.stdout.strip()
    assert token.startswith(PREFIX) and len(token) > 40 and "\n" not in token
    assert "shown only this once" in made.stderr and token not in made.stderr
    doc = one_json(invoke("--db", db, "intake", "token", "add", "Legal Aid", "--json").stdout)
    assert doc["org"] == "Legal Aid" and doc["token"] != token
    with Journal(db) as j:
        rows = queries.intake_tokens(j.conn, "legal aid", active=True)
        assert {r["token_hash"] for r in rows} == {
            hashlib.sha256(t.encode()).hexdigest() for t in (token, doc["token"])}
        assert authenticate(j.conn, token)["org"] == "Legal Aid"
        assert authenticate(j.conn, token + "x") is None
        assert authenticate(j.conn, None) is None
    stored = b"".join(p.read_bytes() for p in db.parent.glob(f"{db.name}*"))
    assert token.encode() not in stored and doc["token"].encode() not in stored
    assert verify(db).ok


def test_revoking_an_organisation_revokes_its_live_tokens(db):
    _init(db)
    first = invoke("--db", db, "intake", "token", "add", "Legal Aid").stdout.strip()
    other = invoke("--db", db, "intake", "token", "add", "Other").stdout.strip()
    done = one_json(invoke("--db", db, "intake", "token", "revoke", "LEGAL AID",
                           "--json").stdout)
    assert done["org"] == "LEGAL AID" and len(done["revoked"]) == 1
    again = invoke("--db", db, "intake", "token", "revoke", "Legal Aid")
    assert again.exit_code == 1
    assert one_line(again.stderr) == "warroom: error: Legal Aid has no live intake token"
    with Journal(db) as j:
        assert authenticate(j.conn, first) is None
        assert authenticate(j.conn, other)["org"] == "Other"
        assert queries.intake_tokens(j.conn, "legal aid")[0]["revoked_at"]
    assert verify(db).ok


@pytest.mark.parametrize("org", ["", "   ", "bad\x1b[2Jname", "x" * 201])
def test_a_token_needs_an_organisation_named_in_plain_text(db, org):
    _init(db)
    result = invoke("--db", db, "intake", "token", "add", org)
    assert result.exit_code == 1 and one_line(result.stderr).startswith("warroom: error:")


def test_the_server_listens_on_loopback_unless_told_public():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]")
    assert is_loopback("localhost") and is_loopback("127.8.9.10")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert not is_loopback("intake.example")
    with pytest.raises(NotLoopback, match="add --public"):
        check_host("0.0.0.0", public=False)
    check_host("0.0.0.0", public=True)


def test_serve_refuses_a_public_address_and_a_missing_journal(db, tmp_path):
    refused = installed("--db", db, "intake", "serve", "--host", "0.0.0.0")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "is not a loopback address" in one_line(refused.stderr)
    missing = invoke("--db", tmp_path / "none.db", "intake", "serve")
    assert missing.exit_code == 1 and "no journal at" in one_line(missing.stderr)
    _init(db)
    rate = invoke("--db", db, "intake", "serve", "--tip-rate", "lots")
    assert rate.exit_code == 1 and "10/minute" in one_line(rate.stderr)
