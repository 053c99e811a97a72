"""The Tips tab as a responder uses it: a form checked by the service (an error shown, nothing
written), a tip recorded with its receipt and listed, its URLs offered as locations, triage
with a dismissal's reason, and the detail with A-numbers redacted and the roster's answer."""

from __future__ import annotations

from test_tui import MIRROR, fixed_app, fixed_journal, plain, until
from test_tui_locations import heard

from warroom.journal import Journal, queries
from warroom.journal.store import connect
from warroom.tips import add_tip
from warroom.tui.dialogs.tip import TipScreen
from warroom.tui.dialogs.tip_form import AskScreen, NewTipScreen
from warroom.tui.widgets.tips import CONFIDENTIAL

COPY = "https://paste.example/raw/x81k"


async def open_tab(pilot, rows: int):
    app = pilot.app
    await pilot.press("6")
    assert await until(pilot, lambda: "tips" in app.panels)
    view = app.panels["tips"].view
    assert await until(pilot, lambda: view.total == rows and view.current() is not None)
    return view


def listed(app, view) -> list[str]:
    width = 98
    return ["".join(s.text for s in view.row(view.item_at(i), width, app.screen.rich_style))
            for i in range(view.total)]


async def fill(pilot, **fields) -> None:
    form = pilot.app.screen
    assert isinstance(form, NewTipScreen)
    for name, value in fields.items():
        box = form.query_one(f"#{name.replace('_', '-')}")
        if name == "text":
            box.text = value
        else:
            box.value = value
    await pilot.pause()


async def test_the_form_shows_the_services_refusal_then_records_and_lists_the_tip(
        db, monkeypatch):
    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        said = heard(app)
        view = await open_tab(pilot, 1)
        await pilot.press("n")
        assert await until(pilot, lambda: isinstance(app.screen, NewTipScreen))
        await fill(pilot, source="Detention Watch Legal", text="Our client is on the list.",
                   a_numbers="A12345678X")
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#tip-error").content)
        assert "not an A-number" in error and isinstance(app.screen, NewTipScreen)
        assert len(queries.tips(connect(db))) == 1                 # nothing written
        await fill(pilot, source="", a_numbers="A-234-567-890")
        await pilot.press("ctrl+s")
        assert "needs a source" in str(app.screen.query_one("#tip-error").content)
        await fill(pilot, source="Detention Watch Legal", contact="intake@dwl.example",
                   confidential=True)
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: any(t == "tip recorded" for _, t, _ in said))
        tip = queries.tips(connect(db))[0]
        assert (tip["source"], tip["confidential"]) == ("Detention Watch Legal", True)
        assert tip["a_numbers"] == tip["in_roster"] == ["A234567890"]
        receipt = next(m for _, t, m in said if t == "tip recorded")
        assert receipt.startswith(f"tip {tip['id']}: receipt {tip['uid']}")
        assert "1 of its A-numbers in the roster" in receipt
        assert not isinstance(app.screen, AskScreen)               # no URL: nothing offered
        assert await until(pilot, lambda: view.total == 2 and view.item_at(1) is not None)
        rows = listed(app, view)
        assert CONFIDENTIAL in rows[0] and "Detention Watch" not in rows[0]
        assert "intake@" not in rows[0] and "new" in rows[0]
        assert "Advocates for Detained" in rows[1]       # the older tip, below


async def test_a_tips_urls_are_offered_as_locations_and_l_adds_them_later(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        said = heard(app)
        await open_tab(pilot, 1)
        await pilot.press("n")
        await fill(pilot, source="Immigrant Defense Hotline",
                   text="Copies on a paste site and a mirror.", urls=f"{COPY} {MIRROR}")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, AskScreen))
        question = plain(app.screen.question)
        assert "1 URL not yet a location" in question and COPY in question
        assert MIRROR not in question                               # a location already
        await pilot.press("escape")                                  # not now
        assert await until(pilot, lambda: not isinstance(app.screen, AskScreen))
        assert queries.location(connect(db), COPY) is None
        await pilot.press("l")                                       # the tip under the cursor
        assert await until(pilot, lambda: queries.location(connect(db), COPY) is not None)
        assert "from tip" in (queries.location(connect(db), COPY)["note"] or "")
        assert await until(pilot, lambda: any("1 location added" in m for _, _, m in said))
        await pilot.press("l")                                       # nothing left to add
        assert await until(pilot, lambda: any("locations already" in m for _, _, m in said))


async def test_y_to_the_offer_adds_the_locations(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot, 1)
        await pilot.press("n")
        await fill(pilot, source="Hotline", text="A copy.", urls=COPY)
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("y")
        assert await until(pilot, lambda: queries.location(connect(db), COPY) is not None)


async def test_triage_verify_then_dismiss_with_a_reason_and_the_detail_tells_it(
        db, monkeypatch):
    fixed_journal(db, monkeypatch)
    with Journal(db) as j:
        add_tip(j, "Legal Aid Collective", "Two clients named in the file.",
                a_numbers=["A123456789", "A999999998"])
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        said = heard(app)
        view = await open_tab(pilot, 2)
        first = view.current()
        assert first["source"] == "Legal Aid Collective"
        await pilot.press("v")
        assert await until(pilot, lambda: queries.tip(connect(db), first["id"])["state"]
                           == "verified")
        await pilot.press("d")
        assert await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("enter")                                   # an empty reason: refused
        assert "a reason is needed" in str(app.screen.query_one("#ask-error").content)
        await pilot.press(*"duplicate of tip 1", "enter")
        assert await until(pilot, lambda: queries.tip(connect(db), first["id"])["state"]
                           == "dismissed")
        tip = queries.tip(connect(db), first["id"])
        assert tip["reason"] == "duplicate of tip 1" and tip["triages"] == 2
        await pilot.press("x")                                       # dismissed: refused
        assert await until(pilot, lambda: any(t == "not moved" for _, t, _ in said))
        assert queries.tip(connect(db), first["id"])["state"] == "dismissed"
        await pilot.press("N")                                       # only the new ones
        assert await until(pilot, lambda: view.filter == "new" and view.total == 1
                           and view.current() is not None)
        assert view.current()["id"] != first["id"]
        await pilot.press("A")
        assert await until(pilot, lambda: view.total == 2 and view.current() is not None)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, TipScreen)
                           and app.screen.tip is not None)
        shown = plain(app.screen.query_one("#detail").content)
        assert "A-***-***-789  in the roster" in shown
        assert "A-***-***-998  not in the roster" in shown
        assert "A123456789" not in shown
        assert "new → verified" in shown and "verified → dismissed" in shown
        assert "duplicate of tip 1" in shown


async def test_a_confidential_source_is_named_in_the_detail_under_a_marker(db, monkeypatch):
    fixed_journal(db, monkeypatch)
    with Journal(db) as j:
        add_tip(j, "Shelter Network", "A copy was emailed around.", confidential=True,
                contact="+1 555 0100")
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_tab(pilot, 2)
        assert "Shelter" not in listed(app, view)[0]
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, TipScreen)
                           and app.screen.tip is not None)
        shown = plain(app.screen.query_one("#detail").content)
        assert "CONFIDENTIAL SOURCE: do not share Shelter Network" in shown


async def test_the_palette_finds_tip_actions_and_opens_the_tab(db, monkeypatch):
    from textual.command import CommandList

    fixed_journal(db, monkeypatch)
    app = fixed_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new tip")
        options = app.screen.query_one(CommandList)
        assert await until(pilot, lambda: options.option_count > 0)
        assert "New tip" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, NewTipScreen))
        assert app.query_one("TabbedContent").active == "tips"
