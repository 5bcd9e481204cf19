"""Workbook importer: finding tables by header names, reading cells, and every error class."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CODE_HEADER, FIELD_HEADER, minimal_sheets, write_workbook

from codegen.errors import SourceError
from codegen.importers.codelists import build_codelists
from codegen.importers.forms import build_forms
from codegen.importers.workbook import read_tables
from codegen.model import NOT_STATED


def load(tmp_path, layout, sheets, merges=None):
    path = write_workbook(tmp_path / "wb.xlsx", sheets, merges)
    tables = read_tables(path, layout, "wb.xlsx")
    codelists = build_codelists(tables["codes"], layout)
    return build_forms(tables["forms"], tables["fields"], codelists, layout), codelists


def error_of(tmp_path, layout, sheets, merges=None) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load(tmp_path, layout, sheets, merges)
    return caught.value


def test_minimal_workbook(tmp_path, layout):
    forms, codelists = load(tmp_path, layout, minimal_sheets())
    (form,) = forms
    assert [f.variable for f in form.fields] == [
        "PersonIdentifikator",
        "BehandlingTidligereKode",
        "DageKvantitet",
    ]
    assert form.fields[2].constraints.minimum == 0 and form.fields[2].constraints.maximum == 30
    assert form.validity.valid_from is NOT_STATED and form.validity.valid_to is None
    assert [c.code for c in codelists[0].codes] == ["01", "02", "99"]


def test_header_found_below_title_rows_in_any_column_order_with_extras(tmp_path, layout):
    sheets = minimal_sheets()
    fields = sheets["Felter"]
    order = list(reversed(range(len(FIELD_HEADER))))
    shuffled = [[row[i] for i in order] + ["ignored"] for row in fields]
    shuffled[0][-1] = "Intern kommentar"
    sheets["Felter"] = [["SMDB feltoversigt"], [], *shuffled]
    sheets["Forside"] = [["Skemaoversigt og Kodelister"], ["Version 1"]]
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "J3") and "'Intern kommentar'" in err.message
    assert "tables.fields.ignored_columns" in err.message and "note" in err.message
    layout["tables"]["fields"]["ignored_columns"].append("Intern kommentar")
    forms, _ = load(tmp_path, layout, sheets)
    assert forms[0].fields[0].felt_id == "6-ANM"
    assert forms[0].fields[0].source.place == "Felter!F4"


def test_header_names_are_normalised(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][0] = ["  KODELISTE ", "kode", "Tekst", "gyldig-fra", "GYLDIG  TIL"]
    sheets["Felter"][0] = [
        h.replace("Værdier", "Vaerdier").replace("Felt-ID", " felt id ") for h in FIELD_HEADER
    ]
    forms, codelists = load(tmp_path, layout, sheets)
    assert codelists[0].name == "BehandlingTidligereKode"
    assert forms[0].fields[2].constraints.maximum == 30


@pytest.mark.parametrize("raw", [1, "1", " 01", 1.0, "01 "])
def test_codes_are_normalised_to_two_digits(tmp_path, layout, raw):
    sheets = minimal_sheets()
    sheets["Kodelister"][1][1] = raw
    _, codelists = load(tmp_path, layout, sheets)
    assert codelists[0].codes[0].code == "01"


def test_merged_cells_fill_every_row(tmp_path, layout):
    sheets = minimal_sheets()
    felter = sheets["Felter"]
    felter[2][1], felter[3][1] = "18-ANM", None
    for row, label in zip(felter, ["Delspørgsmål", None, "A", "B"], strict=True):
        row.append(label)
    forms, _ = load(tmp_path, layout, sheets, merges={"Felter": ["B3:B4"]})
    assert [f.felt_id for f in forms[0].fields] == ["6-ANM", "18-ANM", "18-ANM"]
    assert [f.subfield_da for f in forms[0].fields] == ["", "A", "B"]


def test_dates_from_real_cells_and_text(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3:5] = [dt.datetime(2019, 7, 1), "01-07-2025"]
    _, codelists = load(tmp_path, layout, sheets)
    validity = codelists[0].codes[0].validity
    assert (validity.valid_from, validity.valid_to) == (dt.date(2019, 7, 1), dt.date(2025, 7, 1))


def test_missing_gaps_in_code_sequences_are_recorded(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][2][1] = "04"
    _, codelists = load(tmp_path, layout, sheets)
    assert codelists[0].missing_codes == ("02", "03")


# --- errors: each names file, sheet and cell -------------------------------------------------


def test_missing_table(tmp_path, layout):
    sheets = minimal_sheets()
    del sheets["Kodelister"]
    err = error_of(tmp_path, layout, sheets)
    assert "no sheet has the 'Kodelister" in err.message
    assert "'Skemaoversigt', 'Felter'" in err.message and err.file == "wb.xlsx"


def test_missing_column(tmp_path, layout):
    sheets = minimal_sheets()
    for row in sheets["Felter"]:
        del row[FIELD_HEADER.index("Datatype")]
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "A1")
    assert "'Datatype'" in err.message


def test_unknown_datatype(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][1][4] = "Decimal"
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "E2")
    assert "unknown datatype 'Decimal'" in str(err)


def test_code_list_used_but_not_defined(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][2][6] = "UkendtKode"
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "G3")
    assert "'UkendtKode' is used by 'BehandlingTidligereKode' but not defined" in err.message


def test_overlapping_validity_for_one_code(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3:5] = ["2019-07-01", None]
    sheets["Kodelister"].append(
        ["BehandlingTidligereKode", "1", "Ja (ny tekst)", "2025-07-01", None]
    )
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Kodelister", "D5")
    assert "code '01' has overlapping validity with row 2" in err.message


def test_consecutive_validity_for_one_code_is_fine(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][1][3:5] = ["2019-07-01", "2025-07-01"]
    sheets["Kodelister"].append(["BehandlingTidligereKode", "01", "Ja, ny", "2025-07-01", None])
    _, codelists = load(tmp_path, layout, sheets)
    assert [c.text_da for c in codelists[0].codes if c.code == "01"] == ["Ja", "Ja, ny"]


def test_duplicate_felt_id_in_a_form(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][3][1] = "6-ANM"
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "B4")
    assert "duplicate Felt-ID '6-ANM'" in err.message and "Felter!B2" in err.message


def test_duplicate_variable(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][3][3] = "PersonIdentifikator"
    sheets["Felter"][3][1] = "1-ANM"
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Felter", "D4")
    assert "duplicate variable 'PersonIdentifikator'" in err.message


def test_felt_id_of_another_form(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][1][1] = "6-IVÆR"
    err = error_of(tmp_path, layout, sheets)
    assert err.cell == "B2" and "does not belong to form 'Anmodning'" in err.message


def test_bad_date(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Kodelister"][2][3] = "snart"
    err = error_of(tmp_path, layout, sheets)
    assert (err.sheet, err.cell) == ("Kodelister", "D3")
    assert "'snart' is not a date" in err.message


def test_unknown_form(tmp_path, layout):
    sheets = minimal_sheets()
    sheets["Felter"][1][0] = "XYZ"
    err = error_of(tmp_path, layout, sheets)
    assert err.cell == "A2" and "unknown form 'XYZ'" in err.message


def test_not_a_workbook(tmp_path, layout):
    path = tmp_path / "wb.xlsx"
    path.write_text("this is not a zip file")
    with pytest.raises(SourceError) as caught:
        read_tables(path, layout, "wb.xlsx")
    assert caught.value.file == "wb.xlsx" and "cannot open" in caught.value.message


def test_code_headers_are_what_the_layout_expects():
    # Guards the helper above against drifting from the layout it exercises.
    assert CODE_HEADER[0] == "Kodeliste"
