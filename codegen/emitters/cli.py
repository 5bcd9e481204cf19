"""The vendor's command line, `smdb validate`: the facts `smdb/cli.py` (plain code,
codegen/runtime/smdb/cli.py) reads off the rules and the WSDL, in `smdb/_cli_facts.py`."""

from __future__ import annotations

import ast

from codegen.emitters.context import CASE_TYPE, EmitContext
from codegen.rules.expressions import ACTIVE_CASES_FELT_ID


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


def witness_filters(context: EmitContext, key: list[tuple[str, str]]) -> tuple | None:
    """When every cross-case rule only forbids another case of the same group, its check
    being `not any(<equalities of group-key fields> for sag in <cases>)` with <cases> either
    `other_cases` or `active_cases(other_cases)`, a case violates it exactly when some other
    case of its group passes the filter. Then two such cases per filter ("witnesses") stand
    for the whole group, and the CLI checks each case against them alone: linear in the
    group, not quadratic. The filters: None (every case) or the (form, variable) whose empty
    value makes a case active (the language's `active_cases`: no 1-AFSL). None when a rule
    has another shape (the CLI then compares all cases of a group)."""
    forms = {name for name, _ in case_slots(context).values()}
    filters = set()
    for rule in cross_case_rules(context):
        found = _exclusive_filter(rule, forms, set(key))
        if found is False:
            return None
        filters.add(found)
    resolved = []
    for kind in sorted(filters, key=str):
        if kind is None:
            resolved.append(None)
            continue
        closing = [
            (form.name, f.variable)
            for form in context.spec.forms
            for f in form.fields
            if f.felt_id == ACTIVE_CASES_FELT_ID and form.name in forms
        ]
        if len(closing) != 1:
            return None
        resolved.append(closing[0])
    return tuple(resolved)


def _exclusive_filter(rule, forms: set[str], key: set[tuple[str, str]]):
    """None or "active" for a rule of the exclusive shape (see witness_filters); else False."""
    tree = ast.parse(rule.check, mode="eval").body if rule.check else None
    if not (
        isinstance(tree, ast.UnaryOp)
        and isinstance(tree.op, ast.Not)
        and isinstance(call := tree.operand, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "any"
        and len(call.args) == 1
        and isinstance(gen := call.args[0], ast.GeneratorExp)
        and len(gen.generators) == 1
        and not gen.generators[0].ifs
        and isinstance(target := gen.generators[0].target, ast.Name)
    ):
        return False
    terms = (
        gen.elt.values
        if isinstance(gen.elt, ast.BoolOp) and isinstance(gen.elt.op, ast.And)
        else [gen.elt]
    )
    for term in terms:
        if not (
            isinstance(term, ast.Compare) and len(term.ops) == 1 and isinstance(term.ops[0], ast.Eq)
        ):
            return False
        left, right = term.left, term.comparators[0]
        if not (isinstance(left, ast.Attribute) and isinstance(left.value, ast.Attribute)):
            left, right = right, left
        sag_side = (
            left.value.value
            if isinstance(left, ast.Attribute) and isinstance(left.value, ast.Attribute)
            else None
        )
        if not (isinstance(sag_side, ast.Name) and sag_side.id == target.id):
            return False
        pair = _form_field(left, forms)
        if pair is None or pair != _form_field(right, forms) or pair not in key:
            return False
        if isinstance(right, ast.Attribute) and isinstance(right.value, ast.Attribute):
            return False  # both sides read a `sag`: not a comparison with this case
    cases = gen.generators[0].iter
    if isinstance(cases, ast.Name) and cases.id == "other_cases":
        return None
    if (
        isinstance(cases, ast.Call)
        and isinstance(cases.func, ast.Name)
        and cases.func.id == "active_cases"
        and len(cases.args) == 1
        and isinstance(cases.args[0], ast.Name)
        and cases.args[0].id == "other_cases"
        and not cases.keywords
    ):
        return "active"
    return False


def emit(context: EmitContext) -> dict[str, str]:
    rule_ids, forms, key = cross_case_plan(context)
    text = context.render(
        "python/_cli_facts.py.j2",
        case_slots=case_slots(context),
        cross_case_rules=frozenset(rule_ids),
        summary_forms=tuple(forms),
        group_key=tuple(key),
        witness_filters=witness_filters(context, key),
    )
    return {context.module_path("_cli_facts"): text}
