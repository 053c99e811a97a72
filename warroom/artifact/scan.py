"""Scanning a file: who is in it. Presidio decides what each column is from a sample; every
row is then read by the column's own cheap extractor; prose lines go through presidio whole.

A record is a person when it carries a name or an A-number; `records` counts distinct people
(by A-number, else name and birth date), not rows.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from typing import Any

from warroom.artifact import recognizers as R
from warroom.artifact.analyzer import Analyzer
from warroom.artifact.columns import SAMPLE_ROWS, blank, classify, find_header, header_names
from warroom.artifact.countries import high_risk_list
from warroom.artifact.extract import Dates, Nationalities, RowReader, a_number, person_name
from warroom.artifact.formats import Document, read
from warroom.artifact.formats.base import MAX_COLUMNS
from warroom.model import person_key, redact_date, redact_person

Progress = Callable[[int, int | None], None]
ROLE_ENTITY = {"a_number": R.A_NUMBER, "full_name": R.PERSON, "birth_date": R.DATE_OF_BIRTH,
               "nationality": R.NATIONALITY, "facility": R.FACILITY}
MAX_PROSE_LINES = 50_000
PROSE_SECONDS = 0.005  # what presidio may take on one line of prose (about 2 ms): time asked
PROSE_PERSON_FIELDS = {R.A_NUMBER, R.PERSON, R.DATE_OF_BIRTH, R.NATIONALITY}  # counted per person


@dataclass
class TableReport:
    name: str
    header_row: int | None          # 1-based row of the header in the table, None if none
    rows: int = 0                   # data rows read
    records: int = 0                # people first found in this table
    columns: list[dict] = field(default_factory=list)


@dataclass
class ScanResult:
    file: str
    sha256: str
    format: str
    size: int
    nlp: str
    encoding: str | None = None
    records: int = 0
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    entities: Counter = field(default_factory=Counter)
    nationalities: Counter = field(default_factory=Counter)
    high_risk: int = 0
    high_risk_list: list[str] = field(default_factory=list)
    a_numbers: int = 0
    tables: list[TableReport] = field(default_factory=list)
    preview: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain JSON types (asdict alone miscopies a Counter)."""
        return {**asdict(self), "entities": dict(self.entities),
                "nationalities": dict(self.nationalities)}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> ScanResult:
        """The inverse of to_dict (a result the sandbox's child sends back as JSON)."""
        return cls(**{**doc, "entities": Counter(doc["entities"]),
                      "nationalities": Counter(doc["nationalities"]),
                      "tables": [TableReport(**t) for t in doc["tables"]]})

    def as_json(self) -> dict[str, Any]:
        doc = self.to_dict()
        doc["entities"] = dict(self.entities.most_common())
        doc["nationalities"] = dict(self.nationalities.most_common())
        doc["seconds"] = round(self.seconds, 3)
        return doc


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Scan:
    """One scan of one file. Iterate `people()` (to import them) or call `run()`; either
    way `result` is complete once the iteration ends."""

    def __init__(self, path: str | Path, filename: str | None = None, *,
                 sha256: str | Callable[[], str] | None = None,
                 high_risk: frozenset[str] | None = None, progress: Progress | None = None,
                 document: Document | None = None,
                 more_time: Callable[[float], None] | None = None,
                 analyzer: Callable[[], Analyzer] | None = None, columnar: bool = True) -> None:
        from warroom.artifact import analyzer as presidio

        self.path = Path(path)
        self.doc: Document = document or read(self.path, filename)
        # called when a column or a line needs presidio: the sandbox's child has it built in
        # a thread while the file is read
        self._analyzer = analyzer or presidio.analyzer
        self.columnar = columnar        # delimited tables may be read by columnar.py
        self.read_columnar = 0          # ... and this many were
        self.high_risk = high_risk if high_risk is not None else high_risk_list()
        self.progress = progress
        self.more_time = more_time      # the sandbox's: counted work ahead needs more time
        # the file's hash, or how to wait for it (the sandbox's child hashes in a thread)
        self._sha256 = sha256 or (lambda: sha256_file(self.path))
        self.result = ScanResult(
            file=filename or self.path.name, sha256="",
            format=self.doc.format, size=self.path.stat().st_size, nlp="",
            encoding=self.doc.encoding, high_risk_list=sorted(self.high_risk),
            notes=list(self.doc.notes))
        self._seen: set[str] = set()                  # A-numbers, or 'N:name|birth' keys
        self._found = dict.fromkeys(ROLE_ENTITY, 0)   # fields found, per role
        self._nationalities: dict[str, int] = {}
        self._yield = True              # run() wants the counts, not the people

    @cached_property
    def analyzer(self) -> Analyzer:
        return self._analyzer()

    def run(self) -> ScanResult:
        self._yield = False
        for _ in self.people():
            pass
        return self.result

    def people(self) -> Iterator[dict[str, Any]]:
        started = time.perf_counter()
        for table in self.doc.tables:
            yield from self._table(table)
        yield from self._prose(self.doc.text)
        r = self.result
        r.a_numbers = self._found["a_number"]         # one per person: people are A-numbers
        for role, n in self._found.items():
            if n:
                r.entities[ROLE_ENTITY[role]] += n
        r.nationalities.update(self._nationalities)
        r.nlp = self.analyzer.nlp
        r.sha256 = self._sha256 if isinstance(self._sha256, str) else self._sha256()
        r.seconds = time.perf_counter() - started
        if r.records == 0:
            r.notes.append("no personal records found: no column of names or A-numbers")

    # -------------------------------------------------------------- tables
    def _table(self, table) -> Iterator[dict[str, Any]]:
        rows = self._narrow(table)
        if table.header is not None:
            header_at, buffered = None, list(islice(rows, SAMPLE_ROWS))
            header, first, width = table.header, buffered, 0
        else:
            first = list(islice(rows, 30 + SAMPLE_ROWS))
            header_at = find_header(first[:30])
            width = max((len(r) for r in first), default=0)
            header = header_names(first[header_at] if header_at is not None else None, width)
            buffered = first[header_at + 1:] if header_at is not None else first
        report = TableReport(table.name, None if header_at is None else header_at + 1)
        self.result.tables.append(report)
        if not buffered:
            return
        # read now, while the analyzer may still be being built (polars frees the GIL)
        frame = self._frame(table, first, header_at, width)
        columns = classify(header, buffered[:SAMPLE_ROWS], self.analyzer.engine)
        report.columns = [{"header": c.header, "entity": c.entity, "role": c.role,
                           "confidence": c.confidence, "sampled": c.sampled} for c in columns]
        for c in columns:
            if c.entity:
                key = (c.header if c.header not in self.result.columns
                       else f"{table.name}: {c.header}")
                self.result.columns[key] = c.entity
        reader = RowReader(columns)
        # entity cells are counted per cell; the roster's own fields per person found
        counted = [c for c in columns if c.entity and (c.role is None or not reader.finds_people)]
        if frame is not None:
            yield from self._columnar(frame, reader, counted, report)
            return
        estimate = self._estimate(buffered)
        finds_people = reader.finds_people
        entities = self.result.entities
        new = self._new
        n = 0
        for row in chain(buffered, rows):
            if not any(row):
                continue  # blank rows are not people
            n += 1
            for c in counted:
                if c.index < len(row) and not blank(row[c.index]):
                    entities[c.entity] += 1
            if not n % 50_000 and self.progress:
                self.progress(self.result.rows + n, estimate)
            if finds_people:
                person = reader(row)
                if person is not None and new(person, report):
                    yield person
        report.rows = n
        self.result.rows += n
        if self.progress:
            self.progress(self.result.rows, self.result.rows)

    def _frame(self, table, first: list, header_at: int | None, width: int):
        """The whole table as a polars frame for the columnar engine, or None: then the row
        path reads it (not a delimited text, or one polars might read otherwise)."""
        if not (self.columnar and table.dialect is not None and len(self.doc.tables) == 1
                and not self.doc.text and self.doc.encoding):
            return None
        from warroom.artifact import columnar

        titles = first[:header_at + 1] if header_at is not None else []
        return columnar.frame(self.path, self.doc.encoding, table.dialect, width, len(first[0]),
                              skip=sum(1 for row in titles if any(row)))

    def _columnar(self, frame, reader: RowReader, counted: list, report: TableReport,
                  ) -> Iterator[dict[str, Any]]:
        """What the row loop and _new find, found a column at a time (columnar.py)."""
        from warroom.artifact import columnar

        found = columnar.read_people(frame, reader.roles, counted, self.high_risk,
                                     tuple(ROLE_ENTITY))
        self.read_columnar += 1
        r = self.result
        for entity, n in found.entities:
            r.entities[entity] += n
        report.rows, report.records = found.rows, found.records
        r.rows += found.rows
        r.records += found.records
        for role, n in found.found.items():
            self._found[role] += n
        for nationality, n in found.nationalities.items():
            self._nationalities[nationality] = self._nationalities.get(nationality, 0) + n
        r.high_risk += found.high_risk
        r.preview.extend(_preview(p) for p in found.first[:8 - len(r.preview)])
        if self.progress:
            self.progress(r.rows, r.rows)
        if self._yield:
            yield from found.people()

    def _narrow(self, table) -> Iterator[list]:
        """The table's rows, cut to their first MAX_COLUMNS cells once one is wider (said in
        the notes): a roster has a few dozen columns, and every column costs presidio calls."""
        rows = table.rows()
        for row in rows:
            if len(row) > MAX_COLUMNS:
                self.result.notes.append(f"{table.name}: only the first {MAX_COLUMNS:,} columns"
                                         f" were read (a row has {len(row):,})")
                yield row[:MAX_COLUMNS]
                for rest in rows:
                    yield rest[:MAX_COLUMNS]
                return
            yield row

    def _estimate(self, sample: list) -> int | None:
        if self.doc.format not in ("csv", "tsv") or not sample:
            return None
        per_row = sum(sum(len(str(c)) + 1 for c in r) for r in sample[:500]) / min(len(sample), 500)
        return int(self.result.size / max(per_row, 1))

    def _new(self, person: dict[str, Any], report: TableReport) -> bool:
        """Count a person the first time they are seen (by A-number, else name and birth)."""
        number = person["a_number"]
        key = number or person_key(None, person["full_name"], person.get("birth_date"))
        seen = self._seen
        if key in seen:
            return False
        seen.add(key)
        r = self.result
        r.records += 1
        report.records += 1
        found = self._found
        get = person.get
        for role in ROLE_ENTITY:
            if get(role):
                found[role] += 1
        nationality = get("nationality")
        if nationality:
            nats = self._nationalities
            nats[nationality] = nats.get(nationality, 0) + 1
            if nationality in self.high_risk:
                person["high_risk"] = True
                r.high_risk += 1
        if len(r.preview) < 8:
            r.preview.append(_preview(person))
        return True

    # -------------------------------------------------------------- prose
    def _prose(self, lines: list[str]) -> Iterator[dict[str, Any]]:
        """Prose goes through presidio whole; a line with an A-number is a person."""
        wanted = [line for line in lines if any(ch.isdigit() or ch == "@" for ch in line)]
        if not wanted:
            return
        if len(wanted) > MAX_PROSE_LINES:
            self.result.notes.append(f"only the first {MAX_PROSE_LINES:,} lines of prose with"
                                     " digits were scanned")
            wanted = wanted[:MAX_PROSE_LINES]
        if self.more_time:
            self.more_time(len(wanted) * PROSE_SECONDS)
        engine = self.analyzer.engine
        dates, nations = Dates(), Nationalities()
        report = TableReport("prose", None)
        for line in wanted:
            found: dict[str, str] = {}
            for res in sorted(engine.analyze(line[:5000], language="en", score_threshold=0.4),
                              key=lambda x: x.start):
                found.setdefault(res.entity_type, line[res.start:res.end])
            report.rows += 1
            for entity in found.keys() - PROSE_PERSON_FIELDS:
                self.result.entities[entity] += 1
            number = a_number(found.get(R.A_NUMBER))
            if not number:
                continue
            person = {"a_number": number, "full_name": _prose_name(line, found),
                      "family_name": None, "given_names": None,
                      "birth_date": dates(found[R.DATE_OF_BIRTH]) if R.DATE_OF_BIRTH in found
                      else None,
                      "nationality": nations(found[R.NATIONALITY]) if R.NATIONALITY in found
                      else None}
            if self._new(person, report):
                yield person
        self.result.tables.append(report)
        self.result.rows += report.rows


def _preview(person: dict[str, Any]) -> str:
    """One person, redacted, for the scan's preview."""
    birth = person.get("birth_date")
    return " · ".join(x for x in (
        redact_person(person["full_name"], person["a_number"]), person.get("nationality") or "",
        redact_date(birth) if birth else "") if x)


_UPPER_NAME = re.compile(r"\b([A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’-]+)*,"
                         r" [A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’-]+)*)\b")


def _prose_name(line: str, found: dict[str, str]) -> str | None:
    """A name in a prose line: what a real NER model found, else an upper-case
    'FAMILY, GIVEN' as lists quoted in e-mails write them."""
    if R.PERSON in found:
        return person_name(found[R.PERSON])
    match = _UPPER_NAME.search(line)
    return person_name(match.group(1)) if match else None


def scan_file(path: str | Path, filename: str | None = None, *, sandbox: bool = True,
              **kwargs: Any) -> ScanResult:
    """Scan a file: in a child process with limits (sandbox.py), or here in this process
    (sandbox=False: for tests and profiling only, never for a file from outside)."""
    if sandbox:
        from warroom.artifact import sandbox as box

        return box.scan(path, filename, **kwargs).result
    return Scan(path, filename, **kwargs).run()
