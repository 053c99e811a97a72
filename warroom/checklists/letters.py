"""Notice letters: one a person, in their language, from the templates in data/letters/.

A letter says in plain language what happened, which kinds of data about the person were in
the file, what is being done, what they can do and whom to contact. It names its addressee
(full name and A-number, so that it reaches the right person) and reproduces nothing else of
the leaked record. Its envelope (a cover sheet for hand delivery in a facility) shows only the
name, the facility and a neutral sender.

The contact details come from a per-incident TOML file (data/letters/contact.toml shows the
fields). A consulate, an embassy or a home government anywhere in it is refused, and so is a
sender that says what the letter is about. Writing journals one `letters_written` event (roster
ids, languages, format; never a name); the files hold personal data and are written 0600.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warroom.checklists.letter_templates import Block, Template, language_for, templates
from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model import LocationKind, a_number, now, parse_instant
from warroom.model.kinds import LetterFormat
from warroom.model.payloads import LettersWritten
from warroom.paths import data_dir

AUTO = "auto"
MIN_HOLD_DAYS = 30
DRAFT_NOTE = "DRAFT TRANSLATION: to be checked by a qualified translator before it is sent"
BATCH_NAME = "letters-batch"
PLACEHOLDER = re.compile(r"\[[^\]]*\]")
# Never anywhere in the contact details: for people who fled their government, a notice that
# reaches it is the harm itself.
# reaches it is the harm itself. (Whole words: "consulta", "консультация" are consultations.)
CONSULAR = re.compile(r"\b(consul(ate|ates|ar|ado|ados|at)?|embass(y|ies)|embajadas?|home"
                      r" (country )?government|консул\w*ств\w*|консул|консульск\w*|посольств\w*)"
                      r"\b|领事|使馆|کنسولگری|سفارت")
# Never in the envelope's sender: anything that says what the letter is about.
TELLTALE = ("asylum", "asilo", "refugee", "immigration", "migra", "detention", "detained",
            "deport", "removal", "breach", "leak", "exposure", "privacy", "personal data")
# Control, bidi and invisible characters: a name from the leaked file is shown, not obeyed.
_CONTROLS = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200B, 0x200E,
                           0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028,
                           0x2029, 0xFEFF], " ")

class LetterRefused(WarroomError):
    """A letter that would do harm: a consular contact, an envelope that tells too much."""


def plain(text: object) -> str:
    """One line of text with control, bidi and invisible characters gone."""
    return " ".join(str(text).translate(_CONTROLS).split())


# ---------------------------------------------------------------- the incident's details


@dataclass(frozen=True, eq=False)
class Contact:
    sender: tuple[str, ...]
    contact: dict[str, Any]
    legal_help: tuple[dict[str, str], ...]
    signature: tuple[str, ...]
    hold_days: int
    letter: dict[str, Any]
    placeholders: tuple[str, ...]   # the values still to fill in


def _strings(value: Any, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def load_contact(path: str | os.PathLike[str] | None = None) -> Contact:
    """The per-incident contact details (default: data/letters/contact.toml, placeholders)."""
    source = Path(path) if path else data_dir() / "letters" / "contact.toml"
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WarroomError(f"cannot read the contact details {source}: {exc}") from exc
    for where, text in _strings(raw, ""):
        if CONSULAR.search(re.sub(r"[\W_]+", " ", text.lower())):
            raise LetterRefused(f"{source}: {where} names a consulate, an embassy or a home"
                                " government; a notice must never lead there")
    sender = raw.get("sender", {})
    lines = tuple(plain(x) for x in (sender.get("name"), *sender.get("address", ())) if x)
    told = [w for w in TELLTALE if any(w in x.lower() for x in lines)]
    if told or not lines:
        raise LetterRefused(f"{source}: the envelope's sender must be neutral and present"
                            f"{' (it says ' + repr(told[0]) + ')' if told else ''}")
    letter = raw.get("letter", {})
    days = letter.get("hold_days", MIN_HOLD_DAYS)
    if not isinstance(days, int) or days < MIN_HOLD_DAYS:
        raise WarroomError(f"{source}: hold_days must be at least {MIN_HOLD_DAYS}")
    signature = raw.get("signature", {})
    todo = tuple(where for where, text in _strings(raw, "") if PLACEHOLDER.search(text))
    return Contact(lines, raw.get("contact", {}), tuple(raw.get("legal_help", ())),
                   tuple(plain(signature[k]) for k in ("name", "title") if signature.get(k)),
                   days, letter, todo)


@dataclass(frozen=True)
class Facts:
    posted: date
    discovered: date
    taken_down: date
    hours: int
    downloaded: bool


def incident_facts(conn, contact: Contact) -> Facts:
    """What the letters say of the incident, from the journal ([letter] in the contact file
    may state a time the journal lacks). The file is down once the agency's own locations
    (origin, CDN) are all down; until then no letter can say so, and none is written."""
    incident = queries.incident(conn)
    if incident is None:
        raise WarroomError("the journal holds no incident: `warroom init` first")
    own = [x for x in queries.locations(conn)
           if x["kind"] in (LocationKind.ORIGIN, LocationKind.CDN)]
    down = [x["down_since"] for x in own]
    known = {"posted": incident["posted_at"] or min((x["live_since"] for x in own
                                                      if x["live_since"]), default=None),
             "discovered": incident["discovered_at"] or incident["opened_at"],
             "taken_down": max(down) if down and all(down) else None}
    zone = contact.letter.get("timezone")
    times: dict[str, datetime] = {}
    for name, value in known.items():
        value = contact.letter.get(name) or value
        if not value:
            raise WarroomError(f"the letters say when the file was {name.replace('_', ' ')},"
                               " and the journal does not know it yet: record it, or set"
                               f" {name} in the [letter] table of --contact FILE")
        if isinstance(value, date) and not isinstance(value, datetime):
            raise WarroomError(f"[letter] {name} needs a time too: 2022-11-28T14:04:00-05:00")
        try:
            moment = value if isinstance(value, datetime) else parse_instant(str(value))
            times[name] = moment.astimezone(ZoneInfo(zone) if zone else None)
        except (ValueError, KeyError) as exc:   # ZoneInfoNotFoundError is a KeyError
            raise WarroomError(f"[letter] {name} or timezone cannot be read: {exc}") from exc
    hours = (times["taken_down"] - times["posted"]).total_seconds() / 3600
    return Facts(times["posted"].date(), times["discovered"].date(), times["taken_down"].date(),
                 max(1, round(hours)), queries.counts(conn)["downloaders"] > 0)


# ---------------------------------------------------------------- one letter


@dataclass(frozen=True)
class Letter:
    person: int
    lang: str
    rtl: bool
    draft: bool
    envelope: tuple[Block, ...]
    body: tuple[Block, ...]

    def texts(self) -> list[str]:
        """Every text on the letter, envelope first: what a reader of any format sees."""
        out: list[str] = []
        for _kind, content in (*self.envelope, *self.body):
            for item in content if isinstance(content, tuple) else (content,):
                out.extend(item if isinstance(item, tuple) else (item,))
        return out


def record_name(person: dict[str, Any]) -> str:
    """The name as the record writes it: 'FAMILY, GIVEN' (how facility lists sort)."""
    family, given = person.get("family_name"), person.get("given_names")
    return plain(person.get("full_name") or ", ".join(x for x in (family, given) if x))


def spoken_name(person: dict[str, Any]) -> str:
    """The name in speaking order, for the greeting: 'GIVEN FAMILY'."""
    family, given = person.get("family_name"), person.get("given_names")
    if family and given:
        return plain(f"{given} {family}")
    name = record_name(person)
    if name.count(",") == 1:
        family, given = name.split(",")
        return plain(f"{given} {family}")
    return name


def compose(person: dict[str, Any], t: Template, facts: Facts, contact: Contact,
            dated: date) -> Letter:
    """The letter for one person in one language: its envelope and its body."""
    name = record_name(person)
    values = {**_values(t, facts, contact, dated), "name": spoken_name(person)}
    addressee = ("fields", tuple((t.labels[k] + t.colon, v) for k, v in (
        ("name", name), ("a_number", a_number(person.get("a_number"))),
        ("date", t.day(dated))) if v))
    body = [block if block is not None else addressee if item == "addressee"
            else _render(kind, item, values)
            for (kind, item), block in zip(t.blocks, _shared(t, facts, contact, dated))]
    if t.draft:
        body.insert(0, ("banner", DRAFT_NOTE))
    english = templates()["en"].labels["confidential"]
    envelope: tuple[Block, ...] = (
        ("lines", contact.sender),
        ("lines", tuple(dict.fromkeys((t.labels["confidential"], english)))),
        ("address", (name, plain(person.get("facility") or "[mailing address]"))))
    return Letter(person["id"], t.code, t.rtl, t.draft, envelope, tuple(body))


def _values(t: Template, facts: Facts, contact: Contact, dated: date) -> dict[str, Any]:
    return {"posted": t.day(facts.posted), "discovered": t.day(facts.discovered),
            "taken_down": t.day(facts.taken_down), "hours": facts.hours,
            "downloaded": facts.downloaded, "hold_days": contact.hold_days,
            "hold_until": t.day(dated + timedelta(days=contact.hold_days))}


def _render(kind: str, item: Any, values: dict[str, Any]) -> Block:
    if kind == "list":
        return ("list", tuple(plain(x.render(values)) for x in item))
    return (kind, plain(item.render(values)))


@lru_cache(maxsize=64)
def _shared(t: Template, facts: Facts, contact: Contact, dated: date) -> tuple[Block | None, ...]:
    """The body's blocks that are the same in every letter of a language (rendered once);
    None for those that speak of the person (the addressee, a text using `name`)."""
    labels, values = t.labels, _values(t, facts, contact, dated)
    c = {k: plain(v) if isinstance(v, str) else tuple(map(plain, v))
         for k, v in contact.contact.items()}
    fills: dict[str, Block] = {
        "legal_help": ("list", tuple(" · ".join(plain(x[k]) for k in ("name", "phone", "note")
                                                if x.get(k)) for x in contact.legal_help)),
        "contact": ("lines", tuple(x for x in (
            c.get("name"), *c.get("address", ()),
            c.get("phone") and f"{labels['phone']}{t.colon}{c['phone']}",
            c.get("email") and f"{labels['email']}{t.colon}{c['email']}",
            c.get("hours") and f"{labels['hours']}{t.colon}{c['hours']}") if x)),
        "signature": ("lines", (labels["closing"], "", *contact.signature)),
    }
    return tuple(fills.get(item) if kind == "block"
                 else None if i in t.personal else _render(kind, item, values)
                 for i, (kind, item) in enumerate(t.blocks))


# ---------------------------------------------------------------- writing them


@dataclass(frozen=True)
class Written:
    folder: Path
    files: list[Path]
    count: int
    languages: dict[str, int]
    drafts: list[str]
    placeholders: tuple[str, ...]
    format: str
    batch: bool
    dated: str
    event: int


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fd, 0o600)   # a file that was there before keeps no wider mode
        fh.write(data)


def write_letters(journal: Journal, people: list[dict[str, Any]], folder: str | os.PathLike,
                  *, lang: str = AUTO, fmt: str = LetterFormat.PDF, batch: bool = False,
                  dated: date | None = None, contact: str | os.PathLike | None = None,
                  progress: Callable[[str, int, int], None] | None = None,
                  at: datetime | None = None) -> Written:
    """Write one letter a person into `folder` (`<id>-<lang>.<format>`), or with `batch` one
    printable file, a letter a page in the people's order (facility order from
    `queries.letter_people`); then journal it. `lang` AUTO picks each person's language."""
    fmt = LetterFormat(fmt)
    if not people:
        raise WarroomError("no one to write to: no person matches")
    if batch and fmt == LetterFormat.MD:
        raise WarroomError("a printable batch is html or pdf")
    known = templates()
    if lang != AUTO and lang not in known:
        raise WarroomError(f"no letter template for {lang!r}: there are {', '.join(known)}")
    details = load_contact(contact)
    facts = incident_facts(journal.conn, details)
    dated = dated or now().date()
    letters = [compose(p, known[lang if lang != AUTO else language_for(p.get("nationality"))],
                       facts, details, dated) for p in people]
    from warroom.checklists.letter_formats import render, scales

    out = Path(folder)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    files: list[Path] = []
    if batch:
        files.append(out / f"{BATCH_NAME}.{fmt}")
        _write_private(files[0], render(letters, fmt, progress))
    else:
        scale = scales(letters) if fmt == LetterFormat.PDF else None
        for i, letter in enumerate(letters, 1):
            files.append(out / f"{letter.person}-{letter.lang}.{fmt}")
            _write_private(files[-1], render([letter], fmt, None, scale))
            if progress:
                progress("letters", i, len(letters))
    unaddressed = sum(1 for p in people if not p.get("facility"))
    todo = details.placeholders + ((f"the mailing address of {unaddressed} people",)
                                   if unaddressed else ())
    languages = dict(sorted(Counter(x.lang for x in letters).items()))
    drafts = sorted({x.lang for x in letters if x.draft})
    event = journal.record(LettersWritten(
        count=len(letters), format=fmt, people=[x.person for x in letters],
        languages=languages, dated=dated.isoformat(), batch=batch, drafts=drafts or None,
        placeholders=bool(todo)), occurred_at=at)
    return Written(out, files, len(letters), languages, drafts, todo, fmt,
                   batch, dated.isoformat(), event.id)
