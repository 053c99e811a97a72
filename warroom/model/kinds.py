"""Kinds and states: the only spelling of each. Queries, projections and faces use these
members, never a string literal of their own."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Event kinds: the journal's own, and the response procedure's timeline kinds."""

    # the journal's own
    INCIDENT_OPENED = "incident_opened"
    NOTE = "note"
    LOCATION_ADDED = "location_added"
    LOCATION_STATE = "location_state"
    IMPORT_STARTED = "import_started"
    PEOPLE_IMPORTED = "people_imported"
    IMPORT_FINISHED = "import_finished"
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
    # ------------------------------------------------ tips, intake tokens, advocate lookups
    TIP_TRIAGED = "tip_triaged"
    TOKEN_ADDED = "token_added"
    TOKEN_REVOKED = "token_revoked"
    LOOKUP = "lookup"


ALARM_KINDS = frozenset({Kind.REMOVAL_EXECUTED, Kind.REPOST_DETECTED, Kind.SECONDARY_DISCLOSURE})


class LocationKind(StrEnum):
    ORIGIN = "origin"
    CDN = "cdn"
    MIRROR = "mirror"
    SEARCH_CACHE = "search-cache"
    ARCHIVE = "archive"


class LocationState(StrEnum):
    UNKNOWN = "unknown"
    LIVE = "live"
    DOWN = "down"
    VERIFIED_DOWN = "verified_down"


DOWN_STATES = frozenset({LocationState.DOWN, LocationState.VERIFIED_DOWN})


class NotifyState(StrEnum):
    PENDING = "pending"
    PREPARED = "prepared"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    UNDELIVERABLE = "undeliverable"
    SUBSTITUTE = "substitute"


NOTIFIED_STATES = frozenset({NotifyState.DELIVERED, NotifyState.ACKNOWLEDGED,
                             NotifyState.SUBSTITUTE})


class HoldState(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    PLACED = "placed"
    LIFTED = "lifted"
    EXPIRED = "expired"


class ContactState(StrEnum):
    UNIDENTIFIED = "unidentified"
    IDENTIFIED = "identified"
    ATTRIBUTED = "attributed"
    CLAWBACK_SENT = "clawback_sent"
    DELETION_ATTESTED = "deletion_attested"
    NO_RESPONSE = "no_response"
    CHASED = "chased"
    LEGAL_PROCESS = "legal_process"


class TipState(StrEnum):
    NEW = "new"
    VERIFIED = "verified"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"


class TaskState(StrEnum):
    OPEN = "open"
    DONE = "done"


class Channel(StrEnum):
    """Ways to reach an exposed person. A home government or consulate is never one."""

    IN_PERSON = "in-person"
    MAIL = "mail"
    COUNSEL = "counsel"
    COURT = "court"


# ---------------------------------------------------------------- tips and the intake server


class TipChannel(StrEnum):
    """How a tip reached the responders."""

    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in-person"
    API = "api"              # the intake server's JSON API
    PAGE = "page"            # the intake server's HTML page
    FILE = "file"            # a JSON file imported by a responder
    OTHER = "other"


class LookupResult(StrEnum):
    """What an advocate lookup found. Journaled, never answered as such: the advocate
    hears `in_file` or not, and a wrong birth date sounds exactly like an absent client."""

    IN_FILE = "in_file"
    ABSENT = "absent"        # no one with this A-number in the file
    MISMATCH = "mismatch"    # the A-number is in the file, the birth date is not its own
    UNVERIFIABLE = "unverifiable"   # the A-number is in the file with no birth date to check
