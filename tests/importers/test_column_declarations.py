"""What each column of the layout (spec/workbook-layout.json) declares, pinned here, and done:
a blank cell under a filled one means what its column says (stops the run naming the cell,
or is a blank with that meaning, never the value above), and a table without a required
column is refused naming the column, while one without an optional column is read.

The workbooks are laid out as another office might: every column the layout knows, in its
order, one sheet per table. Reading the rows needs only the headers and the raw cells, so
the cells hold plain labels."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from codegen.errors import SourceError
from codegen.importers.rows import Blank
from codegen.importers.workbook import read_tables

# table -> column -> (what a blank means, whether the table must have the column)
DECLARED = {
    "forms": {
        "name": ("error", True),
        "code": ("empty", True),
        "title": ("error", True),
        "reporter": ("error", True),
        "valid_from": ("error", True),
        "valid_to": ("open", True),
        "date_basis": ("error", True),
        "fields_stated": ("derived", False),
        "note": ("empty", False),
    },
    "fields": {
        "form": ("error", True),
        "felt_id": ("empty", True),  # only for the computed days field (D2)
        "subfield": ("empty", False),
        "question": ("error", True),
        "variable": ("error", True),
        "datatype": ("error", True),
        "options": ("empty", False),
        "values": ("empty", False),
        "display_condition": ("empty", False),
        "required": ("derived", False),
        "codelist": ("empty", False),
        "valid_from": ("error", True),
        "valid_to": ("open", True),
        "retired": ("no", False),
        "note": ("empty", False),
    },
    "codes": {
        "codelist": ("error", True),
        "option_number": ("empty", False),
        "order": ("empty", False),
        "code": ("error", True),
        "text": ("error", True),
        "valid_from": ("error", True),
        "valid_to": ("open", True),
        "min_age": ("empty", False),
        "max_age": ("empty", False),
        "note": ("empty", False),
    },
}
NO_FELT_ID = "IvaerksatBehandlingDageSidenAnmodningKvantitet"
COLUMNS = [(table, column) for table, columns in DECLARED.items() for column in columns]


def test_the_layout_declares_what_is_pinned_here(layout):
    declared = {
        table: {c: (s["blank"], s["required"]) for c, s in spec["columns"].items()}
        for table, spec in layout["tables"].items()
    }
    assert declared == DECLARED


def tables(layout) -> dict[str, list[list]]:
    """Each table: a header row (each column's first alias) and two filled rows."""
    found = {}
    for table, columns in DECLARED.items():
        header = [layout["tables"][table]["columns"][c]["aliases"][0] for c in columns]
        rows = [[f"{c} {n}" for c in columns] for n in (1, 2)]
        if table == "fields":  # the one row whose Felt-ID may be blank
            rows[1][list(columns).index("variable")] = NO_FELT_ID
        found[table] = [header, *rows]
    return found


def read(tmp_path, layout, sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "wb.xlsx")
    return read_tables(tmp_path / "wb.xlsx", layout, "wb.xlsx")


@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_a_blank_under_a_filled_cell_means_what_its_column_declares(
    tmp_path, layout, table, column
):
    meaning, _ = DECLARED[table][column]
    sheets = tables(layout)
    index = list(DECLARED[table]).index(column)
    sheets[table][2][index] = None
    if meaning == "error":
        with pytest.raises(SourceError) as caught:
            read(tmp_path, layout, sheets)
        assert (caught.value.sheet, caught.value.cell) == (
            table,
            f"{get_column_letter(index + 1)}3",
        )
        assert f"blank {column!r} cell" in caught.value.message
        return
    rows = read(tmp_path, layout, sheets)[table].rows
    assert rows[0].values[column] == f"{column} 1"
    assert rows[1].values[column] == Blank(meaning)


@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_a_table_without_a_column_is_refused_only_if_it_is_required(
    tmp_path, layout, table, column
):
    _, required = DECLARED[table][column]
    sheets = tables(layout)
    index = list(DECLARED[table]).index(column)
    sheets[table] = [row[:index] + row[index + 1 :] for row in sheets[table]]
    if not required:
        rows = read(tmp_path, layout, sheets)[table].rows
        assert [row.blank(column) for row in rows] == [DECLARED[table][column][0]] * 2
        return
    with pytest.raises(SourceError) as caught:
        read(tmp_path, layout, sheets)
    alias = layout["tables"][table]["columns"][column]["aliases"][0]
    key = column == layout["tables"][table]["key_column"]
    says = "no sheet has the" if key else "lacks column(s)"
    assert says in caught.value.message and repr(alias) in caught.value.message
