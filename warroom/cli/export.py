"""The export for the post-incident review."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warroom.cli.options import db_option, json_option
from warroom.cli.output import EXIT_OK, console, print_json
from warroom.export import NAMES


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(NAMES), required=True,
              help="md, html or pdf: the review document; csv: one row per event;"
                   " timesketch: JSON Lines Timesketch imports as it is")
@click.option("-o", "--output", metavar="FILE",
              help="write to FILE (whole or not at all, mode 0600); without it, or with -,"
                   " to stdout (not pdf)")
@click.option("--include-pii", is_flag=True,
              help="include the exposed people's personal data (the roster, unredacted"
                   " subjects and A-numbers); the export's first line says so. Journaled"
                   " (who, when, --why) before it is written")
@click.option("--why", metavar="TEXT",
              help="with --include-pii: the reason, journaled with who and when")
@json_option(help="with -o FILE: print {file, format, bytes, events, head, include_pii}")
@db_option
def export(db: Path, fmt: str, output: str | None, include_pii: bool, why: str | None,
           as_json: bool) -> int:
    """Export the incident for the post-incident review.

    md, html and pdf are the review document: summary, the exposure window with its sources
    and confidence, counts, the timeline with both clocks, checklists and what is still
    open, tips. html is one self-contained file with a timeline chart (no script, no
    network). csv is one row per event after a marker row; timesketch is JSON Lines with
    message, datetime and timestamp_desc on every line.

    Redacted unless --include-pii: people appear only as counts or redacted keys, and
    confidential tip sources are always withheld. The first line of every export says
    which. Every export carries the journal's head hash and event count: `warroom verify
    --head HASH` confirms a journal still holds what was exported. A redacted export records
    nothing; --include-pii --why TEXT records who exported everyone's data, when and why.
    """
    from rich.text import Text

    from warroom.export import export as write_export
    from warroom.export.document import plural
    from warroom.render.safe import safe_text

    to_stdout = output in (None, "-")
    if to_stdout and fmt == "pdf":
        raise click.UsageError("pdf is written to a file: give -o FILE")
    if to_stdout and as_json:
        raise click.UsageError("--json reports on a file written with -o FILE; without it the"
                               " export itself is on stdout")
    if why and not include_pii:
        raise click.UsageError("--why goes with --include-pii (a redacted export records"
                               " nothing)")
    if include_pii:
        console(stderr=True).print("warning: this export CONTAINS PERSONAL DATA of exposed"
                                   " people; keep it as the roster is kept", style="bold red")
        if not (why or "").strip():
            console(stderr=True).print("note: journaled without a reason; say why with --why"
                                       " TEXT", markup=False)
    if fmt == "timesketch" and not to_stdout and not output.endswith(".jsonl"):
        console(stderr=True).print("note: Timesketch imports a file only when its name ends"
                                   " in .jsonl", markup=False)
    target = sys.stdout.buffer if to_stdout else Path(output)
    written = write_export(db, fmt, target, include_pii=include_pii, why=why)
    if to_stdout:
        return EXIT_OK
    if as_json:
        print_json({"file": written.file, "format": written.format, "bytes": written.bytes,
                    "events": written.events, "head": written.head,
                    "include_pii": written.include_pii})
        return EXIT_OK
    console().print(Text.assemble(
        "Wrote ", safe_text(written.file, "bold"), f" ({fmt}, {written.bytes:,} bytes):"
        f" {plural(written.events, 'event')}, journal head {(written.head or 'none')[:16]}…, ",
        ("CONTAINS PERSONAL DATA", "bold red") if include_pii else "redacted", "."))
    return EXIT_OK


COMMANDS = [export]
