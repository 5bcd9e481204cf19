"""Turn the code-list table of the workbook into `CodeList`s, checking them as we go."""

from __future__ import annotations

import datetime as dt

from codegen.errors import SourceError
from codegen.importers.cells import cell_text, normalise_code
from codegen.importers.workbook import Row, Table, row_int, row_validity
from codegen.model import NOT_STATED, Code, CodeList, SourceRef, Validity


def build_codelists(table: Table, layout: dict) -> tuple[CodeList, ...]:
    """Code lists in sheet order; codes in row order (the display order DST uses)."""
    rows_by_list: dict[str, list[Row]] = {}
    for row in table.rows:
        name = cell_text(row.values["codelist"])
        if not name:
            raise row.error("codelist", "code row without a code list name")
        rows_by_list.setdefault(name, []).append(row)
    return tuple(_build_list(name, rows, layout) for name, rows in rows_by_list.items())


def _build_list(name: str, rows: list[Row], layout: dict) -> CodeList:
    codes = []
    for position, row in enumerate(rows, start=1):
        code = normalise_code(row.values["code"], layout["code_width"])
        if not code:
            raise row.error("code", f"code list {name!r}: empty code")
        text = cell_text(row.values["text"])
        if not text:
            raise row.error("text", f"code list {name!r}, code {code!r}: empty text")
        codes.append(
            Code(
                code=code,
                text_da=text,
                position=position,
                option_number=row_int(row, "option_number"),
                validity=row_validity(row, layout),
                min_age=row_int(row, "min_age"),
                max_age=row_int(row, "max_age"),
                note_da=cell_text(row.values.get("note")),
                source=SourceRef(row.file, f"{row.sheet}!{row.ref('code')}"),
            )
        )
    _check_overlaps(name, codes, rows)
    return CodeList(name=name, codes=tuple(codes), missing_codes=_gaps(codes))


def _as_interval(validity: Validity) -> tuple[dt.date, dt.date]:
    """Open or unstated ends count as unbounded: two such rows for one code do overlap."""
    start = validity.valid_from if isinstance(validity.valid_from, dt.date) else dt.date.min
    end = validity.valid_to if isinstance(validity.valid_to, dt.date) else dt.date.max
    return start, end


def _check_overlaps(name: str, codes: list[Code], rows: list[Row]) -> None:
    seen: dict[str, list[tuple[Code, Row]]] = {}
    for code, row in zip(codes, rows, strict=True):
        for other, other_row in seen.get(code.code, []):
            a_start, a_end = _as_interval(code.validity)
            b_start, b_end = _as_interval(other.validity)
            if a_start < b_end and b_start < a_end:
                raise SourceError(
                    f"code list {name!r}: code {code.code!r} has overlapping validity with "
                    f"row {other_row.number} ({_describe(other.validity)} and "
                    f"{_describe(code.validity)})",
                    file=row.file,
                    sheet=row.sheet,
                    cell=row.ref("valid_from"),
                )
        seen.setdefault(code.code, []).append((code, row))


def _describe(validity: Validity) -> str:
    def end(value) -> str:
        return "not stated" if value is NOT_STATED else ("open" if value is None else str(value))

    return f"{end(validity.valid_from)} to {end(validity.valid_to)}"


def _gaps(codes: list[Code]) -> tuple[str, ...]:
    """Numbers missing from a numeric list's run 01..max (ignoring 99, 'Uoplyst').

    These are most likely retired codes; the kravspec gives neither their texts nor dates,
    so we record only that they are absent.
    """
    numbers = sorted({int(c.code) for c in codes if c.code.isdigit() and c.code != "99"})
    if not numbers:
        return ()
    width = len(codes[0].code)
    present = set(numbers)
    return tuple(str(n).zfill(width) for n in range(1, numbers[-1] + 1) if n not in present)
