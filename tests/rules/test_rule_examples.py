"""Every rule of the spec against its own examples, run through the generated `smdb.validation`.

Each valid example (a change of spec/rules/examples/base-case.json) gives no violation of its
rule, each invalid example at least one; the base case gives none at all. The fused runner and
the rules' own functions must agree on every example.
"""

from __future__ import annotations

import importlib
import json

import pytest
from conftest import ROOT, generated_module

from codegen.build import build_spec
from codegen.rules.examples import scenario

BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
SPEC = build_spec("2026-01-01")
RULES = {rule.id: rule for rule in SPEC.rules}


@pytest.fixture(scope="module")
def smdb_validation():
    return generated_module("smdb.validation")


@pytest.fixture(scope="module")
def base() -> dict:
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


def _run(validation, base: dict, example):
    situation = scenario(base, example)
    return validation.validate(
        situation.case, today=situation.today, other_cases=situation.other_cases
    )


def _describe(example) -> str:
    return ", ".join(f"{c.path}={c.value!r}" for c in example.changes) or "(no change)"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_examples(rule_id, smdb_validation, base):
    rule = RULES[rule_id]
    problems = []
    for index, example in enumerate(rule.examples.valid):
        found = [v for v in _run(smdb_validation, base, example) if v.rule == rule_id]
        if found:
            problems.append(
                f"valid[{index}] ({_describe(example)}) violates it: "
                + "; ".join(f"{v.path}: {v.message_en}" for v in found)
            )
    for index, example in enumerate(rule.examples.invalid):
        found = [v for v in _run(smdb_validation, base, example) if v.rule == rule_id]
        if not found:
            problems.append(f"invalid[{index}] ({_describe(example)}) does not violate it")
    assert not problems, f"{rule_id} ({rule.source.file}, {rule.source.place}):\n" + "\n".join(
        problems
    )


def test_base_case_has_no_violation(smdb_validation, base):
    assert smdb_validation.validate(base) == []


def test_every_rule_is_generated_with_both_kinds_of_examples(smdb_validation):
    assert [rule.id for rule in smdb_validation.RULES] == list(RULES)
    for rule in SPEC.rules:
        assert rule.examples.valid and rule.examples.invalid, rule.id
        generated = smdb_validation.rule(rule.id)
        assert generated.function.__name__ == rule.function_name
        assert getattr(smdb_validation, rule.function_name) is generated.function


def test_fused_runner_agrees_with_the_rules_own_functions(smdb_validation, base):
    """`validate` runs one fused function per date-control segment; the rules' own functions
    (the engine's fallback) must find exactly the same."""
    engine = importlib.import_module("smdb._engine")
    one_by_one = engine.Engine(
        smdb_validation.RULES, smdb_validation.LAYOUT, rules_change=smdb_validation.RULES_CHANGE
    )
    for rule in SPEC.rules:
        for example in (*rule.examples.valid, *rule.examples.invalid):
            situation = scenario(base, example)
            arguments = {"today": situation.today, "other_cases": situation.other_cases}
            assert smdb_validation.validate(situation.case, **arguments) == one_by_one.validate(
                situation.case, **arguments
            ), f"{rule.id}: {_describe(example)}"


def test_models_and_dicts_give_the_same_violations(smdb_validation, base):
    models = importlib.import_module("smdb.models")
    for rule in SPEC.rules:
        if rule.context == "reading":
            continue  # garbage: pydantic refuses it or, in lax mode, converts it ("101" -> 101)
        for example in rule.examples.invalid:
            situation = scenario(base, example)
            try:
                model = models.Kontaktforloeb.model_validate(situation.case)
            except ValueError:
                continue  # garbage the model itself refuses
            arguments = {"today": situation.today, "other_cases": situation.other_cases}
            assert smdb_validation.validate(model, **arguments) == smdb_validation.validate(
                situation.case, **arguments
            ), f"{rule.id}: {_describe(example)}"
