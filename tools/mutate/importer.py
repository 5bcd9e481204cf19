"""The sweep's `importer` kind: mistakes in the workbook importer and in what its layout declares.

Code (the modules that read the workbook and its layout): the sweep's operator mutants
(sweep.operator_sites) in every function, class and module-level constant, with booleans,
dropped `not`s and numbers one more; and dropped checks: the condition of an `if` that stops
the run (its body raises, or calls layout.py's `fail`) made `False`, and a one-line call of a
`check…` function made `None`. The xlsx gate (xlsx_gate.py, size and shape limits) and
`inspect` (a report) are not in it.

Layout (`spec/workbook-layout.json`): each column's blank meaning made `fill_down` (or a
`fill_down` made `empty`), each column's `required` flipped, each choice the layout makes
(valid_to_means, date_times, hidden_sheets, invisible_characters, formatting) made the other,
and `date_serials`, `code_width` and `code_pattern` changed.
Aliases and word lists (yes, no, not_stated, date_formats) are left alone: one dropped only
makes a cell or header that used it stop the run with its place, never a different spec.

EQUIVALENT names the mutants no workbook can tell apart from the code, with the reason; they
are not made.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from codegen.importers.layout import DATE_TIMES, FORMATTING_MEANINGS, VALID_TO_MEANINGS
from tools.mutate.sweep import Mutant, operator_sites

KIND = "importer"
MODULES = ("cells", "headers", "rows", "workbook", "forms", "codelists", "layout")
CODE = tuple(Path(f"codegen/importers/{name}.py") for name in MODULES)
LAYOUT = Path("spec/workbook-layout.json")
# Calls that stop the run, as a `raise` does.
FAILING_CALLS = ("fail",)
# A choice of the layout and its values (the first other one is the mutant).
CHOICES = {
    "valid_to_means": VALID_TO_MEANINGS,
    "date_times": DATE_TIMES,
    "hidden_sheets": ("consider", "skip"),
    "invisible_characters": ("refuse", "remove"),
    "strikethrough": FORMATTING_MEANINGS,
    "colour": FORMATTING_MEANINGS,
}
# Mutants no workbook can tell from the code, and why: (path, the line stripped, old, new,
# which `old` of the line, counted from 0) -> the reason.
Key = tuple[str, str, str, str, int]
_ROW_FIELD = "no Row is printed, compared or hashed: only its values and place are read"
_ZIPPED = "both sides are built one per row of the same list, so their lengths are equal"
_LIMIT = (
    "a default size limit's exact value, a bound against hostile files: no workbook of a "
    "plausible size comes near it, and a test at the edge would build a file that large (the "
    "checks' edges are tested with small limits a layout sets)"
)
_HEADER_ROWS = (
    "header_rows' default is read twice: a default of 2 passes the same int check, and "
    "2 < 1 is as false as 1 < 1"
)
_CODE_WIDTH = (
    "a code shorter than code_width is zero-filled before the pattern is matched, so no "
    "single digit ever reaches it"
)
_ROWS, _FORMS, _CODELISTS = (f"codegen/importers/{m}.py" for m in ("rows", "forms", "codelists"))
_LAYOUT_PY = "codegen/importers/layout.py"
_LIMITS = {
    "max_part_bytes": "50_000_000",
    "max_workbook_bytes": "200_000_000",
    "max_cells": "500_000",
    "max_merged_cells": "100_000",
    "max_cell_length": "32_767",
    "max_rows_per_table": "20_000",
    "max_periods_per_code": "1_000",
    "max_code_gap_range": "10_000",
}
_HEADER_CHECK = (
    'if not isinstance(table.get("header_rows", 1), int) or table.get("header_rows", 1) < 1:'
)
EQUIVALENT: dict[Key, str] = {
    **{
        (
            _ROWS,
            f"{name}: {kind} = field(repr=False, compare=False)",
            "False",
            "True",
            n,
        ): _ROW_FIELD
        for name, kind in (("layout", "dict"), ("epoch", "object"))
        for n in (0, 1)
    },
    **{
        (path, line, "True", "False", 0): _ZIPPED
        for path, line in (
            (
                _FORMS,
                "for index, (header, row) in enumerate(zip(headers, forms.rows, strict=True)):",
            ),
            (
                _FORMS,
                "for header, row, form_fields in "
                "zip(headers, forms.rows, fields_by_form, strict=True)",
            ),
            (_CODELISTS, "for code, row in zip(codes, rows, strict=True):"),
            (
                _CODELISTS,
                "numeric = [(c, r) for c, r in zip(codes, rows, strict=True) if c.code.isascii()]",
            ),
        )
    },
    **{
        (_LAYOUT_PY, f'"{name}": {value},', value, str(int(value) + 1), 0): _LIMIT
        for name, value in _LIMITS.items()
    },
    **{(_LAYOUT_PY, _HEADER_CHECK, "1", "2", n): _HEADER_ROWS for n in (0, 1)},
    (
        "spec/workbook-layout.json",
        '"code_pattern": "[0-9]{2}",',
        '"code_pattern": "[0-9]{2}"',
        '"code_pattern": "[0-9]{1,2}"',
        0,
    ): _CODE_WIDTH,
}


def importer_mutants(root: Path) -> list[Mutant]:
    return [m for m in every_importer_mutant(root) if key(root, m) not in EQUIVALENT]


def every_importer_mutant(root: Path) -> list[Mutant]:
    """The kind's mutants, EQUIVALENT ones included."""
    return [m for path in CODE for m in _code_mutants(root, path)] + _layout_mutants(root)


