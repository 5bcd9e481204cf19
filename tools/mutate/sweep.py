"""The broad mutation sweep of `make mutate`: small plausible mistakes in the reconstruction's
spec columns, in the templates' engine primitives and XML reader, each tried in a fresh copy
of the repository; a mutant is killed when generation refuses it or a test fails.

A mutant is (file, line, old text, new text). The kinds:

    column      a cell of the reconstruction (felter.csv, kodelister.csv) changed: a required
                flag, a range or length bound, a display condition, an age limit, a code row
    primitive   an operator of an engine primitive (`_engine.py.j2`: days, age_on,
                valid_cpr, max_parallel, ...) made strict/non-strict, negated or swapped
    reader      an operator or literal of the XML reader's helpers (`xml.py.j2`)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

RECONSTRUCTION = Path("spec/sources/2026-01-01/reconstruction")
ENGINE = Path("codegen/templates/python/_engine.py.j2")
XML = Path("codegen/templates/python/xml.py.j2")
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
SWAPS = (
    (" <= ", " < "),
    (" < ", " <= "),
    (" >= ", " > "),
    (" > ", " >= "),
    (" == ", " != "),
    (" != ", " == "),
    (" and ", " or "),
    (" or ", " and "),
    (" + 1", " - 1"),
    (" - 1", " + 1"),
    ("is None", "is not None"),
    ("is not None", "is None"),
)


@dataclass(frozen=True)
class Mutant:
    kind: str
    path: Path  # relative to the repository
    line: int  # 1-based
    old: str
    new: str
    description: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        lines = target.read_text(encoding="utf-8").split("\n")
        assert self.old in lines[self.line - 1], (self, lines[self.line - 1])
        lines[self.line - 1] = lines[self.line - 1].replace(self.old, self.new, 1)
        target.write_text("\n".join(lines), encoding="utf-8")

    def __str__(self) -> str:
        return f"{self.kind:9} {self.path}:{self.line}  {self.description}"


def _functions(text: str, names: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line number, line) of the code of the module-level functions `names`: no docstring,
    no comment line (a mutant there would change nothing)."""
    found, inside, in_doc = [], False, False
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("def "):
            match = re.match(r"def (\w+)\(", line)  # not `def _write_{{ t.key }}(`
            inside, in_doc = match is not None and match.group(1) in names, False
            continue
        if line and not line[0].isspace():
            inside = False
        quotes = line.count('"""')
        if in_doc or quotes:
            in_doc = in_doc != (quotes % 2 == 1)  # a docstring opens or closes on this line
            continue
        if inside and not line.strip().startswith("#"):
            found.append((number, line))
    return found


def operator_mutants(root: Path, path: Path, names: tuple[str, ...], kind: str) -> list[Mutant]:
    mutants = []
    for number, line in _functions((root / path).read_text(encoding="utf-8"), names):
        code = line.split("#")[0]
        for old, new in SWAPS:
            if old in code and not (old == " < " and " <= " in code):
                mutants.append(
                    Mutant(kind, path, number, old, new, f"`{old.strip()}` -> `{new.strip()}`")
                )
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
        who = row["Felt-ID"] or row["Variabelnavn"]
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
    return [
        *column_mutants(root),
        *operator_mutants(root, ENGINE, PRIMITIVES, "primitive"),
        *operator_mutants(root, XML, READERS, "reader"),
    ]
