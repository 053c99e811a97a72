"""Projections of the exposure: locations and their checks (the confirmation rule), takedown
requests, downloaders and access-log imports. Registered on import by `projections`."""

from __future__ import annotations

import json
from typing import Any

from warroom.journal.projections import StaleDecision, handles
from warroom.model import (
    DOWN_STATES,
    ContactState,
    Kind,
    LocationState,
    parse_instant,
)
from warroom.model.kinds import OPEN_TAKEDOWN_STATES, TakedownState, Verdict

# ---------------------------------------------------------------- locations


@handles(Kind.LOCATION_ADDED)
def _location_added(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO locations(url, kind, note, event_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(url) DO UPDATE SET kind = excluded.kind",
        (data["url"], data["kind"], data.get("note"), event_id),
    )
    if data.get("state"):
        _set_location_state(conn, data["url"], data["state"], at, data)


@handles(Kind.LOCATION_STATE, Kind.VERIFIED)
def _location_state(conn, event_id, at, subject, data):
    if data.get("verdict"):
        _location_checked(conn, event_id, at, data)
    else:       # a responder's statement: the state as said
        _set_location_state(conn, data["url"], data["state"], at, data, event_id)


@handles(Kind.TAKEN_DOWN, Kind.CDN_PURGED)
def _taken_down(conn, event_id, at, subject, data):
    _set_location_state(conn, data["url"], _DOWN, at, data, event_id)


_STATES = frozenset(LocationState)
_LIVE, _DOWN = LocationState.LIVE, LocationState.DOWN
_VERIFIED_DOWN = LocationState.VERIFIED_DOWN


def next_location_state(state: str, negatives: int, first_negative_at: str | None,
                        verdict: str, at: str, confirm: int, over: float,
                        ) -> tuple[str, int, str | None]:
    """The confirmation rule: (state, negatives, first negative at) after one check at `at`.

    Found: live, and the run of negatives starts again. Gone: down, and verified down once
    `confirm` consecutive negative checks span at least `over` seconds (verified down stays
    verified down while the checks stay negative). Unsure: nothing was learned, nothing
    moves. Times are the journal's UTC text; the probe and this projection call the same
    function, so a decision taken from the journal's state is the one the journal replays."""
    if verdict == Verdict.FOUND:
        return _LIVE, 0, None
    if verdict == Verdict.GONE:
        count, first = negatives + 1, first_negative_at or at
        spread = (parse_instant(at) - parse_instant(first)).total_seconds()
        if state == _VERIFIED_DOWN or (count >= confirm and spread >= over):
            return _VERIFIED_DOWN, count, first
        return _DOWN, count, first
    if verdict == Verdict.UNSURE:
        return state, negatives, first_negative_at
    raise ValueError(f"unknown verdict {verdict!r}")


def _location_checked(conn, event_id, at, data) -> None:
    """A probe's check: its state must be what the rule gives from the state it was taken
    from, else the check was decided on a stale read and is refused."""
    url = data["url"]
    row = conn.execute("SELECT state, negatives, first_negative_at FROM locations"
                       " WHERE url = ?", (url,)).fetchone()
    if row is None:
        raise ValueError(f"a check of {url}, which is no known location")
    state, negatives, first = next_location_state(*row, data["verdict"], at,
                                                  data.get("confirm") or 1, data.get("over") or 0)
    if (data.get("was"), data["state"], data.get("negatives")) != (row[0], state, negatives):
        raise StaleDecision(f"{url} moved on while it was checked (it is {row[0]} with"
                            f" {row[1]} negative checks): decide again")
    _set_location_state(conn, url, state, at, data, event_id)
    conn.execute(
        """UPDATE locations SET checks = checks + 1, negatives = ?, first_negative_at = ?,
             last_status = ?, last_sha256 = ?, last_verdict = ?, last_match = ?,
             last_share = ?, last_artifact = ?, last_error = ?
           WHERE url = ?""",
        (negatives, first, data.get("status"), data.get("sha256"), data["verdict"],
         data.get("match"), data.get("share"), data.get("artifact"), data.get("error"), url))


def _set_location_state(conn, url: str, state: str, at: str, data: dict[str, Any],
                        event_id: int | None = None) -> None:
    state = str(getattr(state, "value", state))
    if state not in _STATES:
        raise ValueError(f"unknown location state {state!r}")
    live = state == _LIVE
    down = state in DOWN_STATES
    conn.execute(
        """UPDATE locations SET
             state = ?,
             live_since = CASE WHEN ? THEN coalesce(live_since, ?) ELSE live_since END,
             down_since = CASE WHEN ? THEN NULL WHEN ? THEN coalesce(down_since, ?)
                               ELSE down_since END,
             verified_at = CASE WHEN ? THEN ? ELSE verified_at END,
             last_checked_at = ?,
             last_status = coalesce(?, last_status),
             last_sha256 = coalesce(?, last_sha256),
             negatives = CASE WHEN ? THEN 0 ELSE negatives END,
             first_negative_at = CASE WHEN ? THEN NULL ELSE first_negative_at END
           WHERE url = ?""",
        (state, live, at, live, down, at, state == _VERIFIED_DOWN, at,
         at, data.get("status"), data.get("sha256"), live, live, url),
    )
    if state == _VERIFIED_DOWN:
        # the file is proven gone from here: what was asked of this location is done
        conn.execute(
            f"""UPDATE takedowns SET state = ?, closed_at = ?, updated_at = ?,
                  closed_by = ? WHERE url = ? AND state IN ({_marks(OPEN_TAKEDOWN_STATES)})""",
            (TakedownState.DONE, at, at, f"verified_down (event {event_id})", url,
             *sorted(OPEN_TAKEDOWN_STATES)))


def _marks(values) -> str:
    return ", ".join("?" * len(values))


# ---------------------------------------------------------------- takedowns


@handles(Kind.TAKEDOWN_REQUESTED)
def _takedown_requested(conn, event_id, at, subject, data):
    conn.execute(
        "INSERT INTO takedowns(request_id, url, via, state, ref, note, requested_by,"
        " requested_at, updated_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (data["request_id"], data["url"], data["via"], TakedownState.REQUESTED,
         data.get("ref"), data.get("note"), data["by"], at, at, event_id))


