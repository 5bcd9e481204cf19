"""The broad sweep's mutants (tools/mutate/sweep.py) are real changes: each applies to the
file it names, changes exactly one line, and none sits in a docstring or a comment."""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from conftest import ROOT

from codegen.docs import envelopes
from codegen.emitters.context import PACKAGE_DIR
from codegen.errors import SourceError
from tools.mutate.__main__ import sample
from tools.mutate.importer import CODE, EQUIVALENT, LAYOUT, every_importer_mutant, key
from tools.mutate.sweep import XML, all_mutants, operator_sites

MUTANTS = all_mutants(ROOT)


def test_every_kind_is_made():
    kinds = {m.kind for m in MUTANTS}
    assert kinds == {"column", "primitive", "reader", "importer"}
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
    engine = (ROOT / "codegen/runtime/smdb/_engine.py").read_text(encoding="utf-8")
    lines = engine.split("\n")
    docstring = next(i for i, line in enumerate(lines, 1) if "erstatningspersonnumre" in line)
    assert not [m for m in MUTANTS if m.path.name == "_engine.py" and m.line == docstring]


def test_the_sample_takes_each_kind():
    chosen = sample(MUTANTS, 2)
    assert [m.kind for m in chosen].count("reader") == 2
    assert {m.kind for m in chosen} == {"column", "primitive", "reader", "importer"}


TEMPLATE = '''{{ header }}"""Module doc: a and b, x < y."""


def check(x, y):
    """True if x < y or y is None."""
    if x is None:  # a or b
        raise ValueError("x and y are needed, or neither")
    {# y < 0 is allowed #}
    y = y + {{ py(limit if a or b else 1) }}
    return x < y and f"{x} or y" != ""
{% for t in types %}


def _write_{{ t.key }}(obj):
    return obj and 1
{% endfor %}


def other(a, b):
    return a[-1] + 1 or b is not None
'''


def test_operators_in_strings_comments_docstrings_and_jinja_tags_give_no_mutant():
    assert operator_sites(TEMPLATE, ("check",)) == [
        (6, 9, "is", "is not"),
        (10, 13, "<", "<="),
        (10, 17, "and", "or"),
        (10, 33, "!=", "=="),
    ]
    assert operator_sites(TEMPLATE, ("other",)) == [
        (20, 17, "+", "-"),  # not the sign of -1
        (20, 21, "or", "and"),
        (20, 26, "is not", "is"),
    ]
    assert operator_sites(TEMPLATE, ("_write_",)) == []  # a function of the generated module


def test_the_readers_error_messages_are_not_mutated():
    # "is not a boolean (true, false, 1 or 0)": an `or` no test can or should notice.
    lines = (ROOT / XML).read_text(encoding="utf-8").split("\n")
    message = next(i for i, line in enumerate(lines, 1) if "1 or 0)" in line)
    nil = next(i for i, line in enumerate(lines, 1) if "return nil is not None and" in line)
    readers = {(m.line, m.old) for m in MUTANTS if m.path == XML}
    assert not [old for line, old in readers if line == message]
    assert {(nil, "and"), (nil, "is not")} <= readers


@pytest.mark.slow  # a whole run of the docs probe against the emulator
def test_the_docs_probe_runs_the_stand_in_the_sweep_names(monkeypatch, tmp_path):
    # The sweep's second generation of a mutant that broke the probe: the worktree's package
    # stands in, so the mutant package (here: none at all) is not run.
    monkeypatch.setenv(envelopes.STAND_IN, str(ROOT / "generated" / PACKAGE_DIR))
    examples = envelopes.examples({}, envelopes.BASE_CASE, "2026-01-01")
    assert examples["envelopes"]["IndsaetData"]["IndsaetIvaerksaettelse"].keys() == {"v1", "v0"}
    (tmp_path / "smdb").mkdir()
    (tmp_path / "smdb" / "__init__.py").write_text("raise ImportError('a broken package')\n")
    monkeypatch.setenv(envelopes.STAND_IN, str(tmp_path))
    with pytest.raises(ValueError, match=envelopes.FAILED):
        envelopes.examples({}, envelopes.BASE_CASE, "2026-01-01")


def test_the_importer_kind_mutates_the_code_and_the_layouts_meanings():
    importer = [m for m in MUTANTS if m.kind == "importer"]
    assert {m.path for m in importer} == {*CODE, LAYOUT}
    changes = {(m.old, m.new) for m in importer}
    assert {("<", "<="), ("True", "False"), ("0", "1"), ("not in", "in")} <= changes
    assert {m.new for m in importer if "dropped" in m.description} == {"", "False", "None"}
    layout = {m.description for m in importer if m.path == LAYOUT}
    assert {
        'valid_to_means "last_day_in_force"',
        'date_times "end_of_day"',
        'formatting.strikethrough "ignore"',
        'tables.fields.columns.felt_id.blank "fill_down"',
        "tables.codes.columns.order.required true",
    } <= layout
    assert not [m for m in importer if m.path == LAYOUT and "aliases" in m.description]


def test_each_equivalent_importer_mutant_is_one_the_kind_would_make():
    made = {key(ROOT, m) for m in every_importer_mutant(ROOT)}
    assert set(EQUIVALENT) <= made  # a stale entry (the code moved on) fails here
    assert not {key(ROOT, m) for m in MUTANTS if m.kind == "importer"} & set(EQUIVALENT)


def _loaded(path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_known_importer_mutant_is_killed_by_the_importer_tests(tmp_path, layout, monkeypatch):
    # The overlap check of a code's validity periods made non-strict: a period starting the
    # day the previous one ends would be refused. test_workbook.py's test of consecutive
    # periods, run against the mutant module, must fail (and pass against the real one).
    (mutant,) = [
        m
        for m in MUTANTS
        if m.path.name == "codelists.py"
        and m.old == "<"
        and "start < _as_interval" in (ROOT / m.path).read_text().split("\n")[m.line - 1]
    ]
    (tmp_path / mutant.path).parent.mkdir(parents=True)
    shutil.copyfile(ROOT / mutant.path, tmp_path / mutant.path)
    mutant.apply(tmp_path)
    tests = _loaded(ROOT / "tests/importers/test_workbook.py", "sweep_importer_tests")
    test = tests.test_consecutive_validity_for_one_code_is_fine
    for folder in ("real", "mutant"):
        (tmp_path / folder).mkdir()
    test(tmp_path / "real", layout)
    codelists = _loaded(tmp_path / mutant.path, "sweep_importer_mutant")
    monkeypatch.setattr(tests, "build_codelists", codelists.build_codelists)
    with pytest.raises(SourceError, match="overlapping validity"):
        test(tmp_path / "mutant", layout)
