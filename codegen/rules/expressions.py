"""Rule expressions: parse, check and translate them into Python source over engine primitives.

An expression is parsed with `ast.parse(mode="eval")` and walked node by node; any node that
spec/rules/README.md does not allow is refused, as is a name, field, function or code the spec
does not know, and a comparison between values of different types. What is allowed is
translated into Python source that calls the primitives of the generated `smdb._engine`, with
the README's null rule made explicit (`a < b` becomes `(a is None or b is None or a < b)`).

Translation is typed: every form field has its datatype from the spec, so `filled(x)` of a date
becomes `(x is not None)`, constant parts fold away (`field.minimum is None` for a field without
a minimum), and the code of a rule about one field is as short as if written by hand.

The generated code runs on the engine's reading of a case (`c`): `c.forms[name]` is a form's
fields as a dict (an empty one when the form is absent), `c.objs[name]` the same or `None`,
`c.lists[name]` a list of dicts, `c.today`, `c.other_cases` (each read the same way) and
`c.problems`. See codegen/runtime/smdb/_engine.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import itertools
import json
import keyword
import re
from dataclasses import dataclass, field, replace

from codegen.rules.layout import CaseLayout, Element, FieldInfo

# The README defines `active_cases` by a Felt-ID, part of the language, resolved to a variable
# through the spec: it keeps the cases without 1-AFSL. `max_parallel` takes its period from
# the spec's overlap definition (spec/rules/definitions/overlap.yaml).
ACTIVE_CASES_FELT_ID = "1-AFSL"

FIELD_ATTRIBUTES = (
    "felt_id",
    "variable",
    "form",
    "datatype",
    "multiple",
    "minimum",
    "maximum",
    "max_length",
    "codelist",
    "required",
    "read_only",
)
PROBLEM_ATTRIBUTES = ("kind", "path", "expected")
PRIMITIVES = (
    "filled",
    "days",
    "add_days",
    "birth_date",
    "age_on",
    "valid_cpr",
    "is_kommune",
    "in_force",
    "code_known",
    "max_parallel",
    "active_cases",
    "mask_cpr",
)
BUILTINS = ("any", "all", "len", "max", "min", "date", "date_control")
GLOBAL_NAMES = ("today", "other_cases")
ORDERING = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
DESCRIPTIONS = {
    ast.Lambda: "a lambda",
    ast.Subscript: "subscripting",
    ast.Slice: "a slice",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.List: "a list literal",
    ast.DictComp: "a dict comprehension",
    ast.SetComp: "a set comprehension",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.JoinedStr: "an f-string",
    ast.Starred: "unpacking (*)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class ExpressionError(Exception):
    """A refused expression; `node` (if any) locates it within the expression's text."""

    def __init__(self, message: str, node: ast.AST | None = None):
        super().__init__(message)
        self.message = message
        self.node = node

    @property
    def line_offset(self) -> int:
        """Lines after the expression's first line where the problem is."""
        return max(getattr(self.node, "lineno", 1) - 1, 0)


# --- types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class T:
    """The static type of a value. `kind`: date, int, bool, str, list, tuple, form, item, case,
    field, problem, none, any. `nullable`: may be None at run time."""

    kind: str
    nullable: bool = True
    codelist: str | None = None  # str (or the items of a list) holding codes of this list
    item: T | None = None  # list, tuple
    element: str | None = None  # form, item: the case element

    def describe(self) -> str:
        if self.kind in ("list", "tuple") and self.item is not None:
            return f"{self.kind} of {self.item.describe()}"
        if self.kind in ("form", "item"):
            return f"form {self.element}"
        if self.codelist:
            return f"code of {self.codelist}"
        return {"int": "integer", "str": "string", "bool": "boolean", "none": "None"}.get(
            self.kind, self.kind
        )


BOOL = T("bool", nullable=False)
INT = T("int", nullable=False)
STR = T("str", nullable=False)
DATE = T("date", nullable=False)
NONE = T("none")
ANY = T("any")
CASE = T("case", nullable=False)
SCALARS = ("date", "int", "bool", "str")


def field_type(info: FieldInfo) -> T:
    scalar = {"string": "str", "integer": "int", "date": "date", "boolean": "bool"}[info.datatype]
    if info.multiple:
        return T("list", item=T(scalar, nullable=False, codelist=info.codelist))
    return T(scalar, codelist=info.codelist)


def _loose(t: T) -> bool:
    return t.kind in ("any", "none")


def _compatible(a: T, b: T) -> bool:
    if _loose(a) or _loose(b):
        return True
    if a.kind in ("list", "tuple") and b.kind in ("list", "tuple"):
        return a.item is None or b.item is None or _compatible(a.item, b.item)
    return a.kind == b.kind


_NO = object()  # "not a constant"


