"""What every request passes before it reaches a service: one journal connection per worker
thread, the token check, the rate limit per token, and the envelope every reply wears (a
receipt, the security headers, and 413 for a body over the limit).

The rate limit is the `limits` library's moving window, counted in a SQLite file beside the
journal (`warroom.journal.ratelimit`): every server on the journal shares it, so starting a
second server does not double what a token may send."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from warroom.errors import JournalError, WarroomError
from warroom.journal import Journal
from warroom.tips import TipConflict, new_receipt, tokens

MAX_BODY = 64 * 1024
TIP_RATE = "30/minute;500/day"
LOOKUP_RATE = "10/minute;100/day"

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
}
PAGE_POLICY = ("default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none';"
               " frame-ancestors 'none'")


class Journals:
    """One journal connection per worker thread (sqlite3 connections belong to a thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.opened: list[Journal] = []
        self.lock = threading.Lock()

    def get(self) -> Journal:
        journal = getattr(self.local, "journal", None)
        if journal is None:
            journal = Journal(self.path, readonly=False, actor="intake")
            self.local.journal = journal
            with self.lock:
                self.opened.append(journal)
        return journal

    def close(self) -> None:
        with self.lock:
            for journal in self.opened:
                try:
                    journal.close()
                except Exception:   # a connection of another thread: the process ends anyway
                    pass
            self.opened.clear()


def unauthorised() -> HTTPException:
    return HTTPException(401, "a valid intake token is needed (Authorization: Bearer TOKEN);"
                              " ask the response team for one",
                         headers={"WWW-Authenticate": "Bearer"})


class Gate:
    """The token check and the rate limits, per token and per kind of request."""

    def __init__(self, journals: Journals, counters: Path, rates: dict[str, str]) -> None:
        from limits import parse_many
        from limits.strategies import MovingWindowRateLimiter

        from warroom.journal.ratelimit import SQLiteStorage

        self.journals = journals
        self.limiter = MovingWindowRateLimiter(SQLiteStorage(path=counters))
        self.rates = {what: parse_many(rate) for what, rate in rates.items()}

    def admit(self, token: str | None, what: str) -> dict:
        """The token's row (org, token_id), or 401; then one request of `what` counted
        against each of its limits, or 429 with Retry-After."""
        row = tokens.authenticate(self.journals.get().conn, (token or "").strip())
        if row is None:
            raise unauthorised()
        for item in self.rates[what]:
            if not self.limiter.hit(item, what, row["token_id"]):
                reset, _ = self.limiter.get_window_stats(item, what, row["token_id"])
                wait = max(1, math.ceil(reset - time.time()))
                raise HTTPException(429, f"too many {what} from this token (at most"
                                         f" {item.amount} per {_per(item)}): try again in"
                                         f" {wait} s", headers={"Retry-After": str(wait)})
        return row


def refusing(fn):
    """Run a service: its refusals become replies (409 a reused key, 503 a busy or unwritable
    journal, 422 anything else it will not take)."""
    try:
        return fn()
    except TipConflict as exc:
        raise HTTPException(409, str(exc)) from None
    except JournalError as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": "2"}) from None
    except WarroomError as exc:
        raise HTTPException(422, str(exc)) from None


def _per(item) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def wants_html(path: str) -> bool:
    """The page and its forms answer in HTML; the API in JSON."""
    return path == "/" or path.startswith("/page")


class Envelope:
    """Pure ASGI: a receipt for every request (`request.state.receipt`, which an endpoint may
    replace with the tip's own, sent as X-Receipt and in every JSON body), the security
    headers, and a 413 before anything reads a body whose Content-Length is over the limit
    (a body streamed without one is counted as it arrives: see `create_app`)."""

    def __init__(self, app: ASGIApp, max_body: int, too_large) -> None:
        self.app = app
        self.max_body = max_body
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = scope.setdefault("state", {})
        state["receipt"] = new_receipt("R")

        async def wear(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["x-receipt"] = state["receipt"]
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if wants_html(scope["path"]):
                    headers["content-security-policy"] = PAGE_POLICY
            await send(message)

        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await self.too_large(scope)(scope, receive, wear)
        await self.app(scope, receive, wear)
