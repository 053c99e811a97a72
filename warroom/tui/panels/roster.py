"""The Notify and Holds tabs: one panel class over the roster, each tab with its own columns
and its own checklist's progress. At the top how far the checklist is (people by state); then
what the filter shows; then every person the filter selects, redacted, in a list that reads
only the rows in view (it stays quick with 100,000 people).

Keys filter it (facility, nationality, state, high-risk, overdue, alarms, `/` search; work
order on Holds), Enter opens a person with their history, `v` reveals one (asks why,
journaled), `n`/`h` record notification or hold work for the person under the cursor or
everyone shown: a form, then a confirmation that states the count, the plan's summary and any
refusal, then the events are written in a worker with a progress bar. A refused move, or a
consular channel, shows its one line and records nothing."""

from __future__ import annotations

from dataclasses import replace

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, ProgressBar, Static

from warroom.checklists import holds, machine, notify, people
from warroom.checklists.filters import PeopleFilter
from warroom.dashboard import Dashboard
from warroom.errors import RefusedAction, WarroomError
from warroom.journal import Journal, queries
from warroom.model import NOTIFIED_STATES, HoldState, NotifyState
from warroom.render.checklists import HOLD_STYLES, NOTIFY_STYLES, checklist_progress
from warroom.render.safe import safe_text
from warroom.tui import actions
from warroom.tui.messages import (
    FacetsRead,
    ListCounted,
    PlanReady,
    ReadFailed,
    RosterStates,
    WorkProgress,
    Written,
)
from warroom.tui.panels.base import Panel
from warroom.tui.widgets.roster import RosterView, header_line

SERVICES = {"notify": notify, "hold": holds}


