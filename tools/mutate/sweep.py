"""The broad mutation sweep of `make mutate`: small plausible mistakes in the reconstruction's
spec columns, in the engine primitives and the XML reader's helpers, each tried in a fresh copy
of the repository; a mutant is killed when generation refuses it or a test fails.

A mutant is (file, line, old text, new text). The kinds:

    column      a cell of the reconstruction (felter.csv, kodelister.csv) changed: a required
                flag, a range or length bound, a display condition, an age limit, a code row
    primitive   an operator of an engine primitive (plain `_engine.py`: days, age_on,
                valid_cpr, max_parallel, ...) made strict/non-strict, negated or swapped
    reader      an operator or literal of the XML reader's helpers (plain `_xml_values.py`)
    importer    the workbook importer (tools/mutate/importer.py): its code (the operators above,
                plus booleans, numbers and dropped checks) and the meanings its layout
                (`spec/workbook-layout.json`) declares
"""

from __future__ import annotations

import csv
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

RECONSTRUCTION = Path("spec/sources/2026-01-01/reconstruction")
ENGINE = Path("codegen/runtime/smdb/_engine.py")
XML = Path("codegen/runtime/smdb/_xml_values.py")
PRIMITIVES = (
    "birth_date",
    "valid_cpr",
    "age_on",
    "filled",
    "days",
    "add_days",
    "is_kommune",
    "code_known",
    "in_force",
    "max_parallel",
    "active_cases",
    "_lt",
    "_le",
    "_gt",
    "_ge",
)
READERS = ("_is_nil", "_str", "_int", "_bool", "_date", "_csv", "_strings", "_decimal")
# An operator token and what it becomes; `is None`/`is not None` and `+ 1`/`- 1` are made in
# `_operator_sites`.
SWAPS = {
    "<=": "<",
    "<": "<=",
    ">=": ">",
    ">": ">=",
    "==": "!=",
    "!=": "==",
    "and": "or",
    "or": "and",
}
# A Jinja tag: `{{ value }}`, `{% statement %}` or `{# comment #}`.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
NOT_CODE = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT)


@dataclass(frozen=True)
class Mutant:
    kind: str
    path: Path  # relative to the repository
    line: int  # 1-based
    old: str
    new: str
    description: str
    column: int | None = None  # 0-based, where `old` starts; None: its first place in the line

    def apply(self, root: Path) -> None:
        target = root / self.path
        lines = target.read_text(encoding="utf-8").split("\n")
        line = lines[self.line - 1]
        start = line.index(self.old) if self.column is None else self.column
        assert line[start : start + len(self.old)] == self.old, (self, line)
        lines[self.line - 1] = line[:start] + self.new + line[start + len(self.old) :]
        target.write_text("\n".join(lines), encoding="utf-8")

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" + (
            f":{self.column + 1}" if self.column is not None else ""
        )
        return f"{self.kind:9} {place}  {self.description}"


def python_text(template: str) -> str:
    """The template's Python, for the tokenizer: each Jinja tag blanked out, every other
    character where it was (so lines and columns are the template's). A `{{ value }}` becomes
    an identifier of its length (it stands for a name or a literal), a `{% %}` or `{# #}`
    tag spaces."""

    def blank(tag: re.Match) -> str:
        fill = "_" if tag.group().startswith("{{") else " "
        return "".join(c if c == "\n" else fill for c in tag.group())

    return JINJA.sub(blank, template)


def _tokens_of_functions(text: str, names: tuple[str, ...]) -> list[tokenize.TokenInfo]:
    """The tokens of the module-level functions `names` of the Python `text`, except strings
    (docstrings and messages included), comments, and line and indentation tokens."""
    found, inside, depth, after_def = [], False, 0, False
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in NOT_CODE or token.type == tokenize.ENDMARKER:
            continue
        if depth == 0 and token.start[1] == 0:  # a module-level statement starts
            inside, after_def = token.string in names, token.string in ("def", "class")
        elif after_def:
            inside, after_def = token.string in names, False
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        if inside and token.type != tokenize.STRING:
            found.append(token)
    return found


def operator_sites(
    template: str, names: tuple[str, ...], *, jinja: bool = True, literals: bool = False
) -> list[tuple[int, int, str, str]]:
    """(line, column, old, new) of each operator mutant of the functions `names` of a Python
    template (or, not `jinja`, of a plain module): comparisons made strict or non-strict or
    negated, `and`/`or` swapped, `is None` and `is not None` swapped, `+ 1` and `- 1` swapped;
    with `literals` also `True`/`False` swapped, a `not` dropped, `not in` made `in`, and each
    whole number one more. `names` may also name classes and module-level constants. Only
    code: never a string, a docstring or a comment, never a Jinja tag."""
    tokens = _tokens_of_functions(python_text(template) if jinja else template, names)
    sites = []
    for i, token in enumerate(tokens):
        after = [t.string for t in tokens[i + 1 : i + 3]]
        (line, column), text = token.start, token.string
        if literals and (site := _literal_site(tokens, i)):
            sites.append(site)
        elif token.type in (tokenize.OP, tokenize.NAME) and text in SWAPS:
            sites.append((line, column, text, SWAPS[text]))
        elif text == "is" and after[:2] == ["not", "None"]:
            sites.append((line, column, "is not", "is"))
        elif text == "is" and after[:1] == ["None"]:
            sites.append((line, column, "is", "is not"))
        elif text in "+-" and after[:1] == ["1"] and i and _ends_operand(tokens[i - 1]):
            sites.append((line, column, text, "-" if text == "+" else "+"))
    return sites


