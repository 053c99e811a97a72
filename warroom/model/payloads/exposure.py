"""Payloads of the exposure: locations and their checks, postings, takedowns, downloads and
access logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warroom.model.kinds import Kind
from warroom.model.payloads.base import Payload, payload

# ---------------------------------------------------------------- where the file is


@payload(Kind.LOCATION_ADDED)
@dataclass(frozen=True, kw_only=True)
class LocationAdded(Payload):
    """A place where the file is or was reachable (origin, CDN, mirror, cache, archive)."""
    BY = "`warroom.incident.add_location` (a responder, an acquisition from a URL)"
    DEFINES = ("location", "url")
    url: str
    kind: str
    state: str | None = None
    note: str | None = None


@payload(Kind.LOCATION_STATE, Kind.VERIFIED)
@dataclass(frozen=True, kw_only=True)
class LocationChecked(Payload):
    """What a location does now (live, down, verified down), with the check's evidence.

    A responder's statement carries the state alone. A probe's check carries its `verdict`
    and the evidence; the state then follows from the verdict, the location's run of
    negative checks and the rule (`confirm` checks over `over` seconds), and the journal
    refuses a check whose `was`, `state` or `negatives` disagree with that (a decision taken
    from a stale read by another process)."""
    BY = ("`warroom.incident.location_state` (a responder);"
          " `warroom.exposure.probe` (`warroom probe`, the console's `p`)")
    REFS = {"url": "location", "artifact": "artifact"}
    url: str
    state: str
    status: int | None = None           # the last HTTP status (after redirects)
    sha256: str | None = None           # of the bytes fetched, when they were read whole
    note: str | None = None
    was: str | None = None              # the state before this check
    verdict: str | None = None          # found | gone | unsure (a probe's check)
    match: str | None = None            # sha256 | a-numbers | none
    share: float | None = None          # of the evidence copy's A-numbers found in the bytes
    found: int | None = None            # how many of them
    artifact: str | None = None         # the evidence copy it was compared with
    head: int | None = None             # the HEAD request's status
    redirects: list[str] | None = None  # each hop: "301 https://…"
    final_url: str | None = None
    bytes: int | None = None            # body bytes read
    error: str | None = None            # why the check could not tell (timeout, refused, …)
    negatives: int | None = None        # consecutive negative checks, this one included
    confirm: int | None = None          # the rule: this many negatives …
    over: int | None = None             # … spread over at least this many seconds


@payload(Kind.POSTED)
@dataclass(frozen=True, kw_only=True)
class Posted(Payload):
    """The file became reachable at a location (stated, or the earliest access in a log)."""
    url: str
    source: str | None = None


@payload(Kind.TAKEN_DOWN, Kind.CDN_PURGED)
@dataclass(frozen=True, kw_only=True)
class TakenDown(Payload):
    """The file was pulled from a location (deleted at the origin, purged from a CDN)."""
    url: str
    by: str | None = None


@payload(Kind.DOWNLOADED)
@dataclass(frozen=True, kw_only=True)
class Downloaded(Payload):
    """A client received bytes of the file (complete or partial), from an access log."""
    BY = ("`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
          " (or a responder)")
    REFS = {"logs": "logs"}
    client: str
    complete: bool = False
    bot: bool = False
    bytes: int | None = None
    source: str | None = None
    # From an access-log import: the client's totals in the logs of `logs_imported` `logs`
    # (an import of the same logs again replaces them, it does not add to them).
    requests: int | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    user_agents: list[str] | None = None
    complete_by: str | None = None
    logs: str | None = None

# ---------------------------------------------------------------- takedown requests


@payload(Kind.TAKEDOWN_REQUESTED)
@dataclass(frozen=True, kw_only=True)
class TakedownRequested(Payload):
    """Removal of the file from a location was requested (from whom, by whom, their ref)."""
    BY = "`warroom takedown`: `warroom.exposure.takedown.request`"
    DEFINES = ("takedown", "request_id")
    REFS = {"url": "location"}
    request_id: str
    url: str
    via: str                 # site | cdn-purge | search-engine | archive | host
    by: str                  # the responder who asked
    ref: str | None = None   # the ticket or case number they gave
    note: str | None = None


@payload(Kind.TAKEDOWN_STATE)
@dataclass(frozen=True, kw_only=True)
class TakedownChanged(Payload):
    """A takedown request moved on: acknowledged, done, or refused (with the reason)."""
    BY = "`warroom takedown --state`: `warroom.exposure.takedown.set_state`"
    REFS = {"request_id": "takedown", "url": "location"}
    request_id: str
    url: str
    via: str
    state: str
    was: str                 # the state it moved from (a stale move is refused)
    by: str
    reason: str | None = None
    ref: str | None = None

# ---------------------------------------------------------------- access logs


@payload(Kind.LOGS_IMPORTED)
@dataclass(frozen=True, kw_only=True)
class LogsImported(Payload):
    """Access logs were read for the file: which logs, what they hold, when it was served."""
    BY = "`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
    DEFINES = ("logs", "logs")
    logs: str                        # digest of the path and the log files' fingerprints
    path: str
    files: list[dict[str, Any]]      # file, format, lines, bad_lines, requests, fingerprint
    lines: int
    bad_lines: int
    downloaders: int
    first_access: str | None = None
    last_access: str | None = None
    size: int | None = None
    # earlier imports of this path from some of the same files: their counts give way
    supersedes: list[str] | None = None
    note: str | None = None


@payload(Kind.LAST_ACCESSED)
@dataclass(frozen=True, kw_only=True)
class LastAccessed(Payload):
    """The last time the access logs show a client receiving bytes of the file."""
    BY = "`warroom logs --import`: `warroom.exposure.logs.importer.import_downloaders`"
    REFS = {"logs": "logs"}
    url: str
    client: str | None = None
    logs: str | None = None
    source: str | None = None
    note: str | None = None
