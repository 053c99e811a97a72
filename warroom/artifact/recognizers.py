"""Presidio recognizers for what presidio lacks: A-numbers, dates of birth, nationalities,
detention facilities (by pattern, by the demo's names, and any cell that is a known facility:
facilities.py), and name-shaped table cells. Presidio is imported only inside build(),
so the constants and header_context here cost nothing to import."""

from __future__ import annotations

import re

from warroom.paths import data_lines

A_NUMBER = "A_NUMBER"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
NATIONALITY = "NATIONALITY"
FACILITY = "FACILITY"
PERSON = "PERSON"

# Context words, matched whole (see header_context): the header of a column is its context.
A_NUMBER_CONTEXT = ["alien", "anumber", "a number", "a#", "a #", "ano", "a no", "afile",
                    "a file", "alien number", "registration", "uscis"]
DOB_CONTEXT = ["birth", "dob", "born", "birthdate", "birthday", "nacimiento", "d o b", "fdn",
               "fecha de nacimiento", "date of birth"]
NATIONALITY_CONTEXT = ["nationality", "citizenship", "country", "citizen", "nacionalidad",
                       "pais", "origin", "birthplace"]
FACILITY_CONTEXT = ["facility", "detention", "location", "center", "jail", "housed", "custody"]
# "last" or "first" alone is no name ("Last Inspection Type"): only name words count
NAME_CONTEXT = ["name", "names", "nombre", "nombres", "surname", "surnames", "lastname",
                "firstname", "apellido", "apellidos", "detainee", "forename", "forenames",
                "fullname", "last name", "first name", "given name", "given names",
                "family name", "middle name", "middle names", "detainee name"]

DATE_PATTERN = (r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}"
                r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}"
                r"|\d{1,2}[- ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
                r"[- ,]+\d{2,4}"
                r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})")

FACILITY_PATTERN = (
    r"(?i)\b[a-z0-9][\w'.&/-]*(?:\s+[\w'.&/()-]+){0,6}?\s+"
    r"(?:(?:service|ice|regional|family|contract|federal|county|residential)\s+)*"
    r"(?:processing|detention|det|correctional|corrections|residential|staging)\s+"
    r"(?:center|centre|ctr|facility|complex|annex|institute)\b"
    r"|\b[a-z0-9][\w'.&-]*(?:\s+[\w'.&-]+){0,3}?\s+(?:county|parish|city)\s+"
    r"(?:jail|prison|detention center|correctional facility|sheriff'?s office|justice center)\b"
)

# Words that make a cell an institution, not a person.
INSTITUTION_WORDS = frozenset(
    "CENTER CENTRE CTR FACILITY JAIL COUNTY PARISH DETENTION PROCESSING CORRECTIONAL "
    "CORRECTIONS PRISON PENITENTIARY ANNEX COMPLEX OFFICE SHERIFF SHERIFFS INSTITUTE "
    "INSTITUTION DEPARTMENT HOSPITAL RESIDENTIAL REGIONAL FEDERAL STAGING HOLD SPC CDF "
    "IGSA USMS BOP DHS ICE USCIS TOTAL SUBTOTAL AVERAGE".split())


