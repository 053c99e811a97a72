"""The Artifact tab as a new responder uses it: focus after acquiring, details that follow
the cursor, actions on the row under the cursor, and files that cannot be read."""

from __future__ import annotations

from test_tui import make, plain, settled, until

from warroom.journal import queries
from warroom.journal.store import connect
from warroom.tui.app import WarroomApp

import files


def report(app) -> str:
    return plain(app.query_one("#report").content, 140)


async def acquire(pilot, path) -> None:
    app = pilot.app
    await pilot.press("2", "a")
    app.focused.value = str(path)     # typed by hand it would be the same, only slower
    await pilot.press("enter")
    assert app.focused is app.query_one("#artifacts")      # Enter hands focus to the list
    assert await until(pilot, lambda: not app.panels["artifact"].busy)
    await settled(app)
    await pilot.pause()


async def test_after_acquiring_keys_act_on_the_list_not_the_path_box(db, tmp_path):
    make(db, down=True)
    sheet = files.write_csv(tmp_path / "leak.csv", files.roster(25, seed=3))
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await acquire(pilot, sheet)
        source, table = app.query_one("#source"), app.query_one("#artifacts")
        assert source.value == "" and table.row_count == 1
        await pilot.press("a")
        assert app.focused is source
        await pilot.press("escape")                        # Escape leaves the path box
        assert app.focused is table
        await pilot.press("s")                             # s scans, it types nothing
        assert source.value == ""
        assert await until(pilot, lambda: not app.panels["artifact"].busy)


async def test_details_follow_the_cursor_and_s_scans_that_row(db, tmp_path):
    make(db, down=True)
    first = files.write_csv(tmp_path / "first.csv", files.roster(12, seed=7))
    second = files.write_csv(tmp_path / "second.csv", files.roster(30, seed=8))
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await acquire(pilot, first)
        await acquire(pilot, second)
        table = app.query_one("#artifacts")
        assert table.row_count == 2 and "second.csv" in report(app)
        await pilot.press("up")
        assert "first.csv" in report(app) and "records 12" in report(app)
        wanted = app.panels["artifact"].selected()
        await pilot.press("s")
        assert await until(pilot, lambda: not app.panels["artifact"].busy)
        await settled(app)
        conn = connect(db)
        last = queries.timeline(conn, 0, 1)[0]
        assert last.kind == "artifact_scanned" and last.subject == wanted
        assert app.panels["artifact"].selected() == wanted and "first.csv" in report(app)


async def test_a_file_that_cannot_be_read_is_listed_as_unreadable(db, tmp_path):
    make(db, down=True)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 12)
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        for path in (empty, junk):
            await acquire(pilot, path)
            panel = app.panels["artifact"]
            sha = panel.selected()
            assert panel.rows[sha]["filename"] == path.name
            text = report(app)
            assert f"{path.name} cannot be read" in text and f"why: {path.name}" in text
            assert sha not in panel.failures[sha]          # the error names the file
            state = app.query_one("#artifacts").get_row(sha)[5]
            assert state.plain == "unreadable"
        assert app.query_one("#artifacts").row_count == 2  # evidence on the record, kept


async def test_o_settles_an_ambiguous_date_order_and_i_imports_it_so(db, tmp_path):
    """A day-first copy whose every date reads both ways: imported month-first (flagged),
    then o → Day first rescans it so, and i corrects the roster: no conflict is made."""
    from test_dates import truth, with_births

    make(db, down=True)
    ps = with_births(files.roster(20, seed=12), seed=3, max_day=12)
    sheet = files.write_csv(tmp_path / "eu.csv", ps, dates="%d/%m/%Y")
    app = WarroomApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await acquire(pilot, sheet)
        panel = app.panels["artifact"]
        await pilot.press("i")
        assert await until(pilot, lambda: not panel.busy)
        await settled(app)
        text = report(app)
        assert "eu.csv: DOB  AMBIGUOUS, read month first" in text and "press o" in text
        await pilot.press("o")
        assert type(app.screen).__name__ == "DateOrderScreen"
        shown = " ".join(plain(s.content, 300) for s in app.screen.query("Static"))
        assert "eu.csv" in shown and "no choice here changes" not in shown
        await pilot.press("down", "enter")                  # Day first
        assert await until(pilot, lambda: not panel.busy)
        await settled(app)
        assert panel.orders == {panel.selected(): "dmy"}
        assert "AMBIGUOUS, read day first (dd/mm) as settled (o to change)" in report(app)
        await pilot.press("i")
        assert await until(pilot, lambda: not panel.busy)
        await settled(app)
        conn = connect(db)
        roster = dict(conn.execute("SELECT a_number, birth_date FROM people"))
        assert roster == truth(ps)
        assert conn.execute("SELECT count(*) FROM identities").fetchone()[0] == 0
        assert "people corrected from an earlier import" in plain(app.query_one("#report")
                                                                  .content, 300)


async def test_o_on_a_file_whose_dates_prove_their_order_says_so(db, tmp_path):
    make(db, down=True)
    sheet = files.write_csv(tmp_path / "us.csv", files.roster(40, seed=14))
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await acquire(pilot, sheet)
        await pilot.press("o")
        shown = " ".join(plain(s.content, 300) for s in app.screen.query("Static"))
        assert "us.csv" in shown and "no choice here changes a date" in shown
        await pilot.press("escape")
        assert app.panels["artifact"].orders == {} and not app.panels["artifact"].busy