@dataclass(frozen=True)
class Code:
    src: str
    type: T
    const: object = _NO
    dict_src: str | None = None  # form/item: its fields' dict (empty when absent)
    truth_src: str | None = None  # the same where only its truth counts (`x` for `bool(x)`)

    @property
    def is_const(self) -> bool:
        return self.const is not _NO

    @property
    def truth(self) -> str:
        return self.truth_src or self.src


@dataclass(frozen=True)
class FieldMeta:
    """The metadata a `field` rule sees as `field.…`."""

    felt_id: str | None
    variable: str
    form: str
    datatype: str
    multiple: bool
    minimum: int | None
    maximum: int | None
    max_length: int | None
    codelist: str | None
    required: str
    read_only: bool

    @classmethod
    def of(cls, info: FieldInfo) -> FieldMeta:
        spec_field = info.field
        assert spec_field is not None
        return cls(
            felt_id=info.felt_id,
            variable=info.variable,
            form=info.form,
            datatype=info.datatype,
            multiple=info.multiple,
            minimum=spec_field.constraints.minimum,
            maximum=spec_field.constraints.maximum,
            max_length=spec_field.constraints.max_length,
            codelist=info.codelist,
            required=spec_field.required,
            read_only=spec_field.read_only,
        )


@dataclass(frozen=True)
class CodeLists:
    """Each code list's codes, and the codes absent from its sequence (`missing_codes`)."""

    codes: dict[str, frozenset[str]]
    missing: dict[str, frozenset[str]]

    @classmethod
    def of(cls, spec) -> CodeLists:
        return cls(
            codes={c.name: frozenset(code.code for code in c.codes) for c in spec.codelists},
            missing={c.name: frozenset(c.missing_codes) for c in spec.codelists},
        )


# --- translation ---------------------------------------------------------------------------


@dataclass
class Needs:
    """What a generated function needs from the case, shared by its expressions."""

    forms: set[int] = field(default_factory=set)  # _f<i> = c.forms[...]
    present: set[int] = field(default_factory=set)  # _p<i> = c.objs[...] is not None
    objs: set[int] = field(default_factory=set)  # _o<i> = c.objs[...]
    lists: set[int] = field(default_factory=set)  # _l<i> = c.lists[...]
    today: bool = False
    other_cases: bool = False
    dates: set[dt.date] = field(default_factory=set)
    always: set[str] = field(default_factory=set)  # code lists of _ALWAYS_<list> fast paths
    codes: set[str] = field(default_factory=set)  # code lists of _CODES_<list> fast paths
    temps: int = 0
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (via, element, variable)
    # Fields of the case's own forms, each read once into a local: (element index, variable)
    fieldvars: dict[tuple[int, str], str] = field(default_factory=dict)
    # Fields of the list form's item at hand (`t`), read once per item at the loop's top
    itemvars: dict[tuple[int, str], str] = field(default_factory=dict)
    # Calls of primitives on values of the prologue, made once there: source -> local
    calls: dict[str, str] = field(default_factory=dict)

    def itemvar(self, index: int, variable: str) -> str:
        key = (index, variable)
        if key not in self.itemvars:
            self.itemvars[key] = f"_b{index}_{len(self.itemvars)}"
        return self.itemvars[key]

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"


# Sources of values the prologue has: its field locals, `today`, date constants, literals.
_PROLOGUE_VALUE = re.compile(
    r'^(_a\d+_\d+|_c\d+|_today|_DATE_\w+|-?\d+|None|True|False|"[^"\\]*")$'
)


def _simple(src: str) -> bool:
    """A local name: evaluating it twice costs nothing."""
    return src.replace("_", "a").isalnum()


def always_constant(codelist: str) -> str:
    return f"_ALWAYS_{codelist}"


def codes_constant(codelist: str) -> str:
    return f"_CODES_{codelist}"


def date_constant(day: dt.date) -> str:
    return f"_DATE_{day.year:04d}_{day.month:02d}_{day.day:02d}"


def py_literal(value: object) -> str:
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"no literal for {value!r}")


@functools.cache
def _parse(text: str) -> ast.Expression:
    """The tree of an expression. Cached: the same few expressions are translated thousands
    of times (once per field they select), and the translator only reads the tree."""
    # In parentheses, so that an expression may run over several lines (YAML `|`).
    return ast.parse("(" + text.strip() + "\n)", mode="eval")


