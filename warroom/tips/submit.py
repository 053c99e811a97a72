"""Recording a tip, from anywhere: a responder (the command line, the console's form), a file
(`intake.py`), or the intake server. Each tip is checked, its URLs masked, its A-numbers put
in the one canonical form and looked up in the roster (the answer is recorded with it), and
journaled exactly once: its receipt is the event's uid, and the journal refuses a second
event with the same uid, so a retried or raced submission with the same idempotency key finds
the first one instead of writing it again."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from warroom.errors import JournalError, WarroomError
from warroom.journal import Journal, queries
from warroom.journal.connection import Integrity
from warroom.model import Event, LocationKind, a_number, mask_url
from warroom.model.kinds import TipChannel
from warroom.model.payloads import TipReceived
from warroom.model.urls import mask_urls_in

# What one tip may hold (the intake server's schema says the same, from these numbers).
MAX_SOURCE = 200
MAX_CONTACT = 300
MAX_TEXT = 20_000
MAX_URL = 2_000
MAX_URLS = 20
MAX_A_NUMBERS = 50
MAX_KEY = 200
# The forms the intake server's schema admits (each read here, in the same way, by an
# explicit character class: Python's and pydantic's regex engines agree on those).
A_NUMBER_PATTERN = r"^[Aa]?[#\- ]{0,2}[0-9]{3}[\- ]?[0-9]{3}[\- ]?[0-9]{2,3}$"
URL_PATTERN = (r"^[Hh][Tt][Tt][Pp][Ss]?://"   # then no control and no kind of space
               r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$")
# A text holds at least one character that is not a space of any kind: exactly what Python's
# str.strip() removes (a schema-valid text is never one the check below refuses as empty).
TEXT_PATTERN = (r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029"
                r"\u202f\u205f\u3000]")


class TipConflict(WarroomError):
    """An idempotency key already names a different tip."""


@dataclass(frozen=True)
class TipDraft:
    """A tip as a form, a file or a request gives it, before it is checked. `key` is an
    idempotency key (a client's `Idempotency-Key`, a mail's Message-ID): the same key from the
    same organisation is the same tip, however often it arrives."""

    source: str
    text: str
    contact: str | None = None
    channel: str = TipChannel.OTHER
    urls: tuple[str, ...] = ()
    a_numbers: tuple[str, ...] = ()
    confidential: bool = False
    received_at: datetime | None = None
    discovery: bool = False
    key: str | None = None
    org: str | None = None          # the organisation an intake token proved


@dataclass(frozen=True)
class Receipt:
    """What recording a tip gave: its receipt, its row, and what to offer next."""

    receipt: str
    tip_id: int
    duplicate: bool                 # the same tip had been recorded before: nothing written
    event: Event | None = None      # the event written (None for a duplicate)
    in_roster: list[str] = field(default_factory=list)   # its A-numbers the roster holds
    offers: list[str] = field(default_factory=list)      # its URLs not yet a location


# ---------------------------------------------------------------- receipts

# Crockford's base32: no I, L, O or U, so a receipt read out on the phone is not misheard
_ALPHABET = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def _code(raw: bytes) -> str:
    """Ten bytes as 16 characters in four groups of four."""
    text = base64.b32encode(raw[:10]).decode().translate(_ALPHABET)
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def new_receipt(prefix: str) -> str:
    """A fresh receipt: 'T-' for a tip, 'L-' for a lookup, 'R-' for any other reply."""
    return f"{prefix}-{_code(os.urandom(10))}"


def receipt_for_key(namespace: str, key: str) -> str:
    """The receipt of the tip an idempotency key names: the same key from the same sender
    (an organisation, a source) gives the same receipt, on any server, at any time."""
    digest = hashlib.sha256(f"{namespace.strip().lower()}\n{key}".encode()).digest()
    return f"T-{_code(digest)}"


# ---------------------------------------------------------------- checking


def _one_line(what: str, text: str | None, limit: int, required: bool = False) -> str | None:
    text = " ".join((text or "").split())
    if not text:
        if required:
            raise WarroomError(f"a tip needs a {what}")
        return None
    if len(text) > limit:
        raise WarroomError(f"the {what} is longer than {limit:,} characters")
    return text


_A_PREFIX = re.compile(r"(?i)^\s*(?:a[\s\-]*(?:number|no\.?|#)?[\s:#\-]*){1,2}")
_SEPARATORS = re.compile(r"[\s.\-#:]")


def clean_a_number(value: str) -> str:
    """The canonical form of a value that is an A-number, wholly ('A12345678X' is refused,
    not read as A012345678: a typo must not name someone else)."""
    bare = _SEPARATORS.sub("", _A_PREFIX.sub("", str(value)))
    if not (bare.isascii() and bare.isdigit() and len(bare) in (8, 9)):
        raise WarroomError(f"not an A-number: {str(value)[:40]!r} (an A and 8 or 9 digits)")
    return a_number(bare)


def clean_a_numbers(values: Iterable[str]) -> list[str]:
    """Canonical A-numbers, each once; a value that is not one is refused by name."""
    out = list(dict.fromkeys(clean_a_number(value) for value in values))
    if len(out) > MAX_A_NUMBERS:
        raise WarroomError(f"a tip names at most {MAX_A_NUMBERS} A-numbers")
    return out


def tip_url(value: str) -> bool:
    """Is this an http(s) URL a tip may name (no space or control character in it)?"""
    return len(value) <= MAX_URL and re.fullmatch(URL_PATTERN[1:-1], value) is not None


def clean_urls(values: Iterable[str]) -> list[str]:
    """http(s) URLs, masked (a secret in a URL never reaches the journal), each once."""
    out: list[str] = []
    for value in values:
        value = str(value).strip()
        if not tip_url(value):
            raise WarroomError(f"not an http(s) URL of at most {MAX_URL:,} characters:"
                               f" {mask_url(value)[:80]!r}")
        out.append(mask_url(value))
    out = list(dict.fromkeys(out))
    if len(out) > MAX_URLS:
        raise WarroomError(f"a tip names at most {MAX_URLS} URLs")
    return out


def check(draft: TipDraft) -> TipReceived:
    """The tip a draft makes, checked, its URLs masked, not yet looked up in the roster
    (raises `WarroomError` naming the first thing that does not hold)."""
    source = _one_line("source", draft.source, MAX_SOURCE, required=True)
    text = (draft.text or "").strip()
    if not text:
        raise WarroomError("a tip needs a text")
    if len(text) > MAX_TEXT:
        raise WarroomError(f"the text is longer than {MAX_TEXT:,} characters")
    try:
        channel = TipChannel(draft.channel)
    except ValueError:
        raise WarroomError(f"unknown channel {draft.channel!r}: one of"
                           f" {', '.join(TipChannel)}") from None
    urls = clean_urls(draft.urls)
    numbers = clean_a_numbers(draft.a_numbers)
    key = _one_line("idempotency key", draft.key, MAX_KEY)
    uid = receipt_for_key(draft.org or source, key) if key else new_receipt("T")
    return TipReceived(
        uid=uid, source=source, text=mask_urls_in(text), url=urls[0] if urls else None,
        confidential=bool(draft.confidential), discovery=bool(draft.discovery),
        contact=_one_line("contact", draft.contact, MAX_CONTACT), channel=channel,
        org=draft.org, urls=urls or None, a_numbers=numbers or None)


# ---------------------------------------------------------------- recording


def submit(journal: Journal, draft: TipDraft, actor: str | None = None) -> Receipt:
    """Check and record a tip, exactly once. The same idempotency key from the same sender
    returns the first tip's receipt (`duplicate`), on any process on the journal; the same
    key with a different tip is refused (`TipConflict`)."""
    conn = journal.conn
    tip = check(draft)
    tip = replace(tip, in_roster=queries.in_roster(conn, tip.a_numbers or []) or None)
    existing = queries.tip(conn, tip.uid)
    if existing is None:
        try:
            event = journal.record(tip, tip.uid, occurred_at=draft.received_at, actor=actor,
                                   uid=f"tip-{tip.uid}")
        except JournalError as exc:
            if not (isinstance(exc.__cause__, Integrity) and "uid" in str(exc.__cause__)):
                raise
            existing = queries.tip(conn, tip.uid)   # another process recorded it first
            if existing is None:
                raise
        else:
            row = queries.tip(conn, tip.uid)
            return Receipt(tip.uid, row["id"], False, event, row["in_roster"],
                           queries.unknown_locations(conn, row["urls"]))
    if _content(existing) != _content(tip.data()):
        raise TipConflict(f"the idempotency key of tip {tip.uid} was used before for a"
                          " different tip: send a new key for a new tip")
    return Receipt(tip.uid, existing["id"], True, None, existing["in_roster"],
                   queries.unknown_locations(conn, existing["urls"]))


def _content(tip: dict) -> tuple:
    return (tip["source"], tip["text"], tip.get("contact"), bool(tip.get("confidential")),
            list(tip.get("urls") or []), list(tip.get("a_numbers") or []))


def add_tip(journal: Journal, source: str, text: str, url: str | None = None,
            confidential: bool = False, at: datetime | None = None,
            discovery: bool = False, *, urls: Iterable[str] = (),
            a_numbers: Iterable[str] = (), contact: str | None = None,
            channel: str = TipChannel.OTHER, key: str | None = None,
            actor: str | None = None) -> Receipt:
    """Record a tip (`submit` with the fields as arguments). `discovery` marks the tip that
    told us of the exposure (starts T0). URLs, in `url`, `urls` or the text, are journaled
    with their secrets masked."""
    return submit(journal, TipDraft(
        source=source, text=text, contact=contact, channel=channel,
        urls=tuple(([url] if url else []) + list(urls)), a_numbers=tuple(a_numbers),
        confidential=confidential, received_at=at, discovery=discovery, key=key), actor)


def add_locations(journal: Journal, ref: str | int, urls: Iterable[str] | None = None,
                  kind: str = LocationKind.MIRROR) -> list[Event]:
    """Add a tip's URLs (all of them, or those given) that are not yet a location, so the
    probes check them; each notes the tip it came from."""
    from warroom.incident import add_location

    tip = queries.tip(journal.conn, ref)
    if tip is None:
        raise WarroomError(f"no tip {ref}")
    wanted = tip["urls"] if urls is None else [mask_url(u) for u in urls]
    stray = [u for u in wanted if u not in tip["urls"]]
    if stray:
        raise WarroomError(f"tip {tip['id']} does not name {stray[0]}")
    return [add_location(journal, u, kind, note=f"from tip {tip['uid']}")
            for u in queries.unknown_locations(journal.conn, wanted)]
