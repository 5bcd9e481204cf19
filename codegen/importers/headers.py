"""A table's header row: which column is which attribute, by the layout's names.

Every header cell is either mapped to an attribute (its name or one of its aliases) or listed
in the table's `ignored_columns`; anything else stops the run with the cell and the
attributes it could be meant for. Headers may span `header_rows` rows (a merged "Gyldig"
above "fra" and "til").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from codegen.errors import SourceError
from codegen.importers.cells import normalise_header


@dataclass
class Header:
    row: int  # first header row
    height: int  # rows the header spans
    columns: dict[str, int]  # attribute -> column
    texts: dict[int, str]  # column -> header text as written
    unknown: list[int] = field(default_factory=list)  # columns neither mapped nor ignored
    ignored: list[int] = field(default_factory=list)
    twice: list[tuple[str, int, int]] = field(default_factory=list)  # attribute, col, col
    missing_required: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.row + self.height


def implied_columns(spec: dict) -> set[str]:
    """Attributes taken from a sheet name or a block title rather than a column."""
    return {part["column"] for part in (spec.get("spread"), spec.get("blocks")) if part}


def read_header(grid, row: int, spec: dict) -> Header:
    height = spec.get("header_rows", 1)
    texts: dict[int, str] = {}
    for column in sorted({c for r in range(row, row + height) for c in grid.columns(r)}):
        parts: list[str] = []
        for r in range(row, row + height):
            value = grid.value(r, column)
            if value is not None and str(value).strip() and str(value) not in parts:
                parts.append(str(value))
        if parts:
            texts[column] = " ".join(parts)
    names = _names(spec)
    ignored = {normalise_header(name) for name in spec["ignored_columns"]}
    header = Header(row, height, {}, texts)
    for column, text in texts.items():
        key = names.get(normalise_header(text))
        if key is None:
            (header.ignored if normalise_header(text) in ignored else header.unknown).append(column)
        elif key in header.columns:
            header.twice.append((key, header.columns[key], column))
        else:
            header.columns[key] = column
    required = [k for k, c in spec["columns"].items() if c["required"]]
    header.missing_required = [
        k for k in required if k not in header.columns and k not in implied_columns(spec)
    ]
    return header


def find_header(grid, spec: dict, search_rows: int) -> Header | None:
    """The first row (within `search_rows`) holding the key column and every required one."""
    for row in _search(grid, search_rows):
        header = read_header(grid, row, spec)
        if spec["key_column"] in header.columns and not header.missing_required:
            return header
    return None


def header_near_miss(grid, spec: dict, search_rows: int) -> Header | None:
    """The row that has the key column but lacks required ones, for the error message."""
    best = None
    for row in _search(grid, search_rows):
        header = read_header(grid, row, spec)
        if spec["key_column"] in header.columns and (
            best is None or len(header.columns) > len(best.columns)
        ):
            best = header
    return best


def _search(grid, search_rows: int) -> list[int]:
    return [r for r in grid.row_numbers if r <= search_rows]


def _names(spec: dict) -> dict[str, str]:
    names = {}
    for key, column in spec["columns"].items():
        for alias in (key, *column["aliases"]):
            names.setdefault(normalise_header(alias), key)
    return names


def check_mapped(header: Header, grid, kind: str, spec: dict, layout: dict, file: str) -> None:
    """Stop at the first header cell that is neither mapped nor ignored, or mapped twice."""
    where = f"tables.{kind}"
    if header.twice:
        key, first, second = header.twice[0]
        raise SourceError(
            f"columns {_ref(first, header.row)} and {_ref(second, header.row)} both map to "
            f"{key!r}; list one in {where}.ignored_columns of {layout['file']}",
            file=file,
            sheet=grid.title,
            cell=_ref(second, header.row),
        )
    if header.unknown:
        column = header.unknown[0]
        text = header.texts[column]
        free = [k for k in spec["columns"] if k not in header.columns]
        ranked = sorted(free, key=lambda k: -_likeness(text, k, spec["columns"][k]["aliases"]))
        raise SourceError(
            f"header {text!r} is neither mapped nor ignored; it could be one of "
            f"{', '.join(ranked) or '(no unmapped attribute left)'}: add it to "
            f"{where}.columns.<attribute>.aliases or {where}.ignored_columns in {layout['file']}",
            file=file,
            sheet=grid.title,
            cell=_ref(column, header.row),
        )


def _likeness(text: str, key: str, aliases: list[str]) -> float:
    target = normalise_header(text)
    return max(
        difflib.SequenceMatcher(None, target, normalise_header(a)).ratio() for a in (key, *aliases)
    )


def _ref(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"
