"""Words shared by every layer: dataclasses, enums, times and redaction. No I/O here."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

# ---------------------------------------------------------------- times
# Every instant is stored as UTC text with a fixed width, so text order is time order:
# 2022-11-28T14:45:00.000Z. The offset the source wrote ("-05:00") is kept beside it.


def now() -> datetime:
    """The current time, timezone-aware, in the machine's local zone."""
    return datetime.now(timezone.utc).astimezone()


def to_utc_text(moment: datetime) -> tuple[str, str]:
    """(UTC text, source offset) for an aware datetime; naive ones are taken as local."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    utc = moment.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return text, f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_instant(text: str) -> datetime:
    """Parse stored UTC text (or any ISO 8601 with offset) into an aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


# ---------------------------------------------------------------- events


class Kind(str, enum.Enum):
    """Event kinds. The response procedure's timeline kinds plus the journal's own."""

    # the journal's own
    INCIDENT_OPENED = "incident_opened"
    NOTE = "note"
    LOCATION_ADDED = "location_added"
    LOCATION_STATE = "location_state"
    PEOPLE_IMPORTED = "people_imported"
    PERSON_REVEALED = "person_revealed"
    TASK_ADDED = "task_added"
    TASK_STATE = "task_state"
    ARTIFACT_ACQUIRED = "artifact_acquired"
    ARTIFACT_SCANNED = "artifact_scanned"
    ARTIFACT_USED = "artifact_used"
    # the exposure timeline
    POSTED = "posted"
    DOWNLOADED = "downloaded"
    TIP_RECEIVED = "tip_received"
    VERIFIED = "verified"
    TAKEN_DOWN = "taken_down"
    CDN_PURGED = "cdn_purged"
    SEARCH_REMOVAL_REQUESTED = "search_removal_requested"
    ARCHIVE_REMOVAL_REQUESTED = "archive_removal_requested"
    CISA_REPORTED = "cisa_reported"
    PRIVACY_OFFICER_NOTIFIED = "privacy_officer_notified"
    BRT_CONVENED = "brt_convened"
    MAJOR_INCIDENT_DETERMINED = "major_incident_determined"
    CONGRESS_NOTIFIED = "congress_notified"
    HOLD_PLACED = "hold_placed"
    HOLD_EXPIRED = "hold_expired"
    REMOVAL_EXECUTED = "removal_executed"
    CUSTODY_REVIEW = "custody_review"
    RELEASED = "released"
    NOTICE_SENT = "notice_sent"
    NOTICE_UNDELIVERABLE = "notice_undeliverable"
    ATTORNEY_NOTIFIED = "attorney_notified"
    IJ_NOTICE_FILED = "ij_notice_filed"
    DOWNLOADER_IDENTIFIED = "downloader_identified"
    CLAWBACK_SENT = "clawback_sent"
    DELETION_ATTESTED = "deletion_attested"
    REPOST_DETECTED = "repost_detected"
    PUBLIC_STATEMENT = "public_statement"
    SECONDARY_DISCLOSURE = "secondary_disclosure"
    CLOSED = "closed"


ALARM_KINDS = frozenset({Kind.REMOVAL_EXECUTED, Kind.REPOST_DETECTED, Kind.SECONDARY_DISCLOSURE})


@dataclass(frozen=True)
class Event:
    id: int
    uid: str
    occurred_at: str
    occurred_offset: str
    recorded_at: str
    recorded_offset: str
    actor: str
    kind: str
    subject: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def occurred(self) -> datetime:
        return parse_instant(self.occurred_at)

    @property
    def recorded(self) -> datetime:
        return parse_instant(self.recorded_at)


@dataclass(frozen=True)
class Draft:
    """An event not yet written: the journal fills ids, clocks and hashes."""

    kind: str
    subject: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    actor: str | None = None
    uid: str | None = None


# ---------------------------------------------------------------- domain enums


class LocationKind(str, enum.Enum):
    ORIGIN = "origin"
    CDN = "cdn"
    MIRROR = "mirror"
    SEARCH_CACHE = "search-cache"
    ARCHIVE = "archive"


class LocationState(str, enum.Enum):
    UNKNOWN = "unknown"
    LIVE = "live"
    DOWN = "down"
    VERIFIED_DOWN = "verified_down"


class NotifyState(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"


class HoldState(str, enum.Enum):
    NONE = "none"
    PLACED = "placed"
    EXPIRED = "expired"
    RELEASED = "released"


class ContactState(str, enum.Enum):
    UNIDENTIFIED = "unidentified"
    IDENTIFIED = "identified"
    CLAWBACK_SENT = "clawback_sent"
    ATTESTED = "attested"
    UNRESPONSIVE = "unresponsive"


class Channel(str, enum.Enum):
    """Ways to reach an exposed person. A home government or consulate is never one."""

    IN_PERSON = "in_person"
    MAIL = "mail"
    COUNSEL = "counsel"
    PHONE = "phone"


# ---------------------------------------------------------------- people


def initials(name: str | None) -> str:
    """'PEREZ LOPEZ, JUAN CARLOS' -> 'P.L., J.C.'; keeps the family/given split if any."""
    if not name:
        return "?"
    parts = []
    for chunk in name.split(","):
        letters = [w[0].upper() + "." for w in chunk.replace("-", " ").split() if w[:1].isalpha()]
        if letters:
            parts.append("".join(letters))
    return ", ".join(parts) or "?"


def redact_a_number(a_number: str | None) -> str:
    """Only the last three digits: 'A-***-***-789'."""
    if not a_number:
        return "A-none"
    digits = "".join(c for c in a_number if c.isdigit())
    return "A-***-***-" + digits[-3:] if len(digits) >= 3 else "A-***"


def redact_date(date_text: str | None) -> str:
    """Birth dates show only the year."""
    return (date_text[:4] + "-**-**") if date_text and len(date_text) >= 4 else "****"


def redact_person(name: str | None, a_number: str | None) -> str:
    return f"{initials(name)} {redact_a_number(a_number)}"


_NON_DIGITS = re.compile(r"[^0-9]+")


def normalize_a_number(text: str | None) -> str | None:
    """'A# 123 456 789', 'a-12345678' -> '123456789', '012345678' (nine digits, zero-padded)."""
    if not text:
        return None
    if len(text) == 10 and text[0] in "Aa" and text[1:].isdigit():
        return text[1:]   # the canonical form, as scans write it
    digits = _NON_DIGITS.sub("", str(text))
    if len(digits) not in (8, 9):
        return None
    return digits.zfill(9)


def normalize_name(name: str | None) -> str:
    if not name:
        return ""
    cleaned = "".join(c if c.isalnum() or c == "," else " " for c in name.upper())
    return " ".join(cleaned.replace(",", " , ").split()).replace(" ,", ",")


def person_key(a_number: str | None, name: str | None, birth_date: str | None) -> str:
    """How the roster tells people apart: the A-number, else name and birth date."""
    number = normalize_a_number(a_number)
    if number:
        return "A:" + number
    return f"N:{normalize_name(name)}|{birth_date or ''}"
