"""Layouts that used to give a different spec with exit 0 (issue #22): date-times at the end
of the day, retirement shown only by formatting, codes sorted by value beside an order
column, far-future sentinels for an open end, a Felt-ID written once per group. Each gives
the original spec once the layout declares what it means, or one refusal naming the file,
sheet and cell: in process, and through `smdbgen spec` (exit 2, one line, nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from test_hostile_workbooks import WORKBOOK, refused, run_spec
from variant_tools import (
    LAYOUT,
    RELEASE,
    column,
    expected_spec,
    header_row,
    original,
    spec_of,
    write,
)

from codegen.errors import SourceError


@pytest.fixture(scope="module")
def expected() -> dict:
    return expected_spec()


def error_of(path: Path, layout: dict) -> SourceError:
    with pytest.raises(SourceError) as caught:
        spec_of(path, layout)
    return caught.value


def cell(rows: list[list], row: int, name: str) -> str:
    """The A1 reference of column `name` in the 0-based `row` of a sheet's rows."""
    return f"{get_column_letter(column(rows, name) + 1)}{row + 1}"


@pytest.fixture
def release(tmp_path) -> Path:
    folder = tmp_path / "sources" / "2026-01-01"
    folder.mkdir(parents=True)
    for source in RELEASE.iterdir():
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
    return folder


def through_cli(release: Path, sheets, merges, *, sheet: str, cell: str, says: str, layout=None,
                style=None) -> None:  # fmt: skip
    """The variant as the release's workbook (and layout), refused by `smdbgen spec`."""
    path = write(release / WORKBOOK, sheets, merges)
    if style is not None:
        style(path)
    if layout is not None:
        (release / "workbook-layout.json").write_text(json.dumps(layout), encoding="utf-8")
    refused(release, sheet=sheet, cell=cell, says=says)


