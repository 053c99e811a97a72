"""The Timeline tab and the header as a new responder meets them: cells cut with an
ellipsis, pages read off the UI thread, an event's detail, the layout at 100×30, and text
from outside shown as text."""

from __future__ import annotations

from test_tui import NOW, fixed_app, fixed_journal, make, plain, until

from warroom.journal import Journal, queries
from warroom.journal.store import connect
from warroom.model import Kind
from warroom.tui.app import WarroomApp
from warroom.tui.widgets.header import IncidentHeader
from warroom.tui.widgets.timeline import TimelineView


def test_cells_are_cut_with_an_ellipsis_and_one_space_apart():
    from warroom.render.console import columns_line

    assert columns_line(["abcdefgh", "xy", "z\x1b"], [4, 3, 3]) == "abc… xy  z␛ "


async def test_timeline_rows_at_100_columns(db, monkeypatch):
    from warroom.tui.widgets.timeline import widths

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.loaded and view.event_at(0) is not None)
        cuts, edge = widths(view.size.width), 0
        for y in range(min(view.size.height, view.total)):
            line = view.render_line(y).text
            edge = 0
            for w in cuts[:-1]:
                edge += w
                assert line[edge] == " ", (line, edge)   # one space between columns
                edge += 1
        lines = [view.render_line(y).text for y in range(view.total)]
        assert any("…" in line for line in lines)      # long text is cut with an ellipsis
        assert lines[0].startswith("15:46 (44 minutes ago)")   # newest first, fixed clock


async def test_pages_are_read_off_the_ui_thread_with_a_placeholder_meanwhile(db):
    from warroom.model import Draft

    with Journal(db, create=True) as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": "paging"})
        j.append_many([Draft(Kind.NOTE, None, {"text": f"note {i}"}) for i in range(1, 1000)])
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.loaded and view.total == 1000)
        await pilot.press("end")                        # page 9: not read yet when asked
        assert await until(pilot, lambda: view.current() is not None)
        assert view.current().kind == "incident_opened"
        view._pages.clear()                             # as if that page were on its way
        assert view.render_line(view.cursor - int(view.scroll_offset.y)).text.startswith("…")
        assert await until(pilot, lambda: view.current() is not None)


async def test_reloads_while_a_read_runs_coalesce_and_the_last_lands(db):
    make(db, down=False)
    app = WarroomApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.loaded and view.total == 3)
        with Journal(db) as j:
            j.append(Kind.NOTE, None, {"text": "one more"})
        for _ in range(5):
            view.reload()
        assert await until(pilot, lambda: view.shown == view.generation and view.total == 4)
        assert view.event_at(0).data == {"text": "one more"}


async def test_enter_opens_the_event_detail_redacted(db, monkeypatch):
    from warroom.tui.dialogs.event import EventScreen

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.loaded and view.event_at(0) is not None)
        for kind, must, never in [
            ("people_imported", ["3 people", "data.fields"], ["PEREZ", "123456789", "1990-01"]),
            ("hold_placed", ["A-***-***-890", "hold until the case is assessed"],
             ["234567890"]),
            ("posted", ["11:02:00 local", "16:02:00 UTC", "source offset -05:00",
                        "learned", "actor", "web-ops", "posted: The file became reachable"],
             []),
        ]:
            row = next(i for i in range(view.total) if view.event_at(i).kind == kind)
            view.cursor = row
            view.focus()
            await pilot.press("enter")
            assert await until(pilot, lambda: isinstance(app.screen, EventScreen)
                               and app.screen.event is not None)
            event = app.screen.event
            text = plain(app.screen.query_one("#detail").content, 200)
            assert event.hash in text and all(m in text for m in must), text
            assert not any(n in text for n in never), text
            await pilot.press("escape")
            assert await until(pilot, lambda: not isinstance(app.screen, EventScreen))


