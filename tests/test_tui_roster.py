"""The Notify and Holds tabs driven with the Pilot on a real journal: filters as keys, a bulk
change that states its count and asks, refusals (a consular channel, a move backwards) that
record nothing, a reveal journaled with its reason and shown only in the detail, the work
order, and two responders on the same person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from test_checklists import T0, opened
from test_tui import plain, settled, until

from warroom.checklists import holds, notify, people
from warroom.checklists.filters import PeopleFilter
from warroom.journal import Journal, queries
from warroom.journal.store import connect
from warroom.model import Channel, HoldState, Kind, NotifyState
from warroom.tui.app import WarroomApp

NOW = T0 + timedelta(days=2)


@pytest.fixture
def roster(db):
    with Journal(db, create=True) as j:
        fake = opened(j, n=40, seed=5)
    return db, fake


def app_for(db) -> WarroomApp:
    return WarroomApp(db, clock=lambda: NOW, cursor_blink=False)


async def open_tab(pilot, tab: str = "notify"):
    """Show a roster tab and wait until its list, its counts and its first page are in."""
    app = pilot.app
    await pilot.press({"notify": "3", "holds": "4"}[tab])
    assert await until(pilot, lambda: tab in app.panels)
    panel = app.panels[tab]
    assert await until(pilot, lambda: panel.view.loaded and panel.states is not None
                       and panel.view.current() is not None)
    return panel


async def shown_settled(pilot, panel, total: int) -> None:
    assert await until(pilot, lambda: panel.view.shown == panel.view.generation
                       and panel.view.total == total and panel.view.current() is not None)


def rows(panel) -> list[str]:
    view = panel.view
    return [view.render_line(y).text for y in range(min(view.total, view.size.height))]


def events(db, kind: Kind) -> list:
    conn = connect(db)
    try:
        return [e for e in queries.timeline(conn, 0, -1) if e.kind == kind][::-1]
    finally:
        conn.close()


async def pick(pilot, value: str) -> None:
    """Choose a value in the picker that is open."""
    from textual.widgets import OptionList

    assert await until(pilot, lambda: hasattr(pilot.app.screen, "choices"))
    screen = pilot.app.screen
    screen.query_one(OptionList).highlighted = [v for v, _ in screen.choices].index(value) + 1
    await pilot.press("enter")


async def fill(pilot, **values) -> None:
    """Fill the form that is open (a Select takes its value, an Input its text)."""
    assert await until(pilot, lambda: pilot.app.screen.query("#form-error"))
    for name, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{name}")
        widget.value = value   # an Input's text, a Select's choice: as if typed or chosen
    await pilot.pause()


def screen_text(app, selector: str) -> str:
    return plain(app.screen.query_one(selector).content, 200)


# ---------------------------------------------------------------- filters


async def test_filter_keys_narrow_the_list_and_escape_clears(roster):
    db, fake = roster
    facility = fake[0].facility
    there = [p for p in fake if p.facility == facility]
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        assert panel.view.total == 40
        await pilot.press("f")
        await pick(pilot, facility)
        await shown_settled(pilot, panel, len(there))
        assert all(facility[:15] in line for line in rows(panel))
        assert f"facility ~ {facility}" in plain(panel.query_one(".shown").content, 200)
        # `/` searches within the facility: part of a family name
        await pilot.press("slash", *there[0].family_name.split()[0][:4], "enter")
        wanted = [p for p in there if there[0].family_name.split()[0][:4] in p.full_name]
        await shown_settled(pilot, panel, len(wanted))
        await pilot.press("escape")
        await shown_settled(pilot, panel, 40)
        await pilot.press("exclamation_mark")       # high-risk only
        risky = sum(files_short(p) in {"China", "Iran", "Russia"} for p in fake)
        assert await until(pilot, lambda: panel.view.total == risky
                           and panel.view.shown == panel.view.generation)
        await pilot.press("exclamation_mark", "c")   # off again; then a nationality
        await pick(pilot, "Mexico")
        await shown_settled(pilot, panel, sum(files_short(p) == "Mexico" for p in fake))
        assert all("Mexico" in line for line in rows(panel))


def files_short(p) -> str:
    import files

    return files.SHORT[p.nationality]


async def test_state_filter_and_progress_by_state(roster):
    db, _ = roster
    with Journal(db, actor="field-team") as j:
        notify.notify(j, PeopleFilter(ids=(1, 2, 3)),
                      notify.NotifyChange(state=NotifyState.DELIVERED, channel=Channel.MAIL))
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        summary = plain(panel.query_one(".summary").content, 98)
        assert "notified 3/40 (8%)" in summary and "pending 37" in summary
        assert "delivered 3" in summary
        await pilot.press("s")
        await pick(pilot, "delivered")
        await shown_settled(pilot, panel, 3)
        assert all("delivered mail" in line and "field-te" in line for line in rows(panel))


# ---------------------------------------------------------------- bulk changes


async def test_bulk_notify_states_the_count_asks_and_records_one_event_each(roster):
    from warroom.tui.dialogs.confirm import ConfirmScreen

    db, fake = roster
    facility = fake[0].facility
    there = {i + 1 for i, p in enumerate(fake) if p.facility == facility}
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        await pilot.press("f")
        await pick(pilot, facility)
        await shown_settled(pilot, panel, len(there))
        await pilot.press("n")
        await fill(pilot, state="delivered", channel="mail")
        assert app.screen.query_one("#field-who").value == "filter"   # the filter is set
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = screen_text(app, "#confirm-text")
        assert f"{len(there):,} people shown (facility ~ {facility})" in text
        assert (f"notification → delivered by mail: {len(there)} of {len(there)} selected"
                in text)
        assert not events(db, Kind.NOTIFY_STATE)               # nothing before the yes
        await pilot.press("y")
        assert await until(pilot, lambda: not panel.busy and not isinstance(app.screen,
                                                                             ConfirmScreen))
        await settled(app)
        written = events(db, Kind.NOTIFY_STATE)
        assert len(written) == len(there)
        conn = connect(db)
        ids = {people.rows(conn, PeopleFilter(search=None, ids=(i,)))[0]["person_key"]: i
               for i in there}
        assert {ids[e.subject] for e in written} == there
        assert {e.actor for e in written} == {"tester"}
        bar = panel.query_one("ProgressBar")
        assert bar.total == len(there) and bar.progress == len(there)
        assert await until(pilot, lambda: all("delivered mail" in line and "tester" in line
                                              for line in rows(panel)))


async def test_no_at_the_question_records_nothing(roster):
    from warroom.tui.dialogs.confirm import ConfirmScreen

    db, _ = roster
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot, "holds")
        await pilot.press("h")
        await fill(pilot, state="placed")
        assert app.screen.query_one("#field-who").value == "one"    # no filter: the person
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "For person #1:" in screen_text(app, "#confirm-text")
        await pilot.press("n")
        assert await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await settled(app)
    assert not events(db, Kind.HOLD_STATE)


async def test_a_consular_channel_is_refused_in_the_form_and_nothing_is_recorded(roster):
    from warroom.tui.dialogs.change import NotifyForm

    db, _ = roster
    before = queries.max_event_id(connect(db))
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot)
        for channel, counsel in (("Consulate of Honduras", ""), ("mail", "Embajada de X")):
            await pilot.press("n")
            await fill(pilot, state="delivered", channel=channel, counsel=counsel)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NotifyForm)               # the form stays open
            error = screen_text(app, "#form-error")
            assert "never a notification channel" in error and "\n" not in error.strip()
            await pilot.press("escape")
            assert await until(pilot, lambda: not isinstance(app.screen, NotifyForm))
        await settled(app)
    assert queries.max_event_id(connect(db)) == before


async def test_a_refused_move_shows_its_line_records_nothing_until_corrected(roster):
    from warroom.tui.dialogs.confirm import ConfirmScreen

    db, _ = roster
    with Journal(db, actor="field-team") as j:
        notify.notify(j, PeopleFilter(ids=(1,)),
                      notify.NotifyChange(state=NotifyState.DELIVERED, channel=Channel.MAIL))
    before = queries.max_event_id(connect(db))
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot)
        await pilot.press("n")
        await fill(pilot, state="prepared")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = screen_text(app, "#confirm-text")
        assert "Refused, nothing will be recorded" in text
        assert "delivered → prepared goes backwards" in text
        await pilot.press("y")                                     # offered no yes
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settled(app)
        assert queries.max_event_id(connect(db)) == before
        # as the refusal says: recorded anyway only as a correction, with its reason
        await pilot.press("n")
        await fill(pilot, state="prepared", correction="handed to the wrong person")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "(a correction)" in screen_text(app, "#confirm-text")
        await pilot.press("y")
        assert await until(pilot, lambda: queries.max_event_id(connect(db)) == before + 1)
    fixed = events(db, Kind.NOTIFY_STATE)[-1]
    assert (fixed.data["was"], fixed.data["state"], fixed.data["correction"]) == (
        "delivered", "prepared", "handed to the wrong person")


# ---------------------------------------------------------------- a person


async def test_reveal_asks_why_is_journaled_and_shows_only_in_the_detail(roster):
    from warroom.tui.dialogs.forms import TextForm
    from warroom.tui.dialogs.person import PersonScreen

    db, fake = roster
    first = fake[0]
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        await pilot.press("v")
        assert await until(pilot, lambda: isinstance(app.screen, TextForm))
        await pilot.press("enter")                                 # no reason: refused
        assert "why is needed" in screen_text(app, "#form-error")
        assert not events(db, Kind.PERSON_REVEALED)
        await pilot.press(*"hand delivery at the facility", "enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and app.screen.person is not None)
        detail = screen_text(app, "#person")
        assert first.full_name in detail and first.a_number in detail
        assert str(first.birth_date) in detail
        history = screen_text(app, "#history")
        assert "revealed: hand delivery at the facility" in history and "tester" in history
        await pilot.press("escape")
        assert await until(pilot, lambda: not isinstance(app.screen, PersonScreen))
        listed = "\n".join(rows(panel))
        assert first.a_number not in listed and first.family_name not in listed
        assert "A-***-***-" + first.a_number[-3:] in listed
    revealed = events(db, Kind.PERSON_REVEALED)
    assert len(revealed) == 1 and revealed[0].actor == "tester"
    assert revealed[0].data["why"] == "hand delivery at the facility"


async def test_detail_is_redacted_with_history_and_who_touched_last(roster):
    from warroom.tui.dialogs.person import PersonScreen

    db, fake = roster
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot, "holds")
        with Journal(db, actor="other-responder") as other:      # while the console is open
            holds.hold(other, PeopleFilter(ids=(1,)),
                       holds.HoldChange(state=HoldState.REQUESTED, note="asked ERO"))
        assert await until(pilot, lambda: "other-re" in rows(panel)[0])
        assert "requested" in rows(panel)[0]
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and app.screen.person is not None)
        detail = screen_text(app, "#person")
        assert "A-***-***-" + fake[0].a_number[-3:] in detail
        assert fake[0].family_name not in detail and fake[0].a_number not in detail
        assert re.search(r"last touched +other-responder", detail)
        assert "hold none → requested · asked ERO" in screen_text(app, "#history")


async def test_two_responders_on_the_same_person_both_land_in_order(roster):
    """The console plans a move, another responder moves the same person before the yes:
    the console's move is decided again on the fresh row, and both events are journaled,
    in order; the person's history shows both, each with its responder."""
    from warroom.tui.dialogs.confirm import ConfirmScreen
    from warroom.tui.dialogs.person import PersonScreen

    db, _ = roster
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        await pilot.press("n")
        await fill(pilot, state="delivered", channel="in-person")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        with Journal(db, actor="other-responder") as other:
            notify.notify(other, PeopleFilter(ids=(1,)),
                          notify.NotifyChange(state=NotifyState.PREPARED, note="envelope"))
        await pilot.press("y")
        assert await until(pilot, lambda: not panel.busy and not isinstance(app.screen,
                                                                             ConfirmScreen))
        assert await until(pilot, lambda: "delivered in-person" in rows(panel)[0]
                           and "tester" in rows(panel)[0])
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and len(app.screen.history) == 2)
        history = screen_text(app, "#history").splitlines()
    moves = events(db, Kind.NOTIFY_STATE)
    assert [(e.actor, e.data["was"], e.data["state"]) for e in moves] == [
        ("other-responder", "pending", "prepared"), ("tester", "prepared", "delivered")]
    newest, older = [line for line in history if "notification" in line]
    assert "tester" in newest and "prepared → delivered by in-person" in newest
    assert "other-responder" in older and "pending → prepared · envelope" in older


