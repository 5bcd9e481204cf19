"""Edges of the workbook reader that `make mutate MUTATE_ARGS="--kind importer"` found no test
pinning: each test here fails with one of its mutants and passes without."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import minimal_sheets, write_workbook
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.styles.colors import Color

from codegen.errors import SourceError
from codegen.importers.codelists import build_codelists
from codegen.importers.forms import build_forms
from codegen.importers.workbook import read_tables
from codegen.model import NOT_STATED


def codes_of(tmp_path, layout, sheets):
    path = write_workbook(tmp_path / "wb.xlsx", sheets)
    return build_codelists(read_tables(path, layout, "wb.xlsx")["codes"], layout)[0].codes


def forms_of(tmp_path, layout, sheets):
    path = write_workbook(tmp_path / "wb.xlsx", sheets)
    tables = read_tables(path, layout, "wb.xlsx")
    return build_forms(
        tables["forms"], tables["fields"], build_codelists(tables["codes"], layout), layout
    )


def refusal(read, *args) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read(*args)
    return caught.value


def test_the_first_excel_serial_is_a_date(tmp_path, layout):
    # Serial 61 is 1900-03-01 in both readings of the 1900 date system (below, one counts a
    # 29 February 1900 that never was).
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3] = 61
    assert codes_of(tmp_path, layout, sheets)[0].validity.valid_from == dt.date(1900, 3, 1)


def test_the_last_excel_serial_is_a_date(tmp_path, layout):
    # 2,958,465 is 9999-12-31: an open end where the layout declares that sentinel.
    layout["open_end_sentinels"] = ["9999-12-31"]
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3:5] = ["2019-07-01", 2_958_465]
    assert codes_of(tmp_path, layout, sheets)[0].validity.valid_to is None


@pytest.mark.parametrize("serial", [60, 2_958_466])
def test_a_serial_outside_them_is_refused_at_its_cell(tmp_path, layout, serial):
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3] = serial
    with pytest.raises(SourceError) as caught:
        codes_of(tmp_path, layout, sheets)
    assert (caught.value.sheet, caught.value.cell) == ("Kodelister", "D2")
    assert f"{serial} is not a date" in caught.value.message


def test_the_last_year_before_a_sentinel_is_a_real_date(tmp_path, layout):
    # limits.max_date_year (2199): its last day is a date, the next day a far-future sentinel
    # the layout must declare.
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3:5] = ["2019-07-01", "2199-12-31"]
    assert codes_of(tmp_path, layout, sheets)[0].validity.valid_to == dt.date(2199, 12, 31)
    sheets["Kodelister"][1][4] = "2200-01-01"
    with pytest.raises(SourceError) as caught:
        codes_of(tmp_path, layout, sheets)
    assert caught.value.cell == "E2" and "after limits.max_date_year (2199)" in caught.value.message


def test_three_sheets_that_look_like_one_table_are_refused_naming_two(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Koder 2"] = [list(row) for row in sheets["Kodelister"]]
    sheets["Koder 3"] = [list(row) for row in sheets["Kodelister"]]
    with pytest.raises(SourceError) as caught:
        codes_of(tmp_path, layout, sheets)
    assert caught.value.sheet == "Koder 2"
    assert "two sheets look like the" in caught.value.message


def test_a_table_of_exactly_max_rows_per_table_is_read(tmp_path, layout):
    sheets = minimal_sheets()  # three fields, three codes
    layout["limits"]["max_rows_per_table"] = 3
    assert len(codes_of(tmp_path, layout, sheets)) == 3
    layout["limits"]["max_rows_per_table"] = 2
    error = refusal(codes_of, tmp_path, layout, sheets)
    assert (error.sheet, error.cell) == ("Felter", "A4")
    assert "limits.max_rows_per_table (2)" in error.message


def test_a_flag_column_whose_blank_means_no_flag_is_refused_at_the_cell(tmp_path, layout):
    # 'Udgået' declared with blank "empty": a blank there is neither yes nor no.
    layout["tables"]["fields"]["columns"]["retired"]["blank"] = "empty"
    sheets = minimal_sheets()
    for number, row in enumerate(sheets["Felter"]):
        row.append("Udgået" if number == 0 else ("nej" if number != 2 else None))
    error = refusal(forms_of, tmp_path, layout, sheets)
    assert (error.sheet, error.cell) == ("Felter", "J3")
    assert "tables.fields.columns.retired.blank" in error.message


@pytest.mark.parametrize(("column", "value"), [(0, "Anmodning"), (1, "ANM")])
def test_a_form_listed_twice_is_refused(tmp_path, layout, column, value):
    sheets = minimal_sheets()
    second = list(sheets["Skemaoversigt"][1])
    second[:2] = ["Anden", "AND"]
    second[column] = value  # the same name, or the same code
    sheets["Skemaoversigt"].append(second)
    error = refusal(forms_of, tmp_path, layout, sheets)
    assert (error.sheet, error.cell) == ("Skemaoversigt", "A3")
    assert f"form {value!r} is listed twice" in error.message


def test_formatting_of_an_empty_cell_is_not_read(tmp_path, layout):
    # A struck-out value may mean retired; an empty cell has no value to doubt (its blank
    # means what its column declares).
    path = write_workbook(tmp_path / "wb.xlsx", minimal_sheets())
    book = load_workbook(path)
    book["Kodelister"]["E2"].font = Font(strike=True)  # 'Gyldig til', blank: open
    book.save(path)
    tables = read_tables(path, layout, "wb.xlsx")
    assert build_codelists(tables["codes"], layout)[0].codes[0].validity.valid_to is None
    book["Kodelister"]["C2"].font = Font(strike=True)  # 'Tekst', a value
    book.save(path)
    error = refusal(read_tables, path, layout, "wb.xlsx")
    assert (error.sheet, error.cell) == ("Kodelister", "C2")


@pytest.mark.parametrize(
    ("color", "coloured"),
    [
        ("FF000000", False),
        (Color(theme=1), False),
        (Color(indexed=64), False),
        (Color(auto=True), False),
        ("FFFF0000", True),
        (Color(theme=5), True),
        (Color(indexed=10), True),
    ],
)
def test_only_a_font_colour_other_than_the_texts_is_colour(tmp_path, layout, color, coloured):
    # Black (RGB, the text theme, the indexed system foreground) or automatic is the text's
    # own colour; any other font colour may mark the row (new, retired) and is refused where
    # the layout says colour means something. (Font colours were never seen until the
    # importer sweep's mutant of this check survived.)
    layout["formatting"]["colour"] = "refuse"
    path = write_workbook(tmp_path / "wb.xlsx", minimal_sheets())
    book = load_workbook(path)
    book["Kodelister"]["C2"].font = Font(color=color)
    book.save(path)
    if not coloured:
        assert len(read_tables(path, layout, "wb.xlsx")["codes"].rows) == 3
        return
    error = refusal(read_tables, path, layout, "wb.xlsx")
    assert (error.sheet, error.cell) == ("Kodelister", "C2") and "(colour)" in error.message


def test_a_lists_codes_are_numbered_from_one_in_display_order(tmp_path, layout):
    codes = codes_of(tmp_path, layout, minimal_sheets())
    assert [(c.code, c.position) for c in codes] == [("01", 1), ("02", 2), ("99", 3)]


def test_a_missing_column_is_named_on_the_sheet_that_comes_nearest(tmp_path, layout):
    # Two sheets have the code table's key column but not all it needs: the refusal names
    # the one with more of its columns, whichever comes first.
    sheets = {"Udkast": [["Kodeliste", "Tekst"], ["BehandlingTidligereKode", "Ja"]]}
    sheets.update(minimal_sheets())
    sheets["Kodelister"] = [row[:3] + row[4:] for row in sheets["Kodelister"]]  # no 'Gyldig fra'
    error = refusal(codes_of, tmp_path, layout, sheets)
    assert (error.sheet, error.cell) == ("Kodelister", "A1")
    assert "lacks column(s) 'Gyldig fra'" in error.message


def test_a_blank_date_means_what_its_column_declares(tmp_path, layout):
    # 'Gyldig fra' left blank: not stated where the layout says so, refused where it says
    # "empty" (a date has no empty value).
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3] = None
    layout["tables"]["codes"]["columns"]["valid_from"]["blank"] = "not_stated"
    assert codes_of(tmp_path, layout, sheets)[0].validity.valid_from is NOT_STATED
    layout["tables"]["codes"]["columns"]["valid_from"]["blank"] = "empty"
    error = refusal(codes_of, tmp_path, layout, sheets)
    assert (error.sheet, error.cell) == ("Kodelister", "D2")
    assert "tables.codes.columns.valid_from.blank" in error.message
