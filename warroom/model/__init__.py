"""Words shared by every layer: kinds and states, times, events and their payloads, the
A-number and person key, redaction. No I/O, no rich, no Textual.

The payloads (a class a kind, the largest part) load on first use of PAYLOADS, Payload or
payload_for: a command that needs only the kinds or the times (`warroom logs`, `--help`)
starts without them.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from warroom.model.payloads import PAYLOADS, Payload, payload_for

_LAZY = ("PAYLOADS", "Payload", "payload_for")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from warroom.model import payloads

        return getattr(payloads, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALARM_KINDS", "DOWN_STATES", "NOTIFIED_STATES", "PAYLOADS", "Channel", "ContactState",
    "Draft", "Event", "HoldState", "Kind", "LocationKind", "LocationState", "NotifyState",
    "Payload", "TaskState", "TipState", "a_number", "initials", "mask_url", "normalize_name",
    "now", "parse_instant", "payload_for", "person_key", "redact_a_number", "redact_date",
    "redact_person", "to_utc_text",
]
