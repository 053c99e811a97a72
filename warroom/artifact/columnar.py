"""The columnar engine: a delimited table read whole by polars, every column as strings, then
read the way RowReader reads a row and Scan._new counts a person, a column at a time. It is
an engine for speed only: tests/test_columnar.py holds it to the row path's answers.

Where polars might split a file otherwise than csv.reader (another dialect, a stray quote, a
lone carriage return, a NUL, a field over csv's limit, a row wider than the first ones), or
the file is too large to hold whole under the scan's memory limit, `frame` gives None and the
row path reads (streams) the file. Names and A-numbers are settled by a
vectorized test of their common ASCII forms; each value that test cannot settle goes through
the row path's own function (person_name, a_number) once per distinct value, as does each
distinct value of the other roles' columns (the RowReader's own converters): one definition
of a cell. Who is counted, kept and in which order: columnar_people.py.

Polars's thread pool does not survive a fork: a process that has used polars must not fork a
child that uses it (sandbox.py checks), so polars is imported here inside the functions,
never by the parent that forks the scans.
"""

from __future__ import annotations

import csv
import mmap
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warroom.artifact.extract import NOT_NAMES, a_number, person_name
from warroom.artifact.formats.base import MAX_COLUMNS, MAX_LINE
from warroom.artifact.recognizers import INSTITUTION_WORDS
from warroom.model.people import normalize_name

if TYPE_CHECKING:
    import polars as pl

PEOPLE_ROLES = ("a_number", "full_name", "family_name", "given_names")
HOLD = 4      # bytes of memory a byte of CSV takes, read whole (3.3 measured) and read
# what str.strip() strips (str.isspace): polars's own default differs on \x1c-\x1f
_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
          "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# a name person_name keeps as it is: ASCII letters first, 2 to 120 characters, single spaces,
# commas, hyphens, apostrophes and periods between, no space at the end ...
_NAME = r"^[A-Za-z][A-Za-z ,'.\-]{0,118}[A-Za-z,'.\-]$"
# ... that is no NOT_NAMES and has no institution word among its words (split at spaces,
# commas, hyphens, periods). Case is ignored: only ASCII cells are tested
_NOT_NAME = (r"(?i)^(?:" + "|".join(map(re.escape, sorted(NOT_NAMES))) + r")$|(?:^|[ ,.\-])(?:"
             + "|".join(sorted(INSTITUTION_WORDS)) + r")(?:$|[ ,.\-])")


def frame(path: Path, encoding: str, dialect: Any, width: int, first_width: int,
          skip: int) -> pl.DataFrame | None:
    """The table's rows as `width` string columns c0, c1, …, blank rows dropped and then the
    first `skip` rows (the header and the titles above it); None when polars might read it
    otherwise than csv.reader would."""
    if not _plain(dialect) or not 2 <= width < MAX_COLUMNS:
        return None
    delimiter, quote = dialect.delimiter.encode(), dialect.quotechar.encode()
    source: Path | bytes = path
    try:
        if encoding == "utf-8" and first_width == width:
            with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
                if not _well_quoted(m, delimiter, quote, dialect.doublequote):
                    return None      # (polars maps the file itself: no copy of it here)
        else:
            source = path.read_bytes()
            if encoding != "utf-8":      # what csv.reader reads, as the UTF-8 polars reads
                source = source.decode(encoding).encode()
            if not _well_quoted(source, delimiter, quote, dialect.doublequote):
                return None
            if first_width != width:
                # polars takes a table's width from its first line: give it one as wide as
                # the widest row seen (blank, so dropped below with the other blank rows)
                source = delimiter * (width - 1) + b"\n" + source
    except (OSError, ValueError, UnicodeError, LookupError, BufferError):
        return None
    from warroom.artifact.child import reserve_for_polars

    if not reserve_for_polars(HOLD * path.stat().st_size):
        return None
    import polars as pl

    names = [f"c{i}" for i in range(width)]
    try:
        df = pl.read_csv(source, has_header=False, schema=dict.fromkeys(names, pl.String),
                         separator=dialect.delimiter, quote_char=dialect.quotechar,
                         eol_char="\n", comment_prefix=None, raise_if_empty=False)
        del source
        longest = df.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item()
        if longest is not None and longest > MAX_LINE:
            return None      # csv.reader refuses a field over its limit (a ReadError)
        filled = df.select(pl.any_horizontal(pl.all().str.len_bytes() > 0).fill_null(False)
                           ).to_series()
        return (df if filled.all() else df.filter(filled)).slice(skip)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
        return None   # a file polars cannot read: the row path says what is wrong with it


def _plain(dialect: Any) -> bool:
    """A dialect polars reads as csv.reader does: one-character delimiter and quote, no
    escape character, no spaces skipped (doubled quotes: see _well_quoted)."""
    d, q = getattr(dialect, "delimiter", ""), getattr(dialect, "quotechar", None) or ""
    return (len(d) == 1 == len(q) and d != q and (d + q).isascii() and not {d, q} & {"\r", "\n"}
            and dialect.escapechar is None
            and not dialect.skipinitialspace and dialect.quoting == csv.QUOTE_MINIMAL)


