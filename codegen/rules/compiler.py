"""One rule -> the source of its check function in `smdb.validation`.

Every function takes the engine's reading of a case (`c`) and returns `None` when the case
keeps the rule, else a list of hits `(path, felt_ids, values)`: where, which Felt-IDs, and the
values for the message's placeholders (or None). The engine turns hits into `Violation`s.

    case     one test; the hit's path is the first form field `check` names
    tilbud   a loop over the tilbudstilknytninger, `t` each one
    field    one block per field `select` picks (worked out here, at generation time), with
             `field.…` folded into constants; fields of the list form in one loop
    reading  a loop over the problems met while reading the case
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from codegen.rules.expressions import (
    BOOL,
    Code,
    CodeLists,
    ExpressionError,
    FieldMeta,
    Needs,
    T,
    Translator,
    always_constant,
    codes_constant,
    date_constant,
    field_type,
    py_literal,
)
from codegen.rules.layout import CaseLayout, Element, FieldInfo
from codegen.rules.model import Rule

INDENT = "    "


class RuleExpressionError(Exception):
    """An expression of a rule is refused: which key (`when`, `check`, `select`) and why."""

    def __init__(self, key: str, error: ExpressionError, detail: str = ""):
        super().__init__(error.message)
        self.key = key
        self.error = error
        self.detail = detail

    @property
    def message(self) -> str:
        return f"{self.key}: {self.detail}{self.error.message}"


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    function: str  # the function's name
    source: str  # its `def`, ready to paste into a module
    dates: frozenset[dt.date]  # date constants it uses (`_DATE_2019_07_01`)
    always: frozenset[str]  # code lists whose `_ALWAYS_<list>` it uses
    codes: frozenset[str]  # code lists whose `_CODES_<list>` it uses
    uses_other_cases: bool
    fields: tuple[tuple[str, str], ...]  # context field: the (element, variable) it checks


def field_keys(layout: CaseLayout) -> list[tuple[str, str]]:
    """Every form field of the case as (element, variable), in order: the index of a field in
    the generated `_FIELD_META` table."""
    return [
        (element.name, info.variable)
        for element in layout.elements
        for info in element.fields
        if info.field is not None
    ]


@dataclass
class Body:
    """A rule's statements, independent of how its hits leave the code.

    `kind` "case": `lines` end in `if <violated>:` and `hit` is the hit to report; "hits":
    the statements gather hits into a variable (`lines` at function level, `item_lines` inside
    the loop `for _i, _item in enumerate(_l<items>):` over the list form's items); "never":
    the rule can never fail.
    """

    kind: str
    lines: list[str] = dataclass_field(default_factory=list)
    hit: str = ""
    items: int | None = None
    item_lines: list[str] = dataclass_field(default_factory=list)


def _body(rule: Rule, layout: CaseLayout, codelists: CodeLists, needs: Needs, hits: str):
    fields: tuple[tuple[str, str], ...] = ()
    if rule.context == "field":
        body, fields = _field_body(rule, layout, codelists, needs, hits)
    elif rule.context == "reading":
        body = _reading_body(rule, layout, codelists, needs, hits)
    elif rule.context == "tilbud":
        body = _tilbud_body(rule, layout, codelists, needs, hits)
    else:
        body = _case_body(rule, layout, codelists, needs)
    return body, fields


def _item_loop(index: int, needs: Needs) -> list[str]:
    """The loop over the list form's items, reading the fields the rules use of each."""
    reads = [
        f"{INDENT * 2}{name} = _item.get({py_literal(variable)})"
        for (element, variable), name in needs.itemvars.items()
        if element == index
    ]
    return [f"{INDENT}for _i, _item in enumerate(_l{index}):", *reads]


def compile_rule(rule: Rule, layout: CaseLayout, codelists: CodeLists) -> CompiledRule:
    """The rule's own function: returns None, or its list of hits."""
    needs = Needs()
    body, fields = _body(rule, layout, codelists, needs, "_hits")
    if body.kind == "never":
        statements = [f"{INDENT}return None  # can never fail"]
    elif body.kind == "case":
        statements = [*body.lines, f"{INDENT * 2}return {body.hit}", f"{INDENT}return None"]
    else:
        statements = [f"{INDENT}_hits = None", *body.lines]
        if body.item_lines:
            statements += [*_item_loop(body.items, needs), *body.item_lines]  # type: ignore[arg-type]
        statements.append(f"{INDENT}return _hits")
    name = rule.function_name
    lines = [
        f"def {name}(c: Case) -> RuleHits:",
        *_docstring(rule),
        *_prologue(needs, layout),
        *statements,
    ]
    return CompiledRule(
        rule=rule,
        function=name,
        source="\n".join(lines) + "\n",
        dates=frozenset(needs.dates),
        always=frozenset(needs.always),
        codes=frozenset(needs.codes),
        uses_other_cases=needs.other_cases,
        fields=fields,
    )


def compile_runner(
    name: str, rules: list[tuple[int, Rule]], layout: CaseLayout, codelists: CodeLists
) -> str:
    """One function running several rules at once (those of one date-control segment): one
    prologue, each field read once, one loop over the list form's items for all rules, no
    calls. It appends `(index of the rule, hits)` to `_found` (not in rule order where item
    loops are shared: the engine sorts). The engine falls back to the rules' own functions
    should it raise."""
    needs = Needs()
    statements: list[str] = []
    loops: dict[int, list[str]] = {}
    pending: list[tuple[int, int]] = []  # (rule index, item loop): hits complete after it
    for index, rule in rules:
        hits = f"_h{index}"
        body, _ = _body(rule, layout, codelists, needs, hits)
        if body.kind == "never":
            continue
        statements.append(f"{INDENT}# {rule.id}")
        if body.kind == "case":
            statements += [*body.lines, f"{INDENT * 2}_found.append(({index}, {body.hit}))"]
            continue
        statements += [f"{INDENT}{hits} = None", *body.lines]
        if body.item_lines:
            assert body.items is not None
            loops.setdefault(body.items, []).extend([f"{INDENT * 2}# {rule.id}", *body.item_lines])
            pending.append((index, body.items))
        else:
            statements += [f"{INDENT}if {hits}:", f"{INDENT * 2}_found.append(({index}, {hits}))"]
    for items, lines in loops.items():
        statements += [*_item_loop(items, needs), *lines]
    for index, _ in pending:
        statements += [
            f"{INDENT}if _h{index}:",
            f"{INDENT * 2}_found.append(({index}, _h{index}))",
        ]
    doc = f'{INDENT}"""Rules {", ".join(r.id for _, r in rules) or "none"}, fused."""'
    lines = [
        f"def {name}(c: Case, _found: list[Found]) -> None:",
        doc,
        *_prologue(needs, layout),
        *statements,
    ]
    if len(lines) == 2:
        lines.append(f"{INDENT}return None")
    return "\n".join(lines) + "\n"


def _translate(translator: Translator, rule: Rule, key: str, detail: str = "") -> Code | None:
    text = getattr(rule, key)
    if text is None:
        return None
    try:
        return translator.translate(text)
    except ExpressionError as exc:
        raise RuleExpressionError(key, exc, detail) from None


def _condition(when: Code | None, check: Code, needs: Needs) -> str | None:
    """The test for a violation: `when` holds and `check` does not (a `check` of None holds);
    None when it can never be true."""
    if when is not None and when.is_const:
        if not when.const:
            return None
        when = None
    if check.is_const:
        if check.const or check.const is None:
            return None
        fails = "True"
    elif check.type == BOOL:
        fails = f"not {check.truth}"
    else:
        temp = needs.temp()
        fails = f"(not ({temp} := {check.src}) and {temp} is not None)"
    if when is None:
        return fails
    return f"{when.truth} and {fails}" if fails != "True" else when.truth


def _case_body(rule, layout, codelists, needs) -> Body:
    translator = Translator(layout, codelists, {}, needs)
    when = _translate(translator, rule, "when")
    first_when_ref = len(needs.refs)
    check = _translate(translator, rule, "check")
    assert check is not None
    refs = needs.refs[first_when_ref:] + needs.refs[:first_when_ref]
    path = next((f"{e}.{v}" if v else e for via, e, v in refs if via == "main"), None)
    if path is None:
        path = _felt_id_path(rule, layout)
    condition = _condition(when, check, needs)
    if condition is None:
        return Body("never")
    hit = f"(({py_literal(path)}, {py_literal(rule.felt_ids)}, None),)"
    return Body("case", [f"{INDENT}if {condition}:"], hit)


def _felt_id_path(rule: Rule, layout: CaseLayout) -> str:
    for felt_id in rule.felt_ids:
        found = layout.felt_id_field(felt_id)
        if found is not None:
            element, info = found
            return element.name if element.is_list else f"{element.name}.{info.variable}"
        for element in layout.elements:
            if felt_id in (element.form.name, element.form.code, element.name):
                return element.name
    return ""


def _list_element(rule: Rule, layout: CaseLayout) -> tuple[int, Element]:
    element = layout.list_element
    if element is None:
        raise RuleExpressionError(
            "context", ExpressionError("context `tilbud` needs exactly one list in the case")
        )
    return layout.elements.index(element), element


def _tilbud_body(rule, layout, codelists, needs, hits: str) -> Body:
    index, element = _list_element(rule, layout)
    item = Code("_item", T("item", nullable=False, element=element.name), dict_src="_item")
    translator = Translator(layout, codelists, {"t": item}, needs)
    translator.item_index = index
    when = _translate(translator, rule, "when")
    first = len(needs.refs)
    check = _translate(translator, rule, "check")
    assert check is not None
    refs = needs.refs[first:] + needs.refs[:first]
    variable = next((v for via, _, v in refs if via == "t"), None)
    suffix = f"].{variable}" if variable else "]"
    path = f"{py_literal(element.name + '[')} + str(_i) + {py_literal(suffix)}"
    condition = _condition(when, check, needs)
    if condition is None:
        return Body("never")
    needs.lists.add(index)
    return Body(
        "hits",
        items=index,
        item_lines=[
            f"{INDENT * 2}if {condition}:",
            f"{INDENT * 3}{hits} = _add({hits}, {path}, {py_literal(rule.felt_ids)}, None)",
        ],
    )


def _reading_body(rule, layout, codelists, needs, hits: str) -> Body:
    names = {
        "problem": Code("_prob", T("problem", nullable=False)),
        "value": Code("_prob.value", T("any")),
    }
    translator = Translator(layout, codelists, names, needs)
    when = _translate(translator, rule, "when")
    check = _translate(translator, rule, "check")
    assert check is not None
    condition = _condition(when, check, needs)
    if condition is None:
        return Body("never")
    return Body(
        "hits",
        [
            f"{INDENT}for _prob in c.problems:",
            f"{INDENT * 2}if {condition}:",
            f"{INDENT * 3}{hits} = _problem_hit({hits}, c, _prob)",
        ],
    )


def selected_fields(
    rule: Rule, layout: CaseLayout, codelists: CodeLists
) -> list[tuple[int, Element, FieldInfo]]:
    """The fields a `field` rule's `select` picks, worked out over their metadata."""
    chosen = []
    for index, element in enumerate(layout.elements):
        for info in element.fields:
            if info.field is None:
                continue  # a technical identifier: no metadata, no field rules
            meta = FieldMeta.of(info)
            names = {"field": Code("field", T("field", nullable=False), const=meta)}
            translator = Translator(layout, codelists, names, Needs(), select_only=True)
            result = _translate(translator, rule, "select")
            if result is None or not result.is_const:
                raise RuleExpressionError(
                    "select",
                    ExpressionError("`select` must depend on the field's metadata only"),
                )
            if result.const:
                chosen.append((index, element, info))
    return chosen


def _field_body(rule, layout, codelists, needs, hits: str):
    keys = field_keys(layout)
    body = Body("hits")
    chosen = selected_fields(rule, layout, codelists)
    for index, element, info in chosen:
        meta = FieldMeta.of(info)
        if element.is_list:
            present = Code("True", BOOL, True)
            value = needs.itemvar(index, info.variable)
        else:
            needs.present.add(index)
            present = Code(f"_p{index}", BOOL)
            # The field's local, shared with every other rule of the function that reads it.
            key = (index, info.variable)
            if key not in needs.fieldvars:
                needs.fieldvars[key] = f"_a{index}_{len(needs.fieldvars)}"
            value = needs.fieldvars[key]
        names = {
            "field": Code("field", T("field", nullable=False), const=meta),
            "value": Code(value, field_type(info)),
            "form_present": present,
        }
        translator = Translator(layout, codelists, names, needs)
        detail = f"for {info.felt_id or info.variable} ({info.variable}): "
        when = _translate(translator, rule, "when", detail)
        check = _translate(translator, rule, "check", detail)
        assert check is not None
        condition = _condition(when, check, needs)
        if condition is None:
            continue
        meta_ref = f"_FIELD_META[{keys.index((element.name, info.variable))}]"
        if element.is_list:
            needs.lists.add(index)
            body.items = index
            path = (
                f"{py_literal(element.name + '[')} + str(_i) + {py_literal('].' + info.variable)}"
            )
            body.item_lines += [
                f"{INDENT * 2}if {condition}:",
                f"{INDENT * 3}{hits} = _field_hit({hits}, c, {path}, {meta_ref}, {value})",
            ]
        else:
            needs.forms.add(index)
            path = py_literal(f"{element.name}.{info.variable}")
            body.lines += [
                f"{INDENT}if {condition}:",
                f"{INDENT * 2}{hits} = _field_hit({hits}, c, {path}, {meta_ref}, {value})",
            ]
    fields = tuple((element.name, info.variable) for _, element, info in chosen)
    if not body.lines and not body.item_lines:
        return Body("never"), fields
    return body, fields


def _prologue(needs: Needs, layout: CaseLayout) -> list[str]:
    lines = []
    for index in sorted(needs.forms):
        lines.append(f"_f{index} = c.forms[{py_literal(layout.elements[index].name)}]")
    for (index, variable), name in needs.fieldvars.items():
        lines.append(f"{name} = _f{index}.get({py_literal(variable)})")
    for index in sorted(needs.objs):
        lines.append(f"_o{index} = c.objs[{py_literal(layout.elements[index].name)}]")
    for index in sorted(needs.present):
        lines.append(f"_p{index} = c.objs[{py_literal(layout.elements[index].name)}] is not None")
    for index in sorted(needs.lists):
        lines.append(f"_l{index} = c.lists[{py_literal(layout.elements[index].name)}]")
    if needs.today:
        lines.append("_today = c.today")
    if needs.other_cases:
        lines.append("_others = c.other_cases")
    for call, name in needs.calls.items():
        lines.append(f"{name} = {call}")
    return [INDENT + line for line in lines]


def _docstring(rule: Rule) -> list[str]:
    lines = [f"{rule.title_en} (kravspec {rule.section}, {rule.context}, {rule.severity})."]
    lines.append("")
    for key in ("select", "when", "check"):
        text = getattr(rule, key)
        if text is not None:
            lines.append(f"{key}: {' '.join(text.split())}")
    escaped = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    return [
        f'{INDENT}"""{escaped[0]}',
        *(INDENT + line if line else "" for line in escaped[1:]),
        f'{INDENT}"""',
    ]


def constant_definitions(compiled: list[CompiledRule]) -> list[tuple[str, str]]:
    """The module-level constants the compiled rules use: `date("…")`, and the code sets of
    their fast paths (from `smdb.codelists` at import)."""
    dates = sorted({day for c in compiled for day in c.dates})
    always = sorted({name for c in compiled for name in c.always})
    codes = sorted({name for c in compiled for name in c.codes})
    return [
        *((date_constant(d), f"dt.date({d.year}, {d.month}, {d.day})") for d in dates),
        *((always_constant(n), f"always_in_force({py_literal(n)})") for n in always),
        *((codes_constant(n), f"codes_of({py_literal(n)})") for n in codes),
    ]
