"""Every boundary and every list of a rule is pinned by one of its own examples.

Each rule is mutated in process (tools/mutate/rules.py): every `<`/`<=`/`>`/`>=` made strict
or non-strict, every literal of a tuple removed, every other code of the field's code list
added to it, every `and`/`or` swapped. For each mutant at least one of the rule's examples
must change verdict; otherwise a plausible one-character mistake in the rule would pass.
A mutant that no case at all can tell apart from the rule (an equivalent mutant) is listed in
EQUIVALENT with the reason.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, generated_module

from codegen.build import build_spec
from tools.mutate.rules import RuleRunner, mutants

SPEC = build_spec("2026-01-01")
RULES = {rule.id: rule for rule in SPEC.rules}
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"

# The null rule makes a guard of `when` redundant where `check` is True anyway for the
# missing value (an ordering comparison with None is True; age_on of an invalid CPR is None).
_GUARD = "the null rule: without the guard's value `check` holds anyway"
EQUIVALENT = {
    (
        "SMDB-FELT-INTERVAL",
        "select: swap `or` -> `and` in `field.minimum is not None or field.maximum is not …`",
    ): "every field with a range in 2026-01-01 has both a minimum and a maximum",
    (
        "SMDB-IVÆR-4-FRIT-VALG",
        "when: swap `and` -> `or` in `valid_cpr(Anmodning.PersonIdentifikator) and fille…`",
    ): _GUARD,
    (
        "SMDB-IVÆR-4-SAMTYKKE",
        "when: swap `and` -> `or` in `valid_cpr(Anmodning.PersonIdentifikator) and fille…`",
    ): _GUARD,
    (
        "SMDB-IVÆR-20-ALDER",
        "when: swap `and` -> `or` in `filled(Ivaerksaettelse.HovedstofFoersteBrugAlderKv…`",
    ): _GUARD,
    (
        "SMDB-FELT-IVÆR-18",
        "when: swap `and` -> `or` in `form_present and Ivaerksaettelse.PersonTagetIkkeOr…`",
    ): "a field of an absent form is None, so `== True` is False without `form_present`",
}


@pytest.fixture(scope="module")
def runner() -> RuleRunner:
    base = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    return RuleRunner(SPEC, generated_module("smdb.validation"), base)


def _name(mutant) -> str:
    return f"{mutant.key}: {mutant.kind} {mutant.description}"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_mutant_of_the_rule_changes_an_example_verdict(rule_id, runner):
    rule = RULES[rule_id]
    survivors, _ = runner.survivors(rule)
    unexplained = [m for m in survivors if (rule_id, _name(m)) not in EQUIVALENT]
    assert not unexplained, (
        f"{rule_id} ({rule.source.file}, {rule.source.place}): no example notices\n"
        + "\n".join(f"  {_name(m)}" for m in unexplained)
    )


def test_every_equivalent_mutant_listed_still_exists_and_survives(runner):
    """The list of equivalent mutants stays exact: a listed mutant that an example now kills,
    or that the rule no longer has, must leave the list."""
    listed = set(EQUIVALENT)
    surviving = set()
    for rule_id in {rule_id for rule_id, _ in listed}:
        survivors, _ = runner.survivors(RULES[rule_id])
        surviving |= {(rule_id, _name(m)) for m in survivors}
    assert listed <= surviving, sorted(listed - surviving)


def test_the_mutator_makes_each_kind_of_mistake(runner):
    """Strict/non-strict, dropped and added codes, and and/or swaps are all tried, and the
    count is what the rules' text implies (so a mutator that quietly tries nothing fails)."""
    kinds: dict[str, int] = {}
    for rule in SPEC.rules:
        for mutant in mutants(rule, runner.codes_by_variable):
            kinds[mutant.kind] = kinds.get(mutant.kind, 0) + 1
    assert set(kinds) == {"strict", "drop", "add", "swap"}
    ordering = sum(
        (getattr(rule, key) or "").count(op)
        for rule in SPEC.rules
        for key in ("select", "when", "check")
        for op in ("<", ">")
    )
    assert kinds["strict"] == ordering


def test_a_strict_day_14_is_caught(runner):
    """The issue's own example: "within 14 days" made strict in SMDB-IVÆR-29-IKKE-VIST."""
    rule = RULES["SMDB-IVÆR-29-IKKE-VIST"]
    expected = runner.verdicts(rule)
    assert expected == (False,) * len(rule.examples.valid) + (True,) * len(rule.examples.invalid)
    strict = [
        m
        for m in mutants(rule, runner.codes_by_variable)
        if m.kind == "strict" and "days(" in m.description
    ]
    assert len(strict) == 1
    assert "<= 14" in rule.when and "< 14" in strict[0].rule.when
    assert runner.verdicts(strict[0].rule) != expected
