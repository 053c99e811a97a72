"""Leaked-file generators for the tests: every format, fixed seeds, made-up people only.

Each writer returns the path; `truth(people)` gives the counts a scan must report exactly.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

from warroom.synthetic import FakePerson, people

# the short names a scan must map each generator spelling to (written out, not looked up)
SHORT = {
    "MEXICO": "Mexico", "GUATEMALA": "Guatemala", "HONDURAS": "Honduras",
    "EL SALVADOR": "El Salvador", "CUBA": "Cuba", "VENEZUELA": "Venezuela",
    "NICARAGUA": "Nicaragua", "COLOMBIA": "Colombia", "ECUADOR": "Ecuador", "HAITI": "Haiti",
    "INDIA": "India", "CHINA, PEOPLES REPUBLIC OF": "China", "RUSSIA": "Russia", "IRAN": "Iran",
    "BRAZIL": "Brazil", "PERU": "Peru", "DOMINICAN REPUBLIC": "Dominican Republic",
    "ROMANIA": "Romania", "TURKEY": "Turkey", "MAURITANIA": "Mauritania",
}
HIGH_RISK = {"China", "Iran", "Russia"}


def roster(n: int, seed: int) -> list[FakePerson]:
    return people(n, seed=seed)


def truth(ps: list[FakePerson]) -> dict:
    nat = Counter(SHORT[p.nationality] for p in ps)
    return {"records": len(ps), "a_numbers": len({p.a_number for p in ps}),
            "nationalities": dict(nat), "high_risk": sum(nat[c] for c in HIGH_RISK)}


def _us(d: date) -> str:
    return d.strftime("%m/%d/%Y")


def write_csv(path: Path, ps: list[FakePerson], *, encoding: str = "utf-8",
              delimiter: str = ",", title: bool = True, trailer: bool = True,
              dates: str = "%m/%d/%Y") -> Path:
    """A roster as an agency's CSV export; `dates` is the birth dates' strftime format (a
    European copy writes %d/%m/%Y)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        if title:
            w.writerow(["Detained population report"])
            w.writerow(["Generated 11/19/2022"])
            w.writerow([])
        w.writerow(["Last Name", "First Name", "Alien #", "DOB", "Gender", "Citizenship",
                    "Facility", "Booking No"])
        for i, p in enumerate(ps):
            w.writerow([p.family_name, p.given_names, p.a_number[1:],
                        p.birth_date.strftime(dates), p.gender, p.nationality, p.facility,
                        f"{700000000 + i}"])
            if i % 500 == 250:
                w.writerow([])          # blank rows are not people
        if trailer:
            w.writerow([f"Total: {len(ps):,}"])
            w.writerow(["Grand Total", "", "", "", "", "", "", str(len(ps))])
    return path


def accented(ps: list[FakePerson]) -> list[FakePerson]:
    """Give some given names accents, so an encoding read wrong shows."""
    out = []
    for i, p in enumerate(ps):
        if i % 3 == 0:
            p = FakePerson(**{**p.__dict__, "given_names": p.given_names.replace("A", "Á", 1)
                              .replace("N", "Ñ", 1)})
        out.append(p)
    return out


def write_xlsx(path: Path, ps: list[FakePerson]) -> Path:
    """Two sheets of people under title rows, A-numbers written three ways, Excel dates,
    and a summary sheet of counts that holds no one."""
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append(["Detained population by facility"])
    summary.append(["Facility", "Count"])
    for facility, n in Counter(p.facility for p in ps).items():
        summary.append([facility, n])
    half = len(ps) // 2
    for name, part in (("Adults A-M", ps[:half]), ("Adults N-Z", ps[half:])):
        ws = wb.create_sheet(name)
        ws.append(["U.S. Immigration and Customs Enforcement (fictitious)"])
        ws.append(["Detained population as of 11/19/2022"])
        ws.append([])
        ws.append(["Name", "A-Number", "Date of Birth", "Country of Citizenship",
                   "Detention Facility", "Book-In Date", "Case Status"])
        for i, p in enumerate(part):
            number = p.a_number[1:]
            shown = [p.a_number, f"A-{number[:3]}-{number[3:6]}-{number[6:]}",
                     f"A# {number[:3]} {number[3:6]} {number[6:]}"][i % 3]
            ws.append([p.full_name, shown, p.birth_date, p.nationality, p.facility, p.book_in,
                       p.case_status])
        ws.append([f"Total: {len(part):,}"])
    wb.save(path)
    return path


