"""One small typed payload per event kind, with its one-line description (the class's
docstring). Services build payloads; the journal stores `payload.data()`; `parse` reads an
event's data back. `docs/events.md` is generated from this registry, which must name every
kind: importing this package checks it."""

from warroom.model.kinds import Kind
from warroom.model.payloads.artifact import (
    ArtifactAcquired,
    ArtifactScanned,
    ArtifactUsed,
    ImportFinished,
    ImportStarted,
    PeopleImported,
    PersonRevealed,
)
from warroom.model.payloads.base import PAYLOADS, Payload, field_names, payload, payload_for
from warroom.model.payloads.exposure import (
    Downloaded,
    LastAccessed,
    LocationAdded,
    LocationChecked,
    LogsImported,
    Posted,
    TakedownChanged,
    TakedownRequested,
    TakenDown,
)
from warroom.model.payloads.incident import (
    STEPS,
    Closed,
    IncidentOpened,
    Note,
    PiiExported,
    ProcedureStep,
)
from warroom.model.payloads.tips import (
    Lookup,
    TipTriaged,
    TokenAdded,
    TokenRevoked,
)
from warroom.model.payloads.work import (
    ContactChanged,
    HoldChanged,
    LettersWritten,
    NotifyChanged,
    TaskAdded,
    TaskChanged,
    TipReceived,
)

__all__ = [
    "PAYLOADS", "STEPS", "ArtifactAcquired", "ArtifactScanned", "ArtifactUsed", "Closed",
    "ContactChanged", "Downloaded", "HoldChanged", "ImportFinished", "ImportStarted",
    "IncidentOpened", "LastAccessed", "LettersWritten", "LocationAdded", "LocationChecked",
    "LogsImported", "Lookup", "Note", "NotifyChanged", "Payload", "PeopleImported",
    "PersonRevealed", "PiiExported", "Posted", "ProcedureStep", "TakedownChanged",
    "TakedownRequested", "TakenDown", "TaskAdded", "TaskChanged", "TipReceived", "TipTriaged",
    "TokenAdded", "TokenRevoked", "field_names", "payload", "payload_for",
]

assert set(PAYLOADS) == set(Kind), f"kinds without a payload: {set(Kind) - set(PAYLOADS)}"
