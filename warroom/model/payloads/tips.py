"""Payloads of tips' triage, the intake server's tokens, and advocate lookups."""

from __future__ import annotations

from dataclasses import dataclass

from warroom.model.kinds import Kind
from warroom.model.payloads.base import Payload, payload

# ---------------------------------------------------------------- tips, tokens, lookups


@payload(Kind.TIP_TRIAGED)
@dataclass(frozen=True, kw_only=True)
class TipTriaged(Payload):
    """A tip moved on: verified, actioned, or dismissed (with the reason)."""
    BY = "a responder: `warroom tip triage`, the Tips tab: `warroom.tips.triage.triage`"
    REFS = {"uid": "tip"}
    uid: str
    state: str
    previous: str
    handled_by: str
    reason: str | None = None


@payload(Kind.TOKEN_ADDED)
@dataclass(frozen=True, kw_only=True)
class TokenAdded(Payload):
    """An organisation was given an intake token (only its sha256 is kept)."""
    BY = "`warroom intake token add`: `warroom.tips.tokens.add_token`"
    DEFINES = ("token", "token_hash")
    org: str
    token_hash: str
    token_id: str


@payload(Kind.TOKEN_REVOKED)
@dataclass(frozen=True, kw_only=True)
class TokenRevoked(Payload):
    """An organisation's intake token was revoked: the server refuses it from now on."""
    BY = "`warroom intake token revoke`: `warroom.tips.tokens.revoke_tokens`"
    REFS = {"token_hash": "token"}
    org: str
    token_hash: str
    token_id: str


@payload(Kind.LOOKUP)
@dataclass(frozen=True, kw_only=True)
class Lookup(Payload):
    """An advocate asked whether one client is in the file (never the birth date asked)."""
    BY = "the intake server's `POST /lookup`: `warroom.tips.lookup.lookup`"
    org: str
    token_id: str
    result: str                             # a LookupResult (in_file, absent, mismatch, …)
    receipt: str
    a_number: str                           # redacted: the last three digits only
    person_id: int | None = None            # the roster row, when the client is in the file
