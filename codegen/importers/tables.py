"""Read the small CSV sources transcribed from the kravspec: the SOAP action list (1.2)
and the date-control points (datostyring, 6.2 and 6.3)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from codegen.errors import SourceError
from codegen.model import DateControlPoint, Municipality


def _rows(path: Path, display_name: str, columns: list[str]) -> Iterator[tuple[int, dict]]:
    """(line number, row) pairs; a missing column or an unreadable file is a SourceError."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", file=display_name) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise SourceError(
                    f"missing column(s) {', '.join(missing)}", file=display_name, line=1
                )
            for row in reader:
                yield reader.line_num, row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise SourceError(str(exc), file=display_name, line=reader.line_num) from None


def load_action_groups(
    path: Path, display_name: str, groups: dict[str, str]
) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(service, operation name) -> (action URI as listed, group, the group's heading as
    written in §1.2) from the kravspec's list."""
    result = {}
    for line, row in _rows(path, display_name, ["Service", "Action", "Gruppe"]):
        group = groups.get(row["Gruppe"].strip())
        if group is None:
            raise SourceError(
                f"unknown group {row['Gruppe']!r} (expected one of "
                f"{', '.join(repr(g) for g in groups)})",
                file=display_name,
                line=line,
            )
        action = row["Action"].strip()
        key = (row["Service"].strip(), action.rsplit("/", 1)[-1])
        if key in result:
            raise SourceError(f"action {action!r} is listed twice", file=display_name, line=line)
        result[key] = (action, group, row["Gruppe"].strip())
    return result


def load_date_control(path: Path, display_name: str) -> tuple[DateControlPoint, ...]:
    points = []
    columns = ["ID", "Dato", "Styres af", "Gælder", "Virkning", "Afsnit", "Beskrivelse"]
    for line, row in _rows(path, display_name, columns):
        try:
            date = dt.date.fromisoformat(row["Dato"]) if row["Dato"].strip() else None
        except ValueError:
            raise SourceError(
                f"{row['Dato']!r} is not a date (YYYY-MM-DD)", file=display_name, line=line
            ) from None
        points.append(
            DateControlPoint(
                id=row["ID"].strip(),
                date=date,
                basis=row["Styres af"].strip(),
                applies_to=tuple(row["Gælder"].split()),
                effect=row["Virkning"].strip(),
                description_da=row["Beskrivelse"].strip(),
                kravspec_section=row["Afsnit"].strip(),
            )
        )
    ids = [p.id for p in points]
    if len(set(ids)) != len(ids):
        raise SourceError("duplicate date-control ID", file=display_name)
    return tuple(points)


def load_municipalities(path: Path, display_name: str) -> tuple[Municipality, ...]:
    """The municipality codes allowed in KommuneKode (8-ANM), sorted by code."""
    found: dict[int, Municipality] = {}
    for line, row in _rows(path, display_name, ["kode", "navn"]):
        text = row["kode"].strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 4):  # not "²", not 5,000 digits
            raise SourceError(f"{text!r} is not a municipality code", file=display_name, line=line)
        if int(text) in found:
            raise SourceError(
                f"municipality code {text} is listed twice", file=display_name, line=line
            )
        found[int(text)] = Municipality(int(text), row["navn"].strip())
    return tuple(found[code] for code in sorted(found))
