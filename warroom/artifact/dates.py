"""Birth dates whatever the day/month order: a column's order is decided from its values.

"04/07/1990" is the 7th of April in a US export and the 4th of July in a European copy of
it. One value cannot say which; a column can: a value with 13–31 in the first place is
day-first (dmy), in the second place month-first (mdy). So the order is a function of the
column's distinct values (`decide_order`), and the converter a pure function of one cell
given the order (`Dates`). A column whose every value reads both ways is ambiguous: it is
read in the order the responder gives (`--date-order`), else month-first — the files this
console meets are US agency exports, written mm/dd/yyyy; day-first if its dates are written
with dots, as only day-first countries write them — and flagged, so nobody trusts it
blindly.

`DateColumn` applies this to a stream of rows (a 1M-row CSV read once): the sample settles
almost every column (a real birth date has its day above 12 three times in five); until a
value settles it, the people whose dates read both ways are held back, then released with
the proven order, or with the fallback at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from warroom.artifact.columns import cell_text
from warroom.errors import WarroomError

ORDERS = ("dmy", "mdy")     # what a responder may choose for the ambiguous
DEFAULT_ORDER = "mdy"       # US agency exports: 11/19/1990
NAMES = {"dmy": "day-first (dmy)", "mdy": "month-first (mdy)", "ymd": "year-first (ymd)"}
MAX_HELD = 100_000          # people held back waiting for their column's order
_MAX_CACHE = 200_000        # distinct cells remembered: a hostile file has a million

_EXCEL_EPOCH = date(1899, 12, 30)
# two numbers and a year, one separator throughout, an optional time of day after
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})"
                      r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?)?")
_NAMED_FORMATS = ("%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y",
                  "%b %d %Y", "%B %d %Y", "%d-%B-%Y", "%Y%m%d")


def check_order(order: str | None) -> str | None:
    """The responder's --date-order, or a one-line error."""
    if order is not None and order not in ORDERS:
        raise WarroomError(f"date order {order!r}: give dmy (day first) or mdy (month first)")
    return order


def _year(text: str) -> int:
    """A four-digit year as written; two digits are this century unless that is the future
    (a birth date is in the past: '55' is 1955, '07' is 2007)."""
    year = int(text)
    if len(text) > 2:
        return year
    return 2000 + year if 2000 + year <= date.today().year else 1900 + year


