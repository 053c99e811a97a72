"""The people in a columnar frame (columnar.py), as RowReader makes them and Scan._new counts
them, in the order the row path meets them.

Every cell converter is the RowReader's own (its DateColumn, Nationalities, facility matcher,
RowFlags), called once per distinct value (claims: once per combination of the claim
columns). Two things of the row path depend on the order of rows, and are reproduced here:

- birth dates that read both ways wait, in the row path, until a value proves the column's
  order. When the sample proves it, no one waits. When no value ever proves it, those people
  are released at the end: they come after the others. When a value after the sample proves
  it, they are released at that row: that rare case (a sample of a real roster proves its
  order) is left to the row path (`read_people` gives None).
- the first record of an A-number is counted; a later one is compared with it
  (identity.Identities). Identities.see is called, in the row path's order, for the rows of
  an A-number that is repeated: an A-number seen once never conflicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from warroom.artifact.columnar import _SPACE, _a_numbers, _keys, _mapped, _names, _nulls
from warroom.artifact.dates import MAX_HELD, ORDERS, value_order
from warroom.artifact.extract import RowReader
from warroom.artifact.identity import Identities

if TYPE_CHECKING:
    import polars as pl

MAX_DATES = 100_000     # distinct birth dates; past DateColumn's caches the row path reads
_ROLES = ("a_number", "full_name", "family_name", "given_names", "birth_date", "nationality",
          "facility")


@dataclass
class Found:
    """What Scan._new would have counted and kept, row by row, over the same rows."""

    rows: int
    entities: list[tuple[str, int]]            # per-cell counts, in the order first counted
    records: int = 0
    found: dict[str, int] = field(default_factory=dict)           # per role
    nationalities: dict[str, int] = field(default_factory=dict)   # in the order first seen
    facilities: set[str] = field(default_factory=set)
    high_risk: int = 0
    protected: int = 0
    first: list[dict[str, Any]] = field(default_factory=list)     # the first 8 counted
    table: pl.DataFrame | None = None      # the people kept, in the row path's order
    flags: list[tuple[str, ...] | None] = field(default_factory=lambda: [None])
    risky: frozenset[str] = frozenset()

    def people(self, table: pl.DataFrame | None = None) -> Iterator[dict[str, Any]]:
        """Each person's dict, as RowReader and Scan._new leave it (made when iterated)."""
        table = self.table if table is None else table
        if table is None:
            return
        names = [c for c in table.columns if c in _ROLES]
        flags, risky = self.flags, self.risky
        for row in table.select(*names, "flag").iter_rows():
            person = dict(zip(names, row, strict=False))
            flag = flags[row[-1]]
            if flag:
                person["risk_flags"] = flag
            if flag or person.get("nationality") in risky:
                person["high_risk"] = True
            yield person


