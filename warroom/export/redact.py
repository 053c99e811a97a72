"""What an export may say about people: redacted unless the export was asked to include them.

People appear in the journal's events in three places: a person-level event's subject (the
person key, 'A:<nine digits>' or 'N:<name>|<birth date>'), a `person` field, and free text a
responder or a tip wrote (an A-number typed into a note). Redacted, a person is initials, the
last three digits of the A-number and the birth year, as everywhere in Warroom.

A confidential tip's source (and its text, which can name the source's client) is withheld in
every export, with or without personal data: it protects the advocate, not the exposed."""

from __future__ import annotations

from dataclasses import replace

from warroom.model import Event, Kind, initials, redact_a_number, redact_date
from warroom.model.people import _A_IN_TEXT  # the one A-number-in-text pattern

CONFIDENTIAL_SOURCE = "(confidential source)"
CONFIDENTIAL_TEXT = "(confidential)"


def person(key: str | None) -> str | None:
    """A person key (or any other subject) with the person in it redacted."""
    if not key:
        return key
    if key.startswith("A:") and key[2:].isdigit():
        return redact_a_number(key[2:])
    if key.startswith("N:"):
        name, _, born = key[2:].partition("|")
        return f"{initials(name)} {redact_date(born or None)}"
    return text(key)


def text(value: str | None) -> str | None:
    """Free text with every A-number in it cut to its last three digits."""
    if not value:
        return value
    return _A_IN_TEXT.sub(lambda m: redact_a_number(m.group(1)), value)


def tip(source: str, body: str, confidential: bool) -> tuple[str, str]:
    """A tip's (source, text) as an export may show them."""
    return (CONFIDENTIAL_SOURCE, CONFIDENTIAL_TEXT) if confidential else (source, body)


def event(e: Event, include_pii: bool) -> Event:
    """The event as an export shows it: a confidential tip's source withheld always; the
    subject, a `person` field and A-numbers in the data's text redacted unless
    `include_pii`. The hash stays the journal's own."""
    data = dict(e.data)
    if e.kind == Kind.TIP_RECEIVED and data.get("confidential"):
        data["source"], data["text"] = tip("", "", True)
    subject = e.subject
    if not include_pii:
        subject = person(subject)
        if isinstance(data.get("person"), str):
            data["person"] = person(data["person"])
        for key, value in data.items():
            if isinstance(value, str) and key != "person":
                data[key] = text(value)
    return replace(e, subject=subject, data=data)
