"""The unruled-table layout on words placed by hand: where each cell starts and ends is
exactly known, so each rule is seen alone."""

from __future__ import annotations

from warroom.artifact.formats.pdf_layout import furniture, lines_of, page_table

CHAR, SPACE = 5.0, 2.5   # an 8-point font: a letter is about 5 points wide, a space 2.5


def line(top: float, *cells: tuple[float, str]) -> list[dict]:
    """Words of one line: each cell's text set from its left edge, one space between words."""
    words = []
    for x, text in cells:
        for word in text.split():
            words.append({"text": word, "x0": x, "x1": x + CHAR * len(word), "top": top,
                          "bottom": top + 8})
            x += CHAR * len(word) + SPACE
    return words


COLUMNS = (30, 250, 320)    # name, A-number, country


def page(rows: list[tuple[str, str, str]], *extra: list[dict], pitch: float = 14) -> list[dict]:
    words = [w for ex in extra for w in ex]
    for n, cells in enumerate(rows):
        words += line(60 + pitch * n, *zip(COLUMNS, cells))
    return words


PEOPLE = [("MORA LUZ, ANA", "A912345678", "MEXICO"), ("TIAN, BO", "A923456789", "CHINA"),
          ("KAIVO DRIS, LEIN TARU", "A934567890", "PERU"), ("SOL, PIA", "A945678901", "CUBA")]


def test_cells_of_several_words_stay_one_cell_and_titles_stay_out():
    words = page([("Name", "A-Number", "Country"), *PEOPLE],
                 line(20, (30, "Detained population report")), line(560, (300, "Page 1 of 3")))
    table = page_table(lines_of(words))
    assert table is not None and table.rows == [["Name", "A-Number", "Country"], *map(list, PEOPLE)]
    assert table.prose == ["Detained population report", "Page 1 of 3"]


def test_a_cell_filled_to_the_next_column_is_split_where_the_others_leave_white():
    """The longest name ends one space before the A-number column (a browser sets the widest
    cell that close): the white the other rows leave there still parts the columns."""
    rows = [*PEOPLE, ("KOUMARIADRO LIAVEIS, SHAIPUL", "A956789012", "IRAN")]
    words = page(rows)
    end = max(w["x1"] for w in words if w["x0"] < 250)
    for w in words:         # the A-number and country columns close after the longest name
        if w["x0"] >= 250:
            w["x0"] += end + SPACE - 250
            w["x1"] += end + SPACE - 250
    table = page_table(lines_of(words))
    assert table is not None and table.rows == [list(r) for r in rows]


def test_a_wrapped_cell_is_joined_and_a_line_that_crosses_the_columns_is_prose():
    words = page(PEOPLE, pitch=20)
    words += line(70, (320, "CITY"))   # MEXICO CITY, wrapped under its cell
    words += line(300, (30, "Printed by records office, 11/19/2022"), (380, "confidential"))
    lines = lines_of(words)
    table = page_table(lines)
    assert table is not None
    assert table.rows[0] == ["MORA LUZ, ANA", "A912345678", "MEXICO CITY"]
    assert table.rows[1:] == [list(p) for p in PEOPLE[1:]]
    assert "confidential" in table.prose[0]


def test_what_recurs_at_the_edge_of_every_page_is_furniture():
    pages = [lines_of(page(PEOPLE, line(20, (30, "Report"), (300, f"Page {n} of 3"))))
             for n in (1, 2, 3)]
    assert furniture(pages) >= {"Report Page # of #"}
    assert not any("A9" in text for text in furniture(pages))


def test_prose_is_no_table():
    text = ("We write about the list that was published on your site last week and ask you "
            "to take it down").split()
    words = []
    for n in range(0, len(text), 6):
        words += line(40 + n * 3, (30, " ".join(text[n:n + 6])))
    assert page_table(lines_of(words)) is None
