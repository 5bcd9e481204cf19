"""Workbook and WSDLs checked against each other both ways, reported at the workbook cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from codegen.build import build_spec
from codegen.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
WORKBOOK = "Skemaoversigt-og-Kodelister.xlsx"


@pytest.fixture
def sources(tmp_path) -> Path:
    shutil.copytree(RELEASE, tmp_path / "2026-01-01", ignore=shutil.ignore_patterns("recon*"))
    return tmp_path


def edit(sources: Path, change) -> None:
    path = sources / "2026-01-01" / WORKBOOK
    book = load_workbook(path)
    change(book)
    book.save(path)


def error_of(sources: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        build_spec("2026-01-01", sources)
    return caught.value


def find(sheet, text: str) -> str:
    return next(c.coordinate for row in sheet.iter_rows() for c in row if c.value == text)


def test_a_workbook_field_missing_from_the_wsdl_is_reported_at_its_cell(sources):
    refs = {}

    def rename(book):
        refs["cell"] = find(book["Felter"], "BehandlingTidligereKode")
        book["Felter"][refs["cell"]] = "BehandlingTidligereKodeX"

    edit(sources, rename)
    err = error_of(sources)
    assert (err.sheet, err.cell) == ("Felter", refs["cell"])
    assert "'BehandlingTidligereKodeX'" in err.message and ".wsdl" in err.message


def test_a_wsdl_element_missing_from_the_workbook_is_reported_at_the_form(sources):
    refs = {}

    def drop(book):
        sheet = book["Felter"]
        row = sheet[find(sheet, "KommuneKode")].row
        refs["form"] = find(book["Skemaoversigt"], "Anmodning")
        sheet.delete_rows(row)
        for merged in list(sheet.merged_cells.ranges):
            if merged.min_row > row:
                merged.shift(0, -1)

    edit(sources, drop)
    err = error_of(sources)
    assert (err.sheet, err.cell) == ("Skemaoversigt", refs["form"])
    assert "KommuneKode" in err.message and "no field" in err.message


def test_an_unused_code_list_is_reported_at_its_first_code(sources):
    refs = {}

    def add(book):
        sheet = book["Kodelister"]
        sheet.append(["UbrugtKode", 1, "01", "Ja", "Ikke oplyst"])
        refs["cell"] = f"C{sheet.max_row}"

    edit(sources, add)
    err = error_of(sources)
    assert (err.sheet, err.cell) == ("Kodelister", refs["cell"])
    assert "'UbrugtKode' is used by no field" in err.message
