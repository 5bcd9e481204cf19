"""Find and read the tables of the "Skemaoversigt og Kodelister" workbook.

Tables are found by their header names, not by position: any sheet, any header row within
the first rows, any column order; extra sheets and columns are ignored. Merged cells give
their value to every cell they cover. What the columns are called lives in
`spec/workbook-layout.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from codegen.errors import SourceError
from codegen.importers.cells import normalise_header, parse_date, parse_flag, parse_int
from codegen.model import Validity


@dataclass(frozen=True)
class Row:
    file: str
    sheet: str
    number: int
    values: dict[str, object]  # column key -> raw cell value
    columns: dict[str, int]  # column key -> column index (1-based)

    def ref(self, key: str) -> str:
        return f"{get_column_letter(self.columns[key])}{self.number}" if key in self.columns else ""

    def error(self, key: str, message: str) -> SourceError:
        return SourceError(message, file=self.file, sheet=self.sheet, cell=self.ref(key))


@dataclass(frozen=True)
class Table:
    kind: str
    sheet: str
    header_row: int
    rows: tuple[Row, ...]


def load_layout(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_tables(path: Path, layout: dict, display_name: str) -> dict[str, Table]:
    """Every table kind of the layout, read from the workbook at `path`."""
    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(f"cannot open as an .xlsx workbook ({exc})", file=display_name) from None
    sheets = [_SheetGrid(ws) for ws in workbook.worksheets]
    return {
        kind: _find_table(kind, spec, sheets, layout["header_search_rows"], display_name)
        for kind, spec in layout["tables"].items()
    }


class _SheetGrid:
    """A worksheet's values, with merged ranges filled in from their top-left cell."""

    def __init__(self, worksheet) -> None:
        self.title = worksheet.title
        self.max_row = worksheet.max_row
        self.max_column = worksheet.max_column
        self._values = {
            (cell.row, cell.column): cell.value
            for row in worksheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        for merged in worksheet.merged_cells.ranges:
            top_left = self._values.get((merged.min_row, merged.min_col))
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    self._values[(r, c)] = top_left

    def value(self, row: int, column: int) -> object:
        return self._values.get((row, column))


def _header_columns(grid: _SheetGrid, row: int, columns: dict) -> dict[str, int]:
    by_name = {
        normalise_header(grid.value(row, c)): c
        for c in range(1, grid.max_column + 1)
        if grid.value(row, c) is not None
    }
    found = {}
    for key, spec in columns.items():
        for alias in (key, *spec["aliases"]):
            column = by_name.get(normalise_header(alias))
            if column is not None:
                found[key] = column
                break
    return found


def _find_table(
    kind: str, spec: dict, sheets: list[_SheetGrid], search_rows: int, display_name: str
) -> Table:
    required = [key for key, col in spec["columns"].items() if col["required"]]
    best: tuple[int, _SheetGrid, int, dict[str, int]] | None = None
    for grid in sheets:
        for row in range(1, min(search_rows, grid.max_row) + 1):
            columns = _header_columns(grid, row, spec["columns"])
            hits = sum(key in columns for key in required)
            if hits == len(required):
                return _read_rows(kind, grid, row, columns, display_name)
            if spec["key_column"] in columns and (best is None or hits > best[0]):
                best = (hits, grid, row, columns)
    if best is not None:
        _, grid, row, columns = best
        missing = [spec["columns"][k]["aliases"][0] for k in required if k not in columns]
        raise SourceError(
            f"the {spec['description']!r} table lacks column(s) "
            f"{', '.join(repr(m) for m in missing)} in its header row",
            file=display_name,
            sheet=grid.title,
            cell=f"A{row}",
        )
    wanted = ", ".join(repr(spec["columns"][k]["aliases"][0]) for k in required)
    sheet_names = ", ".join(repr(g.title) for g in sheets)
    raise SourceError(
        f"no sheet has the {spec['description']!r} table (a header row with {wanted}); "
        f"sheets are {sheet_names}",
        file=display_name,
    )


def _read_rows(
    kind: str, grid: _SheetGrid, header_row: int, columns: dict[str, int], display_name: str
) -> Table:
    rows = []
    for number in range(header_row + 1, grid.max_row + 1):
        values = {key: grid.value(number, column) for key, column in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append(Row(display_name, grid.title, number, values, columns))
    return Table(kind, grid.title, header_row, tuple(rows))


# Typed readers for one cell of a row: each turns a bad value into a SourceError at its cell.


def row_validity(row: Row, layout: dict) -> Validity:
    ends = {}
    for key in ("valid_from", "valid_to"):
        try:
            ends[key] = parse_date(row.values[key], layout["not_stated"])
        except ValueError as exc:
            raise row.error(key, str(exc)) from None
    start, end = ends["valid_from"], ends["valid_to"]
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        raise row.error("valid_to", f"'valid to' {end} is not after 'valid from' {start}")
    return Validity(start, end)


def row_int(row: Row, key: str) -> int | None:
    try:
        return parse_int(row.values.get(key))
    except ValueError as exc:
        raise row.error(key, str(exc)) from None


def row_flag(row: Row, key: str, layout: dict) -> bool:
    try:
        return parse_flag(row.values.get(key), layout["yes"], layout["no"])
    except ValueError as exc:
        raise row.error(key, str(exc)) from None
