"""Projections of the checklists (issue 9): per person (notification, removal hold), per
downloader (contact), and the procedure steps that complete tasks.

A move's `was` is the state it was decided from: when the row holds another state, a
responder wrote first, and the append is refused (`StaleState`) so that the service reads
again and decides again; `verify` replays the same events over the same states, so the check
always holds there. Like every projection, these depend only on the event and the tables.
"""

from __future__ import annotations

from warroom.journal.projections import Handler, StaleState, handles
from warroom.model import NOTIFIED_STATES, ContactState, HoldState, Kind, NotifyState, TaskState
from warroom.model import a_number as _a_number
from warroom.model.kinds import ENDED_HOLD_STATES, NOTICE_ATTEMPT_STATES


def _current(conn, table: str, column: str, key_column: str, key: str, was: str | None,
             what: str) -> None:
    row = conn.execute(f"SELECT {column} FROM {table} WHERE {key_column} = ?",
                       (key,)).fetchone()
    if row is None:
        raise ValueError(f"{what} {key[:24]} is not in the journal")
    if was is not None and row[0] != was:
        raise StaleState(f"{what} moved from {was} to {row[0]} meanwhile")


def _literals(states) -> str:
    """States (our own enum values, never outside text) as an SQL list."""
    return ", ".join(f"'{s}'" for s in sorted(states))


_NOTIFY_SQL = f"""UPDATE people SET
    notify_attempts = CASE WHEN :state IN ({_literals(NOTICE_ATTEMPT_STATES)})
                            AND notify_state != :state
        THEN json_insert(notify_attempts, '$[#]', json_object(
            'at', :at, 'state', :state, 'channel', coalesce(:channel, notify_channel)))
        ELSE notify_attempts END,
    notify_since = CASE WHEN notify_state = :state THEN notify_since ELSE :at END,
    notify_state = :state,
    notify_channel = coalesce(:channel, notify_channel),
    counsel = coalesce(:counsel, counsel),
    language = coalesce(:language, language),
    notify_note = coalesce(:note, notify_note),
    notified_at = CASE WHEN :state IN ({_literals(NOTIFIED_STATES)})
                       THEN coalesce(notified_at, :at) END,
    acknowledged_at = CASE WHEN :state = '{NotifyState.ACKNOWLEDGED}'
                           THEN coalesce(acknowledged_at, :at) END,
    touched_event = :event
  WHERE person_key = :key"""


@handles(Kind.NOTIFY_STATE)
def _notify_state(conn, event_id, at, subject, data):
    """A later state implies the earlier ones: reaching acknowledged from pending sets the
    notice date too. An attempt (delivered, undeliverable, substitute) is listed with its
    date and channel; a correction back before notice clears the notice date."""
    _current(conn, "people", "notify_state", "person_key", data["person"], data.get("was"),
             "person")
    conn.execute(_NOTIFY_SQL, {
        "state": data["state"], "at": at, "channel": data.get("channel"),
        "counsel": data.get("counsel"), "language": data.get("language"),
        "note": data.get("note"), "event": event_id, "key": data["person"]})


_HOLD_SQL = """UPDATE people SET
    hold_placed_at = CASE WHEN :placed AND hold_state != :state THEN :at
                          WHEN :placed OR :ended THEN hold_placed_at END,
    hold_event = CASE WHEN :placed AND hold_state != :state THEN :event
                      WHEN :placed OR :ended THEN hold_event END,
    hold_ended_at = CASE WHEN :ended AND hold_state != :state THEN :at
                         WHEN :ended THEN hold_ended_at END,
    hold_state = :state,
    hold_type = coalesce(:type, hold_type),
    hold_until = CASE WHEN :expires IS NOT NULL THEN :expires
                      WHEN :days IS NOT NULL THEN NULL ELSE hold_until END,
    hold_days = CASE WHEN :expires IS NOT NULL THEN NULL ELSE coalesce(:days, hold_days) END,
    removal_date = CASE WHEN :removal = '' THEN NULL ELSE coalesce(:removal, removal_date) END,
    hold_note = coalesce(:note, hold_note),
    touched_event = :event
  WHERE person_key = :key"""


