"""Words shared by every layer: kinds and states, times, events and their payloads, the
A-number and person key, redaction. No I/O, no rich, no Textual."""

from warroom.model.events import Draft, Event
from warroom.model.kinds import (
    ALARM_KINDS,
    DOWN_STATES,
    NOTIFIED_STATES,
    Channel,
    ContactState,
    HoldState,
    Kind,
    LocationKind,
    LocationState,
    NotifyState,
    TaskState,
    TipState,
)
from warroom.model.payloads import PAYLOADS, Payload, payload_for
from warroom.model.people import (
    a_number,
    initials,
    normalize_name,
    person_key,
    redact_a_number,
    redact_date,
    redact_person,
)
from warroom.model.times import now, parse_instant, to_utc_text
from warroom.model.urls import mask_url

__all__ = [
    "ALARM_KINDS", "DOWN_STATES", "NOTIFIED_STATES", "PAYLOADS", "Channel", "ContactState",
    "Draft", "Event", "HoldState", "Kind", "LocationKind", "LocationState", "NotifyState",
    "Payload", "TaskState", "TipState", "a_number", "initials", "mask_url", "normalize_name",
    "now", "parse_instant", "payload_for", "person_key", "redact_a_number", "redact_date",
    "redact_person", "to_utc_text",
]