def read_people(df: pl.DataFrame, reader: RowReader, counted: list, risky: frozenset[str],
                sample: int, identities: Identities, table_name: str,
                step: Callable[[float], None] | None = None) -> Found | None:
    """The people in the rows (the first `sample` rows are the row path's sample), each once,
    with the cells of the `counted` columns (Column: index, entity) counted as Scan._table
    counts them; None when the row path must read the table (see the module's docstring).
    `step(share)` is told how much of the work is done, a column at a time."""
    import polars as pl

    roles = reader.roles
    done = step or (lambda share: None)

    def column(role: str, convert) -> pl.Series:
        if role not in roles:
            return _nulls(df.height).alias(role)
        return convert(df.get_column(f"c{roles[role]}")).alias(role)

    number = column("a_number", _a_numbers)
    full = column("full_name", _names)
    family = column("family_name", _names)
    given = column("given_names", _names)
    if "middle_names" in roles and "given_names" in roles:
        middle = _names(df.get_column(f"c{roles['middle_names']}"))
        given = pl.select(pl.when(given.is_not_null() & middle.is_not_null())
                          .then(pl.concat_str([given, pl.lit(" "), middle]))
                          .otherwise(given)).to_series().alias("given_names")
    joined = pl.select(pl.when(family.is_not_null() | given.is_not_null())
                       .then(pl.concat_str([family, given], separator=", ", ignore_nulls=True))
                       ).to_series()
    full = full.fill_null(joined).alias("full_name")
    person = (number.is_not_null() | full.is_not_null()).fill_null(False)
    everyone = bool(person.all())
    rows = df if everyone else df.filter(person)      # what RowReader makes a person of
    done(0.4)
    cells = [s if everyone else s.filter(person) for s in (number, full, family, given)]
    held = None
    if "birth_date" in roles:
        births = _births(df, rows, roles["birth_date"], reader, sample)
        if births is None:
            return None
        dates, held = births
        cells.append(dates.alias("birth_date"))
        done(0.6)
    if "nationality" in roles:
        cells.append(_mapped(rows.get_column(f"c{roles['nationality']}"), reader.nations)
                     .alias("nationality"))
    if "facility" in roles:
        cells.append(_mapped(rows.get_column(f"c{roles['facility']}"),
                             reader.facility).alias("facility"))
    found = Found(df.height, _entities(df, counted), risky=risky)
    flag = _claims(rows, reader, found.flags)
    table = pl.DataFrame([*cells, flag])
    done(0.8)
    if held is not None and held.any():
        # released at the end, after everyone else (Scan._table: births.hold)
        table = pl.concat([table.filter(~held), table.filter(held)])
    _count(table, found, identities, table_name)
    return found


def _entities(df: pl.DataFrame, counted: list) -> list[tuple[str, int]]:
    """Non-blank cells of each counted column, per entity, ordered as the row loop first
    counts them: by the first row holding one, then by column."""
    firsts: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    for order, c in enumerate(counted):
        filled = (df.get_column(f"c{c.index}").str.strip_chars(_SPACE).str.len_bytes() > 0
                  ).fill_null(False)
        n = int(filled.sum())
        if n:
            first = (int(filled.arg_true()[0]), order)
            firsts[c.entity] = min(firsts.get(c.entity, first), first)
            counts[c.entity] = counts.get(c.entity, 0) + n
    return [(entity, counts[entity]) for entity in sorted(firsts, key=firsts.__getitem__)]



def _births(df: pl.DataFrame, rows: pl.DataFrame, index: int, reader: RowReader,
            sample: int) -> tuple[pl.Series, pl.Series | None] | None:
    """The people's birth dates by the RowReader's DateColumn, and which of them the row path
    holds back until the end (None: no one); None when the row path must read the table."""
    import polars as pl

    births = reader.births
    assert births is not None
    births.prime(df.get_column(f"c{index}").head(sample).unique().to_list())
    values = rows.get_column(f"c{index}")
    distinct = values.drop_nulls().unique().to_list()
    if len(distinct) > MAX_DATES:
        return None
    held = None
    if births.order is None:
        kinds = {value: value_order(value) for value in distinct}
        if any(kind in ORDERS for kind in kinds.values()):
            return None      # proven after the sample: the row path releases at that row
        either = [value for value, kind in kinds.items() if kind == "either"]
        if either:
            held = values.is_in(either).fill_null(False)
            if held.sum() >= MAX_HELD:
                return None
        births.prime(distinct)          # every value weighed before the fallback is taken
        births.commit()
    mapping = {value: births(value) for value in distinct}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String), held