@handles(Kind.HOLD_STATE)
def _hold_state(conn, event_id, at, subject, data):
    """Who placed the hold and when is the event that moved it to placed; the expiry is a
    date, or `days` after the person's notice (read as such, so a notice given later moves
    it); an empty removal date cancels the scheduled one."""
    state = data["state"]
    _current(conn, "people", "hold_state", "person_key", data["person"], data.get("was"),
             "person")
    conn.execute(_HOLD_SQL, {
        "placed": state == HoldState.PLACED, "ended": state in ENDED_HOLD_STATES,
        "state": state, "at": at, "event": event_id, "type": data.get("type"),
        "expires": data.get("expires"), "days": data.get("days"),
        "removal": data.get("removal_date"), "note": data.get("note"), "key": data["person"]})


def _person_named(person: str | None) -> str | None:
    """The person key a procedure step names: a person key as written, or an A-number."""
    if not person:
        return None
    if person.startswith(("A:", "N:")):
        return person
    number = _a_number(person)
    return "A:" + number[1:] if number else None


@handles(Kind.REMOVAL_EXECUTED)
def _removal_executed(conn, event_id, at, subject, data):
    """An exposed person was removed: the earliest removal stands (an alarm when it came
    before their notice, or inside their hold)."""
    key = _person_named(data.get("person"))
    if key:
        conn.execute("UPDATE people SET removed_at = CASE WHEN removed_at IS NULL OR ? <"
                     " removed_at THEN ? ELSE removed_at END, touched_event = ?"
                     " WHERE person_key = ?", (at, at, event_id, key))


@handles(Kind.CUSTODY_REVIEW)
def _custody_review(conn, event_id, at, subject, data):
    key = _person_named(data.get("person"))
    if key and data.get("text"):
        conn.execute("UPDATE people SET custody_review = ?, touched_event = ?"
                     " WHERE person_key = ?", (data["text"], event_id, key))


_CONTACT_SQL = f"""UPDATE downloaders SET
    contact_state = :state,
    organisation = coalesce(:organisation, organisation),
    contact = coalesce(:contact, contact),
    contact_note = coalesce(:note, contact_note),
    contact_at = :at,
    clawback_at = CASE WHEN :state = '{ContactState.CLAWBACK_SENT}'
                       THEN coalesce(clawback_at, :at) ELSE clawback_at END,
    chased_at = CASE WHEN :state = '{ContactState.CHASED}' THEN :at ELSE chased_at END,
    attested_at = CASE WHEN :state = '{ContactState.DELETION_ATTESTED}'
                       THEN coalesce(attested_at, :at) END,
    touched_event = :event
  WHERE client = :client"""


@handles(Kind.CONTACT_STATE)
def _contact_state(conn, event_id, at, subject, data):
    _current(conn, "downloaders", "contact_state", "client", data["client"], data.get("was"),
             "downloader")
    conn.execute(_CONTACT_SQL, {
        "state": data["state"], "organisation": data.get("organisation"),
        "contact": data.get("contact"), "note": data.get("note"), "at": at,
        "event": event_id, "client": data["client"]})


# The procedure steps that complete a task when they are journaled (a task names its step).
STEP_KINDS = (Kind.TIP_RECEIVED, Kind.CDN_PURGED, Kind.CISA_REPORTED,
              Kind.PRIVACY_OFFICER_NOTIFIED, Kind.BRT_CONVENED, Kind.PUBLIC_STATEMENT,
              Kind.MAJOR_INCIDENT_DETERMINED, Kind.CONGRESS_NOTIFIED,
              Kind.SEARCH_REMOVAL_REQUESTED, Kind.ARCHIVE_REMOVAL_REQUESTED, Kind.CLOSED)


def _step(kind: Kind) -> Handler:
    def taken(conn, event_id, at, subject, data):
        """The first time the step was taken (for a client, when it names one), and the
        open tasks it completes: those of the step, for that client or for none."""
        client = data.get("client") or ""
        conn.execute(
            "INSERT INTO steps(kind, subject, first_at, event_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(kind, subject) DO UPDATE SET"
            " event_id = CASE WHEN excluded.first_at < first_at THEN excluded.event_id"
            " ELSE event_id END, first_at = min(first_at, excluded.first_at)",
            (kind, client, at, event_id))
        conn.execute(
            "UPDATE tasks SET state = ?, done_at = ?, done_event = ?"
            " WHERE step = ? AND state = ? AND (subject IS NULL OR subject = ?)",
            (TaskState.DONE, at, event_id, kind, TaskState.OPEN, client))

    return taken


for _kind in STEP_KINDS:
    handles(_kind)(_step(_kind))
