"""Scanning a file: who is in it. Presidio decides what each column is from a sample; every
row is then read by the column's own cheap extractor; the people in prose are prose.py's.

A record is a person when it carries a name or an A-number; `records` counts distinct people
(by A-number, else name and birth date), not rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from typing import Any

from warroom.artifact import prose
from warroom.artifact import recognizers as R
from warroom.artifact.analyzer import Analyzer
from warroom.artifact.columns import (
    SAMPLE_ROWS,
    blank,
    cell_text,
    classify,
    find_header,
    header_names,
    titles,
)
from warroom.artifact.countries import high_risk_list
from warroom.artifact.dates import DateColumn, Waiting, check_order
from warroom.artifact.extract import RowReader
from warroom.artifact.formats import Document, read
from warroom.artifact.formats.base import MAX_COLUMNS
from warroom.artifact.identity import Identities
from warroom.artifact.risk import claim_columns, describe
from warroom.artifact.scan_result import ScanResult, TableReport, sha256_file
from warroom.model import person_key, redact_date, redact_person
from warroom.model.people import a_numbers_in

Progress = Callable[[int, int | None], None]
ROLE_ENTITY = {"a_number": R.A_NUMBER, "full_name": R.PERSON, "birth_date": R.DATE_OF_BIRTH,
               "nationality": R.NATIONALITY, "facility": R.FACILITY}


class Scan:
    """One scan of one file. Iterate `people()` (to import them) or call `run()`; either
    way `result` is complete once the iteration ends."""

    def __init__(self, path: str | Path, filename: str | None = None, *,
                 sha256: str | Callable[[], str] | None = None,
                 high_risk: frozenset[str] | None = None, progress: Progress | None = None,
                 document: Document | None = None,
                 more_time: Callable[[float], None] | None = None,
                 analyzer: Callable[[], Analyzer] | None = None, columnar: bool = True,
                 date_order: str | None = None) -> None:
        from warroom.artifact import analyzer as presidio

        self.date_order = check_order(date_order)   # for birth dates that read both ways
        self.path = Path(path)
        self.doc: Document = document or read(self.path, filename)
        if filename:    # the sealed copy is named by its sha256: a responder knows the name
            for table in self.doc.tables:
                if table.name == self.path.name:
                    table.name = filename
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
        self._seen: set[str] = set()                  # 'N:name|birth' keys
        self._identities = Identities()               # A-numbers, with their identities
        self._found = dict.fromkeys(ROLE_ENTITY, 0)   # fields found, per role
        self._nationalities: dict[str, int] = {}
        self._facilities: set[str] = set()
        self._rows_as_prose: list[str] = []            # table rows read as prose (_as_prose)
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
        rows = self._rows_as_prose           # after a blank line: no field crosses to them
        yield from self._prose([*self.doc.text, "", *rows] if rows else self.doc.text)
        r = self.result
        r.a_numbers = self._found["a_number"]         # one per person: people are A-numbers
        for role, n in self._found.items():
            if n:
                r.entities[ROLE_ENTITY[role]] += n
        r.nationalities.update(self._nationalities)
        r.nlp = self.analyzer.nlp
        r.sha256 = self._sha256 if isinstance(self._sha256, str) else self._sha256()
        r.facilities = len(self._facilities)
        r.conflicts, r.conflicting = self._identities.report(), self._identities.count
        r.notes += self._identities.notes()
        r.seconds = time.perf_counter() - started
        if r.records == 0:
            r.notes.append("no personal records found: no column of names or A-numbers")

    # -------------------------------------------------------------- tables
    def _table(self, table) -> Iterator[dict[str, Any]]:
        rows = self._narrow(table)
        top: list = []                  # the rows up to the header row (title rows), if any
        if table.header is not None:
            header_at, buffered = None, list(islice(rows, SAMPLE_ROWS))
            header, width, first_width = table.header, 0, 0
        else:
            buffered = list(islice(rows, 30 + SAMPLE_ROWS))
            header_at = find_header(buffered)
            width = max((len(r) for r in buffered), default=0)
            cut = header_at + 1 if header_at is not None else titles(buffered)
            top = buffered[:cut]        # title rows and the header: prose, if no people
            header = header_names(buffered[header_at] if header_at is not None else None, width)
            first_width = len(buffered[0]) if buffered else 0
            buffered = buffered[cut:]
        report = TableReport(table.name, None if header_at is None else header_at + 1)
        self.result.tables.append(report)
        if not buffered:
            return
        # read now, while the analyzer may still be being built (polars frees the GIL)
        frame = self._frame(table, top, width, first_width) if width else None
        columns = classify(header, buffered[:SAMPLE_ROWS], self.analyzer.engine)
        report.columns = [{"header": c.header, "entity": c.entity, "role": c.role,
                           "confidence": c.confidence, "sampled": c.sampled} for c in columns]
        for c in columns:
            if c.entity:
                key = (c.header if c.header not in self.result.columns
                       else f"{table.name}: {c.header}")
                self.result.columns[key] = c.entity
        claims = claim_columns(header, buffered[:SAMPLE_ROWS],
                               {c.index for c in columns if c.role})
        report.claims = [f"{header[i]}: {describe(rule)}" for i, rule in claims]
        reader = RowReader(columns, table.name, self.date_order, claims)
        # entity cells are counted per cell; the roster's own fields per person found
        counted = [c for c in columns if c.entity and (c.role is None or not reader.finds_people)]
        if frame is not None and reader.finds_people:
            # (a table of no people sends its rows to prose: the row path does that)
            sample = sum(1 for row in buffered if any(row))
            found = self._read_columnar(frame, reader, counted, report, sample)
            if found is not None:
                yield from found
                return
        births = reader.births if reader.finds_people else None
        if births is not None:
            births.prime(row[reader.roles["birth_date"]] for row in buffered
                         if len(row) > reader.roles["birth_date"])
        estimate = self._estimate(buffered)
        finds_people = reader.finds_people
        for row in top if not finds_people else ():
            self._as_prose(row)
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
                if person is None:
                    continue
                if births is not None:
                    if type(person["birth_date"]) is Waiting:
                        births.hold(person)     # until a value proves the column's order
                        continue
                    if births.held and births.order:
                        yield from self._released(births, report)
                if new(person, report):
                    yield person
            else:
                self._as_prose(row)
        if births is not None:
            births.commit()
            yield from self._released(births, report)
            self._date_verdict(births)
        report.rows = n
        self.result.rows += n
        if self.progress:
            self.progress(self.result.rows, self.result.rows)

    def _frame(self, table, top: list, width: int, first_width: int):
        """The whole table as a polars frame for the columnar engine, or None: then the row
        path reads it (not a delimited text, or one polars might read otherwise)."""
        if not (self.columnar and table.dialect is not None and len(self.doc.tables) == 1
                and not self.doc.text and self.doc.encoding):
            return None
        from warroom.artifact import columnar

        return columnar.frame(self.path, self.doc.encoding, table.dialect, width, first_width,
                              skip=sum(1 for row in top if any(row)))

    def _read_columnar(self, frame, reader: RowReader, counted: list, report: TableReport,
                       sample: int) -> Iterator[dict[str, Any]] | None:
        """What the row loop and _new find, found a column at a time (columnar_people.py);
        None when the row path must read the table."""
        from warroom.artifact.columnar_people import read_people

        total, before = frame.height, self.result.rows
        step = None
        if self.progress:
            progress = self.progress
            progress(before, before + total)        # the rows are known once polars read them

            def step(share: float) -> None:
                progress(before + int(share * total), before + total)
        found = read_people(frame, reader, counted, self.high_risk, sample, self._identities,
                            report.name, step)
        if found is None:
            return None
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
        self._facilities |= found.facilities
        r.high_risk += found.high_risk
        r.protected += found.protected
        r.preview.extend(_preview(p) for p in found.first[:8 - len(r.preview)])
        if reader.births is not None:
            self._date_verdict(reader.births)
        if self.progress:
            self.progress(r.rows, r.rows)
        return found.people() if self._yield else iter(())

    def _as_prose(self, row: list) -> None:
        """A row of a table that holds no column of people, kept as a line of prose when it
        has an A-number: a text of 'FAMILY, GIVEN — A… — …' lines splits alike on its commas
        and reads as a CSV, and a notes column may name people."""
        if len(self._rows_as_prose) < prose.MAX_PROSE_LINES:
            line = ", ".join(cell_text(c) or "" for c in row if not blank(c))
            if a_numbers_in(line):
                self._rows_as_prose.append(line)

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

    def _released(self, births: DateColumn, report: TableReport) -> Iterator[dict[str, Any]]:
        for person in births.release():
            if self._new(person, report):
                yield person

    def _date_verdict(self, births: DateColumn, always: bool = True) -> None:
        """Say how a column's birth dates were read (prose: only if it had numeric dates)."""
        e = births.evidence
        if always or e.dmy or e.mdy or e.either or e.ymd:
            self.result.dates.append(births.report())
            self.result.notes.extend(births.notes())

    def _estimate(self, sample: list) -> int | None:
        if self.doc.format not in ("csv", "tsv") or not sample:
            return None
        per_row = sum(sum(len(str(c)) + 1 for c in r) for r in sample[:500]) / min(len(sample), 500)
        return int(self.result.size / max(per_row, 1))

    def _new(self, person: dict[str, Any], report: TableReport) -> bool:
        """Count a person the first time they are seen (by A-number, else name and birth);
        keep, uncounted, a record of a known A-number with another identity."""
        number = person["a_number"]
        get = person.get
        if number:
            again = self._identities.see(number, person["full_name"], get("birth_date"),
                                         report.name)
            if again is not None:    # kept, uncounted: another identity, or a claim the
                if get("nationality") in self.high_risk:   # roster merges into the first's
                    person["high_risk"] = True
                return again or bool(get("risk_flags"))
        else:
            key = person_key(None, person["full_name"], get("birth_date"))
            if key in self._seen:
                return False
            self._seen.add(key)
        r = self.result
        r.records += 1
        report.records += 1
        found = self._found
        for role in ROLE_ENTITY:
            if get(role):
                found[role] += 1
        if facility := get("facility"):
            self._facilities.add(facility)
        nationality = get("nationality")
        if nationality:
            nats = self._nationalities
            nats[nationality] = nats.get(nationality, 0) + 1
            if nationality in self.high_risk:
                person["high_risk"] = True
        if get("risk_flags"):     # a claim protected by 8 CFR 208.6 (set by the RowReader)
            r.protected += 1
        if get("high_risk"):
            r.high_risk += 1
        if len(r.preview) < 8:
            r.preview.append(_preview(person))
        return True

    # -------------------------------------------------------------- prose
    def _prose(self, lines: list[str]) -> Iterator[dict[str, Any]]:
        """The people prose.py finds in the lines of prose, each once."""
        found = prose.read(lines, self.analyzer.engine, model=self.analyzer.model,
                           more_time=self.more_time)
        self.result.notes += found.notes
        self.result.entities.update(found.entities)
        if not found.pieces:
            return
        report = TableReport("prose", None, rows=found.pieces)
        # one writer, one order: the prose's birth dates are weighed together, as a column
        dates = DateColumn("prose", "birth dates", self.date_order)
        dates.prime(p["birth_date"] for p in found.people if p["birth_date"])
        for person in found.people:
            person["birth_date"] = dates(person["birth_date"])
            if type(person["birth_date"]) is Waiting:
                dates.hold(person)
                continue
            if dates.held and dates.order:
                yield from self._released(dates, report)
            if self._new(person, report):
                yield person
        dates.commit()
        yield from self._released(dates, report)
        self._date_verdict(dates, always=False)
        self.result.tables.append(report)
        self.result.rows += report.rows


def _preview(person: dict[str, Any]) -> str:
    """One person, redacted, for the scan's preview."""
    birth = person.get("birth_date")
    return " · ".join(x for x in (
        redact_person(person["full_name"], person["a_number"]), person.get("nationality") or "",
        redact_date(birth) if birth else "") if x)


def scan_file(path: str | Path, filename: str | None = None, *, sandbox: bool = True,
              **kwargs: Any) -> ScanResult:
    """Scan a file: in a child process with limits (sandbox.py), or here in this process
    (sandbox=False: for tests and profiling only, never for a file from outside)."""
    if sandbox:
        from warroom.artifact import sandbox as box

        return box.scan(path, filename, **kwargs).result
    return Scan(path, filename, **kwargs).run()
