"""The journal: the only code that speaks SQL. Append-only, hash-chained events plus the
projection tables they drive, in one SQLite file shared by every process of an incident.

The store (and with it every event's payload) loads on first use of Journal or
default_actor: a command that only reads files (`warroom logs`) starts without it."""

from typing import TYPE_CHECKING, Any

from warroom.journal.place import default_path
from warroom.journal.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from warroom.journal.store import Journal, default_actor


def __getattr__(name: str) -> Any:
    if name in ("Journal", "default_actor"):
        from warroom.journal import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SCHEMA_VERSION", "Journal", "default_actor", "default_path"]
