"""The intake server's tokens: one or more a organisation, each shown once when made and
kept only as its sha256 (a token is 32 random bytes, so its hash cannot be guessed back).
Adding and revoking are events; the server reads the table their projection keeps, so a
revocation holds on every server at the next request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import Draft, Kind
from warroom.model.payloads import TokenAdded, TokenRevoked

PREFIX = "wrt_"
MAX_ORG = 200


@dataclass(frozen=True)
class NewToken:
    token: str           # shown once, never stored
    org: str
    token_id: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _org(org: str) -> str:
    org = " ".join((org or "").split())
    if not org:
        raise WarroomError("a token is for an organisation: give its name")
    if len(org) > MAX_ORG or not org.isprintable():
        raise WarroomError(f"an organisation's name is printable text of at most {MAX_ORG}"
                           " characters")
    return org


def add_token(journal: Journal, org: str) -> NewToken:
    """A new token for `org`: the only time it is seen; the journal keeps its hash."""
    org = _org(org)
    token = PREFIX + secrets.token_urlsafe(32)
    digest = token_hash(token)
    journal.record(TokenAdded(org=org, token_hash=digest, token_id=digest[:12]), org)
    return NewToken(token, org, digest[:12])


def revoke_tokens(journal: Journal, org: str) -> list[str]:
    """Revoke every live token of `org` (any case); their ids. None live is an error."""
    org = _org(org)
    live = queries.intake_tokens(journal.conn, org, active=True)
    if not live:
        raise WarroomError(f"{org} has no live intake token")
    journal.append_many([Draft(Kind.TOKEN_REVOKED, t["org"], TokenRevoked(
        org=t["org"], token_hash=t["token_hash"], token_id=t["token_id"]).data()) for t in live])
    return [t["token_id"] for t in live]


def authenticate(conn, token: str | None) -> dict | None:
    """The live token row (org, token_id) a presented token is, or None (unknown, revoked or
    malformed: the caller cannot tell which)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = queries.intake_token(conn, token_hash(token))
    return row if row and row["revoked_at"] is None else None
