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


def cross_case_rules(context: EmitContext) -> list[str]:
    """Rules that look at the borger's other cases: those the CLI re-runs across files."""
    found = []
    for rule in context.spec.rules:
        expressions = [e for e in (rule.select, rule.when, rule.check) if e]
        names = {
            n.id
            for e in expressions
            for n in ast.walk(ast.parse(e, mode="eval"))
            if isinstance(n, ast.Name)
        }
        if "other_cases" in names:
            found.append(rule.id)
    return sorted(found)


def emit(context: EmitContext) -> dict[str, str]:
    text = context.render(
        "python/cli.py.j2",
        case_slots=repr(case_slots(context)),
        cross_case_rules=repr(frozenset(cross_case_rules(context))),
    )
    return {context.module_path("cli"): text}