def _claims(rows: pl.DataFrame, reader: RowReader, flags: list) -> pl.Series:
    """Each row's index into `flags` (0: no claim): RowFlags of each combination of the claim
    columns' cells, decided once."""
    import polars as pl

    if reader.claims is None:
        return pl.Series("flag", [0] * rows.height, dtype=pl.UInt32)
    indexes = [i for i, _ in reader.claims.columns]
    # each combination as one integer: each column's distinct cells numbered (a null, a
    # short row's, is 0), the numbers of the columns combined as digits of a mixed radix
    key, span = None, 1
    for i in indexes:
        cells = rows.get_column(f"c{i}")
        values = cells.drop_nulls().unique().to_list()
        code = cells.replace_strict({v: n for n, v in enumerate(values, 1)}, default=0,
                                    return_dtype=pl.UInt64)
        if key is None:
            key, span = code, len(values) + 1
            continue
        if span * (len(values) + 1) >= 1 << 63:     # renumbered densely, to stay in range
            key = key.rank("dense").cast(pl.UInt64)
            span = int(key.max() or 0) + 1
        key, span = key * (len(values) + 1) + code, span * (len(values) + 1)
    assert key is not None
    first = rows.select(*(f"c{i}" for i in indexes)).with_columns(key.alias("key")).filter(
        key.is_first_distinct())
    mapping: dict[int, int] = {}
    ids: dict[tuple[str, ...], int] = {}
    for *cells, combo in first.iter_rows():
        row: list[Any] = [None] * reader.width
        for i, cell in zip(indexes, cells, strict=True):
            row[i] = cell
        got = reader.claims(row)
        if got is None:
            mapping[combo] = 0
            continue
        if got not in ids:
            ids[got] = len(flags)
            flags.append(got)
        mapping[combo] = ids[got]
    return key.replace_strict(mapping, return_dtype=pl.UInt32).alias("flag")


def _firsts(table: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Which people are seen for the first time (by A-number, else name and birth date), and
    which have an A-number seen more than once."""
    import polars as pl

    number = table.get_column("a_number")
    key = number
    if number.null_count() == 0:
        # A-numbers as integers, hashed many times faster than strings, when all are
        # 'A' and nine ASCII digits (other digits do not parse, and a_number gives no sign)
        digits = number.str.slice(1).cast(pl.UInt64, strict=False)
        if digits.null_count() == 0:
            key = digits
    else:
        key = _keys(table)
    first = key.is_first_distinct()
    if first.all():
        return first, first.not_()
    again = key.filter(~first)
    return first, (key.is_in(again.unique().implode()) & number.is_not_null()).fill_null(False)


def _count(table: pl.DataFrame, found: Found, identities: Identities, name: str) -> None:
    """Scan._new over the people in order: who is counted, who kept uncounted, and the counts."""
    import polars as pl

    number = table.get_column("a_number")
    counted, repeated = _firsts(table)
    kept = counted
    if repeated.any():
        at = repeated.arg_true()
        births = (table.get_column("birth_date") if "birth_date" in table.columns
                  else _nulls(table.height))
        again = []
        for i, a, full, born, flag in zip(at.to_list(), number.gather(at).to_list(),
                                          table.get_column("full_name").gather(at).to_list(),
                                          births.gather(at).to_list(),
                                          table.get_column("flag").gather(at).to_list(),
                                          strict=True):
            seen = identities.see(a, full, born, name)
            if seen or (seen is False and flag):
                again.append(i)        # another identity, or a claim: kept, uncounted
        if again:
            kept = counted | pl.Series([False] * table.height).scatter(again, True)
    table = table.with_columns(counted.alias("counted"))
    if not kept.all():
        table = table.filter(kept)
    found.table = table
    people = table.filter(pl.col("counted"))
    found.records = people.height
    for role in ("a_number", "full_name", "birth_date", "nationality", "facility"):
        found.found[role] = int((people.get_column(role).str.len_bytes() > 0).sum()) \
            if role in people.columns else 0
    flagged = people.get_column("flag") > 0
    found.protected = int(flagged.sum())
    risky = flagged
    if "nationality" in people.columns:
        nations = people.get_column("nationality")
        filled = nations.filter(nations.str.len_bytes() > 0)
        counts = filled.to_frame().group_by("nationality", maintain_order=True).len()
        found.nationalities = dict(counts.iter_rows())
        risky = risky | nations.is_in(sorted(found.risky)).fill_null(False)
    found.high_risk = int(risky.sum())
    if "facility" in people.columns:
        found.facilities = {f for f in people.get_column("facility").unique().to_list()
                            if f}
    found.first = list(found.people(people.head(8)))
