"""The Downloaders tab as a responder uses it: a list that reads only the rows in view, filter
keys, a search, the access window and counts at the top, and one downloader in full."""

from __future__ import annotations

from test_logs_import import origin_logs
from test_logs_rules import PATH, SIZE
from test_tui import fixed_app, make, plain, settled, until

from warroom.exposure.logs import analyze, import_downloaders
from warroom.journal import Journal, queries
from warroom.model import Draft, Kind
from warroom.tui.app import WarroomApp

HOSTILE = "curl/8.0 \x1b[31m[bold]red[/bold]\u202e"


def client(i: int) -> str:
    return f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"


def many(db, n: int) -> None:
    """n downloaders, as `warroom logs --import` would journal them (complete every 7th, a
    bot every 11th), first seen a second apart."""
    make(db, down=True)
    with Journal(db) as j:
        j.append_many([Draft(Kind.DOWNLOADED, client(i), {
            "client": client(i), "complete": i % 7 == 0, "bot": i % 11 == 0,
            "bytes": 1_000 + i, "requests": 1 + i % 3,
            "first_seen": f"2022-11-28T15:{i // 60 % 60:02d}:{i % 60:02d}.000Z",
            "last_seen": f"2022-11-28T16:{i // 60 % 60:02d}:{i % 60:02d}.000Z",
            "user_agents": [HOSTILE if i == 5 else f"Mozilla/5.0 (X11; Linux x86_64) "
                            f"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{i}.0 Safari/537"]})
            for i in range(n)])


async def open_tab(pilot):
    app = pilot.app
    await pilot.press("5")
    assert await until(pilot, lambda: "downloaders" in app.panels
                       and app.panels["downloaders"].view.loaded)
    return app.panels["downloaders"]


def summary(app) -> str:
    return plain(app.query_one("#dl-summary").content, 200)


async def test_the_list_reads_only_the_pages_in_view(db, monkeypatch):
    many(db, 3_000)
    asked: list[tuple[int, int]] = []
    real = queries.downloaders

    def watched(conn, offset=0, limit=100, **kwargs):
        asked.append((offset, limit))
        return real(conn, offset, limit, **kwargs)

    monkeypatch.setattr(queries, "downloaders", watched)
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        view = panel.view
        assert view.total == 3_000 and asked == [(0, 100)]      # the first page, no more
        first = view.render_line(0).text
        assert first.startswith("10.0.0.0 ") and "complete" in first and "1,000" in first
        await pilot.press("end")
        assert await until(pilot, lambda: view.current() is not None)
        assert view.current()["client"] == client(2_999)
        assert sorted({o for o, _ in asked}) == [0, 2_900]      # the last page, nothing between
        assert sum(limit for _, limit in asked) <= 300


async def test_keys_filter_and_slash_searches(db):
    many(db, 300)
    with Journal(db) as j:
        expect = {mode: queries.downloaders_count(j.conn, **kw) for mode, kw in (
            ("complete", {"complete": True}), ("partial", {"complete": False}),
            ("bots", {"bot": True}), ("search", {"search": "10.0.1."}))}
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        view = panel.view
        for key, mode in (("c", "complete"), ("p", "partial"), ("b", "bots")):
            await pilot.press(key)
            assert await until(pilot, lambda m=mode: view.shown == view.generation
                               and view.total == expect[m])
            page = [view.item_at(i) for i in range(min(view.total, 100))]   # read: page 0
            assert all(r["bot"] if mode == "bots" else bool(r["complete"]) == (mode == "complete")
                       for r in page)
            assert f"showing {expect[mode]:,} ({mode})" in summary(app)
        await pilot.press("a", "slash", *"10.0.1.", "enter")
        assert await until(pilot, lambda: view.total == expect["search"])
        assert all("10.0.1." in view.item_at(i)["client"] for i in range(view.total))
        assert "address holds “10.0.1.”" in summary(app)
        await pilot.press("escape")
        assert await until(pilot, lambda: view.total == 300)


async def test_counts_and_the_access_window_at_the_top(db, tmp_path):
    make(db, down=True)
    monday, tuesday = origin_logs(tmp_path)
    with Journal(db) as j:
        import_downloaders(j, analyze([monday, tuesday], PATH, size=SIZE))
    app = fixed_app(db)     # the clock of the case: times in its zone
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot)
        assert await until(pilot, lambda: "access window" in summary(app))
        top = summary(app)
        assert "4 downloaders · 4 complete · 0 partial · 1 bot" in top
        assert ("access window: first access 09:45 · last access Tue 29 Nov 09:00"
                " (1 log import)") in top


async def test_enter_opens_a_downloader_with_its_rows_per_import(db, tmp_path):
    from warroom.tui.dialogs.downloader import DownloaderScreen

    make(db, down=True)
    monday, tuesday = origin_logs(tmp_path)
    with Journal(db) as j:       # two imports of the same path: two rows for 192.0.2.2
        import_downloaders(j, analyze([monday], PATH, size=SIZE))
        import_downloaders(j, analyze([tuesday], PATH, size=SIZE))
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        view = panel.view
        view.cursor = next(i for i in range(view.total)
                           if view.item_at(i)["client"] == "192.0.2.2")
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, DownloaderScreen)
                           and app.screen.row is not None)
        text = plain(app.screen.query_one("#detail").content, 120)
        assert f"bytes         {SIZE:,}" in text                # all it took, in two imports
        assert "20,000" in text and f"{SIZE - 20_000:,}" in text
        assert text.count(PATH) == 2                            # one row per import
        assert "access.log.1" in text and "access.log " in text + " "
        assert "contact: unidentified" in text
        await pilot.press("escape")
        assert await until(pilot, lambda: not isinstance(app.screen, DownloaderScreen))


async def test_user_agents_from_outside_are_shown_as_text(db):
    from warroom.tui.dialogs.downloader import DownloaderScreen

    many(db, 8)
    app = WarroomApp(db)
    async with app.run_test(size=(160, 30)) as pilot:
        panel = await open_tab(pilot)
        row = panel.view.render_line(5).text
        assert "␛[31m[bold]red[/bold]<U+202E>" in row and "\x1b" not in row
        panel.view.cursor = 5
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, DownloaderScreen)
                           and app.screen.row is not None)
        assert "1. curl/8.0 ␛[31m[bold]red[/bold]<U+202E>" in plain(
            app.screen.query_one("#detail").content, 150)
        await settled(app)