def test_the_plain_detail_redacts_people_like_every_face():
    from warroom.model import Event
    from warroom.render.text import detail_text

    def event(kind, subject, data):
        return Event(7, "u7", "2022-11-28T19:10:00.000Z", "-05:00", "2022-11-28T20:20:00.000Z",
                     "-05:00", "web-ops", kind, subject, data, "0" * 64, "f" * 64)

    held = detail_text(event("hold_placed", "A234567890",
                             {"person": "N:WANG, LI|1985-06-07", "a_number": "A234567890",
                              "birth_date": "1985-06-07", "family_name": "WANG"}), NOW)
    assert "A-***-***-890" in held and "W., L. 1985-**-**" in held and "1985-**-**" in held
    assert not any(x in held for x in ("234567890", "WANG", "06-07"))
    batch = detail_text(event("people_imported", "s", {"fields": ["full_name"], "count": 2,
                                                       "batch": 1}), NOW)
    assert "2 people" in batch and "f" * 64 in batch
    assert "14:10:00 local · 19:10:00 UTC · source offset -05:00" in batch


async def test_layout_stays_usable_at_100x30(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        header = app.query_one(IncidentHeader)
        assert await until(pilot, lambda: header.board is not None)
        await pilot.pause()
        counts = plain(app.query_one("#counts").content).rstrip()
        head = queries.head_hash(connect(db))
        assert counts.endswith(f"head {head[:8]}")           # the chain head, short
        shown = counts.split("   ")[0].strip().split(" · ")
        assert shown[0] == "people 3" and all(part[-1].isdigit() or part.endswith(")")
                                              for part in shown)   # whole counts only
        places = plain(app.query_one("#locations").content, 98).splitlines()
        for line, host in zip(places, ("www.agency", "cdn.agency", "files.mirror")):
            assert f"{host}.example" in line, line
            assert line.rstrip().endswith("…/detention-stats-fy23.xlsx"), line


async def test_text_from_outside_is_never_markup(db):
    odd = "https://odd.example/[bold]x[/bold]/list\x1b[31m.xlsx"
    with Journal(db, create=True, actor="[red]mallory[/red]") as j:
        j.append(Kind.INCIDENT_OPENED, None, {"name": "[blink]Console[/blink] test"})
        j.append(Kind.LOCATION_ADDED, odd, {"url": odd, "kind": "mirror"})
        j.append(Kind.NOTE, None, {"text": "see [link=http://x]here[/link]\u202e"})
    app = WarroomApp(db)
    async with app.run_test(size=(160, 40)) as pilot:
        view = app.query_one(TimelineView)
        assert await until(pilot, lambda: view.loaded and view.event_at(0) is not None)
        await pilot.pause()
        row = view.render_line(0).text
        assert "see [link=http://x]here[/link]<U+202E>" in row and "[red]mallory" in row
        assert "[bold]x[/bold]/list␛[31m.xlsx" in plain(app.query_one("#locations").content, 158)
        assert "[blink]Console[/blink] test" in plain(app.query_one("#title").content, 160)




async def test_every_footer_fits_at_100_columns(db, monkeypatch):
    """Each tab's keys all show in the footer at 100 columns, none under the palette's, with
    a filter set too (its Escape joins the footer)."""
    from textual.widgets._footer import FooterKey

    from warroom.tui import actions

    def fits(tab: str) -> None:
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette]
        assert all(k.region.width and k.region.right <= palette.region.x for k in shown), (
            tab, [(k.description, k.region) for k in shown])
        panel = app.panels[tab]
        wanted = {a.description for a in actions.in_scope(tab) if a.show
                  and panel.check_action(a.action.split("(")[0], ()) is not False}
        assert shown and wanted <= {k.description for k in shown}, tab

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        for n, (tab, _, _) in enumerate(actions.TABS, start=1):
            await pilot.press(str(n))
            assert await until(pilot, lambda t=tab: t in app.panels and app.panels[t].active)
            await pilot.pause()
            fits(tab)
        for n, tab in ((1, "timeline"), (5, "downloaders")):
            await pilot.press(str(n), "slash", "1", "enter")
            await pilot.pause()
            assert any(k.key == "escape" for k in app.screen.query(FooterKey)), tab
            fits(tab)