def _numeric(text: str) -> tuple[int, int, int, bool] | None:
    """(first, second, year, year_first) of '19/11/1990', '1990-11-19', '11.19.90', or None."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    first, _, second, last = match.groups()
    if len(first) == 4:
        return (int(second), int(last), int(first), True) if len(last) <= 2 else None
    if len(first) == 3 or len(last) not in (2, 4):
        return None
    return int(first), int(second), _year(last), False


def value_order(cell: Any) -> str | None:
    """What one value says about its column's order: 'dmy' or 'mdy' (only one reading is a
    date), 'either' (both are, and differ), 'ymd' (year first), None (no bearing: named
    months, serials, date cells, the same day and month, what is no date)."""
    if cell is None or isinstance(cell, (date, int, float)):
        return None
    parts = _numeric(cell.strip() if isinstance(cell, str) else cell_text(cell))
    if parts is None:
        return None
    first, second, year, year_first = parts
    if year_first:
        return "ymd"
    day_first, month_first = _valid(year, second, first), _valid(year, first, second)
    if day_first and month_first:
        return "either" if first != second else None
    return "dmy" if day_first else "mdy" if month_first else None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@dataclass
class Evidence:
    """What a column's distinct values say: how many read only day-first, only month-first,
    either way (of which written with dots), year first."""
    dmy: int = 0
    mdy: int = 0
    either: int = 0
    ymd: int = 0
    dotted: int = 0

    @classmethod
    def of(cls, values: Iterable[Any]) -> Evidence:
        evidence = cls()
        for value in values:
            evidence.weigh(value)
        return evidence

    def weigh(self, cell: Any) -> str | None:
        """Count what one value says (once per distinct value), and return it."""
        kind = value_order(cell)
        if kind is not None:
            setattr(self, kind, getattr(self, kind) + 1)
            if kind == "either" and isinstance(cell, str) and "." in cell:
                self.dotted += 1
        return kind

    @property
    def order(self) -> str | None:
        """The order the values prove (the more of the two when they conflict, None on a
        tie); None when some read both ways and none proves; 'ymd' when no value's reading
        depends on the order (year first, named months, serials)."""
        if self.dmy != self.mdy:
            return "dmy" if self.dmy > self.mdy else "mdy"
        if self.dmy or self.either:
            return None
        return "ymd"

    @property
    def conflict(self) -> bool:
        return bool(self.dmy and self.mdy)

    @property
    def default(self) -> str:
        """The order an ambiguous column is read in when the responder gives none:
        month-first, as US agency exports write, unless its dates are mostly written with
        dots (04.07.1990), as only day-first countries write them."""
        return "dmy" if self.dotted * 2 > self.either else DEFAULT_ORDER


def decide_order(values: Iterable[Any]) -> str | None:
    """The day/month order of a column from its distinct values: 'dmy', 'mdy', 'ymd' (no
    value in question) or None (ambiguous: every value in question reads both ways; read it
    in the responder's order, else `Evidence.of(values).default`, and say so)."""
    return Evidence.of(values).order


class Dates:
    """Birth dates from date cells, Excel serials and the common written forms, memoised:
    a pure function of the cell given the order of two numbers before a year ('dmy', or
    'mdy'; 'ymd', a column with none in question, reads them month-first). A value that
    is a date only in the other order is None: a column's orders are never mixed."""

    def __init__(self, order: str = DEFAULT_ORDER) -> None:
        if order not in ("dmy", "mdy", "ymd"):
            raise ValueError(f"unknown date order {order!r}")
        self.order = order
        self.cache: dict[Any, str | None] = {}

    def __call__(self, cell: Any) -> str | None:
        if isinstance(cell, datetime):
            return cell.date().isoformat()
        if isinstance(cell, date):
            return cell.isoformat()
        try:
            return self.cache[cell]
        except (KeyError, TypeError):
            pass
        value = self._parse(cell)
        if len(self.cache) < _MAX_CACHE:
            self.cache[cell] = value
        return value

    def _parse(self, cell: Any) -> str | None:
        if isinstance(cell, (int, float)) and 1 <= cell < 80_000:
            return (_EXCEL_EPOCH + timedelta(days=int(cell))).isoformat()
        text = cell_text(cell)
        if not text:
            return None
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":   # ISO, maybe with a time
            try:
                return date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                return None
        parts = _numeric(text)
        if parts is not None:
            first, second, year, year_first = parts
            month, day = ((first, second) if year_first or self.order != "dmy"
                          else (second, first))
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
        for fmt in _NAMED_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if parsed.year > date.today().year:   # '%y' read 55 as 2055
                parsed = parsed.replace(year=parsed.year - 100)
            return parsed.isoformat()
        return None


class Waiting:
    """A birth date that reads both ways, in a column whose order is not yet known."""
    __slots__ = ("cell",)

    def __init__(self, cell: Any) -> None:
        self.cell = cell


class DateColumn:
    """One date column read row by row: every distinct value is weighed once, the order is
    the one its values prove (the sample's majority, else the first proof met), and the
    people whose dates read both ways wait until it is known.

    A reader that has the column's distinct values at once (columnar) calls `prime(values)`
    then `commit()`: `dates` then converts each value, `report()` and `notes()` say how."""

    def __init__(self, table: str, column: str, option: str | None = None) -> None:
        self.table, self.column = table, column
        self.option = check_order(option)
        self.evidence = Evidence()
        self.kinds: dict[Any, str | None] = {}   # distinct cell -> what it says
        self.read: dict[Any, str | None] = {}    # distinct cell -> its date, once known
        self.order: str | None = None            # proven, or the fallback once committed
        self.committed = False                   # read with the fallback, unproven
        self.held: list[dict[str, Any]] = []
        self._readers = {"dmy": Dates("dmy"), "mdy": Dates("mdy")}
        self.dates = self._readers[option or DEFAULT_ORDER]   # for values read one way

    @property
    def fallback(self) -> str:
        """The order for values in question while none is proven."""
        return self.option or self.evidence.default

    def _kind(self, cell: Any) -> str | None:
        """What the cell says of the order, weighed once per distinct cell."""
        try:
            return self.kinds[cell]
        except KeyError:
            kind = self.evidence.weigh(cell)
            if len(self.kinds) < _MAX_CACHE:
                self.kinds[cell] = kind
            return kind

    def prime(self, cells: Iterable[Any]) -> None:
        """Weigh the sample's values first: their majority decides, not the first met."""
        for cell in cells:
            try:
                self._kind(cell)
            except TypeError:
                pass
        if self.evidence.order in ORDERS:
            self._settle(self.evidence.order)

    def _settle(self, order: str) -> None:
        self.order = order
        self.dates = self._readers[order]

    def __call__(self, cell: Any) -> Any:
        """The ISO date, None, or a `Waiting` for a value that reads both ways while the
        column's order is unknown. A cell's date is remembered once it cannot change: a
        value that reads both ways is never remembered before the order is known."""
        try:
            return self.read[cell]
        except KeyError:
            pass
        except TypeError:                         # unhashable: no date, no bearing
            return self.dates(cell)
        kind = self._kind(cell)
        if self.order is None:
            if kind == "either":
                return Waiting(cell)
            if kind in ORDERS:
                self._settle(kind)
        value = self.dates(cell)
        if len(self.read) < _MAX_CACHE:
            self.read[cell] = value
        return value

    def hold(self, person: dict[str, Any]) -> None:
        self.held.append(person)
        if len(self.held) >= MAX_HELD:
            self.commit()

    def commit(self) -> None:
        """No proof yet: read what is in question with the fallback from here on."""
        if self.order is None:
            self.committed = True
            self._settle(self.fallback)

    def release(self) -> list[dict[str, Any]]:
        """The people held back, their dates read now that the order is known."""
        out, self.held = self.held, []
        for person in out:
            person["birth_date"] = self.dates(person["birth_date"].cell)
        return out

    # ---------------------------------------------------------------- the verdict
    def report(self) -> dict[str, Any]:
        """What the scan says of this column: the order used, how it was decided, and the
        evidence (distinct values; counted again past the first 200,000)."""
        e = self.evidence
        if self.order is not None and not self.committed:
            used, by = self.order, "values"
        elif e.order == "ymd":
            used, by = "ymd", "values"
        else:
            used, by = self.order or self.fallback, "option" if self.option else "default"
        return {"table": self.table, "column": self.column, "order": used,
                "ambiguous": by != "values", "by": by, "day_first": e.dmy,
                "month_first": e.mdy, "either": e.either,
                "unread": e.mdy if used == "dmy" else e.dmy if used == "mdy" else 0}

    def notes(self) -> list[str]:
        """One line for a responder when the order is anything but proven and clean."""
        r = self.report()
        where = f"{self.table}: {self.column!r}" if self.table else repr(self.column)
        used = NAMES[r["order"]]
        out = []
        if r["ambiguous"] and r["either"]:
            how = ("as --date-order says" if r["by"] == "option"
                   else "by default" + (", as they are written with dots"
                                        if r["order"] == "dmy" else "")
                   + "; give --date-order dmy|mdy to settle it")
            out.append(f"{where}: the birth dates are ambiguous ({r['either']:,} distinct values"
                       f" read both ways, none has 13–31 in either place): read {used} {how}")
        if self.committed and self.evidence.order in ORDERS:
            out.append(f"{where}: the first {MAX_HELD:,} ambiguous birth dates were read {used}"
                       f" before a value proved {NAMES[self.evidence.order]}: check the file")
        if self.option and r["by"] == "values" and r["order"] != self.option:
            out.append(f"{where}: its birth dates prove {used}: --date-order {self.option}"
                       " does not apply to it")
        if self.evidence.conflict:
            out.append(f"{where}: the birth dates mix orders ({r['day_first']:,} distinct values"
                       f" only day-first, {r['month_first']:,} only month-first): read {used};"
                       f" {r['unread']:,} left without a birth date (check the file)")
        return out
