"""The journal's truth beyond its own file: its head, written somewhere else.

Someone who can rewrite the file can rewrite every hash and move the head, and `verify`
alone cannot see it. An anchor is one line, `TIME count=N head=HASH`, appended to a file kept
elsewhere (another machine, a ticket, paper); `check_anchors` confirms that event N of the
journal still has that hash, for every line."""

from __future__ import annotations

import os
import re
from pathlib import Path

from warroom.errors import WarroomError
from warroom.journal import queries
from warroom.journal.store import Journal
from warroom.model import now, to_utc_text

_LINE = re.compile(r"^(?P<at>\S+)\s+count=(?P<count>\d+)\s+head=(?P<head>[0-9a-f]{64})\b")


def anchor_line(path: str | os.PathLike[str]) -> str:
    with Journal(path) as journal:
        count = queries.event_count(journal.conn)
        head = queries.head_hash(journal.conn)
    if not count or head is None:
        raise WarroomError(f"{path} holds no events yet: nothing to anchor")
    return f"{to_utc_text(now())[0]} count={count} head={head} journal={Path(path).name}"


def anchor(path: str | os.PathLike[str], to: str | os.PathLike[str] | None = None) -> str:
    """The anchor line for the journal now; appended to `to` when given."""
    line = anchor_line(path)
    if to is not None:
        try:
            with open(to, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:
            raise WarroomError(f"cannot append to {to}: {exc.strerror}") from exc
    return line


def find_head(path: str | os.PathLike[str], head: str) -> int | None:
    """The id of the event whose hash is `head` (a full hash, or a prefix of 8 or more)."""
    head = head.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", head):
        raise WarroomError(f"{head!r} is not a head hash (8 to 64 hex digits)")
    with Journal(path) as journal:
        return queries.event_with_hash(journal.conn, head)


def check_anchors(path: str | os.PathLike[str], anchors: str | os.PathLike[str]) -> list[str]:
    """One message for each anchored head that is no longer in the chain where it was."""
    try:
        lines = Path(anchors).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise WarroomError(f"cannot read the anchors in {anchors}: {exc.strerror}") from exc
    found = [m for line in lines if (m := _LINE.match(line.strip()))]
    if not found:
        raise WarroomError(f"{anchors} holds no anchor lines (TIME count=N head=HASH)")
    faults = []
    with Journal(path) as journal:
        for m in found:
            count, head = int(m["count"]), m["head"]
            have = queries.hash_of_event(journal.conn, count)
            if have != head:
                where = "is gone" if have is None else f"now has hash {have[:12]}…"
                faults.append(f"anchored at {m['at']}: event #{count} had head {head[:12]}…;"
                              f" in this journal it {where}: the journal was rewritten or cut"
                              " after that anchor")
    return faults

