"""`smdb.validation` and `smdb._engine`: the business rules of the spec, compiled.

Each rule of `spec.rules` (spec/rules/*.yaml) becomes one function named after its id, by
`codegen.rules.compiler`; `validation.py` adds the case's layout and a table of the rules'
metadata. The engine it runs on (reading a case, the primitives) is plain code,
codegen/runtime/smdb/_engine.py. No fact of the domain is written here: names,
Felt-IDs, codes and dates all come from the spec.

Generation fails unless every rule has an emitted check function and at least one valid and
one invalid example.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys
import types
from pathlib import Path

from codegen.cache import memo, source_of
from codegen.datecontrol import RULES_CHANGE, rules_change
from codegen.emitters import escape
from codegen.emitters.context import TEMPLATES, EmitContext
from codegen.errors import SourceError
from codegen.rules.compiler import (
    CompiledRule,
    RuleExpressionError,
    compile_rule,
    compile_runner,
    constant_definitions,
    field_keys,
)
from codegen.rules.expressions import CodeLists
from codegen.rules.layout import CaseLayout, case_layout
from codegen.rules.model import Rule

MODULE = "validation"


def emit(context: EmitContext) -> dict[str, str]:
    # Compiling every rule takes ~0.5 s: memoised on the spec (rules included), this
    # emitter's code and templates, and the rules code.
    import codegen.rules as rules_package

    code = sorted(Path(rules_package.__file__).parent.glob("*.py"))
    templates = sorted(TEMPLATES.glob("python/*validation*.j2"))
    parts = (
        pickle.dumps(context.spec),
        source_of(sys.modules[__name__]),
        source_of(escape),
        context.python_header(),
        *(p.read_bytes() for p in (*code, *templates)),
    )
    return memo("validation", parts, lambda: _emit(context))


def _emit(context: EmitContext) -> dict[str, str]:
    spec = context.spec
    layout = case_layout(spec)
    codelists = CodeLists.of(spec)
    compiled = [_compile(rule, layout, codelists) for rule in spec.rules]
    runners = _runners(spec.rules, layout, codelists)
    change = rules_change(spec)
    change_point = next(
        (p.id for p in spec.date_control if p.effect == RULES_CHANGE and p.date == change), ""
    )
    text = context.render(
        "python/validation.py.j2",
        rules_change=_date(change),
        rules_change_text=change.isoformat() if change else "(none)",
        rules_change_id=change_point or "(none)",
        layout=_layout_values(layout),
        date_felt_id=layout.date_felt_id,
        field_meta=_field_meta(layout),
        # Code the rule compiler wrote, from parsed expressions and escaped literals.
        constants=[(name, escape.Code(value)) for name, value in constant_definitions(compiled)],
        functions=[escape.Code(c.source) for c in compiled],
        runners=[(name, escape.Code(source)) for name, source in runners],
        rules=[_rule_values(c) for c in compiled],
    )
    check_complete(text, spec.rules)
    return {context.module_path(MODULE): text}


def _compile(rule: Rule, layout: CaseLayout, codelists: CodeLists) -> CompiledRule:
    try:
        return compile_rule(rule, layout, codelists)
    except RuleExpressionError as exc:
        source = rule.source
        line = None
        if source is not None and source.place.startswith("line "):
            line = int(source.place.removeprefix("line "))
        raise SourceError(
            f"rule {rule.id}: {exc.message}", file=source.file if source else "", line=line
        ) from None


def _runners(
    rules: tuple[Rule, ...], layout: CaseLayout, codelists: CodeLists
) -> list[tuple[str, str]]:
    """One fused function per date-control segment (as `Engine` cuts them): (name, source)."""
    bounds = sorted(
        {d for r in rules for d in (r.applies.valid_from, r.applies.valid_to) if d is not None}
    )
    runners = []
    for number, start in enumerate([dt.date.min, *bounds]):
        chosen = [(i, rule) for i, rule in enumerate(rules) if _applies(rule, start)]
        name = f"_run_{number}"
        runners.append((name, compile_runner(name, chosen, layout, codelists)))
    return runners


def _applies(rule: Rule, day: dt.date) -> bool:
    start, end = rule.applies.valid_from, rule.applies.valid_to
    if isinstance(start, dt.date) and day < start:
        return False
    return not isinstance(end, dt.date) or day < end


def check_complete(text: str, rules: tuple[Rule, ...]) -> None:
    """Every rule has both kinds of examples and exactly one check function in `text`, and
    the module is valid Python."""
    for rule in rules:
        if not rule.examples.valid or not rule.examples.invalid:
            raise ValueError(f"rule {rule.id} needs at least one valid and one invalid example")
    module = compile(text, "validation.py", "exec")
    # The code objects of the module's top-level functions (and lambdas, comprehensions).
    defined = [const.co_name for const in module.co_consts if isinstance(const, types.CodeType)]
    for rule in rules:
        if defined.count(rule.function_name) != 1:
            raise ValueError(
                f"rule {rule.id}: {defined.count(rule.function_name)} check functions "
                f"{rule.function_name} emitted, not one"
            )


def _layout_values(layout: CaseLayout) -> dict:
    return {
        "case": escape.py(layout.name),
        "date_element": escape.py(layout.date_element),
        "date_variable": escape.py(layout.date_variable),
        "elements": [
            {
                "name": escape.py(element.name),
                "is_list": element.is_list,
                "required": element.required,
                "fields": [
                    (
                        escape.py(info.variable),
                        escape.py("codes" if info.multiple else info.datatype),
                        escape.py(info.felt_id),
                    )
                    for info in element.fields
                ],
            }
            for element in layout.elements
        ],
    }


def _field_meta(layout: CaseLayout) -> list[tuple[str, str, str]]:
    rows = []
    for element_name, variable in field_keys(layout):
        element = layout.element(element_name)
        assert element is not None
        info = element.field(variable)
        assert info is not None
        felt_ids = (info.felt_id,) if info.felt_id else ()
        rows.append((escape.py(felt_ids), escape.py(info.felt_id or variable), escape.py(variable)))
    return rows


def _date(value: object) -> str:
    return escape.py(value if isinstance(value, dt.date) else None)


def _rule_values(compiled: CompiledRule) -> list[tuple[str, str]]:
    rule = compiled.rule
    return [
        ("id", escape.py(rule.id)),
        ("title_en", escape.py(rule.title_en)),
        ("section", escape.py(rule.section)),
        ("felt_ids", escape.py(rule.felt_ids)),
        ("severity", escape.py(rule.severity)),
        ("basis", escape.py(rule.basis)),
        ("cites", escape.py(rule.cites)),
        ("older_cases", escape.py(rule.older_cases)),
        ("context", escape.py(rule.context)),
        ("applies_from", _date(rule.applies.valid_from)),
        ("applies_to", _date(rule.applies.valid_to)),
        ("select", escape.py(_one_line(rule.select))),
        ("when", escape.py(_one_line(rule.when))),
        ("check", escape.py(_one_line(rule.check))),
        ("message_da", escape.py(rule.message_da)),
        ("message_en", escape.py(rule.message_en)),
        ("reading", escape.py(rule.reading)),
        ("function", escape.ident(compiled.function)),
    ]


def _one_line(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())
