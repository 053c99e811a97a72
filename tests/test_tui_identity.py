"""Issue 11 in the console: a person with conflicting identities is marked ≠ in the Notify
and Holds lists, `i` lists them, the detail shows every identity (redacted until revealed);
a person whose record shows a claim is marked § and the detail says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_checklists import T0, opened
from test_tui import until
from test_tui_roster import app_for, open_tab, rows, screen_text, shown_settled

from warroom.artifact.roster import import_people
from warroom.journal import Journal
from warroom.model import initials


@pytest.fixture
def marked(db):
    """40 people; #1 comes back from another copy with another family name, #2's record
    shows an asylum claim."""
    with Journal(db, create=True) as j:
        fake = opened(j, n=40, seed=5)
        first, second = fake[0], fake[1]
        import_people(j, [
            {"a_number": first.a_number, "full_name": f"{first.family_name}EZ,"
             f" {first.given_names}", "birth_date": str(first.birth_date)},
            {"a_number": second.a_number, "full_name": second.full_name,
             "birth_date": str(second.birth_date), "high_risk": True,
             "risk_flags": ["protected_208_6", "asylum"]}],
            artifact=None, at=T0 + timedelta(hours=2))
    return db, fake


def _line(panel, pid: int) -> str:
    return next(line for line in rows(panel) if line.strip().startswith(f"{pid} "))


@pytest.mark.parametrize("tab", ["notify", "holds"])
async def test_the_lists_mark_conflicts_and_claims(marked, tab):
    db, _ = marked
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot, tab)
        assert "≠" in _line(panel, 1) and "§" not in _line(panel, 1)
        assert "§" in _line(panel, 2) and "▲" in _line(panel, 2) and "≠" not in _line(panel, 2)
        assert not any(m in _line(panel, 3) for m in "≠§")
        assert await until(pilot, lambda: "1 with conflicting identities (i)"
                           in screen_text(app, ".shown"))
        await pilot.press("i")
        await shown_settled(pilot, panel, 1)
        assert [line.split()[0] for line in rows(panel)] == ["1"]
        assert "conflict" in screen_text(app, ".shown")
        await pilot.press("i")
        await shown_settled(pilot, panel, 40)


async def test_the_detail_shows_both_identities_redacted_then_revealed(marked):
    from warroom.tui.dialogs.forms import TextForm
    from warroom.tui.dialogs.person import PersonScreen

    db, fake = marked
    first = fake[0]
    other = f"{first.family_name}EZ, {first.given_names}"
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(pilot)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and app.screen.person is not None)
        detail = screen_text(app, "#person")
        assert "CONFLICTING IDENTITIES" in detail
        assert "identity 1/2" in detail and "identity 2/2" in detail
        assert initials(first.full_name) in detail and initials(other) in detail
        assert first.family_name not in detail and str(first.birth_date) not in detail
        await pilot.press("v")
        assert await until(pilot, lambda: isinstance(app.screen, TextForm))
        await pilot.press(*"check which one is detained", "enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and app.screen.person is not None
                           and not app.screen.person["redacted"])
        detail = screen_text(app, "#person")
        assert first.full_name in detail and other in detail
        assert str(first.birth_date) in detail


async def test_the_detail_says_why_a_claimant_is_high_risk(marked):
    from warroom.tui.dialogs.person import PersonScreen

    db, _ = marked
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await open_tab(pilot)
        await pilot.press("down")
        assert await until(pilot, lambda: panel.view.current()["id"] == 2)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PersonScreen)
                           and app.screen.person is not None)
        detail = screen_text(app, "#person")
        assert "8 CFR 208.6" in detail and "asylum" in detail and "identity 1/" not in detail
