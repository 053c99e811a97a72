"""Presidio runs offline: a full scan with every socket path forbidden, and an empty HOME
and cache, so no cached public-suffix list can hide a fetch."""

from __future__ import annotations

import os
import subprocess
import sys

import files

GUARD = r"""
import socket, sys
def refuse(*a, **k):
    raise RuntimeError("NETWORK ATTEMPT: %r" % (a[:2],))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from warroom.artifact.scan import scan_file
r = scan_file(sys.argv[1])
print(r.records, r.entities["EMAIL_ADDRESS"], r.entities["PHONE_NUMBER"], r.nlp)
"""


def test_full_scan_opens_no_socket(tmp_path):
    ps = files.roster(60, seed=41)
    path = tmp_path / "list.csv"
    with path.open("w") as fh:
        fh.write("Name,Alien #,DOB,Citizenship,Email,Phone\n")
        for i, p in enumerate(ps):
            fh.write(f"\"{p.full_name}\",{p.a_number[1:]},{p.birth_date},{p.nationality},"
                     f"person{i}@mail-fictitious.org,(202) 555-{1000 + i:04d}\n")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "TLDEXTRACT_CACHE": str(home / "tld")}
    env.pop("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", None)
    out = subprocess.run([sys.executable, "-c", GUARD, str(path)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert "NETWORK ATTEMPT" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stderr
    records, emails, phones, nlp = out.stdout.split(maxsplit=3)
    assert (int(records), int(emails), int(phones)) == (60, 60, 60)
    assert "blank spaCy pipeline" in nlp or "spaCy model" in nlp
    assert not (home / ".cache").exists() or not any((home / ".cache").rglob("*suffix*"))


def test_the_guard_itself_catches_a_fetch(tmp_path):
    """The guard would see a network attempt: prove it on the default tldextract."""
    code = GUARD.split("from warroom")[0] + "import tldextract\ntldextract.extract('a.b.co.uk')\n"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "TLDEXTRACT_CACHE": str(home / "tld")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)
    assert "NETWORK ATTEMPT" in out.stderr or "NETWORK ATTEMPT" in out.stdout


SPACY_MODEL = r"""
import sys
from warroom.artifact.scan import scan_file
r = scan_file(sys.argv[1])
print(r.nlp, "|", r.records)
"""


def test_a_model_in_a_folder_is_used_and_named(tmp_path):
    """A real pipeline (tokenizer + NER, built here, offline) given by folder is loaded
    instead of the blank one, and the output says so."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")
    nlp.initialize()
    model = tmp_path / "model"
    nlp.to_disk(model)
    ps = files.roster(30, seed=42)
    sheet = files.write_xlsx(tmp_path / "l.xlsx", ps)
    env = {**os.environ, "WARROOM_SPACY_MODEL": str(model)}
    out = subprocess.run([sys.executable, "-c", SPACY_MODEL, str(sheet)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    nlp_name, records = out.stdout.strip().split(" | ")
    assert nlp_name == f"spaCy model {model}" and int(records) == 30
    env["WARROOM_SPACY_MODEL"] = str(tmp_path / "missing")
    out = subprocess.run([sys.executable, "-m", "warroom", "--db", str(tmp_path / "n.db"),
                          "scan", str(sheet)], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 1 and "WARROOM_SPACY_MODEL" in out.stderr
