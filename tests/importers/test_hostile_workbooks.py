"""Hostile workbooks, built here by code (nothing large is committed), fed to `smdbgen spec`
in a child process under a memory ceiling and a time bound.

Each must be refused with one line naming the file (and sheet and cell where there is one),
exit status 2, no traceback and nothing written; none may exhaust memory or time.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
WORKBOOK = "Skemaoversigt-og-Kodelister.xlsx"
MEMORY_CEILING = 1 << 30  # address space of the child: 1 GiB
TIME_BOUND = 60  # seconds
SPEC_COMMAND = (sys.executable, "-m", "codegen.cli", "spec")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


@pytest.fixture
def release(tmp_path) -> Path:
    folder = tmp_path / "sources" / "2026-01-01"
    folder.mkdir(parents=True)
    for source in RELEASE.iterdir():
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
    return folder


def run_spec(release: Path) -> subprocess.CompletedProcess:
    out = release.parent.parent / "out"
    result = subprocess.run(
        [*SPEC_COMMAND, "--sources", str(release.parent), "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIME_BOUND,
        preexec_fn=_limit_memory,
    )
    result.written = out.exists()
    return result


def refused(release: Path, *, sheet: str | None, cell: str | None, says: str) -> str:
    result = run_spec(release)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and not result.written
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"smdbgen: error: spec/sources/2026-01-01/{WORKBOOK}") or (
        f"{WORKBOOK}" in line
    )
    if sheet:
        assert f"sheet {sheet!r}" in line, line
    if cell:
        assert f"cell {cell}" in line, line
    assert re.search(says, line), line
    return line


def rewrite_part(path: Path, part: str, edit) -> None:
    """Replace one part of the zip by edit(old bytes)."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            new.writestr(info.filename, edit(data) if info.filename == part else data)


def sheet_part(path: Path, title: str) -> str:
    book = load_workbook(path)
    return f"xl/worksheets/sheet{book.sheetnames.index(title) + 1}.xml"


def edit_cells(path: Path, edits: dict[tuple[str, str], object]) -> None:
    book = load_workbook(path)
    for (title, ref), value in edits.items():
        book[title][ref] = value
    book.save(path)