def write_xls(path: Path, ps: list[FakePerson]) -> Path:
    """The old binary Excel format, as older agency systems still export it."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Detained")
    dated = xlwt.easyxf(num_format_str="MM/DD/YYYY")
    ws.write(0, 0, "Detained population as of 11/19/2022")
    for j, h in enumerate(["Detainee Name", "A-Number", "Date of Birth", "Citizenship Country",
                           "Facility"]):
        ws.write(2, j, h)
    for i, p in enumerate(ps, start=3):
        ws.write(i, 0, p.full_name)
        ws.write(i, 1, p.a_number)
        ws.write(i, 2, p.birth_date, dated)
        ws.write(i, 3, p.nationality)
        ws.write(i, 4, p.facility)
    wb.save(str(path))
    return path


def write_html(path: Path, ps: list[FakePerson]) -> Path:
    rows = "\n".join(
        f"<tr><td>{p.full_name}</td><td>{p.a_number}</td><td>{p.birth_date.isoformat()}</td>"
        f"<td>{p.nationality.title()}</td><td>{p.facility}</td></tr>" for p in ps)
    decoy = people(5, seed=999)
    nav = "".join(f"<li><a href='#'>{d.full_name}</a></li>" for d in decoy)
    script = json.dumps([{"name": d.full_name, "a": d.a_number} for d in decoy])
    path.write_text(f"""<!doctype html><html><head><title>Statistics</title>
<script>var cache = {script};</script><style>td {{ color: black }}</style></head><body>
<nav><ul>{nav}</ul><table><tr><td>Home</td><td>Contact</td><td>Search</td></tr></table></nav>
<h1>Detention statistics</h1><p>Updated weekly.</p>
<table><caption>Detained population</caption>
<thead><tr><th>Detainee Name</th><th>A-Number</th><th>Date of Birth</th><th>Nationality</th>
<th>Facility</th></tr></thead><tbody>{rows}</tbody></table>
<footer>Agency (fictitious) · <a href="#">Privacy</a></footer></body></html>""",
                    encoding="utf-8")
    return path


def person_json(p: FakePerson) -> dict:
    return {"name": {"last": p.family_name, "first": p.given_names},
            "identifiers": {"alien_number": p.a_number, "booking": "B12"},
            "birth": {"date_of_birth": p.birth_date.isoformat()},
            "citizenship": p.nationality, "custody": {"facility": p.facility},
            "flags": ["detained", p.case_status]}


def write_json(path: Path, ps: list[FakePerson]) -> Path:
    path.write_text(json.dumps({"generated": "2022-11-19", "count": len(ps),
                                "detainees": [person_json(p) for p in ps]}), encoding="utf-8")
    return path


def write_jsonl(path: Path, ps: list[FakePerson]) -> Path:
    path.write_text("\n".join(json.dumps(person_json(p)) for p in ps) + "\n", encoding="utf-8")
    return path


def write_pdf(path: Path, ps: list[FakePerson]) -> Path:
    """A ruled table over several pages, its header repeated on each page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.set_font("Helvetica", size=8)
    header = ["Name", "A-Number", "DOB", "Country of Citizenship", "Facility"]
    widths = [95, 28, 22, 52, 78]
    per_page = 25
    for start in range(0, len(ps), per_page):
        pdf.add_page()
        pdf.cell(0, 8, "Detained population (fictitious)", new_x="LMARGIN", new_y="NEXT")
        for h, w in zip(header, widths):
            pdf.cell(w, 6, h, border=1)
        pdf.ln()
        for p in ps[start:start + per_page]:
            for value, w in zip([p.full_name, p.a_number, _us(p.birth_date), p.nationality,
                                 p.facility], widths):
                pdf.cell(w, 6, value, border=1)
            pdf.ln()
    pdf.output(str(path))
    return path


