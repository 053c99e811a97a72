"""The timeline as CSV: one row per event, both clocks, the journal's head on every row.

The first line is a marker row, one cell saying whether the file holds personal data (`CONTAINS
PERSONAL DATA — …` or `REDACTED — …`), then `count=N`, `head=HASH` (as `warroom anchor` writes
them) and `exported=TIME`; the header row follows (pandas: `skiprows=1`; csv: skip one row).
Every row repeats the marker in `personal_data`, so a sheet cut from its first line still
says it.

Text from outside (actor, what, subject) is cleaned of control and bidi characters, and a cell
starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, as OWASP
advises against CSV (formula) injection: a spreadsheet shows it as text, never runs it. The
journal's own values (ids, times, offsets, hashes) are written as they are."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from warroom.export.document import Document, iso
from warroom.render.safe import clean

NAME = "csv"

HEADER = ("personal_data", "id", "occurred_at", "occurred_offset", "occurred_local",
          "recorded_at", "recorded_offset", "recorded_local", "actor", "kind", "what",
          "subject", "alarm", "hash", "journal_head", "journal_events")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(text: object) -> str:
    """Outside text as a CSV cell a spreadsheet shows and never evaluates."""
    s = str(text) if text is not None else ""
    if s.startswith(_FORMULA):
        s = "'" + s
    return clean(s)


def write(doc: Document, out: BinaryIO) -> None:
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> None:
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    flag = doc.marker.split(" — ", 1)[0]
    w.writerow([doc.marker, f"count={doc.events}", f"head={doc.head or 'none'}",
                f"exported={iso(doc.generated_at)}"])   # as `warroom anchor` writes a head
    w.writerow(HEADER)
    for i, r in enumerate(doc.rows):
        w.writerow([flag, r.id, iso(r.occurred_at), r.occurred_offset, r.occurred_local,
                    iso(r.recorded_at), r.recorded_offset, r.recorded_local, cell(r.actor),
                    r.kind, cell(r.text), cell(r.subject), "yes" if r.alarm else "", r.hash,
                    doc.head, doc.events])
        if i % 1000 == 999:
            flush()
    flush()