def header_context(header: str) -> list[str]:
    """A column header as context words: each word, neighbours joined, and the whole."""
    text = header.lower().strip()
    words = [w for w in re.split(r"[^0-9a-z#áéíóúñ]+|(?<=[a-z])(?=#)", text) if w]
    out = set(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    out.update(f"{a}{b}" for a, b in zip(words, words[1:]))
    out.add(" ".join(words))
    out.add("".join(words))
    return sorted(out)


def build() -> list:
    """Warroom's own recognizers, ready to add to a presidio RecognizerRegistry."""
    from presidio_analyzer import Pattern, PatternRecognizer

    a_number = PatternRecognizer(
        supported_entity=A_NUMBER, name="ANumberRecognizer", context=A_NUMBER_CONTEXT,
        patterns=[
            Pattern("a_number_prefixed",
                    r"(?<![A-Za-z0-9])[Aa]\s?(?:#|-|No\.?)?\s?(?:\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})"
                    r"(?![0-9])", 0.85),
            Pattern("a_number_bare", r"(?<![0-9A-Za-z-])(?:\d{3}[- ]?\d{3}[- ]?\d{3}|\d{8})"
                                     r"(?![0-9])", 0.05),
        ])
    dob = PatternRecognizer(
        supported_entity=DATE_OF_BIRTH, name="DateOfBirthRecognizer", context=DOB_CONTEXT,
        patterns=[Pattern("date", r"(?i)\b" + DATE_PATTERN + r"\b", 0.05)])
    facility = PatternRecognizer(
        supported_entity=FACILITY, name="FacilityRecognizer", context=FACILITY_CONTEXT,
        patterns=[Pattern("facility", FACILITY_PATTERN, 0.7)],
        deny_list=data_lines("facilities.txt"), deny_list_score=0.9)
    name = PatternRecognizer(
        supported_entity=PERSON, name="NameCellRecognizer", context=NAME_CONTEXT,
        patterns=[Pattern("name_cell",
                          r"^\s*[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?"
                          r"(?:(?:\s+|\s*,\s*)[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?){0,6}"
                          r"\s*$", 0.05)])
    return [a_number, dob, facility, _facility_name_recognizer(), name,
            _nationality_recognizer()]


def _facility_name_recognizer():
    """A cell that is a known facility, in any spelling the matcher gives one name (the
    agency's list, data/facilities.tsv, as presidio deny-list entries would make each
    column's classification half again slower: one regex alternative per name; one cached
    match per distinct cell costs next to nothing)."""
    from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

    from warroom.artifact.facilities import facilities

    class FacilityNameRecognizer(EntityRecognizer):
        def __init__(self) -> None:
            super().__init__(supported_entities=[FACILITY], name="FacilityNameRecognizer",
                             supported_language="en", context=FACILITY_CONTEXT)

        def load(self) -> None:
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            if not facilities().known(text):
                return []
            start, end = len(text) - len(text.lstrip()), len(text.rstrip())
            explanation = AnalysisExplanation(recognizer=self.name, original_score=0.9,
                                              textual_explanation="a known facility")
            return [RecognizerResult(FACILITY, start, end, 0.9, explanation,
                                     recognition_metadata={
                                         RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                         RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})]

    return FacilityNameRecognizer()


def _nationality_recognizer():
    """Country names, long forms, aliases and demonyms, whole words, via one Aho-Corasick
    automaton (much faster than a deny-list regex with the same hits)."""
    from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

    from warroom.artifact.countries import countries

    class NationalityRecognizer(EntityRecognizer):
        def __init__(self) -> None:
            super().__init__(supported_entities=[NATIONALITY], name="NationalityRecognizer",
                             supported_language="en", context=NATIONALITY_CONTEXT)

        def load(self) -> None:
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            found = []
            for start, end, short in country_mentions(text, countries()):
                # presidio's context enhancer needs the explanation filled in
                explanation = AnalysisExplanation(
                    recognizer=self.name, original_score=0.6, textual_explanation=short)
                found.append(RecognizerResult(
                    NATIONALITY, start, end, 0.6, explanation, recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
            return found

    return NationalityRecognizer()


def country_mentions(text: str, table) -> list[tuple[int, int, str]]:
    """Country mentions with offsets into the original text (normalization keeps words in
    order, so words are mapped back one by one; a word may normalize to two, 'Ŀ' to 'L ·')."""
    from bisect import bisect_left, bisect_right

    from warroom.artifact.countries import normalize

    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)*", text)]
    norm_words = [normalize(text[a:b]) for a, b in spans]
    joined, starts = "", []
    for word in norm_words:
        starts.append(len(joined) + (1 if joined else 0))
        joined = f"{joined} {word}" if joined else word
    out = []
    for start, end, short in table.find(joined):
        first = max(bisect_right(starts, start) - 1, 0)    # the word the mention starts in
        last = max(bisect_left(starts, end) - 1, first)    # and the word it ends in
        out.append((spans[first][0], spans[last][1], short))
    return out
