"""The vendor's command line, `smdb validate`: `smdb/cli.py`."""

from __future__ import annotations

import ast

from codegen.emitters.context import CASE_TYPE, EmitContext


def case_slots(context: EmitContext) -> dict[str, tuple[str, bool]]:
    """Form type -> (its key in a case, whether it holds a list), from the WSDL case type."""
    types = {t.name: t for s in context.spec.services if s.api_version == "v1" for t in s.types}
    slots = {}
    for element in types[CASE_TYPE].elements:
        item = types.get(element.type)
        if item is not None and element.type.startswith("ArrayOf"):
            slots[item.elements[0].type] = (element.name, True)
        else:
            slots[element.type] = (element.name, False)
    return dict(sorted(slots.items()))


def _expressions(rule) -> list[ast.AST]:
    return [ast.parse(e, mode="eval") for e in (rule.select, rule.when, rule.check) if e]


def cross_case_rules(context: EmitContext) -> list:
    """Rules that look at the borger's other cases: those the CLI re-runs across files."""
    return [
        rule
        for rule in context.spec.rules
        if any(
            isinstance(n, ast.Name) and n.id == "other_cases"
            for tree in _expressions(rule)
            for n in ast.walk(tree)
        )
    ]


def _form_field(node: ast.AST, forms: set[str]) -> tuple[str, str] | None:
    """`Anmodning.KommuneKode` or `sag.Anmodning.KommuneKode` -> ("Anmodning", "KommuneKode")."""
    if isinstance(node, ast.Attribute):
        owner = node.value
        if isinstance(owner, ast.Attribute):
            owner = ast.Name(id=owner.attr)
        if isinstance(owner, ast.Name) and owner.id in forms:
            return owner.id, node.attr
    return None


def cross_case_plan(context: EmitContext) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What the CLI keeps of each case for the cross-case rules, read off those rules: their
    ids, the forms they read, and the fields they match between cases (`sag.X.Y == X.Y`),
    which group the cases so that only cases that can conflict are compared."""
    forms = {name for name, _ in case_slots(context).values()}
    rules = cross_case_rules(context)
    used: set[str] = set()
    keys: list[set[tuple[str, str]]] = []
    for rule in rules:
        matched = set()
        for tree in _expressions(rule):
            for node in ast.walk(tree):
                pair = _form_field(node, forms)
                if pair:
                    used.add(pair[0])
                if (
                    isinstance(node, ast.Compare)
                    and len(node.ops) == 1
                    and isinstance(node.ops[0], ast.Eq)
                ):
                    left, right = (
                        _form_field(node.left, forms),
                        _form_field(node.comparators[0], forms),
                    )
                    if left and left == right:
                        matched.add(left)
        keys.append(matched)
    common = set.intersection(*keys) if keys else set()
    return sorted(r.id for r in rules), sorted(used), sorted(common)


def emit(context: EmitContext) -> dict[str, str]:
    rule_ids, forms, key = cross_case_plan(context)
    text = context.render(
        "python/cli.py.j2",
        case_slots=case_slots(context),
        cross_case_rules=frozenset(rule_ids),
        summary_forms=tuple(forms),
        group_key=tuple(key),
    )
    return {context.module_path("cli"): text}
