"""Open the "Skemaoversigt og Kodelister" workbook and choose, knowingly, the one table of each
kind that the spec is built from.

Tables are found by their header names (`spec/workbook-layout.json`): any sheet, any header
row within the first rows, any column order. When two sheets (hidden or not) both look like one
table, the run stops and names both, unless the layout says which sheet to take
(`sheet_pattern`) or to skip hidden sheets (`hidden_sheets`). A table may also be spread over
several sheets named after a column's value (`spread`). Merged cells give their value to every
cell they cover. The file is checked against the layout's limits before it is opened.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from codegen.errors import SourceError
from codegen.importers.headers import Header, find_header, header_near_miss
from codegen.importers.rows import Table, read_rows
from codegen.importers.xlsx_gate import check_xlsx


class SheetGrid:
    """A worksheet's non-empty values, merged ranges filled in from their top-left cell.

    Built from the cells the file holds, never from the declared bounding box: one cell at
    XFD1048576 is one entry, not a billion.
    """

    def __init__(self, worksheet, refused_formatting: tuple[str, ...] = ()) -> None:
        self.title = worksheet.title
        self.hidden = worksheet.sheet_state != "visible"
        # openpyxl's own cell store: iter_rows() would walk the whole bounding box.
        self._values = {
            key: cell.value for key, cell in worksheet._cells.items() if cell.value is not None
        }
        for merged in worksheet.merged_cells.ranges:  # areas bounded by the gate's limit
            top_left = self._values.get((merged.min_row, merged.min_col))
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if top_left is None:
                        self._values.pop((r, c), None)
                    else:
                        self._values[(r, c)] = top_left
        # Cells whose formatting the layout refuses (kind by cell), found through the style
        # tables once, not cell by cell.
        self.formatting = _formatted(worksheet, refused_formatting, self._values)
        self.row_numbers = sorted({r for r, _ in self._values})
        self._columns_of: dict[int, list[int]] = {}
        for r, c in sorted(self._values):
            self._columns_of.setdefault(r, []).append(c)

    def value(self, row: int, column: int) -> object:
        return self._values.get((row, column))

    def columns(self, row: int) -> list[int]:
        """Columns of `row` holding a value, left to right."""
        return self._columns_of.get(row, [])


def _formatted(worksheet, kinds: tuple[str, ...], values: dict) -> dict[tuple[int, int], str]:
    if not kinds:
        return {}
    book = worksheet.parent
    struck = {i for i, font in enumerate(book._fonts) if font.strike}
    coloured_fonts = {i for i, font in enumerate(book._fonts) if _has_colour(font.color)}
    filled = {i for i, fill in enumerate(book._fills) if getattr(fill, "patternType", None)}
    found = {}
    for key, cell in worksheet._cells.items():
        if key not in values or not cell.has_style:
            continue
        style = cell._style
        if "strikethrough" in kinds and style.fontId in struck:
            found[key] = "strikethrough"
        elif "colour" in kinds and (style.fontId in coloured_fonts or style.fillId in filled):
            found[key] = "colour"
    return found


def _has_colour(color) -> bool:
    """A font colour other than the text's own (none, automatic, black, the text theme, the
    indexed black or system foreground)."""
    # By the type, not `color.auto`: openpyxl answers that, for a colour of another type,
    # with a message (truthy), which made every font colour read as none.
    if color is None or color.type == "auto":
        return False
    if color.type == "rgb":
        return color.rgb not in ("FF000000", "00000000")
    if color.type == "theme":
        return color.theme not in (1,)
    return color.indexed not in (8, 64)


@dataclass(frozen=True)
class Workbook:
    file: str
    sheets: tuple[SheetGrid, ...]
    epoch: object  # the workbook's date system (1900 or 1904), for Excel serials


def open_workbook(path: Path, layout: dict, display_name: str) -> Workbook:
    check_xlsx(path, layout["limits"], display_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            book = load_workbook(path, data_only=True)
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(
            f"cannot read as an .xlsx workbook ({message})", file=display_name
        ) from None
    refused = tuple(k for k, meaning in layout["formatting"].items() if meaning == "refuse")
    sheets = tuple(SheetGrid(ws, refused) for ws in book.worksheets)
    return Workbook(display_name, sheets, book.epoch)


def read_tables(path: Path, layout: dict, display_name: str) -> dict[str, Table]:
    """Every table kind of the layout, read from the workbook at `path`."""
    workbook = open_workbook(path, layout, display_name)
    return {
        kind: read_table(workbook, kind, spec, layout) for kind, spec in layout["tables"].items()
    }


def read_table(workbook: Workbook, kind: str, spec: dict, layout: dict) -> Table:
    where = f"tables.{kind}"
    candidates = []
    skipped = []
    for grid in workbook.sheets:
        reason = _skip_reason(grid, spec, layout)
        if reason:
            skipped.append((grid.title, reason))
            continue
        header = find_header(grid, spec, layout["header_search_rows"])
        if header is not None:
            candidates.append((grid, header))
    if not candidates:
        raise _no_table(workbook, kind, spec, layout)
    spread = spec.get("spread")
    if len(candidates) > 1 and spread is None:
        (a, ha), (b, hb) = candidates[:2]
        raise SourceError(
            f"two sheets look like the {spec['description']!r} table: {a.title!r} (header row "
            f"{ha.row}) and {b.title!r} (header row {hb.row}); say which to take with "
            f"{where}.sheet_pattern in {layout['file']}, or set hidden_sheets to 'skip'",
            file=workbook.file,
            sheet=b.title,
            cell=f"A{hb.row}",
        )
    parts = []
    for grid, header in candidates:
        fixed = {}
        if spread is not None:
            named = re.fullmatch(spec["sheet_pattern"], grid.title).groupdict().get("value")
            if named is not None:  # else each sheet's block title names it
                fixed[spread["column"]] = named
        parts.append(read_rows(workbook, grid, header, kind, spec, layout, fixed))
    return Table.joined(kind, parts, skipped)


def _skip_reason(grid: SheetGrid, spec: dict, layout: dict) -> str:
    if grid.hidden and layout["hidden_sheets"] == "skip":
        return "hidden (hidden_sheets: skip)"
    pattern = spec.get("sheet_pattern")
    if pattern is not None and not re.fullmatch(pattern, grid.title):
        return f"name does not match sheet_pattern {pattern!r}"
    return ""


def _no_table(workbook: Workbook, kind: str, spec: dict, layout: dict) -> SourceError:
    near: tuple[SheetGrid, Header] | None = None
    for grid in workbook.sheets:
        if _skip_reason(grid, spec, layout):
            continue
        miss = header_near_miss(grid, spec, layout["header_search_rows"])
        if miss is not None and (near is None or len(miss.columns) > len(near[1].columns)):
            near = (grid, miss)
    if near is not None:
        grid, header = near
        missing = [spec["columns"][k]["aliases"][0] for k in header.missing_required]
        return SourceError(
            f"the {spec['description']!r} table lacks column(s) "
            f"{', '.join(repr(m) for m in missing)} in its header row (aliases: "
            f"tables.{kind}.columns.<name>.aliases in {layout['file']})",
            file=workbook.file,
            sheet=grid.title,
            cell=f"A{header.row}",
        )
    wanted = ", ".join(
        repr(col["aliases"][0]) for col in spec["columns"].values() if col.get("required")
    )
    sheet_names = ", ".join(repr(g.title) for g in workbook.sheets)
    return SourceError(
        f"no sheet has the {spec['description']!r} table (a header row with {wanted}); "
        f"sheets are {sheet_names}",
        file=workbook.file,
    )
