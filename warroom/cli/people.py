"""The roster on the command line: who is exposed (redacted unless revealed, and a reveal is
journaled), and the per-person work: notification and removal holds.

People are named by ID (the roster's id, from `warroom people`) or by FILTERS; a bulk action
over FILTERS states its count and asks before it records anything (--yes skips the
question), then journals one event a person."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, console, print_json, progress
from warroom.errors import WarroomError
from warroom.model import HoldState, NotifyState

NOTIFY_STATES = [s.value for s in NotifyState]
HOLD_STATES = [s.value for s in HoldState]


def people_filters(fn: Callable) -> Callable:
    """FILTERS, shared by every command that selects people (people, notify, hold, letters):
    handed to the command as `filters` (a dict; `selection()` makes the filter)."""
    options = [
        click.option("--facility", metavar="F", help="people held at a facility whose name"
                                                     " contains F (any case)"),
        click.option("--nationality", metavar="N", help="people of nationality N (the short"
                                                        " English name, any case)"),
        click.option("--notify", "notify_state", type=click.Choice(NOTIFY_STATES,
                     case_sensitive=False), help="people whose notification is in this state"),
        click.option("--hold", "hold_state", type=click.Choice(HOLD_STATES,
                     case_sensitive=False), help="people whose removal hold is in this state"),
        click.option("--high-risk", is_flag=True, help="only people flagged high-risk"),
        click.option("--overdue", is_flag=True, help="people whose notice or hold missed its"
                                                     " deadline (T0 + the templates' offsets)"),
        click.option("--alarm", is_flag=True, help="people with a removal alarm (a removal"
                                                   " inside a hold or before notice, a hold"
                                                   " ending before notice, removed before"
                                                   " notice)"),
        click.option("--conflict", is_flag=True, help="people whose A-number came with more than"
                                                      " one name or birth date (review them)"),
        click.option("--search", metavar="TEXT", help="part of a name, an A-number (any form:"
                                                      " exact) or a counsel"),
        click.option("--order", type=click.Choice(["id", "work"]), default="id",
                     show_default=True, help="id, or work: scheduled removal soonest, then"
                                             " high-risk, then the rest"),
    ]
    keys = ("facility", "nationality", "notify_state", "hold_state", "high_risk", "overdue",
            "alarm", "conflict", "search", "order")

    @functools.wraps(fn)
    def with_filters(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, filters={k: kwargs.pop(k) for k in keys}, **kwargs)

    for option in reversed(options):
        with_filters = option(with_filters)
    return with_filters


def selection(ids: tuple[int, ...], filters: dict):
    from warroom.checklists.filters import PeopleFilter

    return PeopleFilter(
        ids=tuple(ids), facility=filters["facility"], nationality=filters["nationality"],
        notify=NotifyState(filters["notify_state"].lower()) if filters["notify_state"] else None,
        hold=HoldState(filters["hold_state"].lower()) if filters["hold_state"] else None,
        high_risk=filters["high_risk"], overdue=filters["overdue"], alarm=filters["alarm"],
        conflict=filters["conflict"], search=filters["search"], order=filters["order"])


def open_journal(db: Path, write: bool):
    from warroom.journal import Journal

    if not db.exists():
        raise WarroomError(f"no journal at {db}: create one with `warroom init --name NAME`")
    return Journal(db, readonly=False) if write else Journal(db)


ids_argument = click.argument("ids", nargs=-1, type=click.IntRange(min=1), metavar="[ID]...")
yes_option = click.option("--yes", "-y", is_flag=True,
                          help="do not ask before a bulk action over FILTERS")
all_option = click.option("--all", "everyone", is_flag=True,
                          help="every person in the roster (a bulk action: it asks first)")
date_option = click.option("--date", "when", metavar="WHEN",
                           help="when it happened (default: now): 2022-11-30, 2022-11-30T10:15,"
                                " T0+3d")
note_option = click.option("--note", metavar="TEXT", help="a note kept with the person")
correct_option = click.option("--correct", "correction", metavar="REASON",
                              help="record a move the rules refuse (backwards, out of order)"
                                   " as a correction, for this reason")


@click.command("people")
@ids_argument
@people_filters
@click.option("--reveal", is_flag=True, help="show full names, A-numbers and birth dates;"
                                             " each person revealed is journaled first (who,"
                                             " when, --why)")
@click.option("--why", metavar="TEXT", help="why the people are revealed (needed by --reveal)")
@click.option("--limit", type=click.IntRange(min=0), metavar="N",
              help="at most N people (default: every one with --json, 100 on screen; 0: all)")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
              help="skip the first N people")
@yes_option
@json_option
@db_option
def people_command(db: Path, ids: tuple[int, ...], filters: dict, reveal: bool,
                   why: str | None, limit: int | None, offset: int, yes: bool,
                   as_json: bool) -> int:
    """The roster of exposed people: redacted, unless revealed.

    Every person has a stable `id`, initials, the last three digits of the A-number and the
    birth year, nationality, facility, the high-risk flag, the notification and the removal
    hold with their states, alarms, overdue work, and who last touched them and when.
    --reveal --why TEXT shows the full record; each reveal is journaled first (one
    person_revealed event a person), and revealing more than one person asks first. With
    --json prints {"people": [...], "count": N} (count: every person the filters select).
    risk_flags says why a person is high-risk beyond their nationality (protected_208_6 and
    the claim on record) and flags an A-number with conflicting identities
    (identity_conflict): --conflict lists those, each with its "identities".
    """
    from warroom.checklists import people as roster

    flt = selection(ids, filters)
    if reveal and not (why or "").strip():
        raise click.UsageError("--reveal needs --why TEXT: the reason is journaled")
    limit = (-1 if as_json else 100) if limit is None else (limit or -1)
    with open_journal(db, write=reveal) as journal:
        total = roster.count(journal.conn, flt)
        if reveal:
            shown = min(total - offset, total if limit < 0 else limit)
            if shown > 1:
                _ask(yes, f"reveal {shown:,} people ({flt.describe()}), journaled as you, with"
                          " your reason")
            with progress() as update:
                people = roster.reveal_people(
                    journal, flt, why, offset=offset, limit=limit,
                    progress=update and (lambda d, t: update("journaling reveals", d, t)))
        else:
            people = roster.page(journal.conn, flt, offset, limit)
        for person in people:     # each identity of a conflicted A-number, shown as they are
            if "identity_conflict" in person["risk_flags"]:
                person["identities"] = roster.identities(journal.conn, person)
    if as_json:
        print_json({"people": people, "count": total})
    else:
        from warroom.render.checklists import people_table

        out = console()
        out.print(people_table(people))
        more = total - offset - len(people)
        say(f"{len(people):,} of {total:,} people ({flt.describe()})"
             + (f"; {more:,} more: --offset {offset + len(people)}" if more > 0 else "")
             + ("" if reveal else "; redacted (--reveal --why TEXT shows them, journaled)"))
    return EXIT_OK


def say(line: str) -> None:
    """One line for people; what responders typed in it (a facility, a search) is shown,
    never obeyed."""
    from warroom.render.safe import safe_text

    console().print(safe_text(line))


def _many(n: int, plural: str) -> str:
    """'1 person', '2 people', '1 event', '6,252 events'."""
    one = {"people": "person", "events": "event", "downloaders": "downloader"}[plural]
    return f"{n:,} {one if n == 1 else plural}"


def _something(*given: object) -> None:
    if all(value is None for value in given):
        raise click.UsageError("say what to record: --state, or a detail to change")


def _ask(yes: bool, what: str) -> None:
    if not yes:
        click.confirm(f"{what}: go ahead?", err=True, abort=True)


def run_bulk(db: Path, flt, everyone: bool, make_plan: Callable, yes: bool,
             as_json: bool, noun: str = "people") -> int:
    """Plan a move over a selection, refuse it whole if any move is refused, ask when the
    selection is a filter, then record it in batches with progress on stderr."""
    from warroom.checklists import machine

    if flt.everyone and not everyone:
        raise click.UsageError(f"name the {noun} (by ID, or by FILTERS), or give --all")
    with open_journal(db, write=True) as journal:
        plan = make_plan(journal.conn, flt)
        plan.check()
        if plan.count and (everyone or flt.narrowed):
            _ask(yes, f"{plan.summary()} [{flt.describe()}]; one event each")
        with progress() as update:
            outcome = machine.apply(journal, plan, update and (
                lambda d, t: update("recording", d, t)))
    if as_json:
        print_json(outcome.as_json())
        return EXIT_OK
    if not outcome.changed:
        say(f"{plan.what}: nothing to change ({outcome.unchanged:,} unchanged)")
        return EXIT_OK
    first, last = outcome.events[0], outcome.events[-1]
    say(f"Recorded {plan.what} for {_many(len(outcome.changed), noun)}"
        f" ({_many(len(outcome.events), 'events')} #{first}" + (f"–#{last}" if last != first
                                                              else "")
        + f"); {outcome.unchanged:,} unchanged.")
    return EXIT_OK


@click.command()
@ids_argument
@people_filters
@all_option
@click.option("--state", type=click.Choice(NOTIFY_STATES, case_sensitive=False),
              help="the notification's new state (default: unchanged; change the details)")
@click.option("--channel", metavar="CHANNEL",
              help="in-person (hand delivery in custody), mail, counsel, court (notice to the"
                   " immigration judge); never a consulate or home government (refused, exit 2)")
@click.option("--counsel", metavar="NAME", help="the person's counsel of record")
@click.option("--language", metavar="LANG", help="the language of the notice")
@date_option
@note_option
@correct_option
@yes_option
@json_option
@db_option
def notify(db: Path, ids: tuple[int, ...], filters: dict, everyone: bool, state: str | None,
           channel: str | None, counsel: str | None, language: str | None, when: str | None,
           note: str | None, correction: str | None, yes: bool, as_json: bool) -> int:
    """Record notification work for people, one event each.

    States: pending → prepared → delivered → acknowledged, or undeliverable → substitute
    (after an undeliverable attempt, a new one starts at prepared). A later state implies the
    earlier ones; a move backwards, or one that makes no sense, is refused (exit 2) with its
    reason and nothing is recorded, unless --correct REASON records it as a correction. A
    consular or home-government channel is always refused (exit 2). With --json prints the
    action, selected, changed, unchanged, events and the ids changed.
    """
    from warroom.checklists import notify as service
    from warroom.checklists.when import instant

    _something(state, channel, counsel, language, note, correction)
    change = service.NotifyChange.parse(state=state, channel=channel, counsel=counsel,
                                        language=language, note=note, correction=correction,
                                        at=instant(when))
    return run_bulk(db, selection(ids, filters), everyone,
                    lambda conn, flt: service.plan(conn, flt, change), yes, as_json)


@click.command()
@ids_argument
@people_filters
@all_option
@click.option("--state", type=click.Choice(HOLD_STATES, case_sensitive=False),
              help="the hold's new state (default: unchanged; change the details)")
@click.option("--type", "hold_type", metavar="T",
              help="policy-delay (the default when placed), administrative-stay, court-stay")
@click.option("--expires", metavar="D", help="the hold's end date (default: 30 days after the"
                                             " person's notice, whenever that is)")
@click.option("--removal-date", metavar="D", help="the scheduled removal date, as the custody"
                                                  " system says (none: cancelled)")
@click.option("--removed", metavar="WHEN", help="the person was removed then (journaled as"
                                                " removal_executed: an alarm)")
@click.option("--review", metavar="OUTCOME", help="the custody review's outcome")
@date_option
@note_option
@correct_option
@yes_option
@json_option
@db_option
def hold(db: Path, ids: tuple[int, ...], filters: dict, everyone: bool, state: str | None,
         hold_type: str | None, expires: str | None, removal_date: str | None,
         removed: str | None, review: str | None, when: str | None, note: str | None,
         correction: str | None, yes: bool, as_json: bool) -> int:
    """Record removal-hold work for people, one event each.

    States: none → requested → placed → lifted | expired (an ended hold may be requested or
    placed again). A hold ends on --expires, else 30 days after the person's notice. Refused
    moves exit 2 with the reason and record nothing, unless --correct REASON. Alarms (see
    `warroom people --alarm`): a scheduled removal inside an open hold or before notice, a
    hold ending before notice, a removal before notice. With --json prints the action,
    selected, changed, unchanged, events and the ids changed.
    """
    from warroom.checklists import holds as service
    from warroom.checklists.when import instant

    _something(state, hold_type, expires, removal_date, removed, review, note, correction)
    change = service.HoldChange.parse(state=state, type=hold_type, expires=expires,
                                      removal_date=removal_date, removed=removed,
                                      review=review, note=note, correction=correction,
                                      at=instant(when))
    return run_bulk(db, selection(ids, filters), everyone,
                    lambda conn, flt: service.plan(conn, flt, change), yes, as_json)


COMMANDS = [people_command, notify, hold]