def _well_quoted(data: bytes | mmap.mmap, delimiter: bytes, quote: bytes, doubled: bool) -> bool:
    """Is every quote one that opens a field, closes it or (with `doubled`, the dialect's
    doublequote) doubles another inside it, and is there no NUL and no carriage return but
    before a newline? Then polars and csv.reader split the text the same; they part ways
    on stray quotes. A quote is inside a quoted field when an odd number come before it."""
    if data.find(b"\0") >= 0:
        return False
    import numpy as np

    a = np.frombuffer(data, np.uint8)
    if data.find(b"\r") >= 0:
        returns = _where(a, 13)
        if returns[-1] == a.size - 1 or (a[returns + 1] != 10).any():
            return False
    if data.find(quote) < 0:
        return True
    at = _where(a, quote[0])
    if at.size % 2:
        return False
    before = a[np.maximum(at - 1, 0)]
    before[at == 0] = ord("\n")
    after = a[np.minimum(at + 1, a.size - 1)]
    after[at == a.size - 1] = ord("\n")
    step = (np.diff(at) == 1) & doubled
    doubled_before = np.concatenate(([False], step))
    doubled_after = np.concatenate((step, [False]))
    opens = (before == delimiter[0]) | (before == 10) | doubled_before
    closes = (after == delimiter[0]) | (after == 10) | (after == 13) | doubled_after
    return bool(opens[0::2].all() and closes[1::2].all())


def _where(a: Any, byte: int) -> Any:
    """Where `byte` is in the array: compared a MiB at a time, which stays in the cache (five
    times faster than the whole array at once)."""
    import numpy as np

    step = 1 << 20
    return np.concatenate([np.flatnonzero(a[i:i + step] == byte) + i
                           for i in range(0, a.size, step)])


def _settled(values: pl.Series, quick: pl.Series, slow: Callable[[Any], Any]) -> pl.Series:
    """`quick` where it has a value; elsewhere `slow` of the cell, called once per distinct
    cell. A null cell (empty, or past the end of a short row) stays null, as every role's
    function gives None for an empty or missing cell."""
    import polars as pl

    if quick.null_count() == 0:
        return quick
    rest = values.filter(quick.is_null() & values.is_not_null()).unique()
    if rest.is_empty():
        return quick
    mapping = {v: slow(v) for v in rest.to_list()}
    return quick.fill_null(values.replace_strict(mapping, default=None, return_dtype=pl.String))


def _mapped(values: pl.Series, convert: Callable[[Any], Any]) -> pl.Series:
    """`convert` of each cell, called once per distinct cell (null stays null)."""
    import polars as pl

    mapping = {v: convert(v) for v in values.drop_nulls().unique().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String)


def _nulls(n: int) -> pl.Series:
    import polars as pl

    return pl.Series(dtype=pl.String).extend_constant(None, n)


def _a_numbers(cells: pl.Series) -> pl.Series:
    """extract.a_number: 'A' and nine ASCII digits, or eight or nine digits, here; the rest
    through a_number itself."""
    import polars as pl

    canonical = cells.str.contains(r"^A[0-9]{9}$")
    if canonical.all():
        return cells         # as scans write them, every one
    quick = pl.select(
        pl.when(canonical).then(cells)
        .when(cells.str.contains(r"^a[0-9]{9}$")).then(pl.lit("A") + cells.str.slice(1))
        .when(cells.str.contains(r"^[0-9]{8,9}$")).then(pl.lit("A") + cells.str.zfill(9))
    ).to_series()
    return _settled(cells, quick, a_number)


def _names(cells: pl.Series) -> pl.Series:
    """extract.person_name: a plain ASCII name is kept as it is; the rest (accents, extra
    spaces, institution words, NOT_NAMES, anything else) through person_name itself."""
    import polars as pl

    plain = (cells.str.contains(_NAME) & ~cells.str.contains("  ", literal=True)
             & ~cells.str.contains(_NOT_NAME))
    if plain.all():
        return cells
    return _settled(cells, pl.select(pl.when(plain).then(cells)).to_series(), person_name)


def _keys(table: pl.DataFrame) -> pl.Series:
    """model.person_key as Scan._new uses it: the A-number, else 'N:<name>|<birth date>'
    (normalize_name in polars for ASCII names, itself for the rest)."""
    import polars as pl

    number = table.get_column("a_number")
    unnumbered = number.is_null().arg_true()
    if unnumbered.is_empty():
        return number
    names = table.get_column("full_name").gather(unnumbered)
    quick = pl.select(pl.when(names.str.contains(r"^[[:ascii:]]*$")).then(
        names.str.to_uppercase().str.replace_all(r"[^A-Z0-9,]", " ")
        .str.replace_all(",", " , ", literal=True).str.replace_all(" +", " ")
        .str.strip_chars(" ").str.replace_all(" ,", ",", literal=True))).to_series()
    normal = _settled(names, quick, normalize_name)
    birth = (table.get_column("birth_date").gather(unnumbered) if "birth_date" in table.columns
             else _nulls(len(names)))
    keys = pl.select(pl.concat_str([pl.lit("N:"), normal, pl.lit("|"), birth.fill_null("")])
                     ).to_series()
    return number.clone().scatter(unnumbered, keys)
