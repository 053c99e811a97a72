"""The places the file is or was reachable: adding one (a responder, an acquisition, a probe
that followed a redirect, the web archive), and the list the faces show.

A location is an http(s) URL with a host. Its state comes from the probes
(`warroom.exposure.probe`) or a responder's statement; its takedown requests from
`warroom.exposure.takedown`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from urllib.parse import urlsplit

from warroom.errors import WarroomError
from warroom.incident import add_location
from warroom.journal import Journal, queries
from warroom.model import Event, LocationKind, LocationState
from warroom.model.kinds import OPEN_TAKEDOWN_STATES

# secrets in URLs (passwords, signed-URL signatures) are masked before they are kept
from warroom.model.urls import mask_url as stored_url


def checked_url(url: str) -> str:
    """The URL, stripped, if it is one a location can be: http or https, with a host."""
    url = (url or "").strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise WarroomError(f"not a URL: {url!r} (spaces or control characters in it)")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError as exc:
        raise WarroomError(f"not a URL: {url!r} ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise WarroomError(f"{url!r} is not an http or https URL: a location is a web address")
    if not parts.hostname:
        raise WarroomError(f"{url!r} has no host")
    return url


def add(journal: Journal, url: str, kind: str = LocationKind.ORIGIN, note: str | None = None,
        *, state: str | None = None, at: datetime | None = None) -> Event:
    """Add a place where the file is or was (`warroom location add URL --kind K`). Adding a
    known URL again changes its kind."""
    return add_location(journal, checked_url(url), kind, state=state, at=at, note=note)


def record_acquired_url(journal: Journal, url: str, *, final_url: str | None = None,
                        at: datetime | None = None) -> list[Event]:
    """The rule "acquiring the file from a URL makes that URL a location": an origin that
    served the file (live at the acquisition), unless the URL is known already (then its kind
    and state are left alone). A redirect's final URL is recorded too (see `add_reached`)."""
    note = "the file was acquired from here"
    events = [add_if_new(journal, url, LocationKind.ORIGIN, note, at=at)]
    if final_url and final_url != url:
        events.append(add_reached(journal, url, final_url, note, at=at))
    return [e for e in events if e]


def add_reached(journal: Journal, start: str, final_url: str, note: str,
                at: datetime | None = None) -> Event | None:
    """A URL a redirect from `start` led to, where the file was served: a location of its own
    (the origin's site, or a mirror on another host), live from `at`. A URL with a query is
    not kept: a signed or session URL expires, so probing it later would prove nothing."""
    if urlsplit(final_url).query:
        return None
    return add_if_new(journal, final_url, same_site_kind(start, final_url), note, at=at)


def add_if_new(journal: Journal, url: str, kind: str, note: str, at: datetime | None = None,
               state: str | None = LocationState.LIVE) -> Event | None:
    """Add a location (by default one seen serving the file: live from `at`), unless it is
    known already."""
    url = checked_url(url)
    if queries.location(journal.conn, stored_url(url)) is not None:
        return None
    return add_location(journal, url, kind, state=state, at=at, note=note)


def same_site_kind(origin: str, other: str) -> LocationKind:
    """Where a redirect or an acquisition led: the origin's own site, or a mirror."""
    same = urlsplit(origin).netloc.lower() == urlsplit(other).netloc.lower()
    return LocationKind.ORIGIN if same else LocationKind.MIRROR


def list_locations(conn: sqlite3.Connection) -> list[dict]:
    """Every location with its state, its last check (when, HTTP status, how the content
    matched) and its takedown requests (`warroom location list --json`)."""
    requests: dict[str, list[dict]] = {}
    for r in queries.takedowns(conn):
        requests.setdefault(r["url"], []).append(r)
    out = []
    for x in queries.locations(conn):
        mine = requests.get(x["url"], [])
        open_ = [r for r in mine if r["state"] in OPEN_TAKEDOWN_STATES]
        out.append({
            "url": x["url"], "kind": x["kind"], "state": x["state"], "note": x["note"],
            "live_since": x["live_since"], "down_since": x["down_since"],
            "verified_at": x["verified_at"], "last_checked_at": x["last_checked_at"],
            "last_status": x["last_status"], "verdict": x["last_verdict"],
            "match": x["last_match"], "share": x["last_share"], "sha256": x["last_sha256"],
            "artifact": x["last_artifact"], "error": x["last_error"], "checks": x["checks"],
            "negatives": x["negatives"],
            "takedown": open_[-1]["state"] if open_ else None,
            "takedowns": [{k: r[k] for k in ("via", "state", "ref", "reason", "requested_by",
                                             "requested_at", "updated_at", "closed_by")}
                          for r in mine],
        })
    return out
