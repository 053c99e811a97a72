"""`verify` names each kind of tampering: edited, deleted, reordered, inserted, projection."""

from __future__ import annotations

import sqlite3
import time

import pytest

from warroom.artifact.roster import import_people
from warroom.journal import Journal
from warroom.journal.chain import GENESIS, event_hash
from warroom.journal.verify import verify
from warroom.model import Kind

COLS = ("uid, occurred_at, occurred_offset, recorded_at, recorded_offset, actor, kind, subject,"
        " data, prev_hash, hash")


@pytest.fixture
def filled(db):
    with Journal(db, create=True) as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": "Test incident"})
        url = "https://example.test/list.xlsx"
        j.append(Kind.LOCATION_ADDED, url, {"url": url, "kind": "origin"})
        j.append(Kind.POSTED, url, {"url": url}, occurred_at="2022-11-28T09:45:00-05:00")
        import_people(j, [{"a_number": f"A9{i:08d}", "full_name": f"N{i}, M"} for i in range(30)],
                      batch=10)
        for i in range(4):
            j.append(Kind.NOTE, None, {"text": f"note {i}"})
    return db  # 12 events: incident, location, posted, import start, 3 batches, end, 4 notes


def tamper(db, *sql, params=()):
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    for statement in sql:
        conn.execute(statement, params) if "?" in statement else conn.execute(statement)
    conn.close()


def rows(db):
    conn = sqlite3.connect(db)
    out = conn.execute(f"SELECT id, {COLS} FROM events ORDER BY id").fetchall()
    conn.close()
    return out


def kinds(report):
    return [f.what for f in report.faults if f.what != "trigger"]


def first(report):
    return next(f for f in report.faults if f.what != "trigger")


def test_intact_journal_verifies_and_rebuilds_equal(filled):
    report = verify(filled)
    assert report.ok, report.faults
    assert report.events == 12
    assert report.tables["people"] == 30 and report.tables["locations"] == 1


def test_missing_trigger_is_a_fault(filled):
    tamper(filled)
    report = verify(filled)
    assert [f.what for f in report.faults] == ["trigger", "trigger"]


def test_edited_event(filled):
    tamper(filled, "UPDATE events SET actor = 'mallory' WHERE id = 9")
    report = verify(filled)
    assert kinds(report) == ["edited"]
    assert first(report).event_id == 9


def test_data_rewritten_to_equivalent_json_is_an_edit(filled):
    tamper(filled, "UPDATE events SET data = '{ \"text\": \"note 0\" }' WHERE id = 9")
    assert kinds(verify(filled)) == ["edited"]


def test_deleted_event_in_the_middle(filled):
    tamper(filled, "DELETE FROM events WHERE id = 8")
    report = verify(filled)
    assert kinds(report)[0] == "deleted"
    assert "#8" in first(report).message and first(report).event_id == 8


def test_deleted_tail(filled):
    tamper(filled, "DELETE FROM events WHERE id >= 9")
    report = verify(filled)
    assert kinds(report) == ["deleted"]
    assert "last events" in first(report).message


def test_reordered_events(filled):
    r = rows(filled)
    a, b = r[6], r[7]  # ids 7 and 8: swap their contents
    set_cols = ", ".join(f"{c.strip()} = ?" for c in COLS.split(","))
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET uid = uid || '-tmp' WHERE id IN (7, 8)")
    conn.execute(f"UPDATE events SET {set_cols} WHERE id = 7", b[1:])
    conn.execute(f"UPDATE events SET {set_cols} WHERE id = 8", a[1:])
    conn.close()
    report = verify(filled)
    assert "reordered" in kinds(report)


