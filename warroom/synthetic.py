"""Made-up people for the demo, the tests and the benchmarks. Fixed seeds, no real person.

Names are built from syllables, so they read like names without being anyone's. A-numbers are
drawn from A900000000–A999999999, a range far above any number issued so far. Facilities are
invented. Nothing here is a sample of real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ONSETS = ["b", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "x", "y", "z", "br", "dr", "kr", "tr", "sh", "zh", "qu", "ly", "mar", "sor", "ven"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ue"]
CODAS = ["", "", "", "n", "r", "s", "l", "z", "th", "ng", "x", "d"]

# (country as the file writes it, share). Mixed forms on purpose: official long forms,
# demonym-free short names, as a government export would have them.
NATIONALITIES = [
    ("MEXICO", 0.24), ("GUATEMALA", 0.13), ("HONDURAS", 0.12), ("EL SALVADOR", 0.06),
    ("CUBA", 0.06), ("VENEZUELA", 0.05), ("NICARAGUA", 0.05), ("COLOMBIA", 0.04),
    ("ECUADOR", 0.04), ("HAITI", 0.03), ("INDIA", 0.03), ("CHINA, PEOPLES REPUBLIC OF", 0.03),
    ("RUSSIA", 0.025), ("IRAN", 0.0162), ("BRAZIL", 0.02), ("PERU", 0.02),
    ("DOMINICAN REPUBLIC", 0.015), ("ROMANIA", 0.01), ("TURKEY", 0.01), ("MAURITANIA", 0.0138),
]

FACILITIES = [
    "Alder Creek Processing Center", "Stonebridge Detention Facility",
    "Cedar Valley Correctional Center", "North Fork County Jail",
    "Marlow Basin Processing Center", "Quarry Hill Detention Facility",
    "Sable Point Service Processing Center", "Juniper Flats County Jail",
    "Ironwood Correctional Facility", "Larkspur Regional Detention Center",
]

CASE_STATUS = ["Pending", "Final Order", "Pending Appeal", "Released", "Removed"]
FEAR_RESULT = ["Positive", "Negative", "Pending", "Not Applicable"]
GENDERS = ["Male", "Female"]

STAMP = datetime(2022, 11, 19, 8, 30)   # the workbook's creation time, fixed: same rows, same bytes

HEADER = ["Name", "A-Number", "Date of Birth", "Gender", "Country of Citizenship",
          "Detention Facility", "Book-In Date", "Case Status", "Fear Interview Result"]


@dataclass(frozen=True)
class FakePerson:
    family_name: str
    given_names: str
    a_number: str          # 'A9xxxxxxxx'
    birth_date: date
    nationality: str       # as written in the file
    facility: str
    gender: str
    book_in: date
    case_status: str
    fear_result: str

    @property
    def full_name(self) -> str:
        return f"{self.family_name}, {self.given_names}"

    def row(self) -> list:
        return [self.full_name, self.a_number, self.birth_date, self.gender, self.nationality,
                self.facility, self.book_in, self.case_status, self.fear_result]


def _word(rng: random.Random) -> str:
    syllables = rng.choice((2, 2, 3))
    text = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
    return (text + rng.choice(CODAS)).upper()


def people(n: int, seed: int = 2022, as_of: date = date(2022, 11, 19)) -> list[FakePerson]:
    """n distinct made-up people (distinct A-numbers), the same for the same seed."""
    rng = random.Random(seed)
    countries = [c for c, _ in NATIONALITIES]
    weights = [w for _, w in NATIONALITIES]
    numbers = rng.sample(range(900_000_000, 1_000_000_000), n)
    out = []
    for number in numbers:
        family = _word(rng) + (" " + _word(rng) if rng.random() < 0.35 else "")
        given = _word(rng) + (" " + _word(rng) if rng.random() < 0.4 else "")
        born = as_of - timedelta(days=rng.randint(18 * 365, 70 * 365))
        out.append(FakePerson(
            family_name=family, given_names=given, a_number=f"A{number}", birth_date=born,
            nationality=rng.choices(countries, weights)[0], facility=rng.choice(FACILITIES),
            gender=rng.choice(GENDERS), book_in=as_of - timedelta(days=rng.randint(1, 400)),
            case_status=rng.choice(CASE_STATUS), fear_result=rng.choice(FEAR_RESULT),
        ))
    return out


# Case statuses and fear-interview results that record a claim for protection (8 CFR 208.6:
# warroom/artifact/risk.py), mixed with ones that record none, for `people_with_claims`.
CLAIM_STATUS = ["Pending", "Final Order", "Asylum Pending", "I-589 Filed", "Released",
                "Withholding of Removal Granted", "CAT Deferral", "Asylum Denied",
                "Not Applicable", "No Asylum Claim"]
CLAIM_FEAR = ["Positive", "Negative", "Pending", "Not Applicable", "None", ""]


def people_with_claims(n: int, seed: int = 2208) -> list[FakePerson]:
    """n made-up people like `people`, whose case status and fear-interview result are drawn
    from CLAIM_STATUS and CLAIM_FEAR: a file where some records show an asylum,
    withholding, torture-convention or fear claim. (`people` stays as it was: the demo and
    its pictures depend on it.)"""
    rng = random.Random(seed)
    return [FakePerson(**{**p.__dict__, "case_status": rng.choice(CLAIM_STATUS),
                          "fear_result": rng.choice(CLAIM_FEAR)})
            for p in people(n, seed=seed)]


def write_xlsx(path, rows: list[FakePerson], title: str | None = None) -> None:
    """A roster workbook shaped like a government export: title rows, then the table. The
    same rows give the same bytes: the workbook's dates and every zip entry's time are fixed
    (openpyxl stamps the time of saving on both)."""
    import io
    import zipfile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    wb.properties.creator = "warroom synthetic data"
    wb.properties.created = wb.properties.modified = STAMP
    ws = wb.create_sheet("Detained Population")
    if title:
        ws.append([title])
        ws.append([])
    ws.append(HEADER)
    for p in rows:
        ws.append(p.row())
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with (zipfile.ZipFile(buffer) as made,
          zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out):
        for entry in made.infolist():
            steady = zipfile.ZipInfo(entry.filename, date_time=STAMP.timetuple()[:6])
            steady.compress_type = zipfile.ZIP_DEFLATED
            steady.external_attr = 0o600 << 16
            out.writestr(steady, made.read(entry))


# how rosters shorten facility words (the agency's own workbook writes DET, CTR, IPC, SPC)
SHORTENED = {"DETENTION": ("DET", "DET."), "CENTER": ("CTR", "CNTR", "CTR.", "CENTRE"),
             "FACILITY": ("FAC", "FAC."), "CORRECTIONAL": ("CORR", "CORR."),
             "PROCESSING": ("PROC", "PROC."), "COUNTY": ("CO", "CO.", "CNTY")}


def misspell(name: str, rng: random.Random) -> str:
    """One way a person typing a roster might write a facility's name: another case, words
    shortened, punctuation and blanks added, and sometimes one typo in a long word."""
    words = []
    for word in name.split():
        if word.upper() in SHORTENED and rng.random() < 0.6:
            word = rng.choice(SHORTENED[word.upper()])
        words.append(word)
    if rng.random() < 0.4:          # one typo: a letter dropped, doubled or swapped
        longs = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if longs:
            i = rng.choice(longs)
            w, at = words[i], rng.randrange(1, len(words[i]) - 2)
            words[i] = rng.choice((w[:at] + w[at + 1:], w[:at] + w[at] + w[at:],
                                   w[:at] + w[at + 1] + w[at] + w[at + 2:]))
    text = rng.choice(("  ", " ", " ", " - " if len(words) > 2 else " ")).join(words)
    text = rng.choice((str.upper, str.lower, str.title, str))(text)
    return rng.choice(("", " ", "\t")) + text + rng.choice(("", "  ", "."))
