"""The journal: file, chain, triggers, migrations, projections, retries."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from warroom.dashboard import dashboard
from warroom.errors import JournalError, SchemaTooNew
from warroom.journal import Journal, queries
from warroom.journal.chain import GENESIS, event_hash
from warroom.journal.schema import SCHEMA_VERSION
from warroom.model import Kind


def test_file_is_private_wal_with_foreign_keys(journal, db):
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    conn = journal.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_missing_journal_is_a_clear_error(tmp_path):
    with pytest.raises(JournalError, match="no journal at"):
        Journal(tmp_path / "nope.db")


def test_garbage_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(JournalError, match="not a Warroom journal"):
        Journal(bad)


def test_chain_links_every_event(journal):
    events = [journal.append(Kind.NOTE, None, {"text": f"n{i}"}) for i in range(5)]
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    row = journal.conn.execute(
        "SELECT prev_hash, uid, occurred_at, occurred_offset, recorded_at, recorded_offset,"
        " actor, kind, subject, data, hash FROM events WHERE id = 3").fetchone()
    assert event_hash(*row[:10]) == row[10]


def test_both_clocks_keep_the_source_offset(journal):
    ev = journal.append(Kind.POSTED, None, {}, occurred_at="2022-11-28T09:45:00-05:00")
    assert ev.occurred_at == "2022-11-28T14:45:00.000Z"
    assert ev.occurred_offset == "-05:00"
    assert ev.recorded_at.endswith("Z") and ev.recorded_at > ev.occurred_at


def test_events_refuse_update_and_delete(journal):
    journal.append(Kind.NOTE, None, {"text": "x"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("UPDATE events SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        journal.conn.execute("DELETE FROM events")


def test_projection_and_event_share_one_transaction(journal):
    journal.append(Kind.INCIDENT_OPENED, None, {"name": "X"})
    # a second incident_opened with no name breaks in the projection: no event may remain
    before = queries.max_event_id(journal.conn)
    with pytest.raises(KeyError):
        journal.append(Kind.INCIDENT_OPENED, None, {})
    assert queries.max_event_id(journal.conn) == before


def test_newer_schema_is_refused_with_a_clear_message(db):
    Journal(db, create=True).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer Warroom"):
        Journal(db)


def test_migrations_run_on_open_of_an_empty_file(db):
    db.touch()
    db.chmod(0o600)
    with Journal(db) as j:
        assert j.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in j.conn.execute("SELECT name FROM sqlite_master")}
    assert {"events", "people", "locations", "downloaders", "tips", "tasks", "artifacts",
            "incidents"} <= tables


def test_locked_writer_retries_then_succeeds(journal, db):
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    j2 = Journal(db, write_timeout=10)
    j2.conn.execute("PRAGMA busy_timeout = 50")
    import threading

    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    ev = j2.append(Kind.NOTE, None, {"text": "after the lock"})
    assert ev.id == 1
    j2.close()


def test_locked_writer_gives_up_with_a_clear_error(journal, db):
    from warroom.errors import JournalBusy

    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    j2 = Journal(db, write_timeout=0.3)
    j2.conn.execute("PRAGMA busy_timeout = 20")
    with pytest.raises(JournalBusy, match="busy"):
        j2.append(Kind.NOTE, None, {})
    other.execute("ROLLBACK")
    j2.close()


def test_location_states_and_exposure_clock(journal):
    url = "https://example.test/f.xlsx"
    journal.append(Kind.INCIDENT_OPENED, None, {"name": "X"})
    assert dashboard(journal.conn).clock.state == "UNKNOWN"
    journal.append(Kind.LOCATION_ADDED, url, {"url": url, "kind": "origin"})
    journal.append(Kind.POSTED, url, {"url": url}, occurred_at="2022-11-28T09:45:00-05:00")
    clock = dashboard(journal.conn).clock
    assert clock.state == "EXPOSED" and clock.live == 1
    journal.append(Kind.TAKEN_DOWN, url, {"url": url}, occurred_at="2022-11-28T14:04:00-05:00")
    clock = dashboard(journal.conn).clock
    assert clock.state == "CONTAINED"
    assert clock.duration(clock.until).total_seconds() == (4 * 60 + 19) * 60
