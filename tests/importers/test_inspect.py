"""`smdbgen inspect`: what the importer understood, per sheet, before anything is generated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook

from codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"


def test_inspect_shows_tables_columns_blanks_and_counts(capsys):
    assert main(["inspect", "--release", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    canonical = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text())
    fields = sum(len(form["fields"]) for form in canonical["forms"])
    codes = sum(len(c["codes"]) for c in canonical["codelists"])
    assert (
        f"counts: {len(canonical['forms'])} forms, {fields} fields, "
        f"{len(canonical['codelists'])} code lists, {codes} codes"
    ) in out
    assert "sheet 'Felter' (visible)\n  taken as the fields table" in out
    assert "    E 'Variabelnavn' -> variable" in out
    assert "felt_id 1 x 'empty'" in out  # the days field without a Felt-ID (PROVENANCE D2)
    assert "valid_to_means: first_day_not_in_force" in out


def test_inspect_names_skipped_sheets_and_ignored_columns(tmp_path, capsys):
    release = tmp_path / "2026-01-01"
    shutil.copytree(RELEASE, release, ignore=shutil.ignore_patterns("reconstruction"))
    book = load_workbook(release / "Skemaoversigt-og-Kodelister.xlsx")
    old = book.copy_worksheet(book["Kodelister"])
    old.title = "Kodelister 2025"
    old.sheet_state = "hidden"
    book["Kodelister"]["J3"] = "Intern note"
    book.save(release / "Skemaoversigt-og-Kodelister.xlsx")
    layout = json.loads((ROOT / "spec" / "workbook-layout.json").read_text(encoding="utf-8"))
    layout["hidden_sheets"] = "skip"
    layout["tables"]["codes"]["ignored_columns"] = ["Intern note"]
    (release / "workbook-layout.json").write_text(json.dumps(layout), encoding="utf-8")
    assert main(["inspect", "--sources", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2026-01-01/workbook-layout.json (valid_to_means" in out  # the release's own layout
    assert "sheet 'Kodelister 2025' (hidden)\n  not taken as the forms table: hidden" in out
    assert "    J 'Intern note' ignored" in out


def test_inspect_error_is_one_line_with_the_layout_key(tmp_path, capsys):
    release = tmp_path / "2026-01-01"
    shutil.copytree(RELEASE, release, ignore=shutil.ignore_patterns("reconstruction"))
    book = load_workbook(release / "Skemaoversigt-og-Kodelister.xlsx")
    book["Felter"]["F6"] = None
    book.save(release / "Skemaoversigt-og-Kodelister.xlsx")
    assert main(["inspect", "--sources", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sheet 'Felter', cell F6" in err[0]
    assert "tables.fields.columns.datatype.blank" in err[0]
