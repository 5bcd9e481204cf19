"""Edges of the workbook reader that `make mutate MUTATE_ARGS="--kind importer"` found no test
pinning: each test here fails with one of its mutants and passes without."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import minimal_sheets, write_workbook

from codegen.errors import SourceError
from codegen.importers.codelists import build_codelists
from codegen.importers.workbook import read_tables


def codes_of(tmp_path, layout, sheets):
    path = write_workbook(tmp_path / "wb.xlsx", sheets)
    return build_codelists(read_tables(path, layout, "wb.xlsx")["codes"], layout)[0].codes


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
