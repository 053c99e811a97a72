"""The per-person state machines on a real journal: every allowed and refused move of the
notification and the removal hold, corrections, the consular refusal, bulk moves one event a
person, and two responders on the same person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warroom.artifact.roster import import_people
from warroom.checklists import contact, holds, machine, notify, people
from warroom.checklists.channels import channel, is_consular
from warroom.checklists.filters import DownloaderFilter, PeopleFilter
from warroom.errors import RefusedAction, WarroomError
from warroom.incident import open_incident, record
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.model import Channel, ContactState, HoldState, Kind, NotifyState
from warroom.tips import add_tip

import files

T0 = datetime(2022, 11, 28, 13, 53, tzinfo=UTC)     # the discovery tip


def opened(journal: Journal, n: int = 30, seed: int = 7) -> list:
    """An incident discovered at T0 (opened two minutes later) with n made-up people."""
    open_incident(journal, "Test incident", at=T0 + timedelta(minutes=2))
    add_tip(journal, "Advocates (fictitious)", "your list is online", discovery=True, at=T0)
    fake = files.roster(n, seed)
    import_people(journal, [
        {"a_number": p.a_number, "full_name": p.full_name, "birth_date": str(p.birth_date),
         "nationality": files.SHORT[p.nationality], "facility": p.facility,
         "high_risk": files.SHORT[p.nationality] in files.HIGH_RISK} for p in fake],
        at=T0 + timedelta(hours=1))
    return fake


def person(journal: Journal, pid: int) -> dict:
    return people.page(journal.conn, PeopleFilter(ids=(pid,)), at=T0)[0]


def events_of(journal: Journal, kind: Kind) -> list:
    return [e for e in queries.timeline(journal.conn, 0, -1) if e.kind == kind][::-1]


@pytest.fixture
def roster(journal):
    opened(journal)
    return journal


# ---------------------------------------------------------------- notification

N = NotifyState
NOTIFY_ALLOWED = {
    (N.PENDING, N.PREPARED), (N.PENDING, N.DELIVERED), (N.PENDING, N.ACKNOWLEDGED),
    (N.PENDING, N.UNDELIVERABLE), (N.PREPARED, N.DELIVERED), (N.PREPARED, N.ACKNOWLEDGED),
    (N.PREPARED, N.UNDELIVERABLE), (N.DELIVERED, N.ACKNOWLEDGED),
    (N.UNDELIVERABLE, N.PREPARED), (N.UNDELIVERABLE, N.SUBSTITUTE),
    (N.SUBSTITUTE, N.PREPARED), (N.SUBSTITUTE, N.ACKNOWLEDGED),
}
NOTIFY_PAIRS = [(a, b) for a in NotifyState for b in NotifyState if a != b]


def _notify(journal, pid, state, **kw):
    return notify.notify(journal, PeopleFilter(ids=(pid,)),
                         notify.NotifyChange(state=state, channel=kw.pop("channel", Channel.MAIL),
                                             **kw))


@pytest.mark.parametrize("was, to", NOTIFY_PAIRS, ids=lambda s: str(s))
def test_every_notification_move_is_allowed_or_refused_with_its_reason(roster, was, to):
    _notify(roster, 1, was, correction="test set-up")
    before = queries.event_count(roster.conn)
    if (was, to) in NOTIFY_ALLOWED:
        _notify(roster, 1, to)
        assert person(roster, 1)["notification"]["state"] == to
        assert queries.event_count(roster.conn) == before + 1
    else:
        with pytest.raises(RefusedAction) as refused:
            _notify(roster, 1, to)
        assert f"{was} → {to}" in str(refused.value) or "attempt" in str(refused.value)
        assert queries.event_count(roster.conn) == before          # nothing recorded
        assert person(roster, 1)["notification"]["state"] == was
        _notify(roster, 1, to, correction="the delivery slip was for someone else")
        assert person(roster, 1)["notification"]["state"] == to
        assert events_of(roster, Kind.NOTIFY_STATE)[-1].data["correction"] == \
            "the delivery slip was for someone else"


def test_delivered_after_undeliverable_needs_a_new_attempt(roster):
    _notify(roster, 2, N.UNDELIVERABLE, at=T0 + timedelta(days=2))
    with pytest.raises(RefusedAction, match="needs a new attempt"):
        _notify(roster, 2, N.DELIVERED)
    _notify(roster, 2, N.PREPARED)
    _notify(roster, 2, N.DELIVERED, channel=Channel.IN_PERSON, at=T0 + timedelta(days=4))
    n = person(roster, 2)["notification"]
    assert [(a["state"], a["channel"]) for a in n["attempts"]] == \
        [("undeliverable", "mail"), ("delivered", "in-person")]
    assert n["notice_at"].startswith("2022-12-02")


def test_a_later_state_implies_the_earlier_ones(roster):
    _notify(roster, 3, N.ACKNOWLEDGED, at=T0 + timedelta(days=3))
    n = person(roster, 3)["notification"]
    assert n["notice_at"] == n["acknowledged_at"] and n["notice_at"].startswith("2022-12-01")
    assert queries.counts(roster.conn)["notified"] == 1
    _notify(roster, 3, N.PENDING, correction="wrong person")   # a correction back undoes it
    assert person(roster, 3)["notification"]["notice_at"] is None
    assert queries.counts(roster.conn)["notified"] == 0


def test_an_attempt_needs_a_channel_and_counsel_needs_a_name(roster):
    with pytest.raises(RefusedAction, match="which channel"):
        notify.notify(roster, PeopleFilter(ids=(4,)), notify.NotifyChange(state=N.DELIVERED))
    with pytest.raises(RefusedAction, match="counsel of record"):
        _notify(roster, 4, N.DELIVERED, channel=Channel.COUNSEL)
    _notify(roster, 4, N.DELIVERED, channel=Channel.COUNSEL, counsel="R. Okafor, Esq.")
    assert person(roster, 4)["notification"]["counsel"] == "R. Okafor, Esq."


# ---------------------------------------------------------------- the consular refusal

@pytest.mark.parametrize("text", ["consulate", "Consulate of Honduras", "home government",
                                  "Embassy", "consular officer", "Consulado General",
                                  "c-o-n-s-u-l-a-t-e", "Ministry of Foreign Affairs",
                                  "посольство", "领事馆"])
def test_a_home_government_or_consulate_is_never_a_channel(roster, text):
    assert is_consular(text)
    with pytest.raises(RefusedAction, match="never a notification channel"):
        notify.NotifyChange.parse(state="delivered", channel=text)
    with pytest.raises(RefusedAction, match="never a notification channel"):
        notify.NotifyChange.parse(state="delivered", channel="counsel", counsel=text)


def test_the_channels_are_the_four_and_no_consulate():
    assert {c.value for c in Channel} == {"in-person", "mail", "counsel", "court"}
    assert channel("hand delivery") == Channel.IN_PERSON
    assert channel("Immigration Judge") == Channel.COURT
    for fine in ("counsel", "Administrative Law Clinic", "Jane Counsel, Esq."):
        assert not is_consular(fine)
    with pytest.raises(WarroomError, match="no channel"):
        channel("e-mail")


# ---------------------------------------------------------------- removal holds

H = HoldState
HOLD_ALLOWED = {
    (H.NONE, H.REQUESTED), (H.NONE, H.PLACED), (H.REQUESTED, H.PLACED), (H.PLACED, H.LIFTED),
    (H.PLACED, H.EXPIRED), (H.LIFTED, H.REQUESTED), (H.LIFTED, H.PLACED),
    (H.EXPIRED, H.REQUESTED), (H.EXPIRED, H.PLACED),
}
HOLD_PAIRS = [(a, b) for a in HoldState for b in HoldState if a != b]


def _hold(journal, pid, state=None, **kw):
    return holds.hold(journal, PeopleFilter(ids=(pid,)), holds.HoldChange(state=state, **kw))


@pytest.mark.parametrize("was, to", HOLD_PAIRS, ids=lambda s: str(s))
def test_every_hold_move_is_allowed_or_refused_with_its_reason(roster, was, to):
    _hold(roster, 1, was, correction="test set-up")
    before = queries.event_count(roster.conn)
    if (was, to) in HOLD_ALLOWED:
        _hold(roster, 1, to)
        assert person(roster, 1)["hold"]["state"] == to
    else:
        with pytest.raises(RefusedAction):
            _hold(roster, 1, to)
        assert queries.event_count(roster.conn) == before
        _hold(roster, 1, to, correction="entered on the wrong file")
        assert person(roster, 1)["hold"]["state"] == to


def test_a_hold_runs_30_days_after_the_notice_whenever_it_comes(roster):
    _hold(roster, 5, H.PLACED, at=T0 + timedelta(hours=3))
    h = person(roster, 5)["hold"]
    assert (h["type"], h["expires"], h["expires_after_notice_days"]) == \
        ("policy-delay", None, 30)
    assert h["placed_by"] == "tester" and h["placed_at"].startswith("2022-11-28T16:53")
    _notify(roster, 5, N.DELIVERED, at=datetime(2022, 12, 6, 15, 0, tzinfo=UTC))
    assert person(roster, 5)["hold"]["expires"] == "2023-01-05"
    _hold(roster, 5, expires="2023-02-01")             # an explicit end replaces the rule
    assert person(roster, 5)["hold"]["expires"] == "2023-02-01"
    assert queries.counts(roster.conn)["holds"] == 1


def test_alarms_removal_inside_a_hold_or_before_notice(roster):
    _hold(roster, 6, H.PLACED, removal_date="2022-12-10")
    assert person(roster, 6)["hold"]["alarms"] == ["removal_in_hold", "removal_before_notice"]
    _notify(roster, 6, N.DELIVERED, at=datetime(2022, 12, 1, tzinfo=UTC))
    assert person(roster, 6)["hold"]["alarms"] == ["removal_in_hold"]   # ends 2022-12-31
    _hold(roster, 6, removal_date="none")                               # the flight is off
    assert person(roster, 6)["hold"]["alarms"] == []
    _hold(roster, 7, removal_date="2022-12-10")       # no hold, no notice: before notice
    assert person(roster, 7)["hold"]["alarms"] == ["removal_before_notice"]


def test_alarm_a_hold_that_ends_before_the_notice(roster):
    _hold(roster, 8, H.PLACED, expires="2022-12-05")
    assert person(roster, 8)["hold"]["alarms"] == []           # T0: the end is still ahead
    later = people.page(roster.conn, PeopleFilter(ids=(8,)),
                        at=datetime(2022, 12, 6, tzinfo=UTC))[0]
    assert later["hold"]["alarms"] == ["hold_ends_before_notice"]
    _notify(roster, 9, N.DELIVERED, at=datetime(2022, 12, 9, tzinfo=UTC))
    _hold(roster, 9, H.PLACED, expires="2022-12-05")
    assert person(roster, 9)["hold"]["alarms"] == ["hold_ends_before_notice"]
    _hold(roster, 10, H.PLACED)
    _hold(roster, 10, H.LIFTED)                                  # lifted with no notice
    assert person(roster, 10)["hold"]["alarms"] == ["hold_ends_before_notice"]


def test_alarm_removed_before_notice_and_during_a_hold(roster):
    _hold(roster, 11, H.PLACED, at=T0 + timedelta(hours=2))
    _hold(roster, 11, removed=T0 + timedelta(days=2), note="on the flight of 30 Nov")
    h = person(roster, 11)["hold"]
    assert h["removed_at"].startswith("2022-11-30")
    assert h["alarms"] == ["removed_before_notice", "removed_during_hold"]
    removal = events_of(roster, Kind.REMOVAL_EXECUTED)
    assert len(removal) == 1 and removal[0].data["person"].startswith("A:")
    _hold(roster, 11, review="released on parole")
    assert person(roster, 11)["hold"]["custody_review"] == "released on parole"
    assert [p["id"] for p in holds.alarms(roster.conn, at=T0)] == [11]


def test_the_work_order_removal_soonest_then_high_risk_then_the_rest(roster):
    risky = [p["id"] for p in people.page(roster.conn, PeopleFilter(high_risk=True), at=T0)]
    later, sooner = [i for i in range(1, 31) if i not in risky][3:5]
    _hold(roster, later, removal_date="2022-12-20")
    _hold(roster, sooner, removal_date="2022-12-03")
    ordered = [p["id"] for p in people.page(roster.conn, PeopleFilter(order="work"), at=T0)]
    assert len(risky) >= 2
    assert ordered[:2] == [sooner, later]
    assert ordered[2:2 + len(risky)] == risky
    assert ordered[2 + len(risky):] == sorted(set(range(1, 31)) - {later, sooner, *risky})


# ---------------------------------------------------------------- downloader contact

C = ContactState
CONTACT_ALLOWED = {
    (C.UNIDENTIFIED, C.IDENTIFIED), (C.UNIDENTIFIED, C.ATTRIBUTED),
    (C.UNIDENTIFIED, C.LEGAL_PROCESS), (C.IDENTIFIED, C.ATTRIBUTED),
    (C.IDENTIFIED, C.LEGAL_PROCESS), (C.LEGAL_PROCESS, C.IDENTIFIED),
    (C.LEGAL_PROCESS, C.ATTRIBUTED), (C.ATTRIBUTED, C.CLAWBACK_SENT),
    (C.CLAWBACK_SENT, C.DELETION_ATTESTED), (C.CLAWBACK_SENT, C.NO_RESPONSE),
    (C.NO_RESPONSE, C.CHASED), (C.NO_RESPONSE, C.DELETION_ATTESTED),
    (C.NO_RESPONSE, C.LEGAL_PROCESS), (C.CHASED, C.DELETION_ATTESTED),
    (C.CHASED, C.NO_RESPONSE), (C.CHASED, C.LEGAL_PROCESS),
}
CONTACT_PAIRS = [(a, b) for a in ContactState for b in ContactState if a != b]


@pytest.mark.parametrize("was, to", CONTACT_PAIRS, ids=lambda s: str(s))
def test_every_contact_move_is_allowed_or_refused_with_its_reason(roster, was, to):
    record(roster, Kind.DOWNLOADED, "198.51.100.23", {"client": "198.51.100.23"})
    flt = DownloaderFilter(clients=("198.51.100.23",))
    contact.contact(roster, flt, contact.ContactChange(
        state=was, organisation="Example Lab", contact="legal@lab.example",
        correction="test set-up"))
    before = queries.event_count(roster.conn)
    if (was, to) in CONTACT_ALLOWED:
        contact.contact(roster, flt, contact.ContactChange(state=to))
    else:
        with pytest.raises(RefusedAction):
            contact.contact(roster, flt, contact.ContactChange(state=to))
        assert queries.event_count(roster.conn) == before
        contact.contact(roster, flt, contact.ContactChange(state=to, correction="mis-keyed"))
    assert queries.contact_rows(roster.conn, clients=["198.51.100.23"])[0]["contact_state"] == to


# ---------------------------------------------------------------- bulk, and two responders

def test_a_bulk_move_is_one_event_a_person_in_batches(db, monkeypatch):
    with Journal(db, create=True) as j:
        opened(j, n=2500, seed=11)
        calls = []
        real = j.append_many
        monkeypatch.setattr(j, "append_many", lambda drafts: calls.append(len(drafts))
                            or real(drafts))
        plan = holds.plan(j.conn, PeopleFilter(), holds.HoldChange(state=H.PLACED))
        assert (plan.count, plan.selected) == (2500, 2500)
        outcome = machine.apply(j, plan)
        assert calls == [1000, 1000, 500]
        assert len(outcome.events) == len(set(outcome.changed)) == 2500
        assert queries.counts(j.conn)["holds"] == 2500
        again = holds.plan(j.conn, PeopleFilter(), holds.HoldChange(state=H.PLACED))
        assert (again.count, len(again.unchanged)) == (0, 2500)      # nothing twice
    assert verify(db).ok


def test_a_bulk_move_with_one_refused_person_records_nobody(roster):
    _notify(roster, 14, N.UNDELIVERABLE)
    before = queries.event_count(roster.conn)
    with pytest.raises(RefusedAction, match=r"1 of 30 refused.*#14"):
        notify.notify(roster, PeopleFilter(), notify.NotifyChange(state=N.DELIVERED,
                                                                  channel=Channel.IN_PERSON))
    assert queries.event_count(roster.conn) == before


def test_a_move_decided_before_another_responder_wrote_is_decided_again(roster, db):
    _notify(roster, 15, N.PREPARED)
    plan = notify.plan(roster.conn, PeopleFilter(ids=(15, 16)),
                       notify.NotifyChange(state=N.ACKNOWLEDGED))
    with Journal(db, actor="bob") as bob:     # bob delivers #15 meanwhile
        _notify(bob, 15, N.DELIVERED, channel=Channel.IN_PERSON)
    machine.apply(roster, plan)               # alice's acknowledgement lands after bob's
    key = queries.roster_page(roster.conn, ids=(15,))[0]["person_key"]
    moves = [e for e in events_of(roster, Kind.NOTIFY_STATE) if e.data["person"] == key]
    assert [(e.actor, e.data["was"], e.data["state"]) for e in moves] == [
        ("tester", "pending", "prepared"), ("bob", "prepared", "delivered"),
        ("tester", "delivered", "acknowledged")]
    assert person(roster, 15)["last_touched"]["by"] == "tester"
    assert person(roster, 16)["notification"]["state"] == "acknowledged"


def test_a_move_that_no_longer_makes_sense_is_refused_not_overwritten(roster, db):
    plan = notify.plan(roster.conn, PeopleFilter(ids=(17,)),
                       notify.NotifyChange(state=N.DELIVERED, channel=Channel.MAIL))
    with Journal(db, actor="bob") as bob:
        _notify(bob, 17, N.UNDELIVERABLE)
    with pytest.raises(RefusedAction, match=r"another responder meanwhile.*new attempt"):
        machine.apply(roster, plan)
    assert person(roster, 17)["notification"]["state"] == "undeliverable"
    assert person(roster, 17)["last_touched"]["by"] == "bob"


def test_the_journal_rebuilds_every_move(roster, db):
    _notify(roster, 18, N.DELIVERED, channel=Channel.COURT)
    _hold(roster, 18, H.PLACED, removal_date="2023-01-10")
    _hold(roster, 19, H.REQUESTED)
    _hold(roster, 18, removed=T0 + timedelta(days=40))
    report = verify(db)
    assert report.ok, report.faults
    assert report.tables["people"] == 30
