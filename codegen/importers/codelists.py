"""Turn the code-list table of the workbook into `CodeList`s, checking them as we go."""

from __future__ import annotations

import datetime as dt

from codegen.errors import SourceError
from codegen.importers.rows import Row, Table
from codegen.model import NOT_STATED, Code, CodeList, SourceRef, Validity


def build_codelists(table: Table, layout: dict) -> tuple[CodeList, ...]:
    """Code lists in sheet order; codes in DST's display order: the order column's where the
    table has one, else row order."""
    rows_by_list: dict[str, list[Row]] = {}
    for row in table.rows:
        rows_by_list.setdefault(row.text("codelist"), []).append(row)
    return tuple(
        _build_list(name, _in_display_order(name, rows), layout)
        for name, rows in rows_by_list.items()
    )


def _in_display_order(name: str, rows: list[Row]) -> list[Row]:
    """Rows sorted by the order column (rows without one keep theirs); a list whose rows give
    the same order twice, or give it on some rows only, is refused at the cell."""
    if not any("order" in row.columns for row in rows):
        return rows
    seen: dict[int, Row] = {}
    for row in rows:
        number = row.int("order")
        if number is None:
            raise row.error(
                "order", f"code list {name!r}: no order, where its other codes have one"
            )
        if number in seen:
            raise row.error(
                "order",
                f"code list {name!r}: order {number} is also that of row {seen[number].number}",
            )
        seen[number] = row
    return [seen[number] for number in sorted(seen)]


def _build_list(name: str, rows: list[Row], layout: dict) -> CodeList:
    codes = []
    for position, row in enumerate(rows, start=1):
        code = row.code("code")
        codes.append(
            Code(
                code=code,
                text_da=row.text("text"),
                position=position,
                option_number=row.int("option_number"),
                validity=row.validity(),
                min_age=row.int("min_age"),
                max_age=row.int("max_age"),
                note_da=row.text("note"),
                source=SourceRef(row.file, f"{row.sheet}!{row.ref('code')}"),
            )
        )
    _check_overlaps(name, codes, rows, layout["limits"]["max_periods_per_code"])
    return CodeList(
        name=name,
        codes=tuple(codes),
        missing_codes=_gaps(codes, rows, layout["limits"]["max_code_gap_range"]),
    )


def _as_interval(validity: Validity) -> tuple[dt.date, dt.date]:
    """Open or unstated ends count as unbounded: two such rows for one code do overlap."""
    start = validity.valid_from if isinstance(validity.valid_from, dt.date) else dt.date.min
    end = validity.valid_to if isinstance(validity.valid_to, dt.date) else dt.date.max
    return start, end


def _check_overlaps(name: str, codes: list[Code], rows: list[Row], max_periods: int) -> None:
    """Sorted by start, each period of a code must begin at or after the latest end seen so
    far: O(n log n) in the periods of one code."""
    periods: dict[str, list[tuple[Code, Row]]] = {}
    for code, row in zip(codes, rows, strict=True):
        same = periods.setdefault(code.code, [])
        same.append((code, row))
        if len(same) > max_periods:
            raise row.error(
                "code",
                f"code list {name!r}: code {code.code!r} has more than "
                f"limits.max_periods_per_code ({max_periods:,}) validity periods",
            )
    for same in periods.values():
        ordered = sorted(same, key=lambda pair: (_as_interval(pair[0].validity), pair[1].number))
        latest: tuple[Code, Row] | None = None
        for code, row in ordered:
            start, end = _as_interval(code.validity)
            if latest is not None and start < _as_interval(latest[0].validity)[1]:
                other, other_row = latest
                first, second = sorted([(row, code), (other_row, other)], key=lambda p: p[0].number)
                raise SourceError(
                    f"code list {name!r}: code {code.code!r} has overlapping validity with "
                    f"row {first[0].number} ({_describe(first[1].validity)} and "
                    f"{_describe(second[1].validity)})",
                    file=second[0].file,
                    sheet=second[0].sheet,
                    cell=second[0].ref("valid_from"),
                )
            if latest is None or end > _as_interval(latest[0].validity)[1]:
                latest = (code, row)


def _describe(validity: Validity) -> str:
    def end(value) -> str:
        return "not stated" if value is NOT_STATED else ("open" if value is None else str(value))

    return f"{end(validity.valid_from)} to {end(validity.valid_to)}"


def _gaps(codes: list[Code], rows: list[Row], max_range: int) -> tuple[str, ...]:
    """Numbers missing from a numeric list's run 01..max (ignoring 99, 'Uoplyst').

    These are most likely retired codes; the kravspec gives neither their texts nor dates,
    so we record only that they are absent. Codes are ASCII digits by now (the layout's code
    pattern), and the run is bounded before it is built.
    """
    numeric = [(c, r) for c, r in zip(codes, rows, strict=True) if c.code.isascii()]
    numeric = [(c, r) for c, r in numeric if c.code.isdigit() and c.code != "99"]
    if not numeric:
        return ()
    highest, row = max(((int(c.code), r) for c, r in numeric), key=lambda p: p[0])
    if highest > max_range:
        raise row.error(
            "code",
            f"code {highest} is beyond limits.max_code_gap_range ({max_range:,}); a list this "
            "long is not a code list (check the layout's code_pattern)",
        )
    present = {int(c.code) for c, _ in numeric}
    width = len(codes[0].code)
    return tuple(str(n).zfill(width) for n in range(1, highest + 1) if n not in present)
