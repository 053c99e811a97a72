"""The journal: the only code that speaks SQL. Append-only, hash-chained events plus the
projection tables they drive, in one SQLite file shared by every process of an incident."""

from warroom.journal.schema import SCHEMA_VERSION
from warroom.journal.store import Journal, default_actor, default_path

__all__ = ["SCHEMA_VERSION", "Journal", "default_actor", "default_path"]
