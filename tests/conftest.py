"""Shared test helpers: small workbooks built in the test, as the issue asks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from codegen.importers.layout import load_layout
from tests.process_check import pytest_configure, pytest_sessionfinish  # noqa: F401 (hooks)

ROOT = Path(__file__).resolve().parents[1]
LAYOUT_PATH = ROOT / "spec" / "workbook-layout.json"
GENERATED_PACKAGE = ROOT / "generated" / "python"


def generated_module(name: str):
    """A module of the generated vendor package, imported from generated/python (tests do not
    install it; tests/package/test_install.py checks the installed copy)."""
    if str(GENERATED_PACKAGE) not in sys.path:
        sys.path.insert(0, str(GENERATED_PACKAGE))
    return importlib.import_module(name)


FORM_HEADER = ["Skema", "Kode", "Titel", "Indberetter", "Gyldig fra", "Gyldig til", "Datostyring"]
FIELD_HEADER = [
    "Skema",
    "Felt-ID",
    "Spørgsmål",
    "Variabelnavn",
    "Datatype",
    "Værdier",
    "Kodeliste",
    "Gyldig fra",
    "Gyldig til",
]
CODE_HEADER = ["Kodeliste", "Kode", "Tekst", "Gyldig fra", "Gyldig til"]


def minimal_sheets() -> dict[str, list[list]]:
    """A tiny valid workbook: one form, three fields, one code list."""
    return {
        "Skemaoversigt": [
            list(FORM_HEADER),
            [
                "Anmodning",
                "ANM",
                "Anmodning om behandling",
                "myndighed",
                "Ikke oplyst",
                None,
                "2-ANM",
            ],
        ],
        "Felter": [
            list(FIELD_HEADER),
            [
                "ANM",
                "6-ANM",
                "CPR-nummer",
                "PersonIdentifikator",
                "String",
                "Validt CPR",
                None,
                "Ikke oplyst",
                None,
            ],
            [
                "ANM",
                "3-ANM",
                "Tidligere behandling",
                "BehandlingTidligereKode",
                "String",
                None,
                "BehandlingTidligereKode",
                "Ikke oplyst",
                None,
            ],
            ["ANM", "7-ANM", "Dage", "DageKvantitet", "Integer", "0-30", None, "Ikke oplyst", None],
        ],
        "Kodelister": [
            list(CODE_HEADER),
            ["BehandlingTidligereKode", "01", "Ja", "Ikke oplyst", None],
            ["BehandlingTidligereKode", "02", "Nej", "Ikke oplyst", None],
            ["BehandlingTidligereKode", "99", "Uoplyst", "Ikke oplyst", None],
        ],
    }


def write_workbook(path: Path, sheets: dict[str, list[list]], merges: dict | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


@pytest.fixture
def layout() -> dict:
    return load_layout(LAYOUT_PATH)
