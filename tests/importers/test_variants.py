"""Our reconstructed workbook, laid out as another office might lay it out.

Each variant either gives exactly the spec of the original (after an edit of layout data
only) or is refused with one message naming its sheet and cell. Compared: every form, field
and code list, with `source` places left out (they name the cell a value came from, which
moves when the layout does).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter
from variant_tools import (
    RELEASE,
    ROOT,
    WORKBOOK,
    column,
    expected_spec,
    header_row,
    original,
    spec_of,
    strip_sources,
    unmerge_fill,
    write,
)

from codegen.errors import SourceError


@pytest.fixture(scope="module")
def expected() -> dict:
    return expected_spec()


# --- variants that must give the same spec -------------------------------------------------


def test_original_gives_the_canonical_spec(expected):
    canonical = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text())
    lists = sorted(canonical["codelists"], key=lambda c: c["name"])
    assert expected == strip_sources({"forms": canonical["forms"], "codelists": lists})


def test_other_header_words_and_column_order(tmp_path, layout, expected):
    sheets, merges = original()
    unmerge_fill(sheets, merges, "Felter")
    rows = sheets["Felter"]
    h = header_row(rows, "Variabelnavn")
    order = list(reversed(range(len(rows[h]))))
    sheets["Felter"] = [[row[i] if i < len(row) else None for i in order] for row in rows]
    sheets["Felter"][h] = [
        {"Variabelnavn": "Variabel (XML-navn)", "Spørgsmål": "Spørgsmålets tekst"}.get(x, x)
        for x in sheets["Felter"][h]
    ]
    columns = layout["tables"]["fields"]["columns"]
    columns["variable"]["aliases"].append("Variabel (XML-navn)")
    columns["question"]["aliases"].append("Spørgsmålets tekst")
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_bilingual_columns_english_ignored(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    h = header_row(rows, "Tekst")
    for i, row in enumerate(rows):
        row.append("Text (English)" if i == h else ("Yes" if i > h else None))
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert err.sheet == "Kodelister" and "'Text (English)'" in err.message
    layout["tables"]["codes"]["ignored_columns"].append("Text (English)")
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_two_row_header(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    h = header_row(rows, "Tekst")
    top = [("Gyldig" if x in ("Gyldig fra", "Gyldig til") else x) for x in rows[h]]
    below = [(x.split()[1] if x in ("Gyldig fra", "Gyldig til") else None) for x in rows[h]]
    rows[h : h + 1] = [top, below]
    layout["tables"]["codes"]["header_rows"] = 2
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_codes_as_numbers_and_dates_in_every_form(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Skemaoversigt"]
    to = column(rows, "Gyldig til")
    styles = ["serial", "danish", "dashes", "iso", "dots"]
    written = []
    for row in rows[header_row(rows, "Gyldig til") + 1 :]:
        if isinstance(row[to], dt.datetime):
            day = row[to].date()
            row[to] = {
                "serial": (day - dt.date(1899, 12, 30)).days,
                "danish": f"{day.day}. {['januar', 'juli'][day.month > 1]} {day.year}",
                "dashes": day.strftime("%d-%m-%Y"),
                "iso": day.isoformat(),
                "dots": f"{day.day}.{day.month}.{day.year}",
            }[styles[len(written) % len(styles)]]
            written.append(row[to])
    assert len(written) >= 4 and day.month in (1, 7)  # the forms that ended
    codes = sheets["Kodelister"]
    c = column(codes, "Kode")
    for row in codes[header_row(codes, "Kode") + 1 :]:
        row[c] = int(row[c])
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_last_day_in_force_setting(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Skemaoversigt"]
    to = column(rows, "Gyldig til")
    for row in rows[header_row(rows, "Gyldig til") + 1 :]:
        if isinstance(row[to], dt.datetime):
            row[to] -= dt.timedelta(days=1)
    path = write(tmp_path / "v.xlsx", sheets, merges)
    assert spec_of(path, layout) != expected  # the setting matters ...
    layout["valid_to_means"] = "last_day_in_force"
    assert spec_of(path, layout) == expected  # ... and is data


def test_checkbox_required_flags(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Felter"]
    r = column(rows, "Påkrævet")
    for row in rows[header_row(rows, "Påkrævet") + 1 :]:
        row[r] = {"Ja": "☑", "Nej": "☐"}.get(row[r], row[r])
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    assert err.sheet == "Felter" and "required_values" in err.message
    layout["required_values"].update({"☑": "always", "☐": "never"})
    assert spec_of(path, layout) == expected


def test_hidden_old_sheet_and_change_log(tmp_path, layout, expected):
    sheets, merges = original()
    old = copy.deepcopy(sheets["Kodelister"])
    old[header_row(old, "Tekst") + 1][column(old, "Tekst")] = "Gammel tekst"
    sheets["Kodelister 2025"] = old
    path = write(tmp_path / "v.xlsx", sheets, merges, hidden={"Kodelister 2025"})
    err = error_of(path, layout)
    assert "'Kodelister'" in err.message and "'Kodelister 2025'" in err.message
    assert err.sheet == "Kodelister 2025" and "sheet_pattern" in err.message
    layout["hidden_sheets"] = "skip"
    assert spec_of(path, layout) == expected
    layout["hidden_sheets"] = "consider"
    layout["tables"]["codes"]["sheet_pattern"] = "Kodelister"
    assert spec_of(path, layout) == expected


def test_per_list_sheets(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets.pop("Kodelister")
    h = header_row(rows, "Kodeliste")
    name = column(rows, "Kodeliste")
    header = [x for i, x in enumerate(rows[h]) if i != name]
    for row in rows[h + 1 :]:
        title = f"KL {row[name]}"[:31]
        sheets.setdefault(title, [header]).append([x for i, x in enumerate(row) if i != name])
    assert len([t for t in sheets if t.startswith("KL ")]) == 24
    table = layout["tables"]["codes"]
    table["spread"] = {"column": "codelist"}
    table["sheet_pattern"] = "KL (?P<value>.+)"
    path = write(tmp_path / "v.xlsx", sheets, {k: v for k, v in merges.items() if k in sheets})
    # A sheet title holds at most 31 characters, so the longest list names are cut short:
    # the field naming such a list is refused at its cell, never linked to a wrong list.
    err = error_of(path, layout)
    assert err.sheet == "Felter" and "PersonPsykiskFunktionsnedsættelseKode" in err.message
    assert err.cell.startswith(get_column_letter(column(sheets["Felter"], "Kodeliste") + 1))


def test_per_list_sheets_titled_with_the_full_name(tmp_path, layout, expected):
    """One sheet per list, numbered, each with its full list name in a title row."""
    sheets, merges = original()
    rows = sheets.pop("Kodelister")
    h = header_row(rows, "Kodeliste")
    name = column(rows, "Kodeliste")
    header = [x for i, x in enumerate(rows[h]) if i != name]
    titles: dict[str, str] = {}
    for row in rows[h + 1 :]:
        title = titles.setdefault(row[name], f"Liste {len(titles) + 1}")
        sheets.setdefault(title, [[f"Kodeliste: {row[name]}"], [], header]).append(
            [x for i, x in enumerate(row) if i != name]
        )
    table = layout["tables"]["codes"]
    table["spread"] = {"column": "codelist"}
    table["sheet_pattern"] = "Liste [0-9]+"
    table["blocks"] = {"column": "codelist", "title_pattern": "Kodeliste: (?P<value>.+)"}
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_per_form_sheets(tmp_path, layout, expected):
    sheets, merges = original()
    unmerge_fill(sheets, merges, "Felter")
    rows = sheets.pop("Felter")
    h = header_row(rows, "Variabelnavn")
    form = column(rows, "Skema")
    header = [x for i, x in enumerate(rows[h]) if i != form]
    for row in rows[h + 1 :]:
        sheets.setdefault(f"Felter {row[form]}", [header]).append(
            [x for i, x in enumerate(row) if i != form]
        )
    table = layout["tables"]["fields"]
    table["spread"] = {"column": "form"}
    table["sheet_pattern"] = "Felter (?P<value>.+)"
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_grouped_code_lists_fill_down(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    name = column(rows, "Kodeliste")
    body = rows[header_row(rows, "Kodeliste") + 1 :]
    last = None
    for row in body:
        row[name], last = (None if row[name] == last else row[name]), row[name] or last
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    assert err.sheet == "Kodelister" and "tables.codes.columns.codelist.blank" in err.message
    layout["tables"]["codes"]["columns"]["codelist"]["blank"] = "fill_down"
    assert spec_of(path, layout) == expected


def test_block_code_lists(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    h = header_row(rows, "Kodeliste")
    name = column(rows, "Kodeliste")
    header = [x for i, x in enumerate(rows[h]) if i != name]
    blocked, current = [header], None
    for row in rows[h + 1 :]:
        if row[name] != current:
            current = row[name]
            blocked += [[], [f"Kodeliste: {current}"]]
        blocked.append([x for i, x in enumerate(row) if i != name])
    sheets["Kodelister"] = blocked
    layout["tables"]["codes"]["blocks"] = {
        "column": "codelist",
        "title_pattern": "Kodeliste: (?P<value>.+)",
    }
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_footnotes_end_the_table(tmp_path, layout, expected):
    sheets, merges = original()
    sheets["Kodelister"] += [[], ["Anm.: koder markeret * er udgået"], ["Kilde: DST"]]
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected
    sheets["Kodelister"][-2][0] = "Bemærk at koder kan udgå"
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    code = get_column_letter(column(sheets["Kodelister"], "Kode") + 1)
    assert err.sheet == "Kodelister" and err.cell.startswith(code)  # the footnote's empty code


def test_nfd_text_and_non_breaking_spaces(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    t = column(rows, "Tekst")
    for row in rows[header_row(rows, "Tekst") + 1 :]:
        row[t] = unicodedata.normalize("NFD", row[t]).replace(" ", "\u00a0 ", 1)
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_invisible_characters_refused_or_removed(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Felter"]
    v = column(rows, "Variabelnavn")
    row = header_row(rows, "Variabelnavn") + 2
    rows[row][v] = rows[row][v][:3] + "\u200b" + rows[row][v][3:]
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    assert (err.sheet, err.cell) == ("Felter", f"{get_column_letter(v + 1)}{row + 1}")
    assert "U+200B" in err.message
    layout["invisible_characters"] = "remove"
    assert spec_of(path, layout) == expected


def test_unknown_header_names_cell_and_candidates(tmp_path, layout):
    sheets, merges = original()
    rows = sheets["Felter"]
    h = header_row(rows, "Påkrævet")
    rows[h][column(rows, "Påkrævet")] = "Skal udfyldes"
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert err.sheet == "Felter" and err.cell.endswith(str(h + 1))
    assert "'Skal udfyldes'" in err.message and "required" in err.message


def test_blank_in_meaningful_column_stops(tmp_path, layout):
    sheets, merges = original()
    rows = sheets["Felter"]
    d = column(rows, "Datatype")
    rows[header_row(rows, "Datatype") + 3][d] = None
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert (
        err.sheet == "Felter"
        and err.cell == f"{get_column_letter(d + 1)}{header_row(rows, 'Datatype') + 4}"
    )
    assert "tables.fields.columns.datatype.blank" in err.message


def test_value_in_a_column_without_header_stops(tmp_path, layout):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    rows[header_row(rows, "Tekst") + 2] += [None, None, "løs note"]
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert err.sheet == "Kodelister" and err.cell == f"L{header_row(rows, 'Tekst') + 3}"


def test_missing_valid_to_setting_stops(tmp_path):
    data = json.loads((ROOT / "spec" / "workbook-layout.json").read_text())
    del data["valid_to_means"]
    path = tmp_path / "workbook-layout.json"
    path.write_text(json.dumps(data))
    from codegen.importers.layout import load_layout

    with pytest.raises(SourceError) as caught:
        load_layout(path)
    assert "valid_to_means" in caught.value.message


def error_of(path: Path, layout: dict) -> SourceError:
    with pytest.raises(SourceError) as caught:
        spec_of(path, layout)
    return caught.value


# --- formulas: with a cached value they are read, without one they are refused -------------


@pytest.fixture(scope="module")
def soffice() -> str:
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "libreoffice-calc-nogui"],
            check=True,
            capture_output=True,
        )
        found = shutil.which("soffice")
    return found


def test_formula_without_cached_value_is_refused(tmp_path, layout):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    t = column(rows, "Tekst")
    rows[header_row(rows, "Tekst") + 1][t] = '="J"&"a"'
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert (
        err.sheet == "Kodelister"
        and err.cell == f"{get_column_letter(t + 1)}{header_row(rows, 'Tekst') + 2}"
    )
    assert "formula without a cached value" in err.message


@pytest.mark.office
def test_formula_saved_by_libreoffice_is_read(tmp_path, layout, expected, soffice):
    sheets, merges = original()
    rows = sheets["Kodelister"]
    t = column(rows, "Tekst")
    first = rows[header_row(rows, "Tekst") + 1]
    first[t] = f'="{first[t][:1]}"&"{first[t][1:]}"'
    source = write(tmp_path / "in.xlsx", sheets, merges)
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert spec_of(out / "in.xlsx", layout) == expected


def test_cli_refuses_with_one_line_and_writes_nothing(tmp_path):
    release = tmp_path / "2026-01-01"
    release.mkdir()
    for source in RELEASE.iterdir():
        if source.is_file():
            (release / source.name).write_bytes(source.read_bytes())
    sheets, merges = original()
    sheets["Felter"][5][0] = "=1+1"
    write(release / WORKBOOK.name, sheets, merges)
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen.cli",
            "spec",
            "--sources",
            str(tmp_path),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "sheet 'Felter', cell A6" in result.stderr and not out.exists()


def test_felt_ids_written_once_per_group(tmp_path, layout, expected):
    """Without merges, a group's Felt-ID written on its first row only: fill_down is a layout
    setting; the field that has no Felt-ID then needs a none word, or it is refused."""
    sheets, merges = original()
    rows = sheets["Felter"]
    felt = column(rows, "Felt-ID")
    merges.pop("Felter")  # the merged cells keep only their top value
    layout["tables"]["fields"]["columns"]["felt_id"]["blank"] = "fill_down"
    err = error_of(write(tmp_path / "v.xlsx", sheets, merges), layout)
    assert err.sheet == "Felter" and "duplicate Felt-ID" in err.message
    days = next(r for r in rows if r[felt] is None and "Dage siden" in str(r))
    days[felt] = "–"
    assert spec_of(write(tmp_path / "v.xlsx", sheets, merges), layout) == expected


def test_the_1904_date_system(tmp_path, layout, expected):
    sheets, merges = original()
    rows = sheets["Skemaoversigt"]
    to = column(rows, "Gyldig til")
    for row in rows[header_row(rows, "Gyldig til") + 1 :]:
        if isinstance(row[to], dt.datetime):
            row[to] = (row[to].date() - dt.date(1904, 1, 1)).days  # a plain 1904 serial
    path = write(tmp_path / "v.xlsx", sheets, merges, date1904=True)
    assert spec_of(path, layout) == expected


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda L: L["tables"]["codes"].update(spread={"column": "codelist"}), "sheet_pattern"),
        (lambda L: L["tables"]["codes"]["columns"]["note"].pop("blank"), "columns.note.blank"),
        (lambda L: L.update(valid_to_means="inclusive"), "valid_to_means"),
        (lambda L: L.update(limits={"max_cells": -1}), "limits.max_cells"),
        (lambda L: L.update(date_times="truncate"), "date_times"),
        (lambda L: L.update(open_end_sentinels=["31-12-9999"]), "open_end_sentinels"),
        (lambda L: L["formatting"].update(strikethrough="retired"), "formatting.strikethrough"),
        (lambda L: L["formatting"].pop("colour"), "formatting"),
        (
            lambda L: L["tables"]["fields"]["columns"]["felt_id"].update(
                empty_only_for={"column": "nope", "values": []}
            ),
            "columns.felt_id.empty_only_for",
        ),
        *[
            (
                lambda L, only=only: L["tables"]["fields"]["columns"]["felt_id"].update(
                    empty_only_for=only
                ),
                "columns.felt_id.empty_only_for",
            )
            for only in (
                {"column": "variable", "values": [], "also": 1},
                {"column": "variable", "values": "IvaerksatBehandlingDageSidenAnmodningKvantitet"},
                ["variable"],
            )
        ],
        (lambda L: L.pop("none_words"), "none_words"),
        (lambda L: L.update(hidden_sheets="sometimes"), "hidden_sheets"),
        (lambda L: L.update(invisible_characters="keep"), "invisible_characters"),
        (lambda L: L["month_names"].pop(), "month_names"),
        (lambda L: L.update(code_pattern="[0-9"), "code_pattern"),
        (lambda L: L.update(limits={"max_nothing": 5}), "limits.max_nothing"),
        (lambda L: L.update(limits={"max_cells": "5"}), "limits.max_cells"),
        (lambda L: L.update(limits={"max_cells": 0}), "limits.max_cells"),
        (lambda L: L.update(open_end_sentinels=[99991231]), "open_end_sentinels"),
        (lambda L: L.update(open_end_sentinels={"9999-12-31": "open"}), "open_end_sentinels"),
        (lambda L: L["formatting"].update(bold="ignore"), "formatting"),
        (lambda L: L["tables"]["codes"].pop("ignored_columns"), "tables.codes.ignored_columns"),
        (lambda L: L["tables"]["codes"].update(key_column="nope"), "tables.codes.key_column"),
        (lambda L: L["tables"]["codes"]["columns"]["note"].update(blank="sometimes"), "note.blank"),
        (lambda L: L["tables"]["codes"].update(sheet_pattern="Kode[r"), "codes.sheet_pattern"),
        (lambda L: L["tables"]["codes"]["end"].update(footer_pattern="Anm[."), "footer_pattern"),
        (
            lambda L: L["tables"]["codes"].update(
                spread={"column": "nope"}, sheet_pattern="(?P<value>.+)"
            ),
            "tables.codes.spread.column",
        ),
        (
            lambda L: L["tables"]["codes"].update(
                blocks={"column": "codelist", "title_pattern": "Kodeliste: .+"}
            ),
            "tables.codes.title_pattern",
        ),
        (
            lambda L: L["tables"]["codes"].update(
                spread={"column": "codelist"},
                sheet_pattern="Kodeliste .+",  # no group, and the blocks name another column
                blocks={"column": "note", "title_pattern": "(?P<value>.+)"},
            ),
            "tables.codes.sheet_pattern",
        ),
        (lambda L: L["tables"]["codes"].update(header_rows=0), "tables.codes.header_rows"),
        (lambda L: L["tables"]["codes"].update(header_rows="2"), "tables.codes.header_rows"),
    ],
)
def test_layout_mistakes_name_the_key(tmp_path, edit, key):
    from codegen.importers.layout import load_layout

    data = json.loads((ROOT / "spec" / "workbook-layout.json").read_text())
    edit(data)
    path = tmp_path / "workbook-layout.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SourceError) as caught:
        load_layout(path)
    assert key in caught.value.message and caught.value.file == "workbook-layout.json"


def test_a_layout_that_is_no_object_is_refused(tmp_path):
    from codegen.importers.layout import load_layout

    path = tmp_path / "workbook-layout.json"
    path.write_text("[]")
    with pytest.raises(SourceError, match=r"layout key \(top\)"):
        load_layout(path)


@pytest.mark.parametrize(
    "table",
    [
        {"spread": {"column": "codelist"}, "sheet_pattern": "Kodeliste (?P<value>.+)"},
        {
            "spread": {"column": "codelist"},
            "sheet_pattern": "Kodeliste .+",  # each sheet's block titles name the list
            "blocks": {"column": "codelist", "title_pattern": "Liste: (?P<value>.+)"},
        },
    ],
)
def test_a_table_spread_over_sheets_named_by_sheet_or_block_title_is_accepted(tmp_path, table):
    from codegen.importers.layout import load_layout

    data = json.loads((ROOT / "spec" / "workbook-layout.json").read_text())
    data["tables"]["codes"].update(table)
    path = tmp_path / "workbook-layout.json"
    path.write_text(json.dumps(data))
    assert load_layout(path)["tables"]["codes"]["spread"] == {"column": "codelist"}


def test_the_smallest_settings_are_accepted(tmp_path):
    # Each check's edge: a limit of 1, a header of one row, a declared sentinel.
    from codegen.importers.layout import load_layout

    data = json.loads((ROOT / "spec" / "workbook-layout.json").read_text())
    data.update(limits={"max_cells": 1}, open_end_sentinels=["9999-12-31"])
    data["tables"]["codes"]["header_rows"] = 1
    path = tmp_path / "workbook-layout.json"
    path.write_text(json.dumps(data))
    assert load_layout(path)["limits"]["max_cells"] == 1


def test_a_visible_change_log_with_the_same_headers(tmp_path, layout, expected):
    sheets, merges = original()
    log = copy.deepcopy(sheets["Skemaoversigt"][:5])
    log[0] = ["Ændringslog: skemaer ændret siden sidste version"]
    sheets["Ændringslog"] = log
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)
    assert err.sheet == "Ændringslog" and "'Skemaoversigt'" in err.message
    layout["tables"]["forms"]["sheet_pattern"] = "Skemaoversigt"
    assert spec_of(path, layout) == expected


def test_table_ends_at_the_first_blank_row(tmp_path, layout, expected):
    sheets, merges = original()
    sheets["Kodelister"] += [[], ["* Koder med stjerne er nye", None, "*"]]
    path = write(tmp_path / "v.xlsx", sheets, merges)
    err = error_of(path, layout)  # read as a code row: its text is blank
    assert err.sheet == "Kodelister" and err.cell == f"D{len(sheets['Kodelister'])}"
    layout["tables"]["codes"]["end"]["blank_row"] = True
    assert spec_of(path, layout) == expected