class Translator:
    """Checks and translates the expressions of one rule, in one function's scope."""

    def __init__(
        self,
        layout: CaseLayout,
        codelists: CodeLists,
        names: dict[str, Code],
        needs: Needs,
        *,
        select_only: bool = False,
    ):
        self.layout = layout
        self.codelists = codelists
        self.names = dict(names)
        self.needs = needs
        self.select_only = select_only
        self.item_index: int | None = None  # context tilbud: `t` is the item of this list
        self.no_walrus = 0  # > 0 inside a comprehension's iterable, where := is a SyntaxError
        self.text = ""

    # entry point

    def translate(self, text: str) -> Code:
        self.text = text
        try:
            tree = _parse(text)
        except SyntaxError as exc:
            node = ast.Constant(value=None, lineno=exc.lineno or 1)
            raise ExpressionError(f"not a Python expression: {exc.msg}", node) from None
        return self.visit(tree.body)

    def visit(self, node: ast.AST) -> Code:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"{self._describe(node)} is not allowed in a rule", node)
        return method(node)

    def _describe(self, node: ast.AST) -> str:
        what = DESCRIPTIONS.get(type(node), type(node).__name__)
        try:
            snippet = ast.unparse(node)
        except Exception:  # pragma: no cover - unparse handles every expression node
            snippet = ""
        if len(snippet) > 60:
            snippet = snippet[:57] + "..."
        return f"{what} (`{snippet}`)" if snippet else what

    # literals

    def visit_Constant(self, node: ast.Constant) -> Code:
        value = node.value
        if value is None or isinstance(value, bool | int | str):
            return self._const(value)
        raise ExpressionError(f"the literal {value!r} is not allowed (only str, int)", node)

    def visit_Tuple(self, node: ast.Tuple) -> Code:
        items = [self.visit(element) for element in node.elts]
        if not all(item.is_const for item in items):
            raise ExpressionError("a tuple may only hold literals", node)
        kinds = {item.type.kind for item in items if item.type.kind != "none"}
        if len(kinds) > 1:
            raise ExpressionError(f"a tuple mixes {', '.join(sorted(kinds))}", node)
        item_type = replace(items[0].type, nullable=False) if items else ANY
        value = tuple(item.const for item in items)
        if any(isinstance(v, dt.date) for v in value):
            src = "(" + ", ".join(item.src for item in items) + ("," if len(items) == 1 else "")
            return Code(src + ")", T("tuple", nullable=False, item=item_type), value)
        return Code(py_literal(value), T("tuple", nullable=False, item=item_type), value)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Code:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            if operand.is_const:
                return self._const(not operand.const)
            return Code(f"(not {operand.truth})", BOOL)
        if isinstance(node.op, ast.USub) and operand.type.kind == "int" and operand.is_const:
            return Code(repr(-operand.const), INT, -operand.const)
        raise ExpressionError(f"{self._describe(node)} is not allowed in a rule", node)

    # names and attributes

    def visit_Name(self, node: ast.Name) -> Code:
        name = node.id
        if name in self.names:
            return self.names[name]
        if self.select_only:
            raise ExpressionError(f"`select` may only use `field`, not {name!r}", node)
        element = self.layout.element(name)
        if element is not None:
            index = self.layout.elements.index(element)
            self.needs.refs.append(("main", element.name, ""))
            if element.is_list:
                self.needs.lists.add(index)
                item = T("item", nullable=False, element=element.name)
                return Code(f"_l{index}", T("list", nullable=False, item=item))
            self.needs.objs.add(index)
            return Code(
                f"_o{index}", T("form", element=element.name), dict_src=self._form_dict(index)
            )
        if name == "today":
            self.needs.today = True
            return Code("_today", DATE)
        if name == "other_cases":
            self.needs.other_cases = True
            return Code("_others", T("list", nullable=False, item=CASE))
        if name in PRIMITIVES or name in BUILTINS:
            raise ExpressionError(f"the function {name!r} must be called", node)
        raise ExpressionError(f"unknown name {name!r}", node)

    def _form_dict(self, index: int) -> str:
        return f"_f{index}"

    def visit_Attribute(self, node: ast.Attribute) -> Code:
        attr = node.attr
        base_node = node.value
        # A main form's field: the dict local, without its `_o` local.
        if (
            isinstance(base_node, ast.Name)
            and base_node.id not in self.names
            and not self.select_only
            and (element := self.layout.element(base_node.id)) is not None
            and not element.is_list
        ):
            index = self.layout.elements.index(element)
            code = self._field(element, attr, f"_f{index}", node, via="main")
            self.needs.forms.add(index)
            key = (index, attr)
            if key not in self.needs.fieldvars:
                self.needs.fieldvars[key] = f"_a{index}_{len(self.needs.fieldvars)}"
            return replace(code, src=self.needs.fieldvars[key])
        base = self.visit(base_node)
        kind = base.type.kind
        if kind in ("form", "item"):
            element = self.layout.element(base.type.element or "")
            assert element is not None and base.dict_src is not None
            is_t = isinstance(base_node, ast.Name) and base_node.id == "t"
            code = self._field(element, attr, base.dict_src, node, via="t" if is_t else "item")
            if is_t and self.item_index is not None:
                return replace(code, src=self.needs.itemvar(self.item_index, attr))
            return code
        if kind == "case":
            element = self.layout.element(attr)
            if element is None:
                raise ExpressionError(f"a case has no form {attr!r}", node)
            key = py_literal(element.name)
            if element.is_list:
                item = T("item", nullable=False, element=element.name)
                return Code(f"{base.src}.lists[{key}]", T("list", nullable=False, item=item))
            return Code(
                f"{base.src}.objs[{key}]",
                T("form", element=element.name),
                dict_src=f"{base.src}.forms[{key}]",
            )
        if kind == "field":
            if attr not in FIELD_ATTRIBUTES:
                raise ExpressionError(
                    f"field metadata has no {attr!r} (only {', '.join(FIELD_ATTRIBUTES)})", node
                )
            meta = base.const
            assert isinstance(meta, FieldMeta)
            return self._const(getattr(meta, attr))
        if kind == "problem":
            if attr not in PROBLEM_ATTRIBUTES:
                raise ExpressionError(
                    f"a problem has no {attr!r} (only {', '.join(PROBLEM_ATTRIBUTES)})", node
                )
            return Code(f"{base.src}.{attr}", STR)
        raise ExpressionError(
            f"attribute access on a non-form: `{ast.unparse(node)}` ({base.type.describe()})",
            node,
        )

    def _field(self, element: Element, variable: str, dict_src: str, node, *, via: str) -> Code:
        info = element.field(variable)
        if info is None:
            raise ExpressionError(
                f"form {element.form.name} ({element.name}) has no field {variable!r}", node
            )
        self.needs.refs.append((via, element.name, variable))
        return Code(f"{dict_src}.get({py_literal(variable)})", field_type(info))

    def _const(self, value: object) -> Code:
        if value is None:
            return Code("None", NONE, None)
        if isinstance(value, bool):
            return Code(repr(value), BOOL, value)
        if isinstance(value, int):
            return Code(repr(value), INT, value)
        if isinstance(value, str):
            return Code(py_literal(value), STR, value)
        if isinstance(value, dt.date):
            self.needs.dates.add(value)
            return Code(date_constant(value), DATE, value)
        raise TypeError(f"no constant for {value!r}")  # pragma: no cover

    # operators

    def visit_BoolOp(self, node: ast.BoolOp) -> Code:
        is_and = isinstance(node.op, ast.And)
        parts: list[Code] = []
        for value_node in node.values:
            part = self.visit(value_node)
            if part.is_const:
                if bool(part.const) != is_and:  # False in `and`, True in `or`: decides
                    if not parts:
                        return part
                    parts.append(part)
                    break
                continue  # True in `and`, False in `or`: no effect on truth
            parts.append(part)
        if not parts:
            return self._const(is_and)
        if len(parts) == 1:
            return parts[0]
        joiner = " and " if is_and else " or "
        nullable = any(p.type.nullable or p.type.kind != "bool" for p in parts)
        result = BOOL if not nullable else T("bool")
        # Only the last operand's value can be the result; the others are only tested.
        src = "(" + joiner.join([*(p.truth for p in parts[:-1]), parts[-1].src]) + ")"
        truth = "(" + joiner.join(p.truth for p in parts) + ")"
        return Code(src, result, truth_src=truth)

    def visit_BinOp(self, node: ast.BinOp) -> Code:
        if not isinstance(node.op, ast.Add | ast.Sub):
            raise ExpressionError(f"{self._describe(node)}: only + and - are allowed", node)
        left, right = self.visit(node.left), self.visit(node.right)
        for side in (left, right):
            if side.type.kind not in ("int", "none"):
                hint = " (use add_days or days for dates)" if side.type.kind == "date" else ""
                raise ExpressionError(
                    f"arithmetic on {side.type.describe()}, not integers{hint}", node
                )
        op = "+" if isinstance(node.op, ast.Add) else "-"
        if left.is_const and right.is_const:
            if left.const is None or right.const is None:
                return self._const(None)
            value = left.const + right.const if op == "+" else left.const - right.const
            return self._const(value)
        return self._null_safe(left, right, lambda a, b: f"{a} {op} {b}", "None", T("int"), op)

    def _null_safe(self, left: Code, right: Code, combine, if_null: str, result: T, op: str):
        """`combine(a, b)` unless a side is None, then `if_null` (the README's null rule)."""
        if self.no_walrus:
            helper = NULL_SAFE_HELPERS[op]
            return Code(f"{helper}({left.src}, {right.src})", result)
        tests, refs = [], []
        for side in (left, right):
            if side.type.nullable and not side.is_const and _simple(side.src):
                tests.append(f"{side.src} is None")  # a local: read it twice
                refs.append(side.src)
            elif side.type.nullable and not side.is_const:
                name = self.needs.temp()
                tests.append(f"({name} := {side.src}) is None")
                refs.append(name)
            elif side.is_const and side.const is None:
                return Code(if_null, result)
            else:
                refs.append(side.src)
        if not tests:
            return Code(f"({combine(*refs)})", result)
        if if_null == "True":
            return Code("(" + " or ".join([*tests, combine(*refs)]) + ")", result)
        return Code(f"({if_null} if {' or '.join(tests)} else {combine(*refs)})", result)

    def visit_IfExp(self, node: ast.IfExp) -> Code:
        test = self.visit(node.test)
        body, orelse = self.visit(node.body), self.visit(node.orelse)
        if not _compatible(body.type, orelse.type):
            raise ExpressionError(
                f"the branches of `if … else` differ: {body.type.describe()} and "
                f"{orelse.type.describe()}",
                node,
            )
        if test.is_const:
            return body if test.const else orelse
        result = orelse.type if body.type.kind == "none" else body.type
        nullable = body.type.nullable or orelse.type.nullable
        return Code(
            f"({body.src} if {test.src} else {orelse.src})", replace(result, nullable=nullable)
        )

    def visit_Compare(self, node: ast.Compare) -> Code:
        operands = [self.visit(node.left)] + [self.visit(c) for c in node.comparators]
        parts = []
        for (left, right), op, right_node in zip(
            itertools.pairwise(operands), node.ops, node.comparators, strict=True
        ):
            parts.append(self._compare(left, op, right, right_node, node))
        if len(parts) == 1:
            return parts[0]
        if any(p.is_const and not p.const for p in parts):
            return self._const(False)
        parts = [p for p in parts if not p.is_const]
        if not parts:
            return self._const(True)
        return Code("(" + " and ".join(p.src for p in parts) + ")", BOOL)

    def _compare(self, left: Code, op: ast.cmpop, right: Code, right_node, node) -> Code:
        if isinstance(op, ast.Is | ast.IsNot):
            if not (right.is_const and right.const is None):
                raise ExpressionError("`is` and `is not` are only allowed with None", node)
            negate = isinstance(op, ast.IsNot)
            if left.is_const:
                return self._const((left.const is None) != negate)
            if not left.type.nullable and left.type.kind not in ("any", "none"):
                return self._const(negate)
            return Code(f"({left.src} is {'not ' if negate else ''}None)", BOOL)
        if type(op) in ORDERING:
            symbol = ORDERING[type(op)]
            for side in (left, right):
                if side.type.kind not in ("date", "int", "str", "none"):
                    raise ExpressionError(
                        f"`{symbol}` compares dates, integers or strings, not "
                        f"{side.type.describe()}",
                        node,
                    )
            if not _compatible(left.type, right.type):
                raise ExpressionError(
                    f"`{symbol}` between {left.type.describe()} and {right.type.describe()}"
                    + _date_hint(left, right),
                    node,
                )
            if left.is_const and right.is_const:
                if left.const is None or right.const is None:
                    return self._const(True)
                return self._const(_ORDER_FUNCS[symbol](left.const, right.const))
            return self._null_safe(
                left, right, lambda a, b: f"{a} {symbol} {b}", "True", BOOL, symbol
            )
        if isinstance(op, ast.Eq | ast.NotEq):
            symbol = "==" if isinstance(op, ast.Eq) else "!="
            self._check_equal(left, right, symbol, node)
            if left.is_const and right.is_const:
                return self._const((left.const == right.const) == (symbol == "=="))
            return Code(f"({left.src} {symbol} {right.src})", BOOL)
        if isinstance(op, ast.In | ast.NotIn):
            symbol = "in" if isinstance(op, ast.In) else "not in"
            if right.type.kind not in ("list", "tuple", "any", "none"):
                raise ExpressionError(
                    f"`{symbol}` needs a tuple or a list on the right, not {right.type.describe()}",
                    node,
                )
            if right.type.item is not None:
                self._check_equal(left, Code("", right.type.item), symbol, node)
                self._check_codes(left, right, node)
                self._check_codes(right, left, node)
            if left.is_const and right.is_const:
                inside = left.const in (right.const or ())
                return self._const(inside == (symbol == "in"))
            container = right.src
            if right.type.nullable and not right.is_const:
                container = f"({right.src} or ())"
            return Code(f"({left.src} {symbol} {container})", BOOL)
        raise ExpressionError(f"{self._describe(node)} is not allowed in a rule", node)

    def _check_equal(self, left: Code, right: Code, symbol: str, node) -> None:
        if not _compatible(left.type, right.type):
            raise ExpressionError(
                f"`{symbol}` between {left.type.describe()} and {right.type.describe()} is "
                "never true" + _date_hint(left, right),
                node,
            )
        self._check_codes(left, right, node)
        self._check_codes(right, left, node)

    def _check_codes(self, coded: Code, literal: Code, node) -> None:
        """A literal compared with a code field must be a code of the field's list."""
        codelist = coded.type.codelist or (coded.type.item.codelist if coded.type.item else None)
        if codelist is None or not literal.is_const:
            return
        values = literal.const if isinstance(literal.const, tuple) else (literal.const,)
        known = self.codelists.codes.get(codelist, frozenset())
        missing = self.codelists.missing.get(codelist, frozenset())
        for value in values:
            if isinstance(value, str) and value not in known and value not in missing:
                raise ExpressionError(
                    f"{value!r} is not a code of {codelist} (codes: {', '.join(sorted(known))})",
                    node,
                )

    # calls

    def visit_Call(self, node: ast.Call) -> Code:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"call of {self._describe(node.func)}: not a function", node)
        name = node.func.id
        if name in self.names or (name not in PRIMITIVES and name not in BUILTINS):
            raise ExpressionError(f"call of unknown function {name!r}", node)
        if self.select_only and name != "filled":
            raise ExpressionError(f"`select` may not call {name!r}", node)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("unpacking (*) is not allowed in a rule", node)
        keywords = {}
        for kw in node.keywords:
            if kw.arg is None or not (name == "in_force" and kw.arg == "age"):
                raise ExpressionError(f"{name}() takes no keyword argument {kw.arg!r}", node)
            keywords[kw.arg] = kw.value
        return getattr(self, f"_call_{name}")(node, node.args, keywords)

    def _args(self, node, args, count: int, name: str) -> list[Code]:
        if len(args) != count:
            raise ExpressionError(f"{name}() takes {count} argument(s), got {len(args)}", node)
        codes = []
        for arg in args:
            if isinstance(arg, ast.GeneratorExp):
                raise ExpressionError(f"{name}() takes no generator; use a list [...]", node)
            codes.append(self.visit(arg))
        return codes

    def _expect(self, code: Code, kinds: tuple[str, ...], name: str, node) -> None:
        if code.type.kind not in (*kinds, "any", "none"):
            wanted = " or ".join(T(k).describe() for k in kinds)
            raise ExpressionError(
                f"{name}() needs {wanted}, got {code.type.describe()} `{ast.unparse(node)}`", node
            )

    def _call_date(self, node, args, keywords) -> Code:
        if (
            len(args) != 1
            or not isinstance(args[0], ast.Constant)
            or not isinstance(args[0].value, str)
        ):
            raise ExpressionError('date() takes one string literal: date("2019-07-01")', node)
        text = args[0].value
        try:
            if len(text) != 10:
                raise ValueError
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise ExpressionError(f"date({text!r}): not a date YYYY-MM-DD", node) from None
        return self._const(value)

    def _call_date_control(self, node, args, keywords) -> Code:
        """The date of a date-control point of the spec, by its id: a rule's dates come from
        datostyring.csv, not from the rule."""
        points = dict(self.layout.control_dates)
        if (
            len(args) != 1
            or not isinstance(args[0], ast.Constant)
            or not isinstance(args[0].value, str)
        ):
            raise ExpressionError(
                "date_control() takes the id of a date-control point: "
                'date_control("kvalhep-udgaar")',
                node,
            )
        point = args[0].value
        if point not in points:
            known = ", ".join(sorted(points)) or "none"
            raise ExpressionError(
                f"date_control({point!r}): no date-control point with a date has that id "
                f"(the spec's: {known})",
                node,
            )
        return self._const(points[point])

    def _call_filled(self, node, args, keywords) -> Code:
        (value,) = self._args(node, args, 1, "filled")
        if value.is_const:
            return self._const(value.const not in (None, "", (), []))
        kind = value.type.kind
        if not value.type.nullable and kind in ("date", "int", "bool", "form", "case", "item"):
            return self._const(True)
        if kind in ("date", "int", "bool", "form"):
            return Code(f"({value.src} is not None)", BOOL)
        if kind in ("str", "list"):
            return Code(f"bool({value.src})", BOOL, truth_src=value.src)
        return Code(f"filled({value.src})", BOOL)

    def _simple(self, node, args, name: str, kinds: tuple[tuple[str, ...], ...], result: T):
        codes = self._args(node, args, len(kinds), name)
        for code, arg, wanted in zip(codes, args, kinds, strict=True):
            self._expect(code, wanted, name, arg)
        src = f"{name}({', '.join(c.src for c in codes)})"
        if all(_PROLOGUE_VALUE.match(c.src) for c in codes):
            # Pure, and its arguments are known at the function's top: made once there.
            if src not in self.needs.calls:
                self.needs.calls[src] = f"_c{len(self.needs.calls)}"
            return Code(self.needs.calls[src], result)
        return Code(src, result)

    def _call_days(self, node, args, keywords) -> Code:
        return self._simple(node, args, "days", (("date",), ("date",)), T("int"))

    def _call_add_days(self, node, args, keywords) -> Code:
        return self._simple(node, args, "add_days", (("date",), ("int",)), T("date"))

    def _call_birth_date(self, node, args, keywords) -> Code:
        return self._simple(node, args, "birth_date", (("str",),), T("date"))

    def _call_age_on(self, node, args, keywords) -> Code:
        return self._simple(node, args, "age_on", (("str",), ("date",)), T("int"))

    def _call_valid_cpr(self, node, args, keywords) -> Code:
        return self._simple(node, args, "valid_cpr", (("str",),), BOOL)

    def _call_is_kommune(self, node, args, keywords) -> Code:
        return self._simple(node, args, "is_kommune", (("int",),), BOOL)

    def _call_mask_cpr(self, node, args, keywords) -> Code:
        return self._simple(node, args, "mask_cpr", (("str",),), T("str"))

    def _codelist_arg(self, code: Code, value: Code, name: str, node) -> str | None:
        if not code.is_const or not (code.const is None or isinstance(code.const, str)):
            raise ExpressionError(
                f"{name}()'s first argument names a code list: a string literal or field.codelist",
                node,
            )
        codelist = code.const
        if codelist is not None and codelist not in self.codelists.codes:
            raise ExpressionError(f"{name}(): the spec has no code list {codelist!r}", node)
        held = value.type.codelist or (value.type.item.codelist if value.type.item else None)
        if codelist is not None and held is not None and held != codelist:
            raise ExpressionError(
                f"{name}(): the value holds codes of {held}, not of {codelist}", node
            )
        if value.type.kind not in ("str", "list", "tuple", "any", "none"):
            raise ExpressionError(
                f"{name}() needs a code or a list of codes, got {value.type.describe()}", node
            )
        return codelist

    def _call_code_known(self, node, args, keywords) -> Code:
        codelist, value = self._args(node, args, 2, "code_known")
        name = self._codelist_arg(codelist, value, "code_known", node)
        if name is None:
            return self._const(True)
        if value.type.kind == "str" and _simple(value.src):
            self.needs.codes.add(name)  # one code: a set lookup (the set holds None too)
            return Code(f"({value.src} in {codes_constant(name)})", BOOL)
        return Code(f"code_known({py_literal(name)}, {value.src})", BOOL)

    def _call_in_force(self, node, args, keywords) -> Code:
        if len(args) == 4 and "age" not in keywords:
            keywords = {"age": args[3]}
            args = args[:3]
        codelist, value, day = self._args(node, args, 3, "in_force")
        name = self._codelist_arg(codelist, value, "in_force", node)
        self._expect(day, ("date",), "in_force", args[2])
        extra = ""
        if "age" in keywords:
            age = self.visit(keywords["age"])
            self._expect(age, ("int",), "in_force", keywords["age"])
            extra = f", {age.src}"
        if name is None:
            return self._const(True)
        call = f"in_force({py_literal(name)}, {value.src}, {day.src}{extra})"
        if value.type.kind == "str" and _simple(value.src):
            self.needs.always.add(name)  # most codes are in force always: a set lookup first
            return Code(f"({value.src} in {always_constant(name)} or {call})", BOOL)
        return Code(call, BOOL)

    def _call_max_parallel(self, node, args, keywords) -> Code:
        (items,) = self._args(node, args, 1, "max_parallel")
        overlap = self.layout.overlap
        if overlap is None:
            raise ExpressionError(
                "max_parallel() needs the overlap definition (spec/rules/definitions/overlap.yaml)",
                node,
            )
        felt_ids = (overlap.start, overlap.end)
        element = self._felt_id_element(felt_ids, "max_parallel", node)
        if (
            items.type.kind != "list"
            or items.type.item is None
            or (items.type.item.element != element.name)
        ):
            raise ExpressionError(
                f"max_parallel() needs a list of {element.name}, got {items.type.describe()}",
                node,
            )
        start, end = (self._variable(element, f) for f in felt_ids)
        arguments = f"{items.src}, {py_literal(start)}, {py_literal(end)}, {overlap.end_inclusive}"
        return Code(f"max_parallel({arguments})", INT)

    def _call_active_cases(self, node, args, keywords) -> Code:
        (cases,) = self._args(node, args, 1, "active_cases")
        if cases.type.kind != "list" or cases.type.item != CASE:
            raise ExpressionError(
                f"active_cases() needs a list of cases (other_cases), got {cases.type.describe()}",
                node,
            )
        element = self._felt_id_element((ACTIVE_CASES_FELT_ID,), "active_cases", node)
        variable = self._variable(element, ACTIVE_CASES_FELT_ID)
        return Code(
            f"active_cases({cases.src}, {py_literal(element.name)}, {py_literal(variable)})",
            T("list", nullable=False, item=CASE),
        )

    def _felt_id_element(self, felt_ids: tuple[str, ...], name: str, node) -> Element:
        found = {self.layout.felt_id_field(f) for f in felt_ids} - {None}
        elements = {element.name for element, _ in found}  # type: ignore[misc]
        if len(found) != len(felt_ids) or len(elements) != 1:
            raise ExpressionError(
                f"{name}() needs {', '.join(felt_ids)} in one form of the case", node
            )
        element = self.layout.element(elements.pop())
        assert element is not None
        return element

    def _variable(self, element: Element, felt_id: str) -> str:
        return next(f.variable for f in element.fields if f.felt_id == felt_id)

    def _iterable(self, node, name: str) -> tuple[Code, str]:
        """The one argument of any/all/max/min: a generator or list, as source to iterate."""
        if isinstance(node, ast.GeneratorExp):
            code = self._comprehension(node, "gen")
            return code, code.src
        code = self.visit(node)
        if code.type.kind not in ("list", "tuple", "any"):
            raise ExpressionError(f"{name}() needs a list, got {code.type.describe()}", node)
        src = f"({code.src} or ())" if code.type.nullable and not code.is_const else code.src
        return code, src

    def _call_any(self, node, args, keywords) -> Code:
        return self._any_all(node, args, "any")

    def _call_all(self, node, args, keywords) -> Code:
        return self._any_all(node, args, "all")

    def _any_all(self, node, args, name: str) -> Code:
        if len(args) != 1:
            raise ExpressionError(f"{name}() takes one argument", node)
        _, src = self._iterable(args[0], name)
        return Code(f"{name}({src})", BOOL)

    def _call_len(self, node, args, keywords) -> Code:
        (value,) = self._args(node, args, 1, "len")
        if value.type.kind not in ("list", "tuple", "str", "any", "none"):
            raise ExpressionError(
                f"len() needs a list or a string, got {value.type.describe()}", node
            )
        if value.is_const:
            return self._const(len(value.const or ()))
        if value.type.nullable:
            empty = '""' if value.type.kind == "str" else "()"
            return Code(f"len({value.src} or {empty})", INT)
        return Code(f"len({value.src})", INT)

    def _call_max(self, node, args, keywords) -> Code:
        return self._max_min(node, args, "max")

    def _call_min(self, node, args, keywords) -> Code:
        return self._max_min(node, args, "min")

    def _max_min(self, node, args, name: str) -> Code:
        if len(args) == 1:
            code, src = self._iterable(args[0], name)
            item = code.type.item or ANY
        elif len(args) >= 2:
            codes = [self.visit(a) for a in args]
            for a, b in itertools.pairwise(codes):
                if not _compatible(a.type, b.type):
                    raise ExpressionError(
                        f"{name}() of {a.type.describe()} and {b.type.describe()}", node
                    )
            item = next((c.type for c in codes if c.type.kind != "none"), NONE)
            src = "(" + ", ".join(c.src for c in codes) + ")"
        else:
            raise ExpressionError(f"{name}() needs arguments", node)
        if item.kind not in ("date", "int", "str", "none", "any"):
            raise ExpressionError(f"{name}() of {item.describe()}", node)
        return Code(f"_{name}({src})", replace(item, nullable=True))

    # comprehensions

    def visit_ListComp(self, node: ast.ListComp) -> Code:
        return self._comprehension(node, "list")

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> Code:
        raise ExpressionError(
            "a generator is only allowed as the argument of any(), all(), max() or min()", node
        )

    def _comprehension(self, node, kind: str) -> Code:
        if len(node.generators) != 1:
            raise ExpressionError("a comprehension may have only one `for`", node)
        generator = node.generators[0]
        if generator.is_async:
            raise ExpressionError("async comprehensions are not allowed", node)
        target = generator.target
        if not isinstance(target, ast.Name):
            raise ExpressionError("a comprehension's variable must be a plain name", node)
        name = target.id
        reserved = (
            set(self.names)  # the context's names (t, field, value, ...) and outer variables
            | {e.name for e in self.layout.elements}
            | set(PRIMITIVES)
            | set(BUILTINS)
            | set(GLOBAL_NAMES)
        )
        if name in reserved or name.startswith("_") or keyword.iskeyword(name):
            raise ExpressionError(f"the comprehension variable {name!r} is a reserved name", node)
        self.no_walrus += 1
        try:
            iterable = self.visit(generator.iter)
        finally:
            self.no_walrus -= 1
        if iterable.type.kind not in ("list", "tuple", "any"):
            raise ExpressionError(
                f"a comprehension iterates over a list, not {iterable.type.describe()}", node
            )
        item_type = iterable.type.item or ANY
        local = f"_v_{name}"
        bound = Code(local, item_type, dict_src=local if item_type.kind == "item" else None)
        saved = dict(self.names)
        self.names[name] = bound
        try:
            element = self.visit(node.elt)
            conditions = [self.visit(cond) for cond in generator.ifs]
        finally:
            self.names = saved
        source = iterable.src
        if iterable.type.nullable and not iterable.is_const:
            source = f"({iterable.src} or ())"
        clauses = "".join(f" if {c.truth}" for c in conditions if not (c.is_const and c.const))
        if any(c.is_const and not c.const for c in conditions):
            clauses = " if False"
        body = f"{element.src} for {local} in {source}{clauses}"
        if kind == "list":
            return Code(f"[{body}]", T("list", nullable=False, item=element.type))
        return Code(f"({body})", T("list", nullable=False, item=element.type))


# Inside a comprehension's iterable `:=` is a SyntaxError; there the null rule is a call.
NULL_SAFE_HELPERS = {
    "<": "_lt",
    "<=": "_le",
    ">": "_gt",
    ">=": "_ge",
    "+": "_plus",
    "-": "_minus",
}
_ORDER_FUNCS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _date_hint(left: Code, right: Code) -> str:
    kinds = {left.type.kind, right.type.kind}
    if kinds == {"date", "str"}:
        return ' (write a date as date("YYYY-MM-DD"))'
    return ""
