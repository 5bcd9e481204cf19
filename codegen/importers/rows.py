"""The data rows of one table, and typed readers for their cells.

A table ends at the sheet's last row, at its first blank row (`end.blank_row`) or at a footer
such as "Anm.:" (`end.footer_pattern`). What a blank cell means is the column's `blank`
setting in the layout ("fill_down", "empty", "open", ...); every reader turns a bad value into
a SourceError naming the cell and, where it helps, the layout key to change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from codegen.errors import SourceError
from codegen.importers.cells import clean_text, normalise_code, parse_date, parse_flag, parse_int
from codegen.importers.headers import Header, check_mapped, implied_columns
from codegen.model import Validity


@dataclass(frozen=True)
class Blank:
    """A blank cell, with the meaning its column's layout gives it."""

    meaning: str


@dataclass(frozen=True)
class Row:
    file: str
    sheet: str
    number: int
    values: dict[str, object]  # attribute -> raw cell value, or a Blank
    columns: dict[str, int]  # attribute -> column index (1-based)
    layout: dict = field(repr=False, compare=False)
    epoch: object = field(repr=False, compare=False)
    kind: str = ""

    def ref(self, key: str) -> str:
        return f"{get_column_letter(self.columns[key])}{self.number}" if key in self.columns else ""

    def error(self, key: str, message: str) -> SourceError:
        return SourceError(message, file=self.file, sheet=self.sheet, cell=self.ref(key))

    def blank(self, key: str) -> str | None:
        """The meaning of the blank in `key`, or None when the cell holds a value."""
        value = self.values.get(key)
        return value.meaning if isinstance(value, Blank) else None

    def _unexpected(self, key: str, meaning: str) -> SourceError:
        return self.error(
            key,
            f"a blank here means {meaning!r}, which does not fit this column: fix "
            f"tables.{self.kind}.columns.{key}.blank in {self.layout['file']}",
        )

    def text(self, key: str) -> str:
        meaning = self.blank(key)
        if meaning is not None:
            if meaning != "empty":
                raise self._unexpected(key, meaning)
            return ""
        try:
            return clean_text(self.values[key], self.layout["invisible_characters"])
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def optional_text(self, key: str) -> str | None:
        return self.text(key) or None

    def code(self, key: str) -> str:
        text = self.text(key)
        try:
            return normalise_code(
                text, self.layout["code_width"], re.compile(self.layout["code_pattern"])
            )
        except ValueError as exc:
            raise self.error(key, f"{exc} (layout key code_pattern)") from None

    def int(self, key: str) -> int | None:
        text = self.text(key)
        if not text:
            return None
        try:
            return parse_int(text)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def flag(self, key: str) -> bool | None:
        """None only where the layout says a blank is derived."""
        meaning = self.blank(key)
        if meaning is not None:
            if meaning not in ("yes", "no", "derived"):
                raise self._unexpected(key, meaning)
            return {"yes": True, "no": False, "derived": None}[meaning]
        try:
            text = clean_text(self.values[key], self.layout["invisible_characters"])
            return parse_flag(text, self.layout["yes"], self.layout["no"])
        except ValueError as exc:
            raise self.error(key, f"{exc} (layout keys yes, no)") from None

    def date(self, key: str):
        meaning = self.blank(key)
        if meaning is not None:
            if meaning == "open":
                return None
            if meaning == "not_stated":
                return parse_date(self.layout["not_stated"][0], self.layout, self.epoch)
            raise self._unexpected(key, meaning)
        raw = self.values[key]
        try:
            day = parse_date(raw, self.layout, self.epoch)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None
        if isinstance(raw, dt.datetime) and raw.time() != dt.time(0) and not self._end_of_day(key):
            raise self.error(
                key,
                f"{raw.isoformat(sep=' ')} is a date with a time of day, which the layout gives "
                f"no meaning here (date_times: \"end_of_day\" reads a 'valid to' at 23:59 or "
                "later as the end of that day)",
            )
        if isinstance(day, dt.date) and day.year > self.layout["limits"]["max_date_year"]:
            if key == "valid_to" and day.isoformat() in self.layout["open_end_sentinels"]:
                return None  # a declared far-future sentinel: an open end
            raise self.error(
                key,
                f"{day.isoformat()} is after limits.max_date_year "
                f"({self.layout['limits']['max_date_year']}): a far-future sentinel for an open "
                f"end? Declare it in open_end_sentinels in {self.layout['file']}",
            )
        return day

    def _end_of_day(self, key: str) -> bool:
        """A 'valid to' written as a date-time at the end of its day (23:59 or later), which
        the layout reads as the end of that day (date_times: end_of_day)."""
        raw = self.values.get(key)
        return (
            key == "valid_to"
            and self.layout["date_times"] == "end_of_day"
            and isinstance(raw, dt.datetime)
            and raw.time() >= dt.time(23, 59)
        )

    def validity(self) -> Validity:
        start, end = self.date("valid_from"), self.date("valid_to")
        through = (
            self._end_of_day("valid_to") or self.layout["valid_to_means"] == "last_day_in_force"
        )
        if isinstance(end, dt.date) and through:
            if end == dt.date.max:
                raise self.error("valid_to", f"'valid to' {end} has no next day to end on")
            end = end + dt.timedelta(days=1)  # the spec's valid_to is the first day out of force
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
            raise self.error("valid_to", f"'valid to' {end} is not after 'valid from' {start}")
        return Validity(start, end)


