"""The broad sweep's mutants (tools/mutate/sweep.py) are real changes: each applies to the
file it names, changes exactly one line, and none sits in a docstring or a comment."""

from __future__ import annotations

import shutil

from conftest import ROOT

from tools.mutate.__main__ import sample
from tools.mutate.sweep import all_mutants

MUTANTS = all_mutants(ROOT)


def test_every_kind_is_made():
    kinds = {m.kind for m in MUTANTS}
    assert kinds == {"column", "primitive", "reader"}
    assert len(MUTANTS) >= 100


def test_each_mutant_changes_one_line_of_code(tmp_path):
    paths = sorted({m.path for m in MUTANTS})
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    for mutant in MUTANTS:
        source = ROOT / mutant.path
        shutil.copyfile(source, tmp_path / mutant.path)
        mutant.apply(tmp_path)
        before = source.read_text(encoding="utf-8").split("\n")
        after = (tmp_path / mutant.path).read_text(encoding="utf-8").split("\n")
        changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert changed == [mutant.line], str(mutant)
        line = before[mutant.line - 1].strip()
        assert not line.startswith(("#", '"""')), str(mutant)


def test_no_mutant_in_a_docstring():
    engine = (ROOT / "codegen/templates/python/_engine.py.j2").read_text(encoding="utf-8")
    lines = engine.split("\n")
    docstring = next(i for i, line in enumerate(lines, 1) if "erstatningspersonnumre" in line)
    assert not [m for m in MUTANTS if m.path.name == "_engine.py.j2" and m.line == docstring]


def test_the_sample_takes_each_kind():
    chosen = sample(MUTANTS, 2)
    assert [m.kind for m in chosen].count("reader") == 2
    assert {m.kind for m in chosen} == {"column", "primitive", "reader"}
