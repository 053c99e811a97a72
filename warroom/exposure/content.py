"""Is it the file? The content rule of the probes: a location serves the file when the bytes
it sends are an evidence copy (the same sha256), or a changed copy of it (re-saved, another
format, a subset) that holds enough of the evidence's A-numbers.

Enough is a fifth of one evidence copy's A-numbers, or a hundred of them. Chance does not
reach that: A-numbers are nine digits, so even a page full of unrelated numbers matches a
handful of a file's thousands at most. A subset does: one facility's people, one sheet of a
workbook, the first page of a listing, or the first part of a copy larger than the read cap
(a text copy of a compressed spreadsheet is several times its size). Fewer than that is
said in the check's note (and its share journaled) but is not the file.

A body is read as it streams, and no further than needed: never past the cap (the largest
evidence copy twice over, at least 64 KiB more), and not past the point where the hash can
no longer match (longer than every evidence copy, or announced at a length none has) and
the A-numbers already decide. A-numbers are found in text as it streams; a document whose
text does not show (a spreadsheet, a PDF) is read whole by the artifact readers in a child
process with limits, from memory: fetched bytes never touch the disk.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing import get_context

from warroom.errors import WarroomError
from warroom.journal import Journal, queries
from warroom.model.payloads import ArtifactUsed

SHARE = 0.2                   # of one evidence copy's A-numbers …
PEOPLE = 100                  # … or this many of them: the file is there
MARGIN = 64 << 10
PAGE = 64 << 10               # kept of a text body, for the note (a "not found" page)
CARRY = 24                    # text carried between chunks, so no number is cut in two
CHILD_MEMORY = 2 << 30        # address space of the child that reads a document
CHILD_CPU = 60                # seconds of CPU for it
CHILD_WALL = 90.0             # seconds on the clock for it

# nine digits (with the dashes or spaces a file may write between the groups), or eight;
# an "A", "A#", "A-" before them does not matter: only the digits are compared
_NUMBER = re.compile(r"(?<![0-9])(\d{3})[- ]?(\d{3})[- ]?(\d{3})(?![0-9])"
                     r"|(?<![0-9])(\d{8})(?![0-9])")
_DOCUMENTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")   # zip (xlsx, ods), OLE (xls), pdf
_NOT_FOUND = re.compile(r"not\s+found|\b404\b|no\s+longer\s+(?:available|exists)|has\s+been"
                        r"\s+removed|does\s+not\s+exist|page\s+you\s+requested", re.I)
_BOM_CODECS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def numbers_in(text: str) -> set[str]:
    """Every A-number-shaped run of digits in a text, in the one form ('A' + nine digits)."""
    return {"A" + (m.group(4).zfill(9) if m.group(4) else m.group(1) + m.group(2) + m.group(3))
            for m in _NUMBER.finditer(text)}


@dataclass(frozen=True)
class Evidence:
    """An evidence copy as the probes compare against it."""

    sha256: str
    size: int
    a_numbers: frozenset[str]
    source: str                  # where its A-numbers came from: roster, scan, none


class Targets:
    """The evidence copies one round of probes compares against."""

    def __init__(self, evidence: Iterable[Evidence]) -> None:
        self.evidence = list(evidence)
        self.by_sha = {e.sha256: e for e in self.evidence}
        self.sizes = {e.size for e in self.evidence}
        self.largest = max(self.sizes, default=0)
        self.cap = self.largest + max(self.largest, MARGIN)
        self.owners: dict[str, list[int]] = {}
        for i, e in enumerate(self.evidence):
            for number in e.a_numbers:
                self.owners.setdefault(number, []).append(i)

    def __bool__(self) -> bool:
        return bool(self.evidence)


class Tally:
    """The evidence A-numbers seen in one body, counted for each evidence copy."""

    def __init__(self, targets: Targets) -> None:
        self.targets = targets
        self.seen: set[str] = set()
        self.counts = [0] * len(targets.evidence)

    def add(self, numbers: Iterable[str]) -> None:
        owners, seen, counts = self.targets.owners, self.seen, self.counts
        for number in numbers:
            if number in owners and number not in seen:
                seen.add(number)
                for i in owners[number]:
                    counts[i] += 1

    def best(self) -> tuple[Evidence | None, int, float]:
        """The evidence copy most of whose A-numbers were seen: (it, how many, share)."""
        scored = [(n / len(e.a_numbers), n, e) for n, e in zip(self.counts, self.targets.evidence)
                  if e.a_numbers]
        if not scored:
            return None, 0, 0.0
        share, n, e = max(scored, key=lambda x: (x[0], x[1]))
        return e, n, share

    @property
    def enough(self) -> bool:
        _, n, share = self.best()
        return n > 0 and (share >= SHARE or n >= PEOPLE)


class Reading:
    """One body, fed as it streams: its hash, the evidence A-numbers in its text, and the
    bytes of a document that must be read whole (or the first page of a text)."""

    def __init__(self, targets: Targets, total: int | None) -> None:
        self.targets = targets
        self.hash_can_match = total in targets.sizes if total is not None else bool(targets)
        self.digest = hashlib.sha256()
        self.read = 0
        self.tally = Tally(targets)
        self.document = False
        self.kept = bytearray()
        self._decoder: codecs.IncrementalDecoder | None = None
        self._carry = ""

    def feed(self, chunk: bytes) -> None:
        if self.read == 0:
            self.document = chunk.startswith(_DOCUMENTS)
            name = next((n for bom, n in _BOM_CODECS if chunk.startswith(bom)), "latin-1")
            self._decoder = codecs.getincrementaldecoder(name)(errors="replace")
        self.read += len(chunk)
        self.digest.update(chunk)
        if self.read > self.targets.largest:
            self.hash_can_match = False
        if self.document:
            self.kept += chunk
            return
        if len(self.kept) < PAGE:
            self.kept += chunk[:PAGE - len(self.kept)]
        if self.targets.owners:
            text = self._carry + self._decoder.decode(chunk)
            self.tally.add(numbers_in(text))
            self._carry = text[-CARRY:]

    @property
    def decided(self) -> bool:
        """Nothing more to learn: the hash cannot match and the A-numbers say it is the file."""
        return not self.hash_can_match and self.tally.enough

    def says_not_found(self) -> bool:
        return not self.document and bool(_NOT_FOUND.search(self.kept.decode("latin-1")))


# ---------------------------------------------------------------- documents, in a child


def document_numbers(body: bytes, filename: str) -> set[str]:
    """The A-number-shaped numbers in a document's cells and text, read by the artifact
    readers in a child process (memory and CPU limits, a wall-clock bound). Raises
    WarroomError when the child cannot read it."""
    context = get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_read_document, args=(body, filename, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(CHILD_WALL):
            raise WarroomError(f"reading the fetched {filename} took over {CHILD_WALL:.0f}s")
        outcome, value = receive.recv()
    except EOFError as exc:
        raise WarroomError(f"reading the fetched {filename} went over its limits") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if outcome != "ok":
        raise WarroomError(value)
    return set(value)


def _read_document(body: bytes, filename: str, send) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU, CHILD_CPU))
    try:
        from pathlib import Path

        from warroom.artifact.formats import read

        fd = os.memfd_create("warroom-probe", 0)
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view):]
        doc = read(Path(f"/proc/self/fd/{fd}"), filename)
        found: set[str] = set()
        for table in doc.tables:
            for row in table.rows():
                found.update(numbers_in(" ".join(str(c) for c in row if c is not None)))
        found.update(numbers_in("\n".join(doc.text)))
        send.send(("ok", sorted(found)))
    except Exception as exc:
        send.send(("error", f"the fetched {filename} cannot be read: {exc}"))


# ---------------------------------------------------------------- the evidence


def load_evidence(journal: Journal, cache: dict[str, Evidence] | None = None) -> Targets:
    """The evidence copies and their A-numbers: the roster's people taken from each, else
    those a scan of the copy finds (journaled as a use of the copy, once a process)."""
    cache = {} if cache is None else cache
    found = []
    for row in queries.artifacts(journal.conn):
        sha = row["sha256"]
        if sha not in cache:
            numbers = queries.artifact_a_numbers(journal.conn, sha)
            source = "roster"
            if not numbers:
                numbers, source = _scanned_numbers(journal, row)
            cache[sha] = Evidence(sha, row["size"], frozenset(numbers), source)
        found.append(cache[sha])
    return Targets(found)


def _scanned_numbers(journal: Journal, row: dict) -> tuple[set[str], str]:
    from warroom.artifact.scan import Scan

    path = journal.path.parent / row["path"]
    if not path.is_file():
        return set(), "none"
    try:
        numbers = {p["a_number"] for p in Scan(path, row["filename"]).people()
                   if p.get("a_number")}
    except WarroomError:
        return set(), "none"
    journal.record(ArtifactUsed(sha256=row["sha256"], purpose="probe: the A-numbers that"
                                " recognise a changed copy"), row["sha256"])
    return numbers, "scan"
