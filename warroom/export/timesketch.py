"""The timeline as JSON Lines that Timesketch imports as it is.

Timesketch's rules (`read_and_validate_jsonl`): every line is one JSON object with `message`,
`datetime` (ISO 8601 with a `T` and an offset) and `timestamp_desc`; `timestamp` (microseconds
since the epoch) is taken when present; no blank lines; UTF-8; the file name ends `.jsonl`.

One line per event, on the clock of when it happened (`timestamp_desc: "Event occurred"`);
when the journal recorded it is the field `recorded_at`, so a reviewer can sort or filter on
either clock without the events being counted twice. Alarms carry the tag `alarm`.

A comment line is not JSON, so the marker lives in the data: the first line is the export
itself (`timestamp_desc: "Journal head recorded"`, at the time the head event was recorded),
whose message begins with the marker (`CONTAINS PERSONAL DATA — …` or `REDACTED — …`) and
names the head hash and the event count; every line carries `personal_data`, `journal_head`
and `journal_events`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from warroom.export.document import Document, Row, iso, plural
from warroom.model import parse_instant
from warroom.render.safe import json_dumps

NAME = "timesketch"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _timestamp(utc: str) -> int:
    """Microseconds since the epoch, exactly (no float)."""
    return (parse_instant(utc) - _EPOCH) // timedelta(microseconds=1)


def _common(doc: Document) -> dict[str, Any]:
    return {"personal_data": doc.marker.split(" — ", 1)[0], "journal_head": doc.head,
            "journal_events": doc.events}


def header(doc: Document) -> dict[str, Any]:
    head = next((r for r in reversed(doc.rows) if r.hash == doc.head), None)
    at = head.recorded_at if head else doc.generated_at
    events = plural(doc.events, "event")
    return {"message": f"{doc.marker}. Warroom export of “{doc.incident}”: {events},"
                       f" journal head {doc.head or 'none'} (check: {doc.verify_hint})",
            "datetime": iso(at), "timestamp": _timestamp(at),
            "timestamp_desc": "Journal head recorded", "kind": "export",
            "exported_at": iso(doc.generated_at), **_common(doc)}


def line(doc: Document, r: Row) -> dict[str, Any]:
    out = {"message": r.text, "datetime": iso(r.occurred_at),
           "timestamp": _timestamp(r.occurred_at), "timestamp_desc": "Event occurred",
           "recorded_at": iso(r.recorded_at),
           "occurred_local": r.occurred_local, "recorded_local": r.recorded_local,
           "event_id": r.id, "kind": r.kind, "actor": r.actor, "subject": r.subject,
           "event_hash": r.hash, "alarm": r.alarm, **_common(doc)}
    if r.alarm:
        out["tag"] = ["alarm"]
    return out


def write(doc: Document, out: BinaryIO) -> None:
    dumps = lambda obj: json_dumps(obj, separators=(",", ":")) + "\n"  # noqa: E731
    out.write(dumps(header(doc)).encode("utf-8"))
    for r in doc.rows:
        out.write(dumps(line(doc, r)).encode("utf-8"))
