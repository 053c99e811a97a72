"""The base of every payload (a dataclass with its kind, what it defines and refers to, and
who writes it), the registry, and the decorator that fills it."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar

from warroom.model.kinds import Kind

PAYLOADS: dict[Kind, type[Payload]] = {}


@dataclass(frozen=True, kw_only=True)
class Payload:
    KIND: ClassVar[Kind]
    # What the event brings into being, as (namespace, field): e.g. ("artifact", "sha256").
    DEFINES: ClassVar[tuple[str, str] | None] = None
    # What it refers to, as {field: namespace}: a reference to something not yet recorded
    # is a fault that `verify` names (an event moved before what it speaks of).
    REFS: ClassVar[dict[str, str]] = {}
    # Who writes it: the service function (and so the commands and keys that call it).
    BY: ClassVar[str] = "a responder: `warroom.incident.record`"

    def data(self) -> dict[str, Any]:
        """The event's data: every field that is set (None is left out)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @classmethod
    def describe(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Payload:
        """The payload of a stored event (fields it does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def payload(*kinds: Kind):
    """Register a payload class for one kind (or several that carry the same fields: the
    first is its `KIND`)."""
    def register(cls: type[Payload]) -> type[Payload]:
        cls.KIND = kinds[0]
        for kind in kinds:
            PAYLOADS[kind] = cls
        return cls

    return register


def payload_for(kind: str) -> type[Payload]:
    return PAYLOADS[Kind(kind)]


def field_names(cls: type[Payload]) -> list[tuple[str, bool]]:
    """(name, required) for each field of a payload class."""
    return [(f.name, f.default is MISSING and f.default_factory is MISSING) for f in fields(cls)]
