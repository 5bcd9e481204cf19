"""`smdbgen inspect`: what the workbook importer understood, shown before anything is generated.

Per sheet: which table it was taken as (or why not), which column became which attribute,
which were ignored, which optional attributes have no column, what blanks were filled with;
then the counts of forms, fields, code lists and codes.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from codegen.importers.codelists import build_codelists
from codegen.importers.forms import build_forms
from codegen.importers.rows import Part
from codegen.importers.workbook import open_workbook, read_table


def inspect_workbook(path, layout: dict, display_name: str) -> str:
    workbook = open_workbook(path, layout, display_name)
    tables = {
        kind: read_table(workbook, kind, spec, layout) for kind, spec in layout["tables"].items()
    }
    codelists = build_codelists(tables["codes"], layout)
    forms = build_forms(tables["forms"], tables["fields"], codelists, layout)
    lines = [
        f"workbook {display_name}",
        f"layout {layout['file']} (valid_to_means: {layout['valid_to_means']}, "
        f"hidden_sheets: {layout['hidden_sheets']}, code_pattern: {layout['code_pattern']})",
    ]
    for grid in workbook.sheets:
        state = "hidden" if grid.hidden else "visible"
        lines.append(f"sheet {grid.title!r} ({state})")
        used = False
        for kind, table in tables.items():
            for part in table.parts:
                if part.sheet == grid.title:
                    used = True
                    lines += _describe_part(kind, layout["tables"][kind], part)
            for sheet, reason in table.skipped:
                if sheet == grid.title:
                    lines.append(f"  not taken as the {kind} table: {reason}")
        if not used:
            lines.append("  not used: no header row of any table within header_search_rows")
    fields = sum(len(form.fields) for form in forms)
    codes = sum(len(codelist.codes) for codelist in codelists)
    lines.append(
        f"counts: {len(forms)} forms, {fields} fields, {len(codelists)} code lists, {codes} codes"
    )
    return "\n".join(lines) + "\n"


def _describe_part(kind: str, spec: dict, part: Part) -> list[str]:
    header = part.header
    lines = [
        f"  taken as the {kind} table ({spec['description']}): header row {header.row}"
        + (f"-{header.row + header.height - 1}" if header.height > 1 else "")
        + f", {part.rows} rows, ended {part.ended}"
    ]
    by_column = {column: key for key, column in header.columns.items()}
    for column in sorted(header.texts):
        letter = get_column_letter(column)
        text = header.texts[column]
        target = by_column.get(column)
        lines.append(
            f"    {letter} {text!r} -> {target}" if target else f"    {letter} {text!r} ignored"
        )
    for key in part.absent:
        meaning = spec["columns"][key]["blank"]
        lines.append(f"    (no column) {key}: absent, every row taken as blank = {meaning!r}")
    filled = [
        f"{key} {count} x {spec['columns'][key]['blank']!r}"
        for key, count in part.filled.items()
        if count and key not in part.absent
    ]
    if filled:
        lines.append(f"    blanks: {', '.join(filled)}")
    return lines
