"""Takedown requests: asking each place that holds the file to pull it, and drafting the ask.

A request is made to one location by one way of asking (the site's web team, a CDN purge, a
search engine's outdated-content removal, an archive's exclusion, a mirror host's abuse desk)
and moves requested → acknowledged → done, or to refused with the reason; done and refused
are final (ask again with a new request). Who asked, when, and every move are journaled.
A location that turns verified down closes its open requests as done (in the projection, so
it holds however the location got there: a probe, or a responder's statement).

Drafts are plain text from `data/takedown/<via>.txt` (`string.Template`): they name the URL
and the evidence copy's sha256, and never reproduce anything from the file.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from string import Template
from urllib.parse import urlsplit

from warroom.errors import WarroomError
from warroom.exposure.content import numbers_in
from warroom.exposure.locations import stored_url
from warroom.journal import Journal, default_actor, queries
from warroom.journal.projections import StaleDecision
from warroom.model import Event, LocationKind, LocationState, now, parse_instant
from warroom.model.kinds import OPEN_TAKEDOWN_STATES, Match, TakedownState, TakedownVia
from warroom.model.payloads import TakedownChanged, TakedownRequested
from warroom.paths import data_dir

S = TakedownState
MOVES: dict[TakedownState, frozenset[TakedownState]] = {
    S.REQUESTED: frozenset({S.ACKNOWLEDGED, S.DONE, S.REFUSED}),
    S.ACKNOWLEDGED: frozenset({S.DONE, S.REFUSED}),
    S.DONE: frozenset(),
    S.REFUSED: frozenset(),
}
# the usual way to ask, for each kind of location
VIA_FOR: dict[LocationKind, TakedownVia] = {
    LocationKind.ORIGIN: TakedownVia.SITE, LocationKind.CDN: TakedownVia.CDN_PURGE,
    LocationKind.MIRROR: TakedownVia.HOST, LocationKind.SEARCH_CACHE: TakedownVia.SEARCH_ENGINE,
    LocationKind.ARCHIVE: TakedownVia.ARCHIVE,
}


def _via(via: str) -> TakedownVia:
    try:
        return TakedownVia(via)
    except ValueError:
        raise WarroomError(f"no way to ask called {via!r}: use one of"
                           f" {', '.join(TakedownVia)}") from None


def _location(conn: sqlite3.Connection, url: str) -> dict:
    row = queries.location(conn, stored_url(url))
    if row is None:
        raise WarroomError(f"{url} is no location of this incident: add it first"
                           " (`warroom location add URL`)")
    return row


def request(journal: Journal, location_url: str, via: str, ref: str | None = None,
            note: str | None = None, *, by: str | None = None,
            at: datetime | None = None) -> Event:
    """Journal that the file's removal from a location was asked for (`warroom takedown
    LOCATION --via KIND [--ref R]`). One open request a location and a way of asking."""
    via = _via(via)
    url = _location(journal.conn, location_url)["url"]
    for r in queries.takedowns(journal.conn, url, open_only=True):
        if r["via"] == via:
            raise WarroomError(f"the {via} request for {url} is {r['state']} already (asked"
                               f" {r['requested_at']} by {r['requested_by']}): move it on with"
                               " --state")
    return journal.record(TakedownRequested(
        request_id=os.urandom(8).hex(), url=url, via=via, by=by or journal.actor, ref=ref,
        note=note), url, occurred_at=at)


def set_state(journal: Journal, location_url: str, state: str, reason: str | None = None, *,
              via: str | None = None, ref: str | None = None, by: str | None = None,
              at: datetime | None = None) -> Event:
    """Move a location's request on (`warroom takedown LOCATION [--via KIND] --state S`):
    acknowledged, done, or refused with its reason. Moves that make no sense are refused."""
    try:
        state = TakedownState(state)
    except ValueError:
        raise WarroomError(f"no takedown state {state!r}: use one of"
                           f" {', '.join(TakedownState)}") from None
    if state == S.REQUESTED:
        raise WarroomError("a request is made by asking (without --state), not by a move")
    if state == S.REFUSED and not (reason or "").strip():
        raise WarroomError("a refusal needs its reason (--reason)")
    row = _request_to_move(journal.conn, location_url, via and _via(via))
    if state not in MOVES[S(row["state"])]:
        after = ", ".join(sorted(MOVES[S(row["state"])])) or "nothing: ask again instead"
        raise WarroomError(f"the {row['via']} request for {row['url']} is {row['state']}: it"
                           f" cannot become {state} (what can follow: {after})")
    try:
        return journal.record(TakedownChanged(
            request_id=row["request_id"], url=row["url"], via=row["via"], state=state,
            was=row["state"], by=by or journal.actor, reason=reason, ref=ref),
            row["url"], occurred_at=at)
    except StaleDecision as exc:
        raise WarroomError(f"{exc}: look again before moving it") from exc


def _request_to_move(conn: sqlite3.Connection, location_url: str,
                     via: TakedownVia | None) -> dict:
    """The open request (else the latest) of a location, by the given way of asking."""
    url = _location(conn, location_url)["url"]
    mine = [r for r in queries.takedowns(conn, url) if via is None or r["via"] == via]
    if not mine:
        how = f" via {via}" if via else ""
        raise WarroomError(f"nothing was requested of {url}{how}: ask first (--via KIND)")
    open_ = [r for r in mine if r["state"] in OPEN_TAKEDOWN_STATES]
    if len(open_) > 1:
        raise WarroomError(f"{url} has open requests via {', '.join(r['via'] for r in open_)}:"
                           " say which with --via")
    return open_[0] if open_ else mine[-1]


# ---------------------------------------------------------------- drafts


def draft(journal_or_conn: Journal | sqlite3.Connection, location_url: str,
          via: str | None = None, *, at: datetime | None = None) -> str:
    """A ready-to-send request for a location (`warroom takedown LOCATION --via KIND --draft`,
    the console's `t`): by default the usual way to ask for its kind of location."""
    conn = getattr(journal_or_conn, "conn", journal_or_conn)
    sender = getattr(journal_or_conn, "actor", None) or default_actor()
    loc = _location(conn, location_url)
    via = _via(via) if via else VIA_FOR.get(LocationKind(loc["kind"]), TakedownVia.SITE)
    parts = urlsplit(loc["url"])
    artifacts = queries.artifacts(conn)
    matched = [a for a in artifacts if a["sha256"] == loc["last_artifact"]]
    evidence = "\n".join(f"    sha256 {a['sha256']} ({a['size']:,} bytes)"
                         for a in matched or artifacts) or "    (no evidence copy acquired yet)"
    asked = [r for r in queries.takedowns(conn, loc["url"]) if r["via"] == via]
    incident = queries.incident(conn) or {}
    text = Template((data_dir() / "takedown" / f"{via}.txt").read_text(encoding="utf-8"))
    text = text.substitute(
        url=loc["url"], host=parts.hostname or "", path=parts.path or "/",
        captured=_captured(loc["url"]), evidence=evidence,
        first_seen=_when(loc["live_since"]) if loc["live_since"] else "a time not yet known",
        last_check=_last_check(loc), incident=incident.get("name") or "",
        ref=(asked[-1]["ref"] if asked and asked[-1]["ref"] else "none yet"),
        today=(at or now()).strftime("%Y-%m-%d"), sender=sender)
    exposed = queries.known_a_numbers(conn, numbers_in(text))
    if exposed:
        raise WarroomError("the draft would carry the A-number of someone in the file (in the"
                           " URL or the incident's name): write this request by hand")
    return text


def _when(utc: str) -> str:
    return parse_instant(utc).strftime("%Y-%m-%d %H:%M UTC")


def _last_check(loc: dict) -> str:
    if not loc["last_checked_at"]:
        return "We have not checked it ourselves yet."
    status = f"HTTP {loc['last_status']}, " if loc["last_status"] else ""
    said = {LocationState.LIVE: "the file is still served",
            LocationState.DOWN: "the file is no longer served",
            LocationState.VERIFIED_DOWN: "the file is no longer served (confirmed over"
                                         " repeated checks)",
            }.get(loc["state"], "the result was unclear")
    how = {Match.SHA256: " (the same bytes as our evidence copy)",
           Match.A_NUMBERS: " (a changed copy holding the same records)",
           }.get(loc["last_match"], "")
    return f"Last checked {_when(loc['last_checked_at'])}: {status}{said}{how}."


_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(.+)$", re.I)


def _captured(url: str) -> str:
    """The original URL inside a Wayback Machine capture's URL (else the URL itself)."""
    found = _WAYBACK.match(url)
    return found.group(1) if found else url
