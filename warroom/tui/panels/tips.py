"""The Tips tab: every tip, newest received first, with its source (never a confidential
one's), channel, triage state, the start of its text and how many URLs and A-numbers it
names. Shift-keys filter it by state (A all, N new, V verified, X actioned, D dismissed);
Enter opens one in full; `n` records a new tip through a form checked by the service; `v`,
`x`, `d` triage the tip under the cursor (`d` asks for the reason); `l` adds its URLs as
locations to probe, and recording a tip offers the same for the URLs it brought.

Every write runs in a thread worker on its own `Journal`; the services decide (a refused
move is said in a notice, nothing is written)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from warroom.dashboard import Dashboard
from warroom.journal import Journal
from warroom.model import TipState
from warroom.tips import TipDraft
from warroom.tui import actions
from warroom.tui.messages import ListCounted, TipSubmitted, Written
from warroom.tui.panels.base import Panel
from warroom.tui.widgets.tips import TipsView, header_line


class TipsPanel(Panel):
    BINDINGS = actions.bindings("tips")
    DEFAULT_CSS = """
    TipsPanel #tips-summary { height: 3; padding: 0 1; border-bottom: solid $primary-darken-2; }
    TipsPanel #tips-header { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    TipsPanel TipsView { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("reading the tips…", style="dim"), id="tips-summary")
        yield Static(id="tips-header")
        yield TipsView(self.connection, self.now, "all", id="tips-view")

    @property
    def view(self) -> TipsView:
        return self.query_one(TipsView)

    def focus_target(self) -> Widget:
        return self.view

    # -------------------------------------------------------------- news
    def show_news(self, board: Dashboard) -> None:
        self.view.reload()
        self._summarise()

    @on(ListCounted)
    def _counted(self, message: ListCounted) -> None:
        message.stop()
        self._summarise()
        self.refresh_bindings()

    def _summarise(self) -> None:
        if self.board is None:
            return
        c = self.board.counts
        line = Text.assemble((f"{c['tips']:,} tip{'' if c['tips'] == 1 else 's'}", "bold"),
                             f" · {c['tips_new']:,} not yet triaged")
        if self.view.loaded and self.view.filter != "all":
            line.append(f"   showing {self.view.total:,} {self.view.filter}", style="cyan")
        line.append("\nn new tip · v verify · x actioned · d dismiss · l add its URLs ·"
                    " A/N/V/X/D filter", style="dim")
        self.query_one("#tips-summary", Static).update(line)

    def on_resize(self) -> None:
        self.query_one("#tips-header", Static).update(
            Text(header_line(max(20, self.size.width - 2))))

    # -------------------------------------------------------------- the list
    def action_show_only(self, mode: str) -> None:
        self.view.set_filter(mode)
        self.view.focus()
        self._summarise()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open_detail", "triage", "add_locations"):
            return None if not self.view.total else True
        return True

    def _current(self) -> dict | None:
        tip = self.view.current()
        if tip is None:
            self.app.notify("No tip under the cursor yet.", severity="warning")
        return tip

    def action_open_detail(self) -> None:
        from warroom.tui.dialogs.tip import TipScreen

        tip = self._current()
        if tip is not None:
            self.app.push_screen(TipScreen(str(tip["id"])))

    # -------------------------------------------------------------- a new tip
    def action_new_tip(self) -> None:
        from warroom.tui.dialogs.tip_form import NewTipScreen

        def given(draft: TipDraft | None) -> None:
            if draft is not None:
                self._submit(draft)

        self.app.push_screen(NewTipScreen(), given)

    @work(thread=True, exit_on_error=False, group="tip-submit")
    def _submit(self, draft: TipDraft) -> None:
        from warroom.tips import submit

        try:
            with Journal(self.app.db) as journal:
                self.post_message(TipSubmitted(submit(journal, draft)))
        except Exception as exc:   # refused, or the journal went away: said, not raised
            self.post_message(TipSubmitted(None, str(exc)))

    def on_tip_submitted(self, message: TipSubmitted) -> None:
        got = message.receipt
        if got is None:
            self.app.notify(message.error or "?", title="tip not recorded", severity="error",
                            markup=False)
            return
        said = f"tip {got.tip_id}: receipt {got.receipt}"
        if got.duplicate:
            said += " (recorded before: nothing new written)"
        if got.in_roster:
            said += f"; {len(got.in_roster)} of its A-numbers in the roster"
        self.app.notify(said, title="tip recorded", markup=False)
        self.view.reload()
        if got.offers:
            self._offer(got.tip_id, got.offers)

    # -------------------------------------------------------------- its URLs as locations
    def _offer(self, tip_id: int, urls: list[str]) -> None:
        from warroom.tui.dialogs.tip_form import AskScreen

        question = Text(f"Tip {tip_id} names {len(urls)} URL{'s' if len(urls) != 1 else ''}"
                        " not yet a location:\n")
        for url in urls:
            question.append(f"  {url}\n")
        question.append("Add them as locations to probe?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._add_locations(tip_id)

        self.app.push_screen(AskScreen(question), answered)

    def action_add_locations(self) -> None:
        tip = self._current()
        if tip is None:
            return
        if not tip["urls"]:
            self.app.notify(f"Tip {tip['id']} names no URL.", severity="warning")
            return
        self._add_locations(tip["id"])

    @work(thread=True, exit_on_error=False, group="tip-locations")
    def _add_locations(self, tip_id: int) -> None:
        from warroom.tips import add_locations

        try:
            with Journal(self.app.db) as journal:
                added = add_locations(journal, tip_id)
            self.post_message(Written("tip-locations", (
                f"tip {tip_id}: {len(added)} location{'s' if len(added) != 1 else ''} added"
                if added else f"tip {tip_id}: its URLs are locations already")))
        except Exception as exc:
            self.post_message(Written("tip-locations", error=str(exc)))

    # -------------------------------------------------------------- triage
    def action_triage(self, state: str) -> None:
        tip = self._current()
        if tip is None:
            return
        if state != TipState.DISMISSED:
            self._triage(tip["id"], state, None)
            return
        from warroom.tui.dialogs.tip_form import AskScreen

        def reason(text: str | None) -> None:
            if text:
                self._triage(tip["id"], state, text)

        self.app.push_screen(AskScreen(Text(f"Dismiss tip {tip['id']}: why?"), reason=True),
                             reason)

    @work(thread=True, exit_on_error=False, group="tip-triage")
    def _triage(self, tip_id: int, state: str, reason: str | None) -> None:
        from warroom.tips.triage import triage

        try:
            with Journal(self.app.db) as journal:
                done = triage(journal, tip_id, state, reason)
            self.post_message(Written("tip-triage", f"tip {tip_id}: {done.previous} →"
                                                    f" {done.tip['state']}"))
        except Exception as exc:
            self.post_message(Written("tip-triage", error=str(exc)))

    def on_written(self, message: Written) -> None:
        if message.error:
            title = "not moved" if message.what == "tip-triage" else "locations not added"
            self.app.notify(message.error, title=title, severity="error", markup=False)
        else:
            self.app.notify(message.text, markup=False)
        self.view.reload()