@handles(Kind.TAKEDOWN_STATE)
def _takedown_state(conn, event_id, at, subject, data):
    row = conn.execute("SELECT state FROM takedowns WHERE request_id = ?",
                       (data["request_id"],)).fetchone()
    if row is None:
        raise ValueError(f"no takedown request {data['request_id']}")
    if row[0] != data["was"]:
        raise StaleDecision(f"the {data['via']} request for {data['url']} is {row[0]} now,"
                            f" not {data['was']}")
    closed = data["state"] not in OPEN_TAKEDOWN_STATES
    conn.execute(
        "UPDATE takedowns SET state = ?, reason = coalesce(?, reason), ref = coalesce(?, ref),"
        " updated_by = ?, updated_at = ?, closed_at = CASE WHEN ? THEN ? ELSE NULL END,"
        " closed_by = CASE WHEN ? THEN ? ELSE NULL END WHERE request_id = ?",
        (data["state"], data.get("reason"), data.get("ref"), data["by"], at, closed, at,
         closed, data["by"], data["request_id"]))


# ---------------------------------------------------------------- downloaders


@handles(Kind.DOWNLOADED)
def _downloaded(conn, event_id, at, subject, data):
    """A client that received bytes of the file. The event states the client's totals in one
    import of access logs (`logs`), which replace what that import said before; an event
    with no `logs` (a responder's entry) is a share of its own. The client's one row in
    `downloaders` adds up its shares."""
    conn.execute(
        """INSERT INTO downloads(logs, client, complete, bot, bytes, requests, first_seen,
                                 last_seen, user_agents, event_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(logs, client) DO UPDATE SET
             complete = excluded.complete, bot = excluded.bot, bytes = excluded.bytes,
             requests = excluded.requests, first_seen = excluded.first_seen,
             last_seen = excluded.last_seen, user_agents = excluded.user_agents,
             event_id = excluded.event_id""",
        (data.get("logs") or f"event:{event_id}", data["client"],
         int(bool(data.get("complete"))), int(bool(data.get("bot"))),
         int(data.get("bytes") or 0), int(data.get("requests") or 1),
         data.get("first_seen") or at, data.get("last_seen") or at,
         json.dumps(data.get("user_agents") or []), event_id),
    )
    _add_up_downloader(conn, data["client"], event_id)


