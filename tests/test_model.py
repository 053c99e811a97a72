"""The words every layer shares: one A-number form, one person key, a payload per kind; the
clock rule; an event said in plain text; the generated event reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warroom.errors import WarroomError
from warroom.exposure.window import ClockState, exposure_clock
from warroom.incident import record
from warroom.model import (
    PAYLOADS,
    Event,
    Kind,
    LocationState,
    a_number,
    payload_for,
    person_key,
)
from warroom.model.payloads import LocationAdded, TipReceived
from warroom.render.reference import events_markdown
from warroom.render.text import shorten_middle, summary

DOCS = Path(__file__).resolve().parent.parent / "docs" / "events.md"


@pytest.mark.parametrize("text, canonical", [
    ("A123456789", "A123456789"), ("a123456789", "A123456789"),
    ("A# 123 456 789", "A123456789"), ("A-123-456-789", "A123456789"),
    ("a-12345678", "A012345678"), ("012345678", "A012345678"), ("12345678", "A012345678"),
    ("A No. 123456789", "A123456789"), ("A-number: A123-456-789", "A123456789"),
    (123456789, "A123456789"),
    ("1234567", None), ("1234567890", None), ("B123456789", None), ("phone 555 1234", None),
    ("", None), (None, None),
])
def test_one_a_number_form(text, canonical):
    assert a_number(text) == canonical


def test_one_person_key_whatever_the_a_number_form():
    keys = {person_key(x, "ZORA, MELI", None) for x in ("A012345678", "a-12345678", "12345678")}
    assert keys == {"A:012345678"}
    assert person_key(None, "Zora,  Meli", "1990-01-02") == person_key(None, "ZORA, MELI",
                                                                      "1990-01-02")
    assert person_key(None, "ZORA, MELI", "1990-01-02").startswith("N:")


def test_every_kind_has_a_payload_with_a_description():
    assert set(PAYLOADS) == set(Kind)
    for kind in Kind:
        cls = payload_for(kind)
        assert cls.describe() and cls.describe().endswith(".")
        assert cls.KIND in PAYLOADS and PAYLOADS[cls.KIND] is cls


def test_payload_data_leaves_out_what_is_not_set_and_parses_back():
    tip = TipReceived(uid="u1", source="Advocates", text="a copy here")
    assert tip.data() == {"uid": "u1", "source": "Advocates", "text": "a copy here",
                          "confidential": False, "discovery": False}
    assert TipReceived.parse({**tip.data(), "unknown": 1}) == tip
    with pytest.raises(TypeError):
        LocationAdded(url="https://x.test/f")           # kind is required


def test_record_refuses_a_field_its_kind_does_not_have(journal):
    with pytest.raises(WarroomError, match="note"):
        record(journal, Kind.NOTE, None, {"txet": "typo"})
    assert record(journal, Kind.CISA_REPORTED, None, {"ticket": "T-1"}).data == {"ticket": "T-1"}


def _at(hours: int) -> str:
    moment = datetime(2022, 11, 28, 9, 45, tzinfo=UTC) + timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _loc(state, live=None, down=None):
    return {"state": state, "live_since": live, "down_since": down}


def test_the_clock_rule():
    assert exposure_clock(None, []).state == ClockState.UNKNOWN
    assert exposure_clock(_at(0), []).state == ClockState.EXPOSED   # posted, nothing down yet
    origin_down = _loc(LocationState.VERIFIED_DOWN, _at(0), _at(4))
    mirror_live = _loc(LocationState.LIVE, _at(1))
    unchecked = _loc(LocationState.UNKNOWN)
    assert exposure_clock(_at(0), [origin_down, mirror_live]).state == ClockState.EXPOSED
    assert exposure_clock(_at(0), [origin_down, unchecked]).state == ClockState.EXPOSED
    mirror_down = _loc(LocationState.DOWN, _at(1), _at(6))
    clock = exposure_clock(_at(0), [origin_down, mirror_down])
    assert clock.state == ClockState.CONTAINED
    assert clock.duration(datetime.now(UTC)) == timedelta(hours=6)   # until the last


def _event(kind: str, data: dict) -> Event:
    return Event(1, "u", _at(0), "+00:00", _at(1), "+00:00", "tester", kind, None, data, "", "")


def test_every_kind_is_said_in_one_line_without_the_people_in_it():
    batch = {"fields": ["a_number", "full_name"], "people": [["A900000001", "ZORA, MELI"]]}
    for kind in Kind:
        line = summary(_event(kind, batch if kind == Kind.PEOPLE_IMPORTED else {}))
        assert line and "\n" not in line
    line = summary(_event(Kind.PEOPLE_IMPORTED, batch))
    assert "1 people" in line and "ZORA" not in line and "900000001" not in line
    assert summary(_event(Kind.TIP_RECEIVED, {"source": "S", "text": "secret source",
                                              "confidential": True})).endswith('"(confidential)"')
    assert summary(_event("kind_from_a_newer_program", {"text": "x"})) == \
        "kind from a newer program: x"


URL = "https://www.agency.example/sites/default/files/detention-stats-fy23.xlsx"


@pytest.mark.parametrize("width, expected", [
    (80, URL),
    (60, "https://www.agency.example/…/detention-stats-fy23.xlsx"),
    (50, "www.agency.example/…/detention-stats-fy23.xlsx"),
    (40, "www.agency.exa…detention-stats-fy23.xlsx"),
    (30, "https://www.age…tats-fy23.xlsx"),
])
def test_urls_are_shortened_in_the_middle_keeping_host_and_file(width, expected):
    assert shorten_middle(URL, width) == expected


def test_shortening_never_exceeds_the_width():
    url = "https://files.mirror.example/d/8f2c/" + "x" * 80 + "/detention-stats-fy23.xlsx"
    for width in range(2, 120):
        assert len(shorten_middle(url, width)) <= width


def test_the_event_reference_is_current():
    assert DOCS.read_text(encoding="utf-8") == events_markdown(), \
        "docs/events.md is stale: run `python -m warroom.render.reference > docs/events.md`"


def test_a_probe_check_says_what_changed_and_why():
    check = {"url": "https://m.example/f.xlsx", "state": "live", "was": "verified_down",
             "verdict": "found", "match": "a-numbers", "share": 0.42, "status": 200}
    assert summary(_event(Kind.LOCATION_STATE, check)) == \
        "probe: verified down → live (HTTP 200, 42% of the A-numbers): https://m.example/f.xlsx"
    same = {**check, "was": "live", "match": "sha256"}
    assert summary(_event(Kind.LOCATION_STATE, same)).startswith(
        "probe: still live (HTTP 200, same bytes (sha256))")
    said = {"url": "https://o.example/f", "state": "down", "status": 404}
    assert summary(_event(Kind.VERIFIED, said)) == "down (HTTP 404): https://o.example/f"
    asked = {"url": "https://o.example/f", "via": "cdn-purge", "ref": "T-9",
             "state": "refused", "reason": "not ours"}
    assert summary(_event(Kind.TAKEDOWN_STATE, asked)) == \
        "takedown refused via cdn-purge ref T-9 (not ours): https://o.example/f"
