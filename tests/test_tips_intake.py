"""Tips from files: mail messages built by the test with the standard library (plain, with an
HTML alternative and an attachment, HTML only, hostile) and JSON files; `warroom tip import`."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from clirun import invoke, one_json, one_line

from warroom.errors import WarroomError
from warroom.incident import open_incident
from warroom.journal import Journal, queries
from warroom.journal.verify import verify
from warroom.tips.intake import MAX_MAIL, html_text, import_files, read_eml, read_json

from conftest import at


def mail(body: str = "A copy is at https://forum.example/t/123?session=S3CR3T and our client"
                     " A# 987 654 321 is in it.", *, html: str | None = None,
         attachment: bytes | None = None, sender: str = "Maria Ruiz <maria@advocates.example>",
         subject: str = "List of detainees online", date=None, message_id: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "response@agency.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or at("2022-11-28T13:53:00-05:00"))
    if message_id:
        msg["Message-ID"] = make_msgid(domain="advocates.example")
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="octet-stream",
                           filename="list.xlsx")
    return msg.as_bytes()


def test_a_mail_becomes_a_tip_with_its_sender_date_urls_and_a_numbers():
    data = mail(html="<p>ignored: <script>alert(1)</script></p>", attachment=b"PK\x03\x04 x")
    tip = read_eml(data)
    assert tip.source == "Maria Ruiz" and tip.contact == "maria@advocates.example"
    assert tip.channel == "email"
    assert tip.text.startswith("List of detainees online\n\nA copy is at")
    assert "ignored" not in tip.text and "alert" not in tip.text and "PK" not in tip.text
    assert tip.urls == ("https://forum.example/t/123?session=S3CR3T",)
    assert tip.a_numbers == ("A987654321",)
    assert tip.received_at == at("2022-11-28T18:53:00+00:00")
    assert tip.key.startswith("<") and tip.key.endswith("@advocates.example>")
    assert read_eml(data, source="Advocates Network").source == "Advocates Network"


def test_an_html_only_mail_is_read_as_text_never_rendered():
    msg = EmailMessage()
    msg["From"] = "news@group.example"
    msg["Subject"] = "found it"
    msg.set_content("<html><head><style>p{}</style><title>T</title></head><body><p>Copy at"
                    " <a href='https://m.example/f.csv'>this mirror</a></p><script>x()</script>"
                    "<img src='https://tracker.example/p.gif'></body></html>", subtype="html")
    tip = read_eml(msg.as_bytes())
    assert "Copy at" in tip.text and "this mirror" in tip.text
    assert "x()" not in tip.text and "p{}" not in tip.text and "tracker" not in tip.text
    assert tip.urls == ("https://m.example/f.csv",)
    assert tip.source == "group.example" and tip.received_at is None   # no Date: on receipt
    assert html_text("<p>a</p><p>b &amp; c</p>") == "a\nb & c"


def test_hostile_mails_are_refused_or_read_safely():
    with pytest.raises(WarroomError, match="larger than"):
        read_eml(b"x" * (MAX_MAIL + 1))
    with pytest.raises(WarroomError, match="no subject and no text part"):
        read_eml(mail(body="", subject=""))
    future = read_eml(mail(date=at("2099-01-01T00:00:00+00:00")))
    assert future.received_at is None
    odd = (b"From: =?unknown-8bit?q?=FF=FE?= <<<@@>>>\r\nSubject: =?x-bogus?b?////?=\r\n"
           b"Date: yesterday at noon\r\nContent-Type: text/plain; charset=x-no-such\r\n\r\n"
           b"tip body \xff\xfe with https://ok.example/a\r\n")
    tip = read_eml(odd)
    assert "tip body" in tip.text and tip.urls == ("https://ok.example/a",)
    assert tip.received_at is None and tip.key   # keyed by the bytes when there is no id
    many = EmailMessage()
    many["From"] = "a@b.example"
    many["Subject"] = "parts"
    many.set_content("first")
    for i in range(400):
        many.add_attachment(f"part {i}".encode(), maintype="text", subtype="plain",
                            filename=f"p{i}.txt")
    assert read_eml(many.as_bytes()).text == "parts\n\nfirst"
    huge = read_eml(mail(body="y" * 50_000))
    assert len(huge.text) == 20_000 and huge.text.endswith("was cut]")


def test_json_tips_are_checked_whole_before_any_is_recorded(journal, tmp_path):
    open_incident(journal, "json")
    good = {"source": "Advocates", "text": "copy on a forum", "urls": ["https://f.example/x"],
            "a_numbers": ["A-123-456-789"], "received_at": "2022-11-28T15:00:00-05:00",
            "id": "adv-1"}
    assert len(read_json(json.dumps([good, {**good, "id": "adv-2"}]).encode())) == 2
    assert len(read_json(json.dumps({"tips": [good]}).encode())) == 1
    for bad, said in [({**good, "sender": "x"}, "sender: Extra inputs are not permitted"),
                      ({**good, "text": ""}, "text: String should have at least 1 character"),
                      ({**good, "received_at": "2022-11-28T15:00:00"}, "received_at"),
                      ({k: v for k, v in good.items() if k != "source"}, "names no source"),
                      ({**good, "urls": "https://f.example/x"}, "urls: Input should be")]:
        with pytest.raises(WarroomError, match=f"tip 2: .*{said}|tip 2 {said}"):
            read_json(json.dumps([good, bad]).encode())
    with pytest.raises(WarroomError, match="not JSON"):
        read_json(b"[{")
    path = tmp_path / "tips.json"
    path.write_text(json.dumps([good, {**good, "id": "adv-2", "a_numbers": ["A12345678X"]}]))
    with pytest.raises(WarroomError, match=r"tip 2: a_numbers\.0: not an A-number"):
        import_files(journal, [path])
    assert queries.counts(journal.conn)["tips"] == 0
    path.write_text(json.dumps([good, {"text": "no id: keyed by content"}]))
    first = import_files(journal, [path], source="Default Org")
    again = import_files(journal, [path], source="Default Org")
    assert [r.duplicate for r in first] == [False, False]
    assert [r.duplicate for r in again] == [True, True]
    rows = queries.tips(journal.conn)
    assert {r["source"] for r in rows} == {"Advocates", "Default Org"}
    assert {r["channel"] for r in rows} == {"file"}


def test_a_bad_record_in_a_file_leaves_the_journal_as_it_was(journal, tmp_path):
    open_incident(journal, "json")
    path = tmp_path / "tips.json"
    path.write_text(json.dumps([{"source": "A", "text": "fine"},
                                {"source": "A", "text": "bad", "urls": ["ftp://x/y"]}]))
    with pytest.raises(WarroomError, match=r"tip 2: urls\.0: not an http"):
        import_files(journal, [path])
    # the first record was good, but the second is refused while checking: neither is in
    assert queries.counts(journal.conn)["tips"] == 0


def test_tip_import_reads_mails_and_json_and_adds_each_once(db, tmp_path):
    assert invoke("--db", db, "init", "--name", "import").exit_code == 0
    eml = tmp_path / "tip.eml"
    eml.write_bytes(mail())
    doc = tmp_path / "more.json"
    doc.write_text(json.dumps({"tips": [{"source": "B", "text": "copy at https://b.example/"}]}))
    first = invoke("--db", db, "tip", "import", eml, doc, "--no-add-locations", "--json")
    assert first.exit_code == 0, first.output
    report = one_json(first.stdout)
    assert (report["new"], report["duplicates"]) == (2, 0)
    assert report["tips"][0]["offers"] == ["https://forum.example/t/123?session=***"]
    again = one_json(invoke("--db", db, "tip", "import", eml, doc, "--json").stdout)
    assert (again["new"], again["duplicates"]) == (2 - 2, 2)
    assert b"S3CR3T" not in db.read_bytes()
    missing = invoke("--db", db, "tip", "import", tmp_path / "nope.eml")
    assert missing.exit_code == 1 and "cannot read" in one_line(missing.stderr)
    with Journal(db) as j:
        assert queries.counts(j.conn)["tips"] == 2
    assert verify(db).ok
