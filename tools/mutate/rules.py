"""Small plausible mistakes in a rule's expressions, and whether the rule's examples notice.

A mutant is one change to one of a rule's expressions (`select`, `when`, `check`):

    strict      `<` <-> `<=`, `>` <-> `>=` (one comparison at a time)
    drop        one literal removed from a tuple (`in ("01", "04")` -> `in ("04",)`)
    add         one code of the field's code list added to a tuple compared with that field
    swap        one `and` made `or`, or the other way round

A mutant is killed when at least one of the rule's own examples changes verdict: a valid
example now violates the mutated rule, or an invalid one no longer does. Mutants the rule
compiler refuses (a code the field's list lacks) are not counted. Everything runs in process:
the mutated rule is compiled with `codegen.rules.compiler.compile_rule` and run by the
generated engine (`smdb._engine.Engine`) against the examples, as `smdb.validation` would.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from codegen.model import Spec
from codegen.rules.compiler import RuleExpressionError, compile_rule, constant_definitions
from codegen.rules.examples import scenario
from codegen.rules.expressions import CodeLists
from codegen.rules.layout import CaseLayout, case_layout
from codegen.rules.model import Rule

KEYS = ("select", "when", "check")
STRICT = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


@dataclass(frozen=True)
class Mutant:
    rule: Rule  # the mutated rule
    key: str  # the expression changed: "select", "when" or "check"
    kind: str  # "strict", "drop", "add", "swap"
    description: str  # what changed: "`<=` -> `<` in `days(…) <= 14`" (before the change)

    def __str__(self) -> str:
        return f"{self.rule.id} {self.key}: {self.kind} {self.description}"


def _parse(text: str) -> ast.Expression:
    # As the rule translator parses it: in parentheses, so that it may span lines.
    return ast.parse("(" + text.strip() + "\n)", mode="eval")


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, in a stable order (ast.walk's breadth-first order)."""
    return list(ast.walk(tree))


def _variant(text: str, change) -> tuple[str, str]:
    """The expression with `change(nodes)` applied to a fresh tree: (new text, description)."""
    tree = _parse(text)
    description = change(_nodes(tree))
    return ast.unparse(tree), description


def _codes_by_variable(layout: CaseLayout, spec: Spec) -> dict[str, tuple[str, ...]]:
    """A field's variable -> the codes of its code list (missing codes included), for the
    variables that name one code list wherever they occur."""
    lists = {codelist.name: codelist for codelist in spec.codelists}
    found: dict[str, set[str | None]] = {}
    for element in layout.elements:
        for info in element.fields:
            found.setdefault(info.variable, set()).add(info.codelist)
    codes = {}
    for variable, names in found.items():
        if len(names) == 1 and (name := next(iter(names))) in lists:
            codelist = lists[name]
            codes[variable] = tuple(
                dict.fromkeys([c.code for c in codelist.codes] + list(codelist.missing_codes))
            )
    return codes


def mutants(rule: Rule, codes_by_variable: dict[str, tuple[str, ...]]) -> Iterator[Mutant]:
    """Every mutant of the rule, in a stable order."""
    for key in KEYS:
        text = getattr(rule, key)
        if text is None:
            continue
        nodes = _nodes(_parse(text))
        for index, node in enumerate(nodes):
            for change, kind in _changes(node, index, codes_by_variable):
                new_text, description = _variant(text, change)
                yield Mutant(dataclasses.replace(rule, **{key: new_text}), key, kind, description)


def _at(node: ast.AST) -> str:
    """Where, readably and independent of line breaks: the start of the changed expression."""
    text = ast.unparse(node)
    return f"in `{text[:50]}…`" if len(text) > 50 else f"in `{text}`"


def _changes(node: ast.AST, index: int, codes_by_variable):
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            if type(op) in STRICT:
                yield _strict(index, position), "strict"
        for position, comparator in enumerate(node.comparators):
            if isinstance(comparator, ast.Tuple) and isinstance(
                node.ops[position], ast.In | ast.NotIn
            ):
                left = node.left if position == 0 else node.comparators[position - 1]
                yield from _tuple_changes(index, position, comparator, left, codes_by_variable)
    elif isinstance(node, ast.BoolOp):
        yield _swap(index), "swap"