# The client's row from its shares: bytes and requests summed, complete if any share is, a
# bot only if every share is, the user agents of all (in the order their shares were first
# seen).
_ADD_UP = """
INSERT INTO downloaders(client, complete, bot, bytes, requests, first_seen, last_seen,
                        user_agents, event_id)
SELECT :client, max(complete), min(bot), sum(bytes), sum(requests), min(first_seen),
       max(last_seen),
       CASE count(*) WHEN 1 THEN max(user_agents) ELSE (
           SELECT json_group_array(agent) FROM (
               SELECT a.value AS agent FROM downloads s, json_each(s.user_agents) a
               WHERE s.client = :client GROUP BY a.value
               ORDER BY min(s.first_seen), min(s.logs), min(a.key))) END,
       :event
FROM downloads WHERE client = :client
HAVING count(*) > 0
ON CONFLICT(client) DO UPDATE SET
  complete = excluded.complete, bot = excluded.bot, bytes = excluded.bytes,
  requests = excluded.requests, first_seen = excluded.first_seen,
  last_seen = excluded.last_seen, user_agents = excluded.user_agents
"""


def _add_up_downloader(conn, client: str, event_id: int) -> None:
    conn.execute(_ADD_UP, {"client": client, "event": event_id})


@handles(Kind.LOGS_IMPORTED)
def _logs_imported(conn, event_id, at, subject, data):
    """An import of access logs. Its own earlier shares (the same logs imported again) and
    those of the imports it supersedes give way; its downloaded events follow with the new
    totals. A client left with no share loses its row, unless a responder has begun contact
    work on it (then its counts are zero until a share comes back)."""
    key = data["logs"]
    gone = [key, *(data.get("supersedes") or [])]
    marks = ", ".join("?" * len(gone))
    elsewhere = [row[0] for row in conn.execute(
        f"SELECT DISTINCT d.client FROM downloads d WHERE d.logs IN ({marks}) AND EXISTS"
        f" (SELECT 1 FROM downloads o WHERE o.client = d.client AND o.logs NOT IN ({marks}))",
        gone + gone)]
    conn.execute(f"DELETE FROM downloads WHERE logs IN ({marks})", gone)
    orphan = "NOT EXISTS (SELECT 1 FROM downloads d WHERE d.client = downloaders.client)"
    conn.execute(f"DELETE FROM downloaders WHERE {orphan} AND contact_state = ?"
                 " AND organisation IS NULL AND attested_at IS NULL",
                 (ContactState.UNIDENTIFIED,))
    conn.execute(f"UPDATE downloaders SET complete = 0, bot = 0, bytes = 0, requests = 0,"
                 f" first_seen = NULL, last_seen = NULL, user_agents = '[]'"
                 f" WHERE requests > 0 AND {orphan}")
    for client in elsewhere:
        _add_up_downloader(conn, client, event_id)
    conn.execute(f"UPDATE log_imports SET superseded_by = ? WHERE logs IN ({marks})",
                 (key, *gone))
    conn.execute(
        """INSERT INTO log_imports(logs, path, files, lines, bad_lines, downloaders, size,
                                   first_access, last_access, imported_at, event_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(logs) DO UPDATE SET
             files = excluded.files, lines = excluded.lines, bad_lines = excluded.bad_lines,
             downloaders = excluded.downloaders, size = excluded.size,
             first_access = excluded.first_access, last_access = excluded.last_access,
             imported_at = excluded.imported_at, superseded_by = NULL,
             event_id = excluded.event_id""",
        (key, data["path"], json.dumps(data["files"], sort_keys=True), data["lines"],
         data["bad_lines"], data["downloaders"], data.get("size"), data.get("first_access"),
         data.get("last_access"), at, event_id),
    )
