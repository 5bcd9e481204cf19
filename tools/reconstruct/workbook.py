"""Write the reconstructed "Skemaoversigt og Kodelister" workbook from its CSV transcription.

DST's real workbook is not public. This builds a faithful stand-in, laid out as DST might
(a title row above each table, merged Felt-ID cells for question groups), so that the
importer is exercised on the same quirks it will meet in the real file. Output is
byte-deterministic: fixed document properties and fixed zip timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

WORKBOOK_NAME = "Skemaoversigt-og-Kodelister.xlsx"
SHEETS = [
    ("Skemaoversigt", "skemaer.csv"),
    ("Felter", "felter.csv"),
    ("Kodelister", "kodelister.csv"),
]
FIXED_TIME = dt.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _cell_value(header: str, value: str):
    """Numbers and dates as a spreadsheet would hold them; codes stay text ("01")."""
    if value == "":
        return None
    if header in {"Gyldig fra", "Gyldig til"}:
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return value
    if header in {"Nr.", "Min. alder", "Maks. alder"} and value.isdigit():
        return int(value)
    return value


def _merge_runs(sheet, column: int, first_row: int, last_row: int) -> None:
    """Merge vertical runs of one non-empty value (as DST does for Felt-ID groups)."""
    start = first_row
    for row in range(first_row + 1, last_row + 2):
        previous = sheet.cell(start, column).value
        current = sheet.cell(row, column).value if row <= last_row else object()
        if current != previous:
            if row - 1 > start and previous is not None:
                sheet.merge_cells(
                    start_row=start, start_column=column, end_row=row - 1, end_column=column
                )  # keeps only the top-left value
            start = row


def build_workbook(release_dir: Path) -> Path:
    source = release_dir / "reconstruction"
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, csv_name in SHEETS:
        rows = _read_csv(source / csv_name)
        header, body = rows[0], rows[1:]
        sheet = workbook.create_sheet(title)
        sheet.cell(
            1, 1, f"SMDB – {title} – gældende fra {_danish_date(release_dir.name)} (rekonstruktion)"
        )
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        for col, name in enumerate(header, start=1):
            sheet.cell(3, col, name).font = Font(bold=True)
        for r, row in enumerate(body, start=4):
            for col, (name, value) in enumerate(zip(header, row, strict=True), start=1):
                cell = sheet.cell(r, col, _cell_value(name, value))
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        if "Felt-ID" in header and title == "Felter":
            _merge_runs(sheet, header.index("Felt-ID") + 1, 4, 3 + len(body))
        sheet.freeze_panes = "A4"
    workbook.properties.creator = "smdb-kontrakt reconstruction"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = release_dir / WORKBOOK_NAME
    target.write_bytes(_normalise_zip(buffer.getvalue()))
    return target


MONTHS_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def _danish_date(release: str) -> str:
    """'2026-01-01' -> '1. januar 2026', as the kravspec writes dates."""
    day = dt.date.fromisoformat(release)
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed timestamps so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the current time whatever we set.
                content = _fix_core_dates(content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def _fix_core_dates(content: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", content
    )
