"""Tips from advocacy groups and the public, and the advocate lookup.

- `submit` (a `TipDraft`, what the console's form gives) and `add_tip` (the same, by
  arguments) record a tip exactly once and return its `Receipt`;
- `add_locations` adds a tip's URLs as locations to probe;
- `intake`: tips from .eml messages and JSON files; `triage`: new → verified → actioned, or
  dismissed with a reason; `tokens`: the intake server's tokens, kept hashed; `lookup`: is one
  client in the file (A-number and birth date must both match).

No module here imports the ASGI stack: the intake server (`warroom.intake`) is a face over
these functions, like the command line and the console."""

from warroom.tips.submit import (
    Receipt,
    TipConflict,
    TipDraft,
    add_locations,
    add_tip,
    new_receipt,
    submit,
)

__all__ = ["Receipt", "TipConflict", "TipDraft", "add_locations", "add_tip", "new_receipt",
           "submit"]