UNRULED = ["Name", "A-Number", "DOB", "Gender", "Country of Citizenship", "Facility"]


def write_unruled_pdf(path: Path, ps: list[FakePerson], *, header: str | None = "every",
                      wrap: bool = False) -> Path:
    """A table drawn WITHOUT ruling lines, columns aligned by position only, as report
    writers print them: a title on each page, "Page n of m" at the foot, the header on every
    page, on the first only (header="first") or nowhere (None); wrap=True narrows the
    facility column so long facility names go on a second line."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=8)
    widths = [100, 26, 22, 15, 54, 38 if wrap else 60]      # 277 mm: the landscape page
    pages: list[list[FakePerson]] = []
    rows = 0
    for p in ps:    # a row is one line, or two when its facility wraps
        height = 2 if pdf.get_string_width(p.facility) > widths[-1] - 2 else 1
        if not pages or rows + height > 28:
            pages.append([])
            rows = 0
        pages[-1].append(p)
        rows += height
    for n, page in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 8, "Detained population (fictitious) as of 11/19/2022",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        if header == "every" or (header == "first" and n == 1):
            for h, w in zip(UNRULED, widths):
                pdf.cell(w, 6, h, border=0)
            pdf.ln()
        for p in page:
            for value, w in zip([p.full_name, p.a_number, _us(p.birth_date), p.gender,
                                 p.nationality], widths):
                # text wider than its cell would run over the next one: none may
                assert pdf.get_string_width(value) < w - 2 * pdf.c_margin, value
                pdf.cell(w, 5, value, border=0)
            pdf.multi_cell(widths[-1], 5, p.facility, border=0, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.cell(0, 6, f"Page {n} of {len(pages)}", align="C")
    pdf.output(str(path))
    return path


def assert_people(found: list[dict], ps: list[FakePerson], *, birth: bool = True,
                  number: bool = True) -> None:
    """Every person of the file found once, every field as the generator made it."""
    key = (lambda p: p.a_number) if number else (lambda p: p.full_name)
    want = {key(p): p for p in ps}
    got = {(f["a_number"] if number else f["full_name"]): f for f in found}
    assert len(found) == len(ps) and got.keys() == want.keys()
    for k, p in want.items():
        f = got[k]
        assert (f["full_name"], f["a_number"], f.get("nationality"), f.get("facility")) == (
            p.full_name, p.a_number if number else None, SHORT[p.nationality], p.facility), k
        if birth:
            assert f.get("birth_date") == p.birth_date.isoformat(), k


def write_email(path: Path, ps: list[FakePerson]) -> Path:
    """An e-mail that quotes part of the list: an aligned block, then prose mentions."""
    block, prose = ps[: len(ps) // 2], ps[len(ps) // 2:]
    lines = ["From: intake@advocates-fictitious.org", "Subject: your list is online", "",
             "Hello, we found the attached list on your site. Our clients are in it:", "",
             "> Name                          A-Number      DOB          Country"]
    for p in block:
        lines.append(f"> {p.full_name:<40}  {p.a_number:<12}  {p.birth_date.isoformat()}  "
                     f"{p.nationality}")
    lines += ["", "Also affected:"]
    for p in prose:
        lines.append(f"- {p.full_name}, A# {p.a_number[1:4]} {p.a_number[4:7]} {p.a_number[7:]},"
                     f" a national of {p.nationality.title()}, born {p.birth_date.isoformat()}.")
    lines += ["", "Call us at (202) 555-0143. Regards, Intake team"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_blank_pdf(path: Path, pages: int, declared: int | None = None) -> Path:
    """A minimal PDF of `pages` empty pages, written by hand (fpdf2 takes minutes for 100,000),
    whose page tree announces `declared` pages (default: the truth)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
                   pages if declared is None else declared,
                   b" ".join(b"%d 0 R" % (3 + i) for i in range(pages)))]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


