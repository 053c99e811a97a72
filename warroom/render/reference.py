"""docs/events.md, generated from the payload registry: each event kind, what it means, who
writes it, its fields, what it brings into being and what it refers to.

    python -m warroom.render.reference > docs/events.md
"""

from __future__ import annotations

import sys
import typing

from warroom.model import PAYLOADS, Kind
from warroom.model.payloads import field_names


def _type(hint: object) -> str:
    text = getattr(hint, "__name__", None) if isinstance(hint, type) else None
    return text or str(hint).replace("typing.", "").replace("NoneType", "None")


def events_markdown() -> str:
    out = ["# Events", "",
           "Every change to an incident is one event in the journal: append-only, hash-chained,",
           "with two clocks (`occurred_at`: when it happened; `recorded_at`: when we learned",
           "it), an actor, a kind, a subject and a typed payload. This page is generated from",
           "`warroom/model/payloads.py` (`python -m warroom.render.reference`); a test fails",
           "when it is stale.", ""]
    for kind in Kind:
        cls = PAYLOADS[kind]
        hints = typing.get_type_hints(cls)
        out += [f"## `{kind}`", "", cls.describe(), "", f"Written by {cls.BY}.", ""]
        if cls.DEFINES:
            out += [f"Records a new {cls.DEFINES[0]} (by `{cls.DEFINES[1]}`).", ""]
        if cls.REFS:
            refs = ", ".join(f"`{f}` → {space}" for f, space in cls.REFS.items())
            out += [f"Refers to (must be recorded before it): {refs}.", ""]
        out += ["| field | type | required |", "|---|---|---|"]
        for name, required in field_names(cls):
            kind_of = _type(hints[name]).replace(" | ", " or ")
            out.append(f"| `{name}` | `{kind_of}` | {'yes' if required else 'no'} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(events_markdown())
