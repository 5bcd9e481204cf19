"""Property: cosmetic changes to the workbook never change the spec.

Random cell styles, column widths, empty rows above and inside a table, empty columns, sheet
order, and a hidden column that the layout lists as ignored: the importer must give exactly
the spec of the original workbook.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from variant_tools import LAYOUT, expected_spec, header_row, original, spec_of, write

from codegen.importers.layout import load_layout

EXPECTED = None
SHEETS = ("Skemaoversigt", "Felter", "Kodelister")


def _shift_merges(ranges: list[str], row: int | None = None, col: int | None = None) -> list:
    """Merged ranges after inserting an empty row before `row` or column before `col`."""

    def move(ref: str) -> str:
        letters, number = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        number = int(number)
        index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))
        if row is not None and number >= row:
            number += 1
        if col is not None and index >= col:
            index += 1
        return f"{get_column_letter(index)}{number}"

    return [":".join(move(part) for part in r.split(":")) for r in ranges]


@st.composite
def cosmetic_changes(draw):
    return {
        "order": draw(st.permutations(SHEETS)),
        "rows_above": {s: draw(st.integers(0, 4)) for s in SHEETS},
        "row_inside": {s: draw(st.one_of(st.none(), st.integers(2, 30))) for s in SHEETS},
        "column_at": {s: draw(st.one_of(st.none(), st.integers(1, 9))) for s in SHEETS},
        "hidden_ignored": draw(st.sampled_from((None, *SHEETS))),
        "styles": draw(
            st.lists(
                st.tuples(st.sampled_from(SHEETS), st.integers(1, 60), st.integers(1, 12)),
                max_size=12,
            )
        ),
        "widths": draw(
            st.lists(
                st.tuples(st.sampled_from(SHEETS), st.integers(1, 15), st.floats(2, 80)), max_size=6
            )
        ),
    }


def _apply(change: dict, folder: Path) -> tuple[Path, dict]:
    sheets, merges = original()
    layout = load_layout(LAYOUT)
    for title in SHEETS:
        rows = sheets[title]
        at = change["column_at"][title]
        if at is not None:
            for row in rows:
                row.insert(at - 1, None)
            merges[title] = _shift_merges(merges.get(title, []), col=at)
        inside = change["row_inside"][title]
        first = header_row(rows, "Gyldig fra") + 1  # first data row (0-based)
        if (
            inside is not None
            and first + inside < len(rows)
            and not _inside_merge(merges.get(title, []), first + inside + 1)
        ):
            rows.insert(first + inside, [])
            merges[title] = _shift_merges(merges.get(title, []), row=first + inside + 1)
        for _ in range(change["rows_above"][title]):
            rows.insert(0, [])
            merges[title] = _shift_merges(merges.get(title, []), row=1)
    hidden_in = change["hidden_ignored"]
    if hidden_in is not None:
        rows = sheets[hidden_in]
        head = header_row(rows, "Gyldig fra")  # a header word of all three tables
        for i, row in enumerate(rows):
            row += [None] * (20 - len(row))
            row[19] = "Intern" if i == head else (f"note {i}" if i > head else None)
        kind = {"Skemaoversigt": "forms", "Felter": "fields", "Kodelister": "codes"}[hidden_in]
        layout["tables"][kind]["ignored_columns"].append("Intern")
    ordered = {title: sheets[title] for title in change["order"]}
    path = write(folder / "v.xlsx", ordered, merges)
    book = load_workbook(path)
    for title, r, c in change["styles"]:
        book[title].cell(r, c).font = Font(bold=True, italic=True, color="FF0000")
        book[title].cell(r, c).fill = PatternFill("solid", fgColor="FFFF00")
    for title, c, width in change["widths"]:
        book[title].column_dimensions[get_column_letter(c)].width = width
    if hidden_in is not None:
        book[hidden_in].column_dimensions["T"].hidden = True
    book.save(path)
    return path, layout


def _inside_merge(ranges: list[str], row: int) -> bool:
    """An empty row inserted there would be covered by the merge: not a cosmetic change."""
    for cell_range in ranges:
        first, last = (int(re.sub(r"[A-Z]+", "", ref)) for ref in cell_range.split(":"))
        if first < row <= last:
            return True
    return False


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cosmetic_changes())
def test_cosmetic_changes_never_change_the_spec(change):
    global EXPECTED
    EXPECTED = EXPECTED or expected_spec()
    with tempfile.TemporaryDirectory() as folder:
        path, layout = _apply(change, Path(folder))
        assert spec_of(path, layout) == EXPECTED