# ---------------------------------------------------------------- issue 11: identities, claims
# What each value of synthetic.CLAIM_STATUS / CLAIM_FEAR must give (written out here, not
# computed by the code under test): a claim named, or a fear interview recorded whatever
# its result (8 CFR 208.6 protects the claim, not its outcome).
STATUS_FLAGS: dict[str, set[str]] = {
    "Pending": set(), "Final Order": set(), "Asylum Pending": {"asylum"},
    "I-589 Filed": {"asylum"}, "Released": set(),
    "Withholding of Removal Granted": {"withholding"}, "CAT Deferral": {"cat"},
    "Asylum Denied": {"asylum"}, "Not Applicable": set(), "No Asylum Claim": set()}
FEAR_FLAGS: dict[str, set[str]] = {
    "Positive": {"credible_fear"}, "Negative": {"credible_fear"},
    "Pending": {"credible_fear"}, "Not Applicable": set(), "None": set(), "": set()}


def expected_flags(p: FakePerson) -> list[str]:
    """The risk flags a scan must give a person of `synthetic.people_with_claims`."""
    found = STATUS_FLAGS[p.case_status] | FEAR_FLAGS[p.fear_result]
    return ["protected_208_6", *sorted(found)] if found else []


def write_claims_csv(path: Path, ps: list[FakePerson], *,
                     headers: tuple[str, str] = ("Relief Sought", "CFI Result")) -> Path:
    """A CSV roster with a case-status and a fear-interview column under other headers than
    the workbook's."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["A-Number", "Last Name", "First Name", "DOB", "Citizenship", "Facility",
                    *headers])
        for p in ps:
            w.writerow([p.a_number, p.family_name, p.given_names, _us(p.birth_date),
                        p.nationality, p.facility, p.case_status, p.fear_result])
    return path


def other_identities(ps: list[FakePerson], every: int = 7) -> tuple[list[FakePerson], set[str]]:
    """A second copy of a roster as another export would write it: every `every`-th person
    has another family name (one in two) or birth date (the other), which is another
    identity for the same A-number; the rest are the same people, some written 'Given
    FAMILY' in mixed case with their accents and commas lost (no conflict). Returns the copy
    and the A-numbers with another identity."""
    out, changed = [], set()
    for i, p in enumerate(ps):
        if i % every == every // 2:
            changed.add(p.a_number)
            p = FakePerson(**{**p.__dict__, **({"family_name": p.family_name + "OV"} if i % 2
                                               else {"birth_date": p.birth_date.replace(
                                                   day=1 if p.birth_date.day != 1 else 2)})})
        out.append(p)
    return out, changed


def write_names_csv(path: Path, ps: list[FakePerson], *, given_first: set[str] = frozenset(),
                    extra: list[tuple[FakePerson, str]] = ()) -> Path:
    """A CSV with one full-name column: 'FAMILY, GIVEN', or 'Given Family' for the A-numbers
    in `given_first`; `extra` rows (a person, a name) follow, repeating A-numbers."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "A-Number", "Date of Birth", "Country of Citizenship", "Facility"])
        for p in ps:
            name = (f"{p.given_names.title()} {p.family_name.title()}"
                    if p.a_number in given_first else p.full_name)
            w.writerow([name, p.a_number, _us(p.birth_date), p.nationality, p.facility])
        for p, name in extra:
            w.writerow([name, p.a_number, _us(p.birth_date), p.nationality, p.facility])
    return path


