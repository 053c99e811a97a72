"""The Artifact tab's locations as a responder uses them: probe state and takedown state side
by side, `p` probing now against a real server on 127.0.0.1 (a notice per change, a loud one
when the file is back), `t` drafting and recording a takedown request, `l` adding a location
through a form that checks the URL as it is typed."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from test_tui import CDN, MIRROR, ORIGIN, SHA_GOOD, fixed_app, fixed_journal, plain, settled, until

from warroom.artifact.acquire import acquire
from warroom.exposure import locations, probe
from warroom.incident import open_incident
from warroom.journal import Journal, queries
from warroom.journal.store import connect
from warroom.model import Kind, LocationKind
from warroom.tui.app import WarroomApp

import files
from httpserve import Reply, Served


def heard(app) -> list[tuple[str, str, str]]:
    """Every notice the console gives from now on, as (severity, title, message)."""
    said: list[tuple[str, str, str]] = []
    real = app.notify

    def notify(message, *, title="", severity="information", **kwargs):
        said.append((severity, title, message))
        return real(message, title=title, severity=severity, **kwargs)

    app.notify = notify
    return said


async def open_tab(pilot, rows: int):
    app = pilot.app
    await pilot.press("2")
    table = app.query_one("#location-list")
    assert await until(pilot, lambda: table.row_count == rows)
    return table


def row(table, url: str) -> list[str]:
    return [getattr(c, "plain", str(c)) for c in table.get_row(url)]


async def test_probe_state_and_takedown_state_side_by_side_at_100x30(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    with Journal(db) as j:
        from warroom.exposure.takedown import request, set_state

        request(j, MIRROR, "host", ref="abuse-4411")
        request(j, CDN, "cdn-purge")
        set_state(j, CDN, "refused", "not ours", via="cdn-purge")
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_tab(pilot, 3)
        await pilot.pause()
        assert row(table, ORIGIN)[:5] == ["origin", "VERIFIED DOWN", "14:20", "—", "—"]
        assert row(table, MIRROR)[:5] == ["mirror", "LIVE", "15:45", "—", "requested"]
        assert row(table, CDN)[4] == "refused"                 # how the last one ended
        for url in (ORIGIN, CDN, MIRROR):                      # host and file name kept
            shown = row(table, url)[5]
            host = url.split("/")[2]
            assert shown.endswith("detention-stats-fy23.xlsx") and shown[:10] == host[:10]
            assert "…" in shown
        assert table.region.right <= 100


async def test_p_probes_now_and_says_what_changed_and_sounds_the_alarm(db, tmp_path):
    sheet = files.write_csv(tmp_path / "list.csv", files.roster(40, seed=12)).read_bytes()
    with Served() as site:
        origin, mirror = site.url("/list.csv"), site.url("/m/list.csv")
        gate = threading.Event()
        site.routes["/m/list.csv"] = Reply(lambda path: gate.wait(30) and (200, {}, sheet))
        (tmp_path / "evidence.csv").write_bytes(sheet)
        with Journal(db, create=True) as j:
            open_incident(j, "Console probe")
            acquire(j, str(tmp_path / "evidence.csv"))
            locations.add(j, origin, LocationKind.ORIGIN)
            locations.add(j, mirror, LocationKind.MIRROR)
        app = WarroomApp(db)
        async with app.run_test(size=(100, 30)) as pilot:
            said = heard(app)
            table = await open_tab(pilot, 2)
            pane = app.query_one("LocationsPane")
            await pilot.press("p")          # the mirror answers once the test has looked
            assert pane.probing and app.query_one("#probe-bar").has_class("busy")
            assert "probing 2 locations…" in str(app.query_one("#probe-state").content)
            await pilot.press("p")          # one round at a time
            assert said[-1][0] == "warning" and "running already" in said[-1][2]
            gate.set()
            assert await until(pilot, lambda: not pane.probing)
            assert await until(pilot, lambda: row(table, mirror)[1] == "LIVE"
                               and row(table, origin)[1] == "DOWN")
            assert row(table, mirror)[3] == "sha256" and row(table, origin)[3] == "—"
            assert ("warning", "", f"unknown → live: {mirror} (the same bytes as the evidence"
                    f" copy {queries.artifacts(connect(db))[0]['sha256'][:12]}…)") in said
            assert any(s == "information" and m.startswith(f"unknown → down: {origin}")
                       for s, _, m in said)
            assert not app.query_one("#probe-bar").has_class("busy")
            # the origin proven down (another responder's probe), then the file comes back
            await asyncio.to_thread(probe.probe_all, db, confirm=1, over=timedelta(0),
                                    urls=[origin])
            site.routes["/list.csv"] = (200, {}, sheet)
            said.clear()
            await pilot.press("p")
            assert await until(pilot, lambda: not pane.probing and said)
            alarm = [m for s, t, m in said if s == "error" and t == "ALARM: the file is back"]
            assert alarm and alarm[0].startswith(f"{origin} serves the file again")
            assert await until(pilot, lambda: row(table, origin)[1] == "LIVE")
            asked = {path for _, path, _ in site.requests}   # both locations, by content
            assert asked == {"/list.csv", "/m/list.csv"}


async def test_t_drafts_the_request_and_r_records_it(db, monkeypatch):
    from warroom.tui.dialogs.takedown import TakedownScreen

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        said = heard(app)
        table = await open_tab(pilot, 3)
        table.focus()
        table.move_cursor(row=table.get_row_index(MIRROR))
        await pilot.press("t")
        assert await until(pilot, lambda: isinstance(app.screen, TakedownScreen)
                           and app.screen.text is not None)
        draft = app.screen.query_one("#draft").text
        assert MIRROR in draft and SHA_GOOD in draft and draft == app.screen.text
        assert app.screen.via == "host"                      # the usual way for a mirror
        await pilot.press("r")
        assert await until(pilot, lambda: not isinstance(app.screen, TakedownScreen))
        asked = queries.takedowns(connect(db), MIRROR)
        assert [(r["via"], r["state"]) for r in asked] == [("host", "requested")]
        assert any(t == "takedown requested" for _, t, _ in said)
        assert await until(pilot, lambda: row(table, MIRROR)[4] == "requested")
        await pilot.press("t")                               # asked already that way: refused
        assert await until(pilot, lambda: isinstance(app.screen, TakedownScreen)
                           and app.screen.text is not None)
        await pilot.press("r")
        assert await until(pilot, lambda: any(t == "request not recorded" for _, t, _ in said))
        assert isinstance(app.screen, TakedownScreen)
        assert len(queries.takedowns(connect(db), MIRROR)) == 1
        await pilot.press("escape")


async def test_l_adds_a_location_through_a_checked_form(db, monkeypatch):
    from warroom.tui.dialogs.location import NewLocationScreen

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_tab(pilot, 3)
        await pilot.press("l")
        assert await until(pilot, lambda: isinstance(app.screen, NewLocationScreen))
        await pilot.press(*"ftp://files.example/x.xlsx")
        error = app.screen.query_one("#url-error")
        assert "is not an http or https URL" in str(error.content)
        await pilot.press("enter")                           # refused: the form stays
        assert isinstance(app.screen, NewLocationScreen)
        app.screen.query_one("#url").value = ""
        await pilot.press(*"https://cache.search.example/list.xlsx")
        assert str(app.screen.query_one("#url-error").content) == ""
        await pilot.press("tab", "enter", "down", "down", "down", "enter")   # the kind
        assert app.screen.query_one("#kind").value == LocationKind.SEARCH_CACHE
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: table.row_count == 4)
        added = queries.location(connect(db), "https://cache.search.example/list.xlsx")
        assert added["kind"] == "search-cache" and added["state"] == "unknown"
        await pilot.press("l")
        assert await until(pilot, lambda: isinstance(app.screen, NewLocationScreen))
        await pilot.press(*"https://x.example/y", "escape")  # cancelled: nothing added
        await settled(app)
        assert queries.location(connect(db), "https://x.example/y") is None


async def test_palette_finds_probe_and_takedown(db, monkeypatch):
    from textual.command import CommandList

    from warroom.tui.dialogs.takedown import TakedownScreen

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        for word, found in (("probe", "Probe"), ("takedown", "Takedown")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*word)
            options = app.screen.query_one(CommandList)
            assert await until(pilot, lambda o=options: o.option_count > 0)
            assert found in str(options.get_option_at_index(0).prompt)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"takedown")
        assert await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, TakedownScreen))
        assert app.query_one("TabbedContent").active == "artifact"


async def test_exposure_window_opens_from_the_timeline_and_anywhere(db, monkeypatch):
    from warroom.tui.dialogs.exposure import ExposureScreen

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        for tab in ("1", "5"):
            await pilot.press(tab, "e")
            assert await until(pilot, lambda: isinstance(app.screen, ExposureScreen)
                               and app.screen.doc is not None)
            text = plain(app.screen.query_one("#exposure").content, 94)
            assert "EXPOSED" in text and "from 09:45 until now" in text
            for moment in ("09:45  posted", "13:53  discovered", "14:04  taken down at the"):
                assert moment in text, text
            assert "tip from Advocates for Detained Families" in text
            down = next(line for line in text.splitlines() if "taken down at the" in line)
            assert "www.agency.ex" in down and down.rstrip().endswith(   # host and file kept
                "…detention-stats-fy23.xlsx")
            assert f"still live: {MIRROR}" in text
            await pilot.press("escape")
            assert await until(pilot, lambda: not isinstance(app.screen, ExposureScreen))


async def test_the_header_names_an_unfinished_import_at_100x30(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        header = app.query_one("#counts")
        assert await until(pilot, lambda: app.board is not None)
        assert "⚠" not in plain(header.content) and header.tooltip is None
        with Journal(db) as j:    # an import that began and never ended (a process killed)
            j.append(Kind.IMPORT_STARTED, "imp-1", {"import_id": "imp-1", "people": 6252,
                                                    "batch_size": 2000, "batches": 4})
        assert await until(pilot, lambda: app.board.counts["imports_unfinished"] == 1)
        await pilot.pause()
        line = plain(header.content, 100).rstrip()
        assert "⚠ import unfinished" in line and line.endswith(
            f"head {app.board.head[:8]}")
        assert line.startswith(" people 3 · ") and len(line) <= 100
        assert "warroom verify" in header.tooltip


def test_cells_say_how_the_file_was_recognised_and_cut_in_the_middle():
    from warroom.render.console import cut_middle, match_label

    assert match_label({"match": "a-numbers", "share": 0.917}) == "92% A-numbers"
    assert match_label({"match": "sha256", "share": None}) == "sha256"
    assert match_label({"match": "none"}) == match_label({"match": None}) == ""
    agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
    cut = cut_middle(agent, 30)
    assert len(cut) == 30 and cut.startswith("Mozilla/5.0 (X") and cut.endswith("537.36")
    assert cut_middle("short", 30) == "short" and cut_middle(agent, 1) == "…"
