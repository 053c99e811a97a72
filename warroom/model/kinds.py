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
    # takedown requests, one a location and a way of asking
    TAKEDOWN_REQUESTED = "takedown_requested"
    TAKEDOWN_STATE = "takedown_state"
    # access logs
    LOGS_IMPORTED = "logs_imported"
    LAST_ACCESSED = "last_accessed"
    # ---- notice letters (`warroom letters`)
    LETTERS_WRITTEN = "letters_written"
    # ------------------------------------------------------------ checklists (issue 9)
    NOTIFY_STATE = "notify_state"
    HOLD_STATE = "hold_state"
    CONTACT_STATE = "contact_state"
    # ------------------------------------------------ tips, intake tokens, advocate lookups
    TIP_TRIAGED = "tip_triaged"
    TOKEN_ADDED = "token_added"
    TOKEN_REVOKED = "token_revoked"
    LOOKUP = "lookup"
    # ------------------------------------------------ the review export with personal data
    PII_EXPORTED = "pii_exported"


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


class Verdict(StrEnum):
    """What one probe of a location found: the file (by its content), not the file, or
    nothing to go by (a timeout, a refused connection, a server error, no evidence copy)."""

    FOUND = "found"
    GONE = "gone"
    UNSURE = "unsure"


class Match(StrEnum):
    """How a probe recognised the file: the same bytes, enough of its A-numbers, or not."""

    SHA256 = "sha256"
    A_NUMBERS = "a-numbers"
    NONE = "none"


class TakedownVia(StrEnum):
    """Whom a takedown request goes to."""

    SITE = "site"                      # the origin site's web team
    CDN_PURGE = "cdn-purge"            # an invalidation of the exact path at a CDN
    SEARCH_ENGINE = "search-engine"    # a search engine's outdated-content removal
    ARCHIVE = "archive"                # a web archive's exclusion request
    HOST = "host"                      # a mirror host's abuse desk


class TakedownState(StrEnum):
    REQUESTED = "requested"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    REFUSED = "refused"


OPEN_TAKEDOWN_STATES = frozenset({TakedownState.REQUESTED, TakedownState.ACKNOWLEDGED})
# ---------------------------------------------------------------- notice letters


class LetterFormat(StrEnum):
    """What `warroom letters` writes: Markdown, self-contained HTML, or PDF."""

    MD = "md"
    HTML = "html"
    PDF = "pdf"
# ---------------------------------------------------------------- checklists (issue 9)

# The outcomes of a notice attempt, listed with their dates and channels.
NOTICE_ATTEMPT_STATES = frozenset({NotifyState.DELIVERED, NotifyState.UNDELIVERABLE,
                                   NotifyState.SUBSTITUTE})
# Holds that still protect a person: a removal scheduled inside one is an alarm.
OPEN_HOLD_STATES = frozenset({HoldState.REQUESTED, HoldState.PLACED})
# Holds that ended: lifted by a decision, or expired by their date.
ENDED_HOLD_STATES = frozenset({HoldState.LIFTED, HoldState.EXPIRED})


class HoldType(StrEnum):
    """What stops a removal: a policy delay, an administrative stay, a court's stay."""

    POLICY_DELAY = "policy-delay"
    ADMINISTRATIVE_STAY = "administrative-stay"
    COURT_STAY = "court-stay"
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
