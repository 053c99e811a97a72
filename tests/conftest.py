from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

os.environ.setdefault("WARROOM_ACTOR", "tester")
os.environ.pop("WARROOM_DB", None)

from warroom.journal import Journal  # noqa: E402

EASTERN = timezone.utc  # tests pin explicit offsets where they matter


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def journal(db: Path):
    j = Journal(db, create=True)
    yield j
    j.close()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
