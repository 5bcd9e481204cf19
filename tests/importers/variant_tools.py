"""Helpers for the variant workbooks: our reconstructed workbook as rows of values, written
back in other layouts, and the spec the importer makes of it (without `source` places, which
name the cell a value came from and so move with the layout)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from codegen.importers.codelists import build_codelists
from codegen.importers.forms import build_forms
from codegen.importers.layout import load_layout
from codegen.importers.workbook import read_tables
from codegen.spec_json import to_data

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
WORKBOOK = RELEASE / "Skemaoversigt-og-Kodelister.xlsx"
LAYOUT = ROOT / "spec" / "workbook-layout.json"


def expected_spec() -> dict:
    return spec_of(WORKBOOK, load_layout(LAYOUT))


def original() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    book = load_workbook(WORKBOOK)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    merges = {ws.title: [str(r) for r in ws.merged_cells.ranges] for ws in book}
    return sheets, merges


def write(path: Path, sheets: dict, merges=None, hidden=(), formats=None, date1904=False):
    book = Workbook()
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cell_range in (merges or {}).get(title, []):
            ws.merge_cells(cell_range)
        if title in hidden:
            ws.sheet_state = "hidden"
        for ref, fmt in (formats or {}).get(title, {}).items():
            ws[ref].number_format = fmt
    book.save(path)
    return path


def strip_sources(value):
    if isinstance(value, dict):
        return {k: strip_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [strip_sources(v) for v in value]
    return value


def spec_of(path: Path, layout: dict) -> dict:
    tables = read_tables(path, layout, path.name)
    codelists = build_codelists(tables["codes"], layout)
    forms = build_forms(tables["forms"], tables["fields"], codelists, layout)
    lists = sorted(to_data(codelists), key=lambda c: c["name"])
    return strip_sources({"forms": to_data(forms), "codelists": lists})


def header_row(rows: list[list], name: str) -> int:
    return next(i for i, row in enumerate(rows) if name in row)


def column(rows: list[list], name: str) -> int:
    return rows[header_row(rows, name)].index(name)


def unmerge_fill(sheets, merges, title):
    """Write every merged value into each cell it covers (as an export without merges does)."""
    rows = sheets[title]
    for cell_range in merges.pop(title, []):
        first, last = cell_range.split(":")
        book = Workbook().active
        a, b = book[first], book[last]
        for r in range(a.row, b.row + 1):
            for c in range(a.column, b.column + 1):
                rows[r - 1][c - 1] = rows[a.row - 1][a.column - 1]
