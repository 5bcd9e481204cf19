"""A field rule's Felt-IDs are exactly the fields it checks (and may add fields its condition
reads), so that the list a reader trusts and the fields `select` picks cannot drift apart:
marking 9-ANM as not required in the workbook must not leave SMDB-FELT-PAAKRAEVET claiming it.
"""

from __future__ import annotations

import ast
import dataclasses

import pytest

from codegen.build import build_spec
from codegen.rules.compiler import selected_fields
from codegen.rules.expressions import CodeLists
from codegen.rules.layout import case_layout

SPEC = build_spec("2026-01-01")
LAYOUT = case_layout(SPEC)
CODELISTS = CodeLists.of(SPEC)
FIELD_RULES = [rule for rule in SPEC.rules if rule.context == "field"]


def _read_felt_ids(text: str | None) -> set[str]:
    """Felt-IDs of the form fields an expression names (`Ivaerksaettelse.X`)."""
    found: set[str] = set()
    if text is None:
        return found
    for node in ast.walk(ast.parse("(" + text + "\n)", mode="eval")):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            element = LAYOUT.element(node.value.id)
            info = element.field(node.attr) if element else None
            if info is not None and info.felt_id:
                found.add(info.felt_id)
    return found


def test_there_are_field_rules():
    assert len(FIELD_RULES) >= 5


def _mismatches(rule) -> list[str]:
    selected = {info.felt_id for _, _, info in selected_fields(rule, LAYOUT, CODELISTS)}
    condition = _read_felt_ids(rule.when) | _read_felt_ids(rule.check)
    claimed = set(rule.felt_ids)
    problems = []
    if None in selected:
        problems.append("selects a field without a Felt-ID")
    if selected - claimed - {None}:
        problems.append(f"checks but does not list {sorted(selected - claimed - {None})}")
    # Beyond the fields it checks, a rule may name the fields its condition reads (46-IVÆR).
    if claimed - selected - condition:
        problems.append(
            f"lists fields it neither checks nor reads {sorted(claimed - selected - condition)}"
        )
    if len(rule.felt_ids) != len(claimed):
        problems.append("lists a Felt-ID twice")
    return problems


@pytest.mark.parametrize("rule", FIELD_RULES, ids=lambda rule: rule.id)
def test_felt_ids_are_the_selected_fields(rule):
    assert not _mismatches(rule), f"{rule.id}: " + "; ".join(_mismatches(rule))


def test_a_field_dropped_from_the_selection_is_noticed():
    """Mutant of the workbook's required column: 9-ANM no longer "always" required."""
    rule = next(r for r in FIELD_RULES if r.id == "SMDB-FELT-PAAKRAEVET")
    assert "9-ANM" in rule.felt_ids
    narrowed = dataclasses.replace(rule, select=rule.select + ' and field.felt_id != "9-ANM"')
    assert _mismatches(narrowed) == ["lists fields it neither checks nor reads ['9-ANM']"]