class RosterPanel(Panel):
    """Subclasses name their checklist: `STATE` ("notify" | "hold", the filter's field and
    the states counted) and the progress bar's words."""

    STATE = ""
    STATES: tuple[str, ...] = ()
    STYLES: dict[str, str] = {}
    DEFAULT_CSS = """
    RosterPanel .summary { height: 2; padding: 0 1; }
    RosterPanel .shown { height: 2; padding: 0 1; color: $text-muted;
                         border-bottom: solid $primary-darken-2; }
    RosterPanel .progress-row { height: 1; padding: 0 1; display: none; }
    RosterPanel .progress-row.busy { display: block; }
    RosterPanel .columns { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    RosterPanel RosterView { padding: 0 1; }
    RosterPanel .search { display: none; }
    RosterPanel .search.visible { display: block; }
    """

    def __init__(self, tab: str, **kwargs) -> None:
        super().__init__(tab, **kwargs)
        self.states: RosterStates | None = None
        self.busy = False
        self._offered: tuple[bool, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("reading the roster…", style="dim"), classes="summary")
        yield Static(classes="shown")
        with Horizontal(classes="progress-row"):
            yield Label("", classes="stage")
            yield ProgressBar(show_eta=False)
        yield Static(classes="columns")
        yield RosterView(self.connection, self.now, self.tab, id=f"{self.tab}-view")
        yield Input(placeholder="search a name, an A-number or a counsel (Enter applies it,"
                                " Escape clears)", classes="search")

    @property
    def view(self) -> RosterView:
        return self.query_one(RosterView)

    def focus_target(self) -> Widget:
        return self.view

    # -------------------------------------------------------------- news (workers)
    def show_news(self, board: Dashboard) -> None:
        self.view.reload()
        self._read_states()

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-states")
    def _read_states(self) -> None:
        try:
            conn, at = self.connection(), self.now()
            self.post_message(RosterStates(
                queries.roster_states(conn), people.count(conn, PeopleFilter(alarm=True), at),
                people.count(conn, PeopleFilter(overdue=True), at), queries.t0(conn),
                people.count(conn, PeopleFilter(conflict=True), at)))
        except Exception as exc:
            self.post_message(ReadFailed("roster", str(exc)))

    def on_roster_states(self, message: RosterStates) -> None:
        self.states = message
        self._summarise()
        if self.view.loaded:
            self._describe()

    def _summarise(self) -> None:
        if self.states is None:
            return
        counts = self.states.states[self.STATE]
        width = max(20, self.size.width - 2)
        self.query_one(".summary", Static).update(   # a fixed height: no layout needed
            checklist_progress(*self.done(counts), counts, self.STYLES, width), layout=False)

    def done(self, counts: dict[str, int]) -> tuple[str, int, int]:
        """The progress bar's label, how many are done, of how many."""
        raise NotImplementedError

    @on(ListCounted)
    def _counted(self, message: ListCounted) -> None:
        message.stop()
        self._describe()
        self._offer()

    def _offer(self) -> None:
        """Refresh the footer only when what it offers changes: rebuilding it costs more than
        reading a page of 100,000 people."""
        offered = (self.view.filter != PeopleFilter(), self.view.current() is not None)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def _describe(self) -> None:
        flt, view = self.view.filter, self.view
        extra = []
        if self.states is not None and self.states.alarms:
            extra.append((f" · {self.states.alarms:,} with a removal alarm (a)", "bold red"))
        if self.states is not None and self.states.overdue:
            extra.append((f" · {self.states.overdue:,} overdue (o)", "red"))
        if self.states is not None and self.states.conflicts:
            extra.append((f" · {self.states.conflicts:,} with conflicting identities (i)",
                          "bold yellow"))
        order = " · work order" if flt.order == "work" else ""
        line = Text.assemble((f"showing {view.total:,}", "bold"), " · ",
                             safe_text(flt.describe()), order, *extra,
                             (" · redacted (v reveals)", "dim"))
        line.no_wrap, line.overflow = True, "ellipsis"      # the filter first, never wrapped
        self.query_one(".shown", Static).update(line, layout=False)

    def on_resize(self) -> None:
        self.query_one(".columns", Static).update(
            Text(header_line(self.view.columns, max(20, self.size.width - 2))))
        self._summarise()

    # -------------------------------------------------------------- filters
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open_detail", "reveal") and self.view.current() is None:
            return None      # dimmed: no one under the cursor (yet)
        if action == "clear_filter":
            return self.view.filter != PeopleFilter() or None
        return True

    def set_filter(self, **changes) -> None:
        self.view.set_filter(replace(self.view.filter, **changes))
        self.view.focus()

    def action_toggle(self, name: str) -> None:
        flt = self.view.filter
        if name == "work":
            self.set_filter(order="id" if flt.order == "work" else "work")
        else:
            self.set_filter(**{name: not getattr(flt, name)})

    def action_open_search(self) -> None:
        box = self.query_one(".search", Input)
        box.value = self.view.filter.search or ""
        box.add_class("visible")
        box.focus()

    @on(Input.Submitted, ".search")
    def _search(self, event: Input.Submitted) -> None:
        text = event.value.strip() or None
        if not text:
            event.input.remove_class("visible")
        self.set_filter(search=text)

    def action_clear_filter(self) -> None:
        box = self.query_one(".search", Input)
        box.value = ""
        box.remove_class("visible")
        if self.view.filter != PeopleFilter():
            self.view.set_filter(PeopleFilter())
        self.view.focus()

    def action_pick(self, what: str) -> None:
        self._read_facets(what)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-facets")
    def _read_facets(self, what: str) -> None:
        try:
            self.post_message(FacetsRead(what, queries.roster_facets(self.connection())[what]))
        except Exception as exc:
            self.post_message(ReadFailed("roster", str(exc)))

    def on_facets_read(self, message: FacetsRead) -> None:
        from warroom.tui.dialogs.pick import PickScreen

        current = getattr(self.view.filter, message.what)
        self.app.push_screen(
            PickScreen(f"Show the people of one {message.what}", message.choices, current),
            lambda value: value is not None and self.set_filter(**{message.what: value or None}))

    def action_pick_state(self) -> None:
        from warroom.tui.dialogs.pick import PickScreen

        counts = self.states.states[self.STATE] if self.states else {}
        self.app.push_screen(
            PickScreen(f"Show the people whose {self.STATE} is in one state",
                       [(s, counts.get(s, 0)) for s in self.STATES],
                       getattr(self.view.filter, self.STATE)),
            lambda value: value is not None and self.set_filter(
                **{self.STATE: self.state_of(value) if value else None}))

    def state_of(self, value: str):
        raise NotImplementedError

    # -------------------------------------------------------------- a person
    def action_open_detail(self) -> None:
        from warroom.tui.dialogs.person import PersonScreen

        if (person := self.view.current()) is not None:
            self.app.push_screen(PersonScreen(person["id"]))

    def action_reveal(self) -> None:
        from warroom.tui.dialogs.person import PersonScreen, reveal_form

        person = self.view.current()
        if person is None:
            self.app.notify("No one under the cursor yet: the list is still being read.",
                            severity="warning")
            return
        self.app.push_screen(reveal_form(person), lambda why: why and self.app.push_screen(
            PersonScreen(person["id"], why)))

    # -------------------------------------------------------------- bulk changes
    def action_record(self, service: str) -> None:
        from warroom.tui.dialogs.change import FORMS, Target

        if self.busy:       # a thread cannot be stopped: one change at a time
            self.app.notify("Still recording the last change; wait for it to finish.",
                            severity="warning")
            return
        target = Target(self.view.current(), self.view.filter, self.view.total)
        self.app.push_screen(FORMS[service](target, self.states and self.states.t0),
                             lambda request: request and self._plan(request))

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-plan")
    def _plan(self, request) -> None:
        try:
            plan = SERVICES[request.service].plan(self.connection(), request.filter,
                                                  request.change)
            self.post_message(PlanReady(plan, request.scope))
        except WarroomError as exc:
            self.post_message(PlanReady(None, request.scope, str(exc)))

    def on_plan_ready(self, message: PlanReady) -> None:
        from warroom.tui.dialogs.confirm import ConfirmScreen

        if message.plan is None:
            self.app.notify(message.error or "", title="nothing recorded", severity="error",
                            markup=False)
            return
        plan = message.plan
        lines: list[RenderableType] = [
            Text.assemble("For ", safe_text(message.scope), ":"),
            Text(plan.summary(), style="bold")]
        try:
            plan.check()
            refusal = None
        except RefusedAction as exc:
            refusal = str(exc)
            lines += [Text(""), Text("Refused, nothing will be recorded:", style="bold red"),
                      safe_text(refusal, "red")]
        if refusal is None and plan.count:
            lines += [Text(""), Text(f"Record it: {plan.count:,} event"
                                     f"{'' if plan.count == 1 else 's'}, one a person,"
                                     " journaled as you?")]
        elif refusal is None:
            lines += [Text(""), Text("Nothing to change.", style="dim")]
        self.app.push_screen(
            ConfirmScreen(plan.what[:1].upper() + plan.what[1:], lines,
                          can_confirm=refusal is None and plan.count > 0),
            lambda yes: yes and self._start_apply(plan))

    def _start_apply(self, plan: machine.Plan) -> None:
        self.busy = True
        self.query_one(".progress-row").add_class("busy")
        self.query_one(".stage", Label).update(f"recording {plan.what} ")
        self.query_one(ProgressBar).update(total=plan.count, progress=0)
        self._apply(plan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-apply")
    def _apply(self, plan: machine.Plan) -> None:
        def progress(done: int, total: int) -> None:
            self.post_message(WorkProgress("recording", done, total))

        try:
            with Journal(self.app.db) as journal:
                outcome = machine.apply(journal, plan, progress)
        except Exception as exc:   # refused after another responder wrote, read-only, busy
            self.post_message(Written(plan.what, error=str(exc)))
            return
        n = len(outcome.changed)
        events = outcome.events
        span = f" (events #{events[0]:,}–#{events[-1]:,})" if len(events) > 1 else (
            f" (event #{events[0]:,})" if events else "")
        self.post_message(Written(plan.what, f"Recorded {plan.what} for {n:,}"
                                              f" {'person' if n == 1 else 'people'}{span};"
                                              f" {outcome.unchanged:,} unchanged."))

    def on_work_progress(self, message: WorkProgress) -> None:
        message.stop()
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_written(self, message: Written) -> None:
        self.busy = False
        self.query_one(".progress-row").remove_class("busy")
        if message.error:
            self.app.notify(message.error, title=f"{message.what}: nothing more recorded",
                            severity="error", markup=False, timeout=12)
        else:
            self.app.notify(message.text, markup=False)
        self.view.reload()
        self._read_states()


class NotifyPanel(RosterPanel):
    BINDINGS = actions.bindings("notify")
    STATE = "notify"
    STATES = tuple(s.value for s in NotifyState)
    STYLES = NOTIFY_STYLES

    def done(self, counts: dict[str, int]) -> tuple[str, int, int]:
        return ("notified", sum(counts.get(s, 0) for s in NOTIFIED_STATES),
                sum(counts.values()))

    def state_of(self, value: str) -> NotifyState:
        return NotifyState(value)


class HoldsPanel(RosterPanel):
    BINDINGS = actions.bindings("holds")
    STATE = "hold"
    STATES = tuple(s.value for s in HoldState)
    STYLES = HOLD_STYLES

    def done(self, counts: dict[str, int]) -> tuple[str, int, int]:
        return "holds placed", counts.get(HoldState.PLACED, 0), sum(counts.values())

    def state_of(self, value: str) -> HoldState:
        return HoldState(value)