def key(root: Path, mutant: Mutant) -> Key:
    line = (root / mutant.path).read_text(encoding="utf-8").split("\n")[mutant.line - 1]
    before = line[: mutant.column] if mutant.column is not None else ""
    return (mutant.path.as_posix(), line.strip(), mutant.old, mutant.new, before.count(mutant.old))


def _code_mutants(root: Path, path: Path) -> list[Mutant]:
    text = (root / path).read_text(encoding="utf-8")
    module = ast.parse(text)
    names = tuple(_top_level_names(module))
    lines = text.split("\n")
    mutants = []
    for line, column, old, new in operator_sites(text, names, jinja=False, literals=True):
        shown = f"`{old.strip()}` -> `{new}`" if new else f"`{old.strip()}` dropped"
        mutants.append(Mutant(KIND, path, line, old, new, shown, column))
    for node in ast.walk(module):
        if isinstance(node, ast.If) and _stops(node.body) and _one_line(node.test):
            old = ast.get_source_segment(text, node.test)
            column = _char_column(lines[node.test.lineno - 1], node.test.col_offset)
            what = f"check `if {_short(old)}` dropped"
            mutants.append(Mutant(KIND, path, node.test.lineno, old, "False", what, column))
        elif isinstance(node, ast.Expr) and _is_check_call(node.value) and _one_line(node):
            old = ast.get_source_segment(text, node.value)
            column = _char_column(lines[node.lineno - 1], node.col_offset)
            what = f"check `{_short(old)}` dropped"
            mutants.append(Mutant(KIND, path, node.lineno, old, "None", what, column))
    return sorted(mutants, key=lambda m: (m.line, m.column or 0, m.new))


def _top_level_names(module: ast.Module):
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            yield node.name
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            yield from (t.id for t in targets if isinstance(t, ast.Name))


def _stops(body: list[ast.stmt]) -> bool:
    """The block stops the run: it raises, or calls a function that does."""
    return any(
        isinstance(s, ast.Raise) or (isinstance(s, ast.Expr) and _called(s.value) in FAILING_CALLS)
        for s in body
    )


def _is_check_call(node: ast.expr) -> bool:
    return _called(node).lstrip("_").startswith("check")


def _called(node: ast.expr) -> str:
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _one_line(node: ast.AST) -> bool:
    return node.lineno == node.end_lineno


def _char_column(line: str, byte_offset: int) -> int:
    """ast counts UTF-8 bytes; Mutant counts characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8"))


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def _layout_mutants(root: Path) -> list[Mutant]:
    """One mutant per declared meaning, found by walking the JSON beside its lines: each
    mutated line holds exactly one `"key": value` pair."""
    lines = (root / LAYOUT).read_text(encoding="utf-8").split("\n")
    mutants = []
    where: list[str] = []  # the keys leading to the current line
    for number, line in enumerate(lines, 1):
        pair = re.match(r'\s*"([^"]+)": (.*?),?$', line)
        if pair is None:
            if re.fullmatch(r"\s*[}\]],?", line) and where:
                where.pop()
            continue
        key, value = pair.groups()
        if value in ("{", "["):
            where.append(key)
            continue
        place = ".".join([*where, key])
        for new in _layout_changes(where, key, json.loads(value)):
            old_text, new_text = f'"{key}": {value}', f'"{key}": {json.dumps(new)}'
            what = f"{place} {json.dumps(new)}"
            mutants.append(Mutant(KIND, LAYOUT, number, old_text, new_text, what))
    return mutants


def _layout_changes(where: list[str], key: str, value: object) -> list[object]:
    in_column = len(where) >= 4 and where[-2] == "columns"
    if in_column and key == "blank":
        return ["empty" if value == "fill_down" else "fill_down"]
    if in_column and key == "required":
        return [not value]
    if key in CHOICES:
        return [next(c for c in CHOICES[key] if c != value)]
    if not where and key == "date_serials":
        return [not value]
    if not where and key == "code_width":
        return [value - 1, value + 1]
    if not where and key == "code_pattern":
        return [value.replace("{2}", "{1,2}")] if "{2}" in value else []
    return []
