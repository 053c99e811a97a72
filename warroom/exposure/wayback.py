"""Web archives: the Wayback Machine's captures of the file, looked up only when a responder
asks (`warroom location archives`, never by a probe on its own), and added as `archive`
locations to probe and to ask removal of. The availability API answers with the capture
closest to a time: the time the file was posted, when the journal knows it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from warroom import __version__
from warroom.errors import WarroomError
from warroom.exposure.locations import add_if_new, stored_url
from warroom.journal import Journal, queries
from warroom.model import LocationKind, parse_instant

WAYBACK_API = "https://archive.org/wayback/available"
TIMEOUT = 20.0


@dataclass(frozen=True)
class Capture:
    url: str                  # the URL the archive captured
    archive_url: str          # where the archive serves the capture
    timestamp: str | None     # YYYYMMDDhhmmss, as the archive writes it
    status: str | None        # the HTTP status the capture recorded
    added: bool = False       # it became a new location


async def wayback_captures(url: str, client=None, api: str = WAYBACK_API, *,
                           timestamp: str | None = None) -> list[Capture]:
    """The Wayback Machine's capture of `url` (closest to `timestamp`), if it has one that
    recorded the file (a capture of an error page is not the file)."""
    import httpx

    params = {"url": url, **({"timestamp": timestamp} if timestamp else {})}
    try:
        if client is None:
            async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True, headers={
                    "User-Agent": f"warroom/{__version__} (incident response)"}) as own:
                response = await own.get(api, params=params)
        else:
            response = await client.get(api, params=params)
    except httpx.HTTPError as exc:
        raise WarroomError(f"cannot ask the Wayback Machine at {api} ({exc})") from exc
    if response.status_code != 200:
        raise WarroomError(f"the Wayback Machine at {api} answered HTTP {response.status_code}")
    try:
        closest = (response.json().get("archived_snapshots") or {}).get("closest") or {}
    except (ValueError, AttributeError) as exc:
        raise WarroomError(f"the Wayback Machine at {api} sent no JSON answer") from exc
    status = str(closest["status"]) if closest.get("status") is not None else None
    if not closest.get("available") or not isinstance(closest.get("url"), str) \
            or status not in (None, "200"):
        return []
    return [Capture(url, closest["url"], closest.get("timestamp"), status)]


def add_archives(journal: Journal, *, api: str = WAYBACK_API, client=None,
                 kinds: tuple[str, ...] = (LocationKind.ORIGIN,),
                 at: datetime | None = None) -> list[Capture]:
    """Ask the Wayback Machine about each origin URL; add every capture found as an archive
    location (state unknown until a probe looks). Returns the captures, new or known."""
    urls = [x["url"] for x in queries.locations(journal.conn) if x["kind"] in kinds]
    incident = queries.incident(journal.conn) or {}
    stamp = (parse_instant(incident["posted_at"]).strftime("%Y%m%d%H%M%S")
             if incident.get("posted_at") else None)

    async def ask() -> list[list[Capture]]:
        return await asyncio.gather(*(wayback_captures(u, client, api, timestamp=stamp)
                                      for u in urls))

    found = []
    for capture in (c for group in asyncio.run(ask()) for c in group):
        note = (f"Wayback Machine capture of {stored_url(capture.url)}"
                f" ({capture.timestamp or 'time unknown'})")
        try:
            event = add_if_new(journal, capture.archive_url, LocationKind.ARCHIVE, note, at=at,
                               state=None)
        except WarroomError:
            continue        # not a web address a location can be
        found.append(Capture(capture.url, capture.archive_url, capture.timestamp,
                             capture.status, added=event is not None))
    return found
