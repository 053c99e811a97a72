"""Prose benchmark: lines of prose per second through a scan, on a generated e-mail-like text
of made-up people in several layouts (one per line, paragraphs, record blocks, filler lines).

    python bench/prose.py [--people 1500]

Goal (issue 11): names, birth dates, nationalities and facilities from prose without making a
prose line much slower than presidio's analyze of it (about 2 ms).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from warroom.synthetic import people


def lines(n: int) -> list[str]:
    """About 2.5 lines per person, in turn: a list line, a sentence, a labelled record."""
    out: list[str] = []
    for i, p in enumerate(people(n, seed=11)):
        born = p.birth_date.strftime("%m/%d/%Y")
        number = f"{p.a_number[1:4]}-{p.a_number[4:7]}-{p.a_number[7:]}"
        if i % 3 == 0:
            out.append(f"{p.full_name} — A{number} — DOB {born} — {p.nationality.title()}"
                       f" — {p.facility}")
        elif i % 3 == 1:
            out.append(f"My client {p.given_names.title()} {p.family_name} (A#{p.a_number[1:]}),"
                       f" a national of {p.nationality.title()} born on"
                       f" {p.birth_date:%B} {p.birth_date.day}, {p.birth_date.year}, is held at"
                       f" {p.facility}. We wrote to the office on 11/02/2022 about it.")
        else:
            out += [f"Client: {p.given_names.title()} {p.family_name}",
                    f"A-number: {p.a_number}", f"Date of birth: {born}", ""]
        if i % 5 == 0:
            out.append("Please call us back at your earliest convenience, thank you.")
    return out


class Nothing:
    """An analyzer engine that finds nothing: prose.py's own work, without presidio's."""

    def analyze(self, *args, **kwargs) -> list:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from warroom.artifact import prose
    from warroom.artifact.analyzer import analyzer
    from warroom.artifact.scan import Scan

    engine = analyzer().engine                   # loaded once, not timed
    text = lines(args.people)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tip.txt"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        presidio = scan = alone = float("inf")
        for _ in range(args.runs):     # alternated, best CPU time of each: a shared machine
            started = time.process_time()
            for line in text:                    # what the scan did before: presidio per line
                if any(ch.isdigit() or ch == "@" for ch in line):
                    engine.analyze(line[:5000], language="en", score_threshold=0.4)
            presidio = min(presidio, time.process_time() - started)
            started = time.process_time()
            found = list(Scan(path).people())
            scan = min(scan, time.process_time() - started)
            started = time.process_time()
            prose.read(text, Nothing())
            alone = min(alone, time.process_time() - started)
    named = sum(1 for p in found if p.get("full_name"))
    born = sum(1 for p in found if p.get("birth_date"))
    print(f"{len(text):,} lines, {args.people:,} people")
    print("CPU seconds, best of each:")
    print(f"presidio per line alone: {presidio:.2f} s, {len(text) / presidio:,.0f} lines/s")
    print(f"scan (presidio + prose.py): {scan:.2f} s, {len(text) / scan:,.0f} lines/s,"
          f" x{scan / presidio:.2f}")
    print(f"prose.py alone (an engine that finds nothing): {alone:.2f} s,"
          f" {alone / len(text) * 1000:.2f} ms a line")
    print(f"found {len(found):,} people, {named:,} named, {born:,} with a birth date")


if __name__ == "__main__":
    main()