@dataclass(frozen=True)
class Part:
    """Where one sheet's share of a table came from, for `smdbgen inspect`."""

    sheet: str
    header: Header
    rows: int
    filled: dict[str, int]  # attribute -> blanks given their meaning
    absent: tuple[str, ...]  # optional attributes with no column
    ended: str


@dataclass(frozen=True)
class Table:
    kind: str
    rows: tuple[Row, ...]
    parts: tuple[Part, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()

    @property
    def sheet(self) -> str:
        return self.parts[0].sheet if self.parts else ""

    @classmethod
    def joined(cls, kind: str, parts: list[tuple[list[Row], Part]], skipped) -> Table:
        rows = tuple(row for part_rows, _ in parts for row in part_rows)
        return cls(kind, rows, tuple(part for _, part in parts), tuple(skipped))


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_rows(workbook, grid, header: Header, kind: str, spec: dict, layout: dict, fixed: dict):
    """This sheet's rows of the table; `fixed` holds values implied by the sheet's name."""
    check_mapped(header, grid, kind, spec, layout, workbook.file)
    columns = spec["columns"]
    absent = tuple(k for k in columns if k not in header.columns and k not in implied_columns(spec))
    footer = spec["end"].get("footer_pattern")
    blocks = spec.get("blocks")
    limit = layout["limits"]["max_rows_per_table"]
    previous: dict[str, object] = {}
    none_words = set(layout["none_words"])
    filled = {k: 0 for k in columns}
    rows: list[Row] = []
    if blocks:  # a title above the header names the sheet's first block
        for number in grid.row_numbers:
            title = _block_title(grid, number, blocks) if number < header.row else None
            if title is not None:
                fixed = {**fixed, blocks["column"]: title}
    ended = "at the sheet's last row"
    last = header.first_data_row - 1
    for number in grid.row_numbers:
        if number < header.first_data_row:
            continue
        if spec["end"].get("blank_row") and number > last + 1:
            ended = f"at the blank row {last + 1} (end.blank_row)"
            break
        last = number
        cells = [grid.value(number, c) for c in grid.columns(number)]
        first = next((clean_text(v, "remove") for v in cells if not _is_blank(v)), "")
        if footer and re.search(footer, first):
            ended = f"at the footer in row {number} (end.footer_pattern)"
            break
        _check_headed(grid, number, header, workbook.file)
        if blocks:
            title = _block_title(grid, number, blocks)
            if title is not None:
                fixed = {**fixed, blocks["column"]: title}
                continue
            if _repeats_header(grid, number, header):
                continue
        if all(_is_blank(grid.value(number, c)) for c in header.columns.values()):
            continue  # only ignored columns hold something here
        _check_formatting(grid, number, header, layout, workbook.file)
        values = {}
        for key in columns:
            if key in fixed:
                values[key] = fixed[key]
                continue
            raw = grid.value(number, header.columns[key]) if key in header.columns else None
            if not _is_blank(raw) and _text(raw) in none_words:
                values[key] = previous[key] = Blank("empty")  # deliberately no value
                continue
            if not _is_blank(raw):
                values[key] = previous[key] = raw
                continue
            meaning = columns[key]["blank"]
            if meaning == "fill_down" and key in previous:
                values[key] = previous[key]
            elif meaning in ("error", "fill_down"):
                where = get_column_letter(header.columns[key]) if key in header.columns else ""
                raise SourceError(
                    f"blank {key!r} cell: tables.{kind}.columns.{key}.blank in "
                    f"{layout['file']} is {meaning!r}"
                    + (" and no row above has a value" if meaning == "fill_down" else ""),
                    file=workbook.file,
                    sheet=grid.title,
                    cell=f"{where}{number}" if where else f"A{number}",
                )
            else:
                values[key] = Blank(meaning)
            filled[key] += 1
        _check_empty_only_for(values, columns, header, kind, layout, workbook.file, grid, number)
        if len(rows) >= limit:
            raise SourceError(
                f"the table has more than limits.max_rows_per_table ({limit:,}) rows",
                file=workbook.file,
                sheet=grid.title,
                cell=f"A{number}",
            )
        rows.append(
            Row(
                workbook.file,
                grid.title,
                number,
                values,
                header.columns,
                layout,
                workbook.epoch,
                kind,
            )
        )
    part = Part(grid.title, header, len(rows), filled, absent, ended)
    return rows, part


def _check_headed(grid, number: int, header: Header, file: str) -> None:
    """A value in a column without a header would be dropped in silence: stop instead."""
    for column in grid.columns(number):
        if column not in header.texts and not _is_blank(grid.value(number, column)):
            raise SourceError(
                "this cell has a value but its column has no header in the table's header "
                f"row {header.row}",
                file=file,
                sheet=grid.title,
                cell=f"{get_column_letter(column)}{number}",
            )


def _check_formatting(grid, number: int, header: Header, layout: dict, file: str) -> None:
    """Formatting the layout refuses (a struck-out code, a coloured row) may mean what the
    values do not say: stop at the cell rather than read it as if it meant nothing."""
    for column in header.columns.values():
        kind = grid.formatting.get((number, column))
        if kind is not None:
            raise SourceError(
                f"this cell is formatted ({kind}), which may carry a meaning its value does not "
                f"(retired, new, ...): write that meaning as a value (e.g. 'Gyldig til'), or set "
                f'formatting.{kind} to "ignore" in {layout["file"]} if it is cosmetic',
                file=file,
                sheet=grid.title,
                cell=f"{get_column_letter(column)}{number}",
            )


def _check_empty_only_for(values, columns, header, kind, layout, file, grid, number) -> None:
    """A column that may be empty only on some rows (`empty_only_for`): any other empty
    cell stops the run, naming it."""
    for key, spec in columns.items():
        only = spec.get("empty_only_for")
        value = values.get(key)
        if only is None or not (isinstance(value, Blank) and value.meaning == "empty"):
            continue
        other = values.get(only["column"])
        text = "" if isinstance(other, Blank) else clean_text(other, "remove")
        if text not in only["values"]:
            where = get_column_letter(header.columns[key]) if key in header.columns else "A"
            raise SourceError(
                f"empty {key!r} cell for {text!r}: tables.{kind}.columns.{key}.empty_only_for "
                f"in {layout['file']} allows it only for {', '.join(only['values'])}",
                file=file,
                sheet=grid.title,
                cell=f"{where}{number}",
            )


def _block_title(grid, number: int, blocks: dict) -> str | None:
    """The value a block title row gives (a row with one cell matching title_pattern)."""
    columns = grid.columns(number)
    if len(columns) != 1:
        return None
    title = re.fullmatch(blocks["title_pattern"], clean_text(grid.value(number, columns[0])))
    return title["value"] if title else None


def _repeats_header(grid, number: int, header: Header) -> bool:
    return all(grid.value(number, c) == text for c, text in header.texts.items())
