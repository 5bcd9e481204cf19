"""The workbook layout (`spec/workbook-layout.json`, or a release's own copy): loaded and
checked, so that a missing or misspelt setting stops the run before any cell is read."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from codegen.errors import SourceError

LAYOUT_NAME = "workbook-layout.json"

# What a blank cell in a column means; each column of the layout says which (no default).
BLANK_MEANINGS = {
    "error": "a blank stops the run",
    "empty": "no value (empty text, no number, no Felt-ID, no code list)",
    "fill_down": "the value of the row above (a group written once)",
    "open": "an open end date",
    "not_stated": "a date the source does not state",
    "no": "no / false",
    "yes": "yes / true",
    "derived": "derived: 'required' from the datatype, 'fields stated' from the field table",
}
VALID_TO_MEANINGS = ("first_day_not_in_force", "last_day_in_force")
# A time of day in a date cell: refused at the cell, or (end_of_day) a "Gyldig til" at 23:59
# or later is the end of that day, so its first day out of force is the next.
DATE_TIMES = ("refuse", "end_of_day")
# Formatting that may carry meaning the values do not (a struck-out, retired row; a coloured,
# new one): refused at the cell, or ignored as cosmetic. The layout says which, per kind.
FORMATTING_KINDS = ("strikethrough", "colour")
FORMATTING_MEANINGS = ("refuse", "ignore")
DEFAULT_LIMITS = {
    "max_part_bytes": 50_000_000,
    "max_workbook_bytes": 200_000_000,
    "max_cells": 500_000,
    "max_merged_cells": 100_000,
    "max_cell_length": 32_767,
    "max_rows_per_table": 20_000,
    "max_periods_per_code": 1_000,
    "max_code_gap_range": 10_000,
    # A later date is a far-future sentinel ("31-12-9999" for open), not a real one: refused
    # unless the layout's open_end_sentinels name it.
    "max_date_year": 2199,
}
_GLOBAL_KEYS = (
    "tables",
    "header_search_rows",
    "hidden_sheets",
    "valid_to_means",
    "code_width",
    "code_pattern",
    "date_formats",
    "date_serials",
    "month_names",
    "invisible_characters",
    "datatypes",
    "required_values",
    "yes",
    "no",
    "not_stated",
    "reporters",
    "action_groups",
    "wsdl_elements_not_in_workbook",
    "none_words",
    "date_times",
    "open_end_sentinels",
    "formatting",
)


def layout_path(release_dir: Path, shared: Path) -> Path:
    """A release may carry its own layout; otherwise the shared one applies."""
    own = release_dir / LAYOUT_NAME
    return own if own.is_file() else shared


def load_layout(path: Path, display_name: str | None = None) -> dict:
    name = display_name or path.name
    try:
        layout = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read the layout ({exc})", file=name) from None
    except json.JSONDecodeError as exc:
        raise SourceError(exc.msg, file=name, line=exc.lineno) from None
    _check(layout, name)
    layout["limits"] = {**DEFAULT_LIMITS, **layout.get("limits", {})}
    layout["file"] = name
    return layout


def _check(layout: dict, name: str) -> None:
    def fail(key: str, message: str) -> None:
        raise SourceError(f"layout key {key}: {message}", file=name)

    if not isinstance(layout, dict):
        fail("(top)", "the layout must be a JSON object")
    for key in _GLOBAL_KEYS:
        if key not in layout:
            fail(key, "missing (there is no default)")
    if layout["valid_to_means"] not in VALID_TO_MEANINGS:
        fail("valid_to_means", f"must be one of {', '.join(VALID_TO_MEANINGS)}")
    if layout["date_times"] not in DATE_TIMES:
        fail("date_times", f"must be one of {', '.join(DATE_TIMES)}")
    sentinels = layout["open_end_sentinels"]
    if not isinstance(sentinels, list) or not all(_is_iso_date(s) for s in sentinels):
        fail("open_end_sentinels", "must list dates written YYYY-MM-DD")
    formatting = layout["formatting"]
    if not isinstance(formatting, dict) or set(formatting) != set(FORMATTING_KINDS):
        fail("formatting", f"must say for each of {', '.join(FORMATTING_KINDS)} what it means")
    for kind, meaning in formatting.items():
        if meaning not in FORMATTING_MEANINGS:
            fail(f"formatting.{kind}", f"must be one of {', '.join(FORMATTING_MEANINGS)}")
    if layout["hidden_sheets"] not in ("consider", "skip"):
        fail("hidden_sheets", "must be 'consider' or 'skip'")
    if layout["invisible_characters"] not in ("refuse", "remove"):
        fail("invisible_characters", "must be 'refuse' or 'remove'")
    if len(layout["month_names"]) != 12:
        fail("month_names", "must name the twelve months in order")
    for key in ("code_pattern",):
        try:
            re.compile(layout[key])
        except re.error as exc:
            fail(key, f"not a regular expression ({exc})")
    for key, value in layout.get("limits", {}).items():
        if key not in DEFAULT_LIMITS or not isinstance(value, int) or value < 1:
            fail(f"limits.{key}", "unknown, or not a positive whole number")
    for kind, table in layout["tables"].items():
        _check_table(kind, table, fail)


def _check_table(kind: str, table: dict, fail) -> None:
    where = f"tables.{kind}"
    for key in ("description", "key_column", "columns", "ignored_columns", "end"):
        if key not in table:
            fail(f"{where}.{key}", "missing (there is no default)")
    if table["key_column"] not in table["columns"]:
        fail(f"{where}.key_column", "names no column of the table")
    for column, spec in table["columns"].items():
        blank = spec.get("blank")
        if blank not in BLANK_MEANINGS:
            fail(
                f"{where}.columns.{column}.blank",
                f"must be one of {', '.join(BLANK_MEANINGS)} (there is no default)",
            )
        only = spec.get("empty_only_for")
        if only is not None and (
            not isinstance(only, dict)
            or set(only) != {"column", "values"}
            or only["column"] not in table["columns"]
            or not isinstance(only["values"], list)
        ):
            fail(
                f"{where}.columns.{column}.empty_only_for",
                "must be {column: <a column of the table>, values: [...]}",
            )
    for key in ("sheet_pattern", "footer_pattern"):
        pattern = table.get(key) if key == "sheet_pattern" else table["end"].get(key)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                fail(f"{where}.{key}", f"not a regular expression ({exc})")
    for key, pattern_key, pattern in (
        ("spread", "sheet_pattern", table.get("sheet_pattern")),
        ("blocks", "title_pattern", (table.get("blocks") or {}).get("title_pattern")),
    ):
        part = table.get(key)
        if part is None:
            continue
        if part.get("column") not in table["columns"]:
            fail(f"{where}.{key}.column", "names no column of the table")
        named_by_blocks = (
            key == "spread" and (table.get("blocks") or {}).get("column") == part["column"]
        )
        if pattern is None or ("(?P<value>" not in pattern and not named_by_blocks):
            fail(f"{where}.{pattern_key}", f"{key} needs a pattern with a group (?P<value>...)")
    if not isinstance(table.get("header_rows", 1), int) or table.get("header_rows", 1) < 1:
        fail(f"{where}.header_rows", "must be a positive whole number")


def _is_iso_date(value: object) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