def own_layout(release: Path, **changes) -> None:
    layout = json.loads((ROOT / "spec" / "workbook-layout.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "limits":
            layout["limits"].update(value)
        else:
            layout[key] = value
    (release / "workbook-layout.json").write_text(json.dumps(layout), encoding="utf-8")


def test_a_cell_at_the_last_position_is_not_a_bounding_box(release):
    edit_cells(release / WORKBOOK, {("Kodelister", "XFD1048576"): "x"})
    refused(release, sheet="Kodelister", cell="XFD1048576", says="no header")


def test_a_merge_over_the_whole_sheet(release):
    path = release / WORKBOOK
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'

    def add_merge(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)

    rewrite_part(path, sheet_part(path, "Felter"), add_merge)
    refused(release, sheet="Felter", cell="A1", says="limits.max_merged_cells")


def test_a_huge_code_is_refused_before_any_arithmetic(release):
    edit_cells(release / WORKBOOK, {("Kodelister", "C5"): "100000000"})
    refused(release, sheet="Kodelister", cell="C5", says="code pattern")
    own_layout(release, code_pattern="[0-9]+")  # a layout that lets it through the pattern
    refused(release, sheet="Kodelister", cell="C5", says="limits.max_code_gap_range")


@pytest.mark.parametrize("code", ["¹", "①", "٠١", "1" * 5000, "0\u200b1"])
def test_codes_in_other_digits_or_too_long(release, code):
    edit_cells(release / WORKBOOK, {("Kodelister", "C5"): code})
    line = refused(release, sheet="Kodelister", cell="C5", says="code pattern|invisible")
    assert len(line) < 500


def test_a_dtd_in_any_part(release):
    path = release / WORKBOOK
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    rewrite_part(path, "xl/workbook.xml", lambda xml: bomb + re.sub(rb"^<\?xml[^>]*\?>", b"", xml))
    refused(release, sheet=None, cell=None, says="DTD")


def test_broken_xml_in_a_sheet(release):
    path = release / WORKBOOK
    rewrite_part(path, sheet_part(path, "Felter"), lambda xml: xml.replace(b"</row>", b"", 3))
    refused(release, sheet="Felter", cell=None, says="not well-formed")


def test_a_cell_longer_than_excel_allows(release):
    path = release / WORKBOOK  # written into the XML: openpyxl itself would cut it short
    long_cell = b'<c r="D5" t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c>"
    rewrite_part(
        path,
        sheet_part(path, "Kodelister"),
        lambda xml: re.sub(rb'<c r="D5"[^>]*>.*?</c>', long_cell, xml, count=1, flags=re.S),
    )
    refused(release, sheet="Kodelister", cell="D5", says="limits.max_cell_length")


class _RepeatingDeflate:
    """A raw deflate compressor that ends every call with a full flush, so one block written
    again and again compresses to the same bytes: those are computed once (a 1.1 GB part in
    about a second instead of fifteen)."""

    def __init__(self) -> None:
        self._deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._done: dict[int, tuple[bytes, bytes]] = {}

    def compress(self, data: bytes) -> bytes:
        known = self._done.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        out = self._deflate.compress(data) + self._deflate.flush(zlib.Z_FULL_FLUSH)
        self._done[id(data)] = (data, out)
        return out

    def flush(self) -> bytes:
        return self._deflate.flush()


def test_a_small_zip_holding_a_gigantic_cell_is_not_inflated(release, monkeypatch):
    """About 1 MB on disk, 1.1 GB inflated: refused by the declared size, never read."""
    path = release / WORKBOOK
    with zipfile.ZipFile(path) as old:
        items = [(info.filename, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in items:
            if name != "xl/sharedStrings.xml":
                new.writestr(name, data)
        monkeypatch.setattr(zipfile, "_get_compressor", lambda *_: _RepeatingDeflate())
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            part.write(b"<si><t>")
            block = b"a" * (1 << 20)
            for _ in range(1100):
                part.write(block)
            part.write(b"</t></si></sst>")
    monkeypatch.undo()
    assert path.stat().st_size < 2_000_000
    with zipfile.ZipFile(path) as check:  # a real, valid zip: its CRC holds over 1.1 GB
        assert check.getinfo("xl/sharedStrings.xml").file_size > 1_100_000_000
    refused(release, sheet=None, cell=None, says="limits.max_part_bytes")


def _append_rows(path: Path, title: str, rows: list[bytes]) -> None:
    """Rows written straight into the sheet's XML (openpyxl would take seconds for 20,000)."""
    rewrite_part(
        path,
        sheet_part(path, title),
        lambda xml: xml.replace(b"</sheetData>", b"".join(rows) + b"</sheetData>"),
    )


def _period_rows(first_row: int, count: int) -> list[bytes]:
    """Consecutive one-day periods of code 01, dates as Excel serial numbers."""
    rows = []
    for i in range(count):
        r = first_row + i
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>BehandlingTidligereKode</t></is></c>'
            f'<c r="B{r}"><v>1</v></c><c r="C{r}" t="inlineStr"><is><t>01</t></is></c>'
            f'<c r="D{r}" t="inlineStr"><is><t>Ja</t></is></c>'
            f'<c r="E{r}"><v>{20000 + r}</v></c><c r="F{r}"><v>{20001 + r}</v></c></row>'.encode()
        )
    return rows


def test_many_validity_periods_of_one_code(release):
    """19,000 consecutive periods of one code: the default limit refuses them at the first
    period too many; with the limit raised, the O(n log n) overlap check finds at once that
    the list's own open-ended period of code 01 overlaps them."""
    path = release / WORKBOOK
    last = load_workbook(path)["Kodelister"].max_row
    _append_rows(path, "Kodelister", _period_rows(last + 1, 1_100))
    line = refused(release, sheet="Kodelister", cell=None, says="limits.max_periods_per_code")
    assert f"cell C{last + 1000}" in line  # the list has one period of code 01 already
    _append_rows(path, "Kodelister", _period_rows(last + 1_101, 17_900))
    own_layout(release, limits={"max_periods_per_code": 50_000})
    refused(release, sheet="Kodelister", cell=None, says="overlapping validity")


def test_rows_and_cells_beyond_the_limits(release):
    own_layout(release, limits={"max_rows_per_table": 100})
    refused(release, sheet="Kodelister", cell=None, says="limits.max_rows_per_table")
    own_layout(release, limits={"max_cells": 500})
    refused(release, sheet=None, cell=None, says="limits.max_cells")


def test_an_error_value_is_refused_not_read_as_text(release):
    path = release / WORKBOOK
    error_cell = b'<c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    rewrite_part(
        path,
        sheet_part(path, "Kodelister"),
        lambda xml: re.sub(rb'<c r="D5"[^>]*>.*?</c>', error_cell, xml, count=1, flags=re.S),
    )
    refused(release, sheet="Kodelister", cell="D5", says="error value")
