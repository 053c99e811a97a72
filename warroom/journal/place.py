"""Where the journal is. Apart from the store, so that the command line, which asks on every
run, does not load the journal (and every event's payload) to answer."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "warroom.db"


def default_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db, else WARROOM_DB, else ./warroom.db."""
    return Path(explicit or os.environ.get("WARROOM_DB") or DEFAULT_DB)
