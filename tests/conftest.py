from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

os.environ.setdefault("WARROOM_ACTOR", "tester")
os.environ.pop("WARROOM_DB", None)

from warroom.journal import Journal  # noqa: E402


def real_data(name: str) -> Path:
    """A real input from shared/data/real (beside the clone in CI and in the workplace)."""
    for base in (os.environ.get("WARROOM_SHARED"), ROOT.parent / "shared"):
        if base and (Path(base) / "data" / "real" / name).exists():
            return Path(base) / "data" / "real" / name
    pytest.skip(f"shared/data/real/{name} is not beside this clone (set WARROOM_SHARED)")

EASTERN = UTC  # tests pin explicit offsets where they matter


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

from hypothesis import HealthCheck, settings  # noqa: E402

# Property tests: a fixed, reproducible set of examples in CI; fresh ones locally, more on
# request (HYPOTHESIS_PROFILE=hard).
settings.register_profile("default", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("hard", parent=settings.get_profile("default"), max_examples=1500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") else "default"))