def _strict(index: int, position: int):
    def change(nodes):
        node = nodes[index]
        old, where = type(node.ops[position]), _at(node)
        node.ops[position] = STRICT[old]()
        return f"`{SYMBOL[old]}` -> `{SYMBOL[STRICT[old]]}` {where}"

    return change


def _swap(index: int):
    def change(nodes):
        node = nodes[index]
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        where = _at(node)
        node.op = ast.Or() if old == "and" else ast.And()
        return f"`{old}` -> `{new}` {where}"

    return change


def _tuple_changes(index, position, items: ast.Tuple, left: ast.AST, codes_by_variable):
    literals = [e.value for e in items.elts if isinstance(e, ast.Constant)]
    for drop in range(len(items.elts)):

        def change(nodes, drop=drop):
            node = nodes[index].comparators[position]
            where = _at(node)
            removed = node.elts.pop(drop)
            return f"{ast.unparse(removed)} removed from the tuple {where}"

        yield change, "drop"
    variable = left.attr if isinstance(left, ast.Attribute) else None
    for code in codes_by_variable.get(variable, ()):
        if code in literals:
            continue

        def change(nodes, code=code):
            node = nodes[index].comparators[position]
            where = _at(node)
            node.elts.append(ast.Constant(code))
            return f"{code!r} added to the tuple {where}"

        yield change, "add"


class RuleRunner:
    """Runs one (possibly mutated) rule over the examples, through the generated engine.

    `validation` is the generated `smdb.validation` module: its namespace holds the names the
    compiled function uses, its `RULES` the metadata to copy, its `LAYOUT` the case layout.
    """

    def __init__(self, spec: Spec, validation, base: dict):
        self.spec = spec
        self.validation = validation
        self.engine = __import__("smdb._engine", fromlist=["Engine"])
        self.layout = case_layout(spec)
        self.codelists = CodeLists.of(spec)
        self.base = base
        self.codes_by_variable = _codes_by_variable(self.layout, spec)
        self._scenarios: dict[int, object] = {}

    def compile(self, rule: Rule):
        """The generated engine's `Rule` for `rule`, its function compiled afresh; None when
        the rule compiler refuses the rule."""
        try:
            compiled = compile_rule(rule, self.layout, self.codelists)
        except RuleExpressionError:
            return None
        namespace = dict(vars(self.validation))
        for name, value in constant_definitions([compiled]):
            namespace[name] = eval(value, namespace)
        exec(compiled.source, namespace)
        original = self.validation.rule(rule.id)
        return dataclasses.replace(
            original,
            select=rule.select,
            when=rule.when,
            check=rule.check,
            function=namespace[compiled.function],
        )

    def verdicts(self, rule: Rule) -> tuple[bool, ...] | None:
        """For each example of the rule (valid ones, then invalid ones): does the rule find
        a violation? None when the rule compiler refuses the rule."""
        generated = self.compile(rule)
        if generated is None:
            return None
        engine = self.engine.Engine(
            (generated,), self.validation.LAYOUT, rules_change=self.validation.RULES_CHANGE
        )
        found = []
        for example in (*rule.examples.valid, *rule.examples.invalid):
            situation = self._scenario(example)
            violations = engine.validate(
                situation.case, today=situation.today, other_cases=situation.other_cases
            )
            found.append(bool(violations))
        return tuple(found)

    def _scenario(self, example):
        key = id(example)
        if key not in self._scenarios:
            self._scenarios[key] = (example, scenario(self.base, example))
        return self._scenarios[key][1]

    def survivors(self, rule: Rule) -> tuple[list[Mutant], int]:
        """The mutants of `rule` that no example notices, and how many mutants were tried."""
        expected = self.verdicts(rule)
        assert expected is not None, f"{rule.id} does not compile"
        survivors, tried = [], 0
        for mutant in mutants(rule, self.codes_by_variable):
            got = self.verdicts(mutant.rule)
            if got is None:
                continue
            tried += 1
            if got == expected:
                survivors.append(mutant)
        return survivors, tried