# -------------------------------------------------------------- people in prose
# Each layout writes one person as prose and says what a scan must read back: the name as
# the text gives it ("Given FAMILY" is stored "FAMILY, Given", as a table's family and given
# columns are), the birth date, the nationality's short name and the facility.
def _dashed(a_number: str) -> str:
    return f"A{a_number[1:4]}-{a_number[4:7]}-{a_number[7:]}"


def _spelled(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _expect(p: FakePerson, family: str, given: str, *, full: str | None = None,
            birth: bool = True, facility: bool = True) -> dict:
    return {"a_number": p.a_number, "full_name": full or f"{family}, {given}",
            "family_name": None if full else family, "given_names": None if full else given,
            "birth_date": p.birth_date.isoformat() if birth else None,
            "nationality": SHORT[p.nationality], "facility": p.facility if facility else None}


def prose_list(p: FakePerson) -> str:
    return (f"{p.full_name} — {_dashed(p.a_number)} — DOB {_us(p.birth_date)} — {p.nationality}"
            f" — {p.facility}")


def prose_paragraph(p: FakePerson) -> str:
    return (f"My client {p.given_names.title()} {p.family_name} (A#{p.a_number[1:]}), a national"
            f" of {SHORT[p.nationality]}, was born on {_spelled(p.birth_date)} and is held at"
            f" {p.facility}. Her next hearing is on 12/05/2022.")


def prose_record(p: FakePerson) -> str:
    return (f"Client: {p.given_names.title()} {p.family_name}\nA-number: {p.a_number}\n"
            f"Date of birth: {_us(p.birth_date)}\nCountry of citizenship: {p.nationality.title()}"
            f"\nFacility: {p.facility}\n")


def prose_forum(p: FakePerson) -> str:
    return (f"A#{p.a_number[1:]} - {p.family_name.title()}, {p.given_names.title()}, DOB"
            f" {_us(p.birth_date)}, {SHORT[p.nationality]}, held at {p.facility}.")


PROSE_LAYOUTS = [
    (prose_list, lambda p: _expect(p, p.family_name, p.given_names)),
    (prose_paragraph, lambda p: _expect(p, p.family_name, p.given_names.title())),
    (prose_record, lambda p: _expect(p, p.family_name, p.given_names.title())),
    (prose_forum, lambda p: _expect(p, p.family_name.title(), p.given_names.title())),
]


def write_prose_email(path: Path, ps: list[FakePerson]) -> tuple[Path, dict[str, dict]]:
    """A forwarded e-mail that quotes people in the four layouts in turn (after a header
    with a Sent: date, and an aligned header-less block that is no table); and what a scan
    must find for each, by A-number."""
    lines = ["From: intake@advocates-fictitious.org", "Sent: Monday, November 21, 2022 10:14 AM",
             "To: records@agency-fictitious.gov", "Subject: FW: people on your list", "",
             "Hello, these people are on the list you posted on 11/18/2022:", ""]
    expected = {}
    for i, p in enumerate(ps):
        write, expect = PROSE_LAYOUTS[i % len(PROSE_LAYOUTS)]
        lines.append(write(p))
        expected[p.a_number] = expect(p)
    lines += ["", "Please take it down. Call us at (202) 555-0143.", "Regards, Intake team"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, expected


def write_wrapped_email(path: Path, ps: list[FakePerson]) -> tuple[Path, dict[str, dict]]:
    """A plain-text e-mail hard-wrapped at 72 columns: the first half of the people in one
    paragraph (names, dates and facilities cut by the wrap), the rest one a line; and what a
    scan must find for each."""
    import textwrap

    half = len(ps) // 2
    lines = textwrap.wrap("We represent the following people. "
                          + " ".join(prose_paragraph(p) for p in ps[:half]), 72)
    lines += ["", "And these, from the list itself:"] + [prose_list(p) for p in ps[half:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = {p.a_number: PROSE_LAYOUTS[1][1](p) for p in ps[:half]}
    expected.update({p.a_number: PROSE_LAYOUTS[0][1](p) for p in ps[half:]})
    return path, expected