def _literal_site(tokens: list[tokenize.TokenInfo], i: int) -> tuple[int, int, str, str] | None:
    """A boolean, `not` or number mutant of token `i`, or None."""
    token, before = tokens[i], tokens[i - 1].string if i else ""
    (line, column), text = token.start, token.string
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if text in ("True", "False"):
        return line, column, text, "False" if text == "True" else "True"
    if text == "not" and before != "is" and following and following.start == (line, column + 4):
        return (
            (line, column, "not in", "in")
            if following.string == "in"
            else (line, column, "not ", "")
        )
    if token.type == tokenize.NUMBER and re.fullmatch(r"[0-9][0-9_]*", text):
        return line, column, text, str(int(text) + 1)
    return None


def _ends_operand(token: tokenize.TokenInfo) -> bool:
    """The token can end an operand (so an `+`/`-` after it is binary, not a sign)."""
    return token.type in (tokenize.NAME, tokenize.NUMBER) or token.string in ")]"


def operator_mutants(root: Path, path: Path, names: tuple[str, ...], kind: str) -> list[Mutant]:
    template = (root / path).read_text(encoding="utf-8")
    mutants = []
    jinja = path.suffix == ".j2"  # a plain module's `{{` is Python (an f-string's brace)
    for line, column, old, new in operator_sites(template, names, jinja=jinja):
        shown = f"`{old} None` -> `{new} None`" if old.startswith("is") else f"`{old}` -> `{new}`"
        mutants.append(Mutant(kind, path, line, old, new, shown, column))
    return mutants


def _csv_rows(root: Path, name: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (line number, row) of a reconstruction CSV (one record per line)."""
    text = (root / RECONSTRUCTION / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = [(reader.line_num, row) for row in reader]
    return list(reader.fieldnames or ()), rows


def _cell_mutant(root, name, number, row, column, new, description) -> Mutant | None:
    """A mutant changing one cell, written as the line with that cell changed."""
    header, _ = _csv_rows(root, name)
    old_line = (root / RECONSTRUCTION / name).read_text(encoding="utf-8").split("\n")[number - 1]
    changed = dict(row, **{column: new})
    out = io.StringIO()
    csv.DictWriter(out, header, lineterminator="").writerow(changed)
    same = io.StringIO()
    csv.DictWriter(same, header, lineterminator="").writerow(row)
    if same.getvalue() != old_line:  # written differently (quoting): leave it alone
        return None
    return Mutant("column", RECONSTRUCTION / name, number, old_line, out.getvalue(), description)


def column_mutants(root: Path) -> list[Mutant]:
    mutants: list[Mutant | None] = []
    _, fields = _csv_rows(root, "felter.csv")
    required_flip = {"Ja": "Nej", "Hvis vist": "Ja", "Nej": "Ja"}
    for number, row in fields:
        who = " ".join(filter(None, (row["Felt-ID"], row["Variabelnavn"])))  # 18-IVÆR is 16
        required = row["Påkrævet"]
        if required in required_flip:
            new = required_flip[required]
            mutants.append(
                _cell_mutant(
                    root, "felter.csv", number, row, "Påkrævet", new, f"{who} Påkrævet {new}"
                )
            )
        values = row["Værdier"]
        if match := re.fullmatch(r"(\d+)-(\d+)", values):
            low, high = int(match.group(1)), int(match.group(2))
            for new in (f"{low + 1}-{high}", f"{low}-{high - 1}", f"{low}-{high + 1}"):
                mutants.append(
                    _cell_mutant(root, "felter.csv", number, row, "Værdier", new, f"{who} {new}")
                )
        if match := re.fullmatch(r"Max\. (\d+) karakterer", values):
            new = f"Max. {int(match.group(1)) - 1} karakterer"
            mutants.append(
                _cell_mutant(root, "felter.csv", number, row, "Værdier", new, f"{who} {new}")
            )
        if row["Visningsbetingelse"]:
            mutants.append(
                _cell_mutant(
                    root,
                    "felter.csv",
                    number,
                    row,
                    "Visningsbetingelse",
                    "",
                    f"{who} without its display condition",
                )
            )
        if row["Datatype"].endswith("(read only)"):
            new, what = row["Datatype"].removesuffix(" (read only)"), f"{who} not read only"
            mutants.append(_cell_mutant(root, "felter.csv", number, row, "Datatype", new, what))
    _, codes = _csv_rows(root, "kodelister.csv")
    for number, row in codes:
        who = f"{row['Kodeliste']} {row['Kode']}"
        for column in ("Min. alder", "Maks. alder"):
            if row[column]:
                for new in (str(int(row[column]) - 1), str(int(row[column]) + 1)):
                    what = f"{who} {column} {new}"
                    mutants.append(
                        _cell_mutant(root, "kodelister.csv", number, row, column, new, what)
                    )
    return [m for m in mutants if m is not None]


def all_mutants(root: Path) -> list[Mutant]:
    from tools.mutate.importer import importer_mutants  # it builds on this module

    return [
        *column_mutants(root),
        *operator_mutants(root, ENGINE, PRIMITIVES, "primitive"),
        *operator_mutants(root, XML, READERS, "reader"),
        *importer_mutants(root),
    ]
