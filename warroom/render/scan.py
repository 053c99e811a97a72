"""What `warroom scan` found, as a responder reads it: counts, columns, nationalities and a
redacted preview. Headers and file names come from outside: they go in as `Text`."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from warroom.render.console import nationality_bars
from warroom.render.safe import clean, safe_text


def scan_report(doc: dict, console: bool = False) -> Group:
    """What `warroom scan` found, as a responder reads it. People only redacted. In the
    console (`console`), an ambiguous date order is settled by a key, not an option."""
    # shown when counted (a scan journaled before these counts existed has none of them)
    facilities = (f"   facilities {doc['facilities']:,}" if "facilities" in doc else "")
    claims = doc.get("protected") or 0
    head = Text.assemble(
        ("records ", "bold"), (f"{doc['records']:,}", "bold"), "   distinct A-numbers ",
        f"{doc['a_numbers']:,}", facilities, "   high-risk ", (f"{doc['high_risk']:,}", "bold red"),
        clean(f" ({', '.join(doc.get('high_risk_list') or [])}"
              + ("; or a claim on record" if claims else "") + ")"))
    if claims:
        head.append_text(Text.assemble("   8 CFR 208.6 ", (f"{claims:,}", "bold red")))
    if doc.get("conflicting"):
        head.append_text(Text.assemble("   conflicting identities ",
                                       (f"{doc['conflicting']:,}", "bold yellow")))
    meta = safe_text(f"{doc.get('file') or ''} · {doc['format']} · {doc.get('size', 0):,}"
                     f" bytes · sha256 {doc['sha256'][:16]}… · {doc.get('rows', 0):,} rows"
                     f" read · {doc.get('nlp', '')}", style="dim")
    columns = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("table", "column", "entity", "role", "confidence"):
        columns.add_column(name, no_wrap=True)
    for t in doc.get("tables") or []:
        for c in t["columns"]:
            if c["entity"]:
                columns.add_row(safe_text(t["name"]), safe_text(c["header"]), c["entity"],
                                c["role"] or "",
                                f"{c['confidence']:.0%} of {c['sampled']}")
    if not doc.get("tables"):
        for header, entity in (doc.get("columns") or {}).items():
            columns.add_row("", safe_text(header), entity, "", "")
    parts = [head, meta, Text("")]
    if columns.row_count:
        parts += [Text("columns", style="bold underline"), columns, Text("")]
    if doc.get("dates"):
        parts += [Text("birth dates", style="bold underline"), *birth_dates(doc["dates"], console),
                  Text("")]
    claims = [(t["name"], c) for t in doc.get("tables") or [] for c in t.get("claims") or []]
    if claims:
        parts += [Text("claims for protection read from (8 CFR 208.6)", style="bold underline"),
                  *(safe_text(f"  {name}: {c}") for name, c in claims), Text("")]
    if doc["nationalities"]:
        parts += [Text("nationalities", style="bold underline"),
                  nationality_bars(doc["nationalities"], doc["high_risk_list"]), Text("")]
    if doc.get("preview"):
        parts += [Text("first people (redacted)", style="bold underline"),
                  *(safe_text("  " + p) for p in doc["preview"]), Text("")]
    if doc.get("conflicts"):
        parts += [Text("conflicting identities: one A-number, two people (kept both; review)",
                       style="bold underline"),
                  *(conflict_line(c) for c in doc["conflicts"]), Text("")]
    if doc.get("imported"):
        i = doc["imported"]
        parts.append(Text(f"imported into the roster: {i['added']:,} new of {i['people']:,}"
                          f" in {i['batches']} batches", style="green"))
        if i.get("conflicts"):
            n = i["conflicts"]
            parts.append(Text(f"conflicting identities with the roster: {n:,}"
                              f" {'person' if n == 1 else 'people'} given another name or"
                              " birth date (flagged identity_conflict: review them)",
                              style="bold yellow"))
        if i.get("corrected"):
            n = i["corrected"]
            parts.append(Text(f"birth dates re-read in the order you settled: {n:,}"
                              f" {'person' if n == 1 else 'people'} corrected from an earlier"
                              " import of this file", style="green"))
    if doc.get("artifact"):
        a = doc["artifact"]
        parts.append(safe_text(("same bytes as an earlier acquisition; " if a["known"] else "")
                               + f"evidence copy: {a['evidence']}", style="dim"))
    parts += [safe_text(note, "yellow") for note in doc.get("notes") or []
              if not (console and "--date-order" in note)]    # said under birth dates
    return Group(*parts)


_ORDER = {"dmy": "day first (dd/mm)", "mdy": "month first (mm/dd)"}


def birth_dates(columns: list[dict], console: bool = False) -> list[Text]:
    """How each birth-date column's day/month order was decided; an ambiguous one loudly,
    with the option (in the console, the key) that settles it."""
    lines = []
    for c in columns:
        where = safe_text(f"  {c['table']}: {c['column']}" if c["table"] else f"  {c['column']}")
        order = _ORDER.get(c["order"], c["order"])
        if c["order"] == "ymd":
            how = Text("  no day/month question (year first, date cells, month names)")
        elif not c["ambiguous"]:
            how = Text(f"  {order}, proven by its values")
        elif c["by"] == "option":
            how = Text(f"  AMBIGUOUS, read {order} as "
                       + ("settled (o to change)" if console else "--date-order says"),
                       style="yellow")
        else:
            how = Text(f"  AMBIGUOUS, read {order} by default: unproven", style="bold yellow")
        if c.get("unread"):
            how.append(f"; {c['unread']:,} values in the other order left without a date",
                       style="yellow")
        lines.append(Text.assemble(where, how))
    guessed = {c["order"] for c in columns if c["ambiguous"] and c["by"] == "default"}
    for order, other in (("mdy", "dmy"), ("dmy", "mdy")):
        if order in guessed:
            settle = ("press o to read it so" if console
                      else f"scan again with --date-order {other}")
            lines.append(Text(f"  every value reads both ways (no 13–31 in either place): if"
                              f" the file is {_ORDER[other].split(' (')[0]}, {settle}",
                              style="yellow"))
    return lines


def conflict_line(c: dict) -> Text:
    """One A-number's identities, redacted as the scan gave them, and what differs."""
    who = " | ".join(" ".join(x for x in (i.get("name") or "?", i.get("birth_date") or "")
                              if x) for i in c.get("identities") or [])
    return safe_text(f"  {c.get('a_number')}: {who}  (differs: "
                     f"{', '.join(c.get('differs') or [])}; in {c.get('table')})")