def saved_layout(edit=None) -> dict:
    """The layout file as JSON (what a release may carry), edited."""
    data = json.loads(LAYOUT.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    return data


def accepted_by_cli(release: Path, layout: dict) -> None:
    (release / "workbook-layout.json").write_text(json.dumps(layout), encoding="utf-8")
    result = run_spec(release)
    assert result.returncode == 0 and result.written, result.stderr[-2000:]


# --- "Gyldig til" as a date-time at the end of the last day ---------------------------------


def end_of_day_variant() -> tuple[dict, dict, int]:
    sheets, merges = original()
    rows = sheets["Skemaoversigt"]
    to = column(rows, "Gyldig til")
    first = None
    for i, row in enumerate(
        rows[header_row(rows, "Gyldig til") + 1 :], header_row(rows, "Gyldig til") + 1
    ):
        if isinstance(row[to], dt.datetime):
            row[to] = row[to] - dt.timedelta(seconds=1)  # the last day, 23:59:59
            first = i if first is None else first
    return sheets, merges, first


def test_end_of_day_valid_to_is_refused_or_read_as_declared(tmp_path, layout, expected, release):
    sheets, merges, first = end_of_day_variant()
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    assert (err.sheet, err.cell) == (
        "Skemaoversigt",
        cell(sheets["Skemaoversigt"], first, "Gyldig til"),
    )
    assert "23:59:59" in err.message and "date_times" in err.message
    where = cell(sheets["Skemaoversigt"], first, "Gyldig til")
    through_cli(release, sheets, merges, sheet="Skemaoversigt", cell=where, says="date_times")
    layout["date_times"] = "end_of_day"
    assert spec_of(path, layout) == expected
    # The same time under "last day in force" ends on the same day: no day is lost or added.
    layout["valid_to_means"] = "last_day_in_force"
    assert spec_of(path, layout) == expected


def test_a_time_other_than_the_end_of_day_is_refused(tmp_path, layout, release):
    sheets, merges = original()
    rows = sheets["Skemaoversigt"]
    h = header_row(rows, "Gyldig til")
    row = next(
        i
        for i, r in enumerate(rows)
        if i > h and isinstance(r[column(rows, "Gyldig til")], dt.datetime)
    )
    rows[row][column(rows, "Gyldig til")] += dt.timedelta(hours=12)
    layout["date_times"] = "end_of_day"
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert (err.sheet, err.cell) == ("Skemaoversigt", cell(rows, row, "Gyldig til"))
    end_of_day = saved_layout(lambda data: data.update(date_times="end_of_day"))
    through_cli(release, sheets, merges, sheet="Skemaoversigt", cell=cell(rows, row, "Gyldig til"),
                says="time of day", layout=end_of_day)  # fmt: skip


# --- retirement marked only by formatting ---------------------------------------------------


def struck(sheet: str, row: int, col: int, font: Font | None = None, fill=None):
    def style(path: Path) -> None:
        book = load_workbook(path)
        target = book[sheet].cell(row + 1, col + 1)
        if font is not None:
            target.font = font
        if fill is not None:
            target.fill = fill
        book.save(path)

    return style


def test_strikethrough_is_refused_unless_declared_cosmetic(tmp_path, layout, expected, release):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    row = header_row(rows, "Tekst") + 5
    style = struck("Kodelister", row, column(rows, "Tekst"), font=Font(strike=True))
    path = write(tmp_path / "v.xlsx", sheets, merges)
    style(path)
    err = error_of(path, layout)
    assert (err.sheet, err.cell) == ("Kodelister", cell(rows, row, "Tekst"))
    assert "strikethrough" in err.message
    through_cli(release, sheets, merges, sheet="Kodelister", cell=cell(rows, row, "Tekst"),
                says="formatting.strikethrough", style=style)  # fmt: skip
    layout["formatting"]["strikethrough"] = "ignore"
    assert spec_of(path, layout) == expected


def test_colour_is_refused_where_the_layout_says_it_means_something(
    tmp_path, layout, expected, release
):
    sheets, merges = original()
    rows = sheets["Felter"]
    row = header_row(rows, "Variabelnavn") + 3
    path = write(tmp_path / "v.xlsx", sheets, merges)
    style = struck(
        "Felter", row, column(rows, "Variabelnavn"), fill=PatternFill("solid", fgColor="FFFF00")
    )
    style(path)
    assert spec_of(path, layout) == expected  # our layout: colour is cosmetic
    layout["formatting"]["colour"] = "refuse"
    err = error_of(path, layout)
    assert (err.sheet, err.cell) == ("Felter", cell(rows, row, "Variabelnavn"))
    refusing = saved_layout(lambda data: data["formatting"].update(colour="refuse"))
    through_cli(release, sheets, merges, sheet="Felter", cell=cell(rows, row, "Variabelnavn"),
                says="formatting.colour", layout=refusing, style=style)  # fmt: skip


# --- an order column decides the display order ----------------------------------------------


def sorted_with_order() -> tuple[dict, dict]:
    sheets, merges = original()
    rows = sheets["Kodelister"]
    h = header_row(rows, "Kode")
    name, code = column(rows, "Kodeliste"), column(rows, "Kode")
    body = [list(r) for r in rows[h + 1 :]]
    positions: dict[str, int] = {}
    for row in body:
        positions[row[name]] = positions.get(row[name], 0) + 1
        row.append(positions[row[name]])
    order = {n: i for i, n in enumerate(dict.fromkeys(r[name] for r in body))}
    body.sort(key=lambda r: (order[r[name]], r[code]))  # lists kept, codes sorted by value
    sheets["Kodelister"] = [*rows[:h], [*rows[h], "Rækkefølge"], *body]
    return sheets, merges


def test_an_order_column_decides_the_display_order(tmp_path, layout, expected):
    sheets, merges = sorted_with_order()
    path = write(tmp_path / "v.xlsx", sheets, merges)
    assert spec_of(path, layout) == expected
    # Without it, sorting by value would change the order (4-IVÆR, 31-IVÆR, 8-TILB, ...).
    rows = sheets["Kodelister"]
    for row in rows:
        row.pop()
    assert spec_of(write(tmp_path / "w.xlsx", sheets, merges), layout) != expected


def test_an_order_given_twice_is_refused(tmp_path, layout, release):
    sheets, merges = sorted_with_order()
    rows = sheets["Kodelister"]
    h = header_row(rows, "Rækkefølge")
    o = column(rows, "Rækkefølge")
    rows[h + 2][o] = rows[h + 1][o]
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert (err.sheet, err.cell) == ("Kodelister", cell(rows, h + 2, "Rækkefølge"))
    through_cli(release, sheets, merges, sheet="Kodelister", cell=cell(rows, h + 2, "Rækkefølge"),
                says="also that of row")  # fmt: skip
    rows[h + 2][o] = None  # one code without an order, where the others have one
    through_cli(release, sheets, merges, sheet="Kodelister", cell=cell(rows, h + 2, "Rækkefølge"),
                says="no order")  # fmt: skip


# --- far-future sentinels for an open end ---------------------------------------------------


def sentinel_variant(value) -> tuple[dict, dict, int]:
    sheets, merges = original()
    rows = sheets["Kodelister"]
    to = column(rows, "Gyldig til")
    first = header_row(rows, "Gyldig til") + 1
    for row in rows[first:]:
        if row[to] is None:
            row[to] = value
    return sheets, merges, first


@pytest.mark.parametrize("value", ["31-12-9999", dt.datetime(9999, 12, 31)], ids=["text", "date"])
def test_a_far_future_end_is_a_declared_sentinel_or_refused(
    tmp_path, layout, expected, release, value
):
    sheets, merges, first = sentinel_variant(value)
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    where = cell(sheets["Kodelister"], first, "Gyldig til")
    assert (err.sheet, err.cell) == ("Kodelister", where) and "open_end_sentinels" in err.message
    through_cli(release, sheets, merges, sheet="Kodelister", cell=where, says="open_end_sentinels")
    layout["open_end_sentinels"] = ["9999-12-31"]
    assert spec_of(path, layout) == expected
    # Under "last day in force" (the forms' ends written as their last day) the sentinel is
    # still open: it was a bare OverflowError.
    forms = sheets["Skemaoversigt"]
    to = column(forms, "Gyldig til")
    for row in forms:
        if isinstance(row[to], dt.datetime):
            row[to] -= dt.timedelta(days=1)
    layout["valid_to_means"] = "last_day_in_force"
    assert spec_of(write(tmp_path / "w.xlsx", sheets, merges), layout) == expected


def test_the_last_date_with_no_next_day_is_refused_at_its_cell(tmp_path, layout, release):
    sheets, merges, first = sentinel_variant("31-12-9999")
    layout["valid_to_means"] = "last_day_in_force"
    layout["limits"]["max_date_year"] = 9999
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    where = cell(sheets["Kodelister"], first, "Gyldig til")
    assert (err.sheet, err.cell) == ("Kodelister", where) and "no next day" in err.message
    saved = saved_layout(
        lambda data: data.update(valid_to_means="last_day_in_force", limits={"max_date_year": 9999})
    )
    through_cli(release, sheets, merges, sheet="Kodelister", cell=where, says="no next day",
                layout=saved)  # fmt: skip


# --- a Felt-ID written once per group, later rows blank (no merge) --------------------------


def test_a_blank_felt_id_is_refused_except_where_declared(tmp_path, layout, expected, release):
    sheets, merges = original()
    merges.pop("Felter")  # the merged groups keep their value in the first row only
    rows = sheets["Felter"]
    felt = column(rows, "Felt-ID")
    first = header_row(rows, "Felt-ID") + 1
    days = "IvaerksatBehandlingDageSidenAnmodningKvantitet"  # no Felt-ID, by D2
    variable = column(rows, "Variabelnavn")
    blank = next(
        i for i, r in enumerate(rows) if i >= first and r[felt] is None and r[variable] != days
    )
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert (err.sheet, err.cell) == ("Felter", cell(rows, blank, "Felt-ID"))
    assert "empty_only_for" in err.message
    through_cli(release, sheets, merges, sheet="Felter", cell=cell(rows, blank, "Felt-ID"),
                says="empty_only_for")  # fmt: skip
    # The one field that has no Felt-ID (D2) is still read, merged groups and all.
    sheets, merges = original()
    assert spec_of(write(tmp_path / "w.xlsx", sheets, merges), layout) == expected


def test_the_release_itself_is_accepted_with_its_layout(release):
    accepted_by_cli(release, json.loads(LAYOUT.read_text(encoding="utf-8")))