def test_inserted_event_with_a_forged_hash(filled):
    r = rows(filled)
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    # shift events 6..10 up by one, then forge event 6 chained to event 5
    for row in reversed(r[5:]):
        conn.execute("UPDATE events SET id = ? WHERE id = ?", (row[0] + 1, row[0]))
    prev = r[4][-1]
    fields = ("forged", "2022-11-28T15:00:00.000Z", "+00:00", "2022-11-28T15:00:00.000Z",
              "+00:00", "mallory", "note", None, '{"text":"forged"}')
    digest = event_hash(prev, *fields)
    conn.execute(f"INSERT INTO events(id, {COLS}) VALUES (6, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (*fields, prev, digest))
    conn.close()
    report = verify(filled)
    assert kinds(report)[0] == "inserted"
    assert "#6 was inserted" in first(report).message


def test_event_appended_behind_the_journals_back(filled):
    r = rows(filled)
    prev = r[-1][-1]
    fields = ("forged", "2999-11-28T15:00:00.000Z", "+00:00", "2999-11-28T15:00:00.000Z",
              "+00:00", "mallory", "note", None, "{}")
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(f"INSERT INTO events({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (*fields, prev, event_hash(prev, *fields)))
    conn.close()
    assert kinds(verify(filled)) == ["inserted"]


def _rechain(db, order: list[int]) -> None:
    """Rewrite the events in a new order with every hash recomputed and the head moved:
    what someone with write access and the source code can do."""
    r = rows(db)
    conn = sqlite3.connect(db, isolation_level=None)
    triggers = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type ="
                                               " 'trigger' AND tbl_name = 'events'")]
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events")
    prev = GENESIS
    for new_id, old_id in enumerate(order, start=1):
        fields = r[old_id - 1][1:10]
        digest = event_hash(prev, *fields)
        conn.execute(f"INSERT INTO events(id, {COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                     " ?)", (new_id, *fields, prev, digest))
        prev = digest
    conn.execute("UPDATE chain_head SET id = ?, hash = ?, count = ?", (len(order), prev,
                                                                       len(order)))
    for sql in triggers:        # and the triggers put back: nothing shows in the file
        conn.execute(sql)
    conn.close()


def test_people_moved_before_their_import_with_the_chain_recomputed(filled):
    # the import's start is event 4 and its first batch event 5: swap them
    _rechain(filled, [1, 2, 3, 5, 4, *range(6, 13)])
    report = verify(filled)
    assert "reference" in kinds(report)
    assert any("#4" in f.message and "before it was recorded" in f.message
               for f in report.faults)


def test_events_moved_against_their_recorded_clock_with_the_chain_recomputed(filled):
    time.sleep(0.01)                # a later millisecond than the fixture's last note
    with Journal(filled) as j:
        j.append(Kind.NOTE, None, {"text": "later"})
    _rechain(filled, [*range(1, 12), 13, 12])
    assert "reordered" in kinds(verify(filled))


def test_deleted_tail_with_the_head_moved_is_caught_by_an_anchor(filled):
    from warroom.journal.anchors import anchor, check_anchors

    anchors = filled.parent / "anchors.txt"
    anchor(filled, anchors)
    _rechain(filled, list(range(1, 11)))          # the last two notes gone, the head moved
    assert verify(filled).ok                       # the file alone cannot tell ...
    faults = check_anchors(filled, anchors)        # ... the anchor kept elsewhere can
    assert faults and "12" in faults[0]


@pytest.mark.parametrize("statement, table", [
    ("UPDATE people SET nationality = 'Canada' WHERE id = 3", "people"),
    ("DELETE FROM people WHERE id = 30", "people"),
    ("UPDATE locations SET state = 'verified_down'", "locations"),
    ("INSERT INTO tips(uid, received_at, source, text, event_id)"
     " VALUES ('x', '2022', 'forged', 'forged', 1)", "tips"),
])
def test_projection_that_disagrees_is_named(filled, statement, table):
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute(statement)
    conn.close()
    report = verify(filled)
    assert kinds(report) == ["projection"]
    assert f"table {table}" in report.faults[0].message


def test_parallel_walk_finds_the_same_faults(filled):
    tamper(filled, "UPDATE events SET actor = 'mallory' WHERE id = 9",
           "UPDATE people SET nationality = 'Canada' WHERE id = 3")
    inline, parallel = verify(filled, parallel=False), verify(filled, parallel=True)
    assert [f.__dict__ for f in inline.faults] == [f.__dict__ for f in parallel.faults]
    assert kinds(parallel) == ["edited", "projection"]