# ---------------------------------------------------------------- holds: order and alarms


async def test_work_order_and_alarms_on_the_holds_tab(roster):
    db, _ = roster
    with Journal(db, actor="ero") as j:
        holds.hold(j, PeopleFilter(ids=(7, 9)), holds.HoldChange(state=HoldState.PLACED))
        holds.hold(j, PeopleFilter(ids=(9,)), holds.HoldChange(removal_date="2022-12-02"))
        holds.hold(j, PeopleFilter(ids=(30,)), holds.HoldChange(removal_date="2022-12-01"))
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot, "holds")
        assert panel.view.current()["id"] == 1
        await pilot.press("w")
        assert await until(pilot, lambda: panel.view.shown == panel.view.generation
                           and panel.view.current() is not None
                           and panel.view.current()["id"] == 30)
        assert [panel.view.item_at(i)["id"] for i in range(2)] == [30, 9]
        assert "work order" in plain(panel.query_one(".shown").content, 200)
        await pilot.press("a")                                      # alarms only
        await shown_settled(pilot, panel, 2)
        lines = rows(panel)
        assert "⚠ 12-01 unnotified" in lines[0] and "⚠ 12-02 in hold" in lines[1]
        assert "placed" in lines[1]


# ---------------------------------------------------------------- the palette


async def test_palette_finds_notify_hold_reveal_and_task(roster):
    from textual.command import CommandList

    from warroom.tui.dialogs.forms import TextForm

    db, _ = roster
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot)
        await pilot.press("1")
        for word, wanted in (("notify", "Notify people"), ("hold", "Hold removals"),
                             ("reveal", "Reveal person"), ("task", "Task done")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*word)
            found = app.screen.query_one(CommandList)
            assert await until(pilot, lambda found=found, wanted=wanted: any(
                wanted in str(found.get_option_at_index(i).prompt)
                for i in range(found.option_count))), word
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"reveal person")
        found = app.screen.query_one(CommandList)
        assert await until(pilot, lambda: found.option_count > 0)
        await pilot.press("enter")                  # opens the Notify tab, then the form
        assert await until(pilot, lambda: isinstance(app.screen, TextForm))
        assert app.query_one("TabbedContent").active == "notify"
