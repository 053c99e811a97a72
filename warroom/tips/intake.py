"""Tips from files: mail messages (.eml) and JSON. Both are hostile input.

A mail is read with the standard library (`email`, `policy.default`): a size limit, a limit
on the parts walked, only text parts read (attachments are never opened; an HTML part is
turned into plain text by a tag stripper when there is no plain part, never rendered), and a
header that does not parse is kept as its raw text. The tip is keyed by the Message-ID (else
the bytes' sha256), so importing the same mail twice records it once.

A JSON file is one tip, a list of them, or {"tips": [...]}, each checked against the schema
(`warroom.tips.schema.TipRecord`: unknown fields refused); every record is checked before
any is recorded. A record without an `id` is keyed by its content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from warroom.errors import WarroomError
from warroom.journal import Journal
from warroom.model import now
from warroom.model.kinds import TipChannel
from warroom.model.people import a_numbers_in
from warroom.model.urls import is_url, urls_in
from warroom.tips.submit import (
    MAX_A_NUMBERS,
    MAX_KEY,
    MAX_SOURCE,
    MAX_TEXT,
    MAX_URLS,
    Receipt,
    TipDraft,
    check,
    submit,
    tip_url,
)

MAX_MAIL = 10 * 1024 * 1024     # bytes of one .eml (attachments included, never opened)
MAX_JSON = 5 * 1024 * 1024
MAX_PARTS = 200                  # MIME parts walked in one mail
CUT = "\n[… the rest of the message was cut]"


# ---------------------------------------------------------------- mail


class _Text(HTMLParser):
    """An HTML part as plain text: the text between tags, scripts and styles dropped."""

    SKIP = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3"):
            self.out.append("\n")
        if tag == "a" and not self.skipping:   # a link's target is where a copy may be
            href = dict(attrs).get("href") or ""
            if is_url(href):
                self.out.append(f" {href} ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.out).splitlines())
    return "\n".join(line for line in lines if line)


def _header(msg, name: str):
    try:
        return msg[name]
    except Exception:   # a malformed header the parser chokes on: its raw text
        raw = dict(msg.raw_items()).get(name)
        return str(raw) if raw is not None else None


def _part_text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError, ValueError):   # unknown charset etc.
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")


def _body(msg) -> str:
    plain: list[str] = []
    html: list[str] = []
    for count, part in enumerate(msg.walk(), start=1):
        if count > MAX_PARTS:
            break
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            plain.append(_part_text(part))
        elif kind == "text/html":
            html.append(_part_text(part))
    if plain:
        return "\n\n".join(plain)
    return "\n\n".join(html_text(h) for h in html)


def _sender(msg) -> tuple[str | None, str | None]:
    """(the sender's name or mail domain, their address)."""
    sender = _header(msg, "From")
    addresses = getattr(sender, "addresses", None)
    if addresses:
        first = addresses[0]
        address = first.addr_spec or None
        return (first.display_name or first.domain or address), address
    text = " ".join(str(sender or "").split())
    return (text or None), (text or None)


def _sent_at(msg):
    date = _header(msg, "Date")
    moment = getattr(date, "datetime", None)
    if moment is None or moment.tzinfo is None or moment > now() + timedelta(days=1):
        return None   # missing, naive or in the future: the time it reached us stands
    return moment


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - len(CUT)] + CUT


def read_eml(data: bytes, source: str | None = None) -> TipDraft:
    """A mail message as a tip: its sender (the source, unless given) and address (the
    contact), its date, its subject and plain text, the http(s) URLs and A-numbers in it."""
    if len(data) > MAX_MAIL:
        raise WarroomError(f"the message is larger than {MAX_MAIL // 2**20} MB")
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.default).parsebytes(data)
    name, address = _sender(msg)
    subject = " ".join(str(_header(msg, "Subject") or "").split())
    body = _body(msg).strip()
    text = _cut("\n\n".join(x for x in (subject, body) if x))
    if not text:
        raise WarroomError("the message has no subject and no text part")
    message_id = " ".join(str(_header(msg, "Message-ID") or "").split())[:MAX_KEY]
    urls = [u for u in urls_in(text) if tip_url(u)][:MAX_URLS]
    return TipDraft(
        source=(source or name or "unknown sender")[:MAX_SOURCE], text=text,
        contact=address, channel=TipChannel.EMAIL, urls=tuple(urls),
        a_numbers=tuple(a_numbers_in(text)[:MAX_A_NUMBERS]), received_at=_sent_at(msg),
        key=message_id or hashlib.sha256(data).hexdigest())


# ---------------------------------------------------------------- JSON


def read_json(data: bytes, source: str | None = None) -> list[TipDraft]:
    """The tips of a JSON file, every one checked before any is returned."""
    if len(data) > MAX_JSON:
        raise WarroomError(f"the file is larger than {MAX_JSON // 2**20} MB")
    from pydantic import ValidationError

    from warroom.tips.schema import TipRecord, problem

    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise WarroomError(f"not JSON: {str(exc)[:120]}") from None
    records = doc.get("tips") if isinstance(doc, dict) and set(doc) == {"tips"} else doc
    records = records if isinstance(records, list) else [records]
    drafts = []
    for number, record in enumerate(records, start=1):
        try:
            tip = TipRecord.model_validate(record)
        except ValidationError as exc:
            where, what = problem(exc.errors()[0])
            raise WarroomError(f"tip {number}: {where}: {what}") from None
        if not (tip.source or source):
            raise WarroomError(f"tip {number} names no source: add one, or give --source")
        key = tip.id or hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        drafts.append(TipDraft(
            source=tip.source or source, text=tip.text, contact=tip.contact,
            channel=tip.channel, urls=tuple(tip.urls), a_numbers=tuple(tip.a_numbers),
            confidential=tip.confidential, received_at=tip.received_at, key=key))
    return drafts


# ---------------------------------------------------------------- files


def read_file(path: str | Path, source: str | None = None) -> list[TipDraft]:
    """The tips in a file: .json is JSON, .eml (or any other name) a mail message."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_MAIL:
            raise WarroomError(f"{path.name} is larger than {MAX_MAIL // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise WarroomError(f"cannot read {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".json" or data.lstrip()[:1] in (b"{", b"["):
            return read_json(data, source)
        return [read_eml(data, source)]
    except WarroomError as exc:
        raise WarroomError(f"{path.name}: {exc}") from None


def import_files(journal: Journal, paths: list[str | Path], source: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Receipt]:
    """Record the tips of every file (each checked before any is recorded); a tip already
    recorded (the same mail, the same record) comes back as a duplicate."""
    drafts = [draft for path in paths for draft in read_file(path, source)]
    for number, draft in enumerate(drafts, start=1):
        try:
            check(draft)
        except WarroomError as exc:
            raise WarroomError(f"tip {number} of {len(drafts)}: {exc}") from None
    receipts = []
    for done, draft in enumerate(drafts, start=1):
        receipts.append(submit(journal, draft))
        if progress:
            progress(done, len(drafts))
    return receipts
