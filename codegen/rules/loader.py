"""Read spec/rules/*.yaml into `Rule`s, checking each against the spec (spec/rules/README.md).

The YAML is read with PyYAML's safe loader (no Python objects; libyaml's, ~8x faster, where
the installed PyYAML has it), keeping the node tree so that
every error names the file and line of the rule, key or example at fault: missing or unknown
keys, a duplicate id, a bad id prefix, severity or context, a Felt-ID the spec does not have,
an `applies` date that is not a date-control point, an expression the language refuses (see
`codegen.rules.expressions`), a message placeholder the context does not offer, missing
examples, or an example that does not fit the base case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path

import yaml

from codegen.errors import SourceError
from codegen.model import SourceRef, Spec, Validity
from codegen.rules.citations import Citations, basis_error, cite_error
from codegen.rules.compiler import RuleExpressionError, compile_rule
from codegen.rules.examples import OTHER_CASES, TODAY, ExampleError, scenario
from codegen.rules.expressions import CodeLists
from codegen.rules.layout import CaseLayout, case_layout
from codegen.rules.model import (
    BASES,
    CONTEXTS,
    SEVERITIES,
    Change,
    Example,
    Examples,
    Rule,
)

# libyaml's loader gives the same nodes and marks as the pure-Python one (its error
# messages are worded a little differently, at the same lines).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BASE_CASE = Path("examples") / "base-case.json"
REQUIRED_KEYS = (
    "id",
    "title_en",
    "section",
    "felt_ids",
    "severity",
    "basis",
    "cites",
    "context",
    "check",
    "message_da",
    "message_en",
    "examples",
)
OPTIONAL_KEYS = ("applies", "when", "select", "reading", "older_cases")
KIND_PREFIXES = ("FELT", "SAG", "DATO")  # the README's kinds; the others are form codes
FIELD_CONTEXTS = ("field", "reading")
PLACEHOLDERS = {
    "case": (),
    "tilbud": (),
    "field": ("felt_id", "variable", "value"),
    "reading": ("path", "expected", "value"),
}
ID_NAME = re.compile(r"^[A-ZÆØÅ0-9]+(-[A-ZÆØÅ0-9]+)*$")
FELT_ID = re.compile(r"^\d+-(.+)$")


def load_rules(
    folder: Path, spec: Spec, base: Path, citations: Citations | None = None
) -> tuple[Rule, ...]:
    """Every rule of `folder/*.yaml`, in file-name and then file order; () without the folder.

    `base` is where paths in errors and in the spec are shown from. With `citations`, every
    kravspec line and PROVENANCE decision a rule cites must exist.
    """
    if not folder.is_dir():
        return ()
    checker = _Checker(spec, folder, base, citations)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        for rule in checker.read_file(path):
            if rule.id in seen:
                raise SourceError(
                    f"rule {rule.id}: the id is used twice (first at {seen[rule.id]})",
                    file=rule.source.file if rule.source else "",
                    line=_line_of(rule),
                )
            seen[rule.id] = f"{rule.source.file}, {rule.source.place}" if rule.source else ""
            rules.append(rule)
    return tuple(rules)


def _line_of(rule: Rule) -> int | None:
    if rule.source is None or not rule.source.place.startswith("line "):
        return None
    return int(rule.source.place.removeprefix("line "))


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


class _Checker:
    def __init__(self, spec: Spec, folder: Path, base: Path, citations: Citations | None = None):
        self.spec = spec
        self.base = base
        self.citations = citations
        self.layout: CaseLayout = case_layout(spec)
        self.codelists = CodeLists.of(spec)
        self.felt_ids = _FeltIds(spec)
        self.prefixes = KIND_PREFIXES + tuple(
            e.form.code for e in self.layout.elements if e.form.code
        )
        self.control_dates = sorted(
            {
                p.date
                for p in spec.date_control
                if p.date is not None and p.basis == self.layout.date_felt_id
            }
        )
        base_path = folder / BASE_CASE
        self.base_case: dict | None = None
        if base_path.is_file():
            try:
                self.base_case = json.loads(base_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise SourceError(
                    exc.msg, file=_display(base_path, base), line=exc.lineno
                ) from None
            if not isinstance(self.base_case, dict):
                raise SourceError("the base case is not an object", file=_display(base_path, base))

    # files

    def read_file(self, path: Path) -> list[Rule]:
        self.file = _display(path, self.base)
        loader = _SafeLoader(path.read_text(encoding="utf-8"))
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            raise SourceError(
                f"not valid YAML: {problem}",
                file=self.file,
                line=mark.line + 1 if mark else None,
            ) from None
        finally:
            loader.dispose()
        if root is None:
            return []
        if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
            raise SourceError("a rule file is a list of rules", file=self.file, line=_line(root))
        return [self.read_rule(node, value) for node, value in zip(root.value, data, strict=True)]

    def fail(self, message: str, node: yaml.Node | int | None, rule_id: str | None = None):
        line = node if isinstance(node, int) or node is None else _line(node)
        prefix = f"rule {rule_id}: " if rule_id else ""
        raise SourceError(prefix + message, file=self.file, line=line)

    # one rule

    def read_rule(self, node: yaml.Node, data: object) -> Rule:
        if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
            self.fail("a rule is a mapping of keys (id, title_en, …)", node)
        nodes = self.mapping_nodes(node)
        rule_id = data.get("id") if isinstance(data.get("id"), str) else None
        missing = [k for k in REQUIRED_KEYS if k not in data]
        if data.get("context") == "field" and "select" not in data:
            missing.append("select")
        if missing:
            self.fail(f"missing key(s): {', '.join(missing)}", node, rule_id)
        unknown = [k for k in data if k not in REQUIRED_KEYS + OPTIONAL_KEYS]
        if unknown:
            key = unknown[0]
            self.fail(
                f"unknown key {key!r} (allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})",
                nodes[key][0],
                rule_id,
            )

        def text(key: str, *, empty: bool = False, optional: bool = False) -> str | None:
            value = data.get(key)
            if value is None and optional:
                return None
            if isinstance(value, bool) and key in ("when", "check", "select"):
                return str(value)  # `check: False`: YAML reads a boolean
            if not isinstance(value, str) or (not empty and not value.strip()):
                self.fail(f"{key} must be a non-empty string", nodes[key][1], rule_id)
            return value

        rule_id = text("id")
        assert rule_id is not None
        self.check_id(rule_id, nodes["id"][1])
        context = text("context")
        if context not in CONTEXTS:
            self.fail(f"context must be one of {', '.join(CONTEXTS)}", nodes["context"][1], rule_id)
        severity = text("severity")
        if severity not in SEVERITIES:
            self.fail(
                f"severity must be one of {', '.join(SEVERITIES)}", nodes["severity"][1], rule_id
            )
        basis = text("basis")
        if basis not in BASES:
            self.fail(f"basis must be one of {', '.join(BASES)}", nodes["basis"][1], rule_id)
        cites = self.read_cites(data["cites"], nodes["cites"][1], basis, rule_id)
        older_cases = data.get("older_cases", False)
        if not isinstance(older_cases, bool):
            self.fail("older_cases must be true or false", nodes["older_cases"][1], rule_id)
        if "select" in data and context != "field":
            self.fail("select is only for context field", nodes["select"][0], rule_id)
        is_field_kind = rule_id.split("-")[1] == "FELT"
        if (is_field_kind and context not in FIELD_CONTEXTS) or (
            context == "field" and not is_field_kind
        ):
            self.fail(
                "SMDB-FELT- rules have context field or reading, and context field is for "
                "SMDB-FELT- rules only",
                nodes["context"][1],
                rule_id,
            )
        felt_ids = self.read_felt_ids(data["felt_ids"], nodes["felt_ids"][1], rule_id, context)
        messages = {}
        for key in ("message_da", "message_en"):
            messages[key] = text(key)
            self.check_placeholders(messages[key], context, nodes[key][1], rule_id, key)
        section = data["section"]
        if isinstance(section, int | float) and not isinstance(section, bool):
            section = str(section)  # `section: 6` read as a number
            data["section"] = section
        reading = data.get("reading")
        if reading is not None and not isinstance(reading, str):
            self.fail("reading must be a string", nodes["reading"][1], rule_id)
        rule = Rule(
            id=rule_id,
            title_en=text("title_en") or "",
            section=text("section") or "",
            felt_ids=felt_ids,
            severity=severity,  # type: ignore[arg-type]
            basis=basis,  # type: ignore[arg-type]
            cites=cites,
            older_cases=older_cases,
            applies=self.read_applies(data.get("applies"), nodes.get("applies"), rule_id),
            context=context,  # type: ignore[arg-type]
            select=text("select", optional=True),
            when=text("when", optional=True),
            check=text("check") or "",
            message_da=messages["message_da"] or "",
            message_en=messages["message_en"] or "",
            reading=reading or "",
            examples=self.read_examples(data["examples"], nodes["examples"][1], rule_id, context),
            source=SourceRef(file=self.file, place=f"line {_line(node)}"),
        )
        try:
            compiled = compile_rule(rule, self.layout, self.codelists)
        except RuleExpressionError as exc:
            key = exc.key if exc.key in nodes else "context"
            value_node = nodes[key][1]
            line = _content_line(value_node) + exc.error.line_offset
            self.fail(exc.message, line, rule_id)
        if compiled.uses_other_cases != (rule_id.split("-")[1] == "SAG"):
            self.fail("SMDB-SAG- rules, and only they, use other_cases", nodes["check"][1], rule_id)
        self.check_examples(rule, nodes["examples"][1])
        return rule

    def mapping_nodes(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        nodes: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail("keys must be plain names", key_node)
            if key in nodes:
                self.fail(f"key {key!r} is given twice", key_node)
            nodes[key] = (key_node, value_node)
        return nodes

    def check_id(self, rule_id: str, node: yaml.Node) -> None:
        parts = rule_id.split("-", 2)
        if len(parts) < 3 or parts[0] != "SMDB" or not ID_NAME.match(parts[2]):
            self.fail(
                f"id {rule_id!r} must read SMDB-<prefix>-<name> (upper-case letters, digits, "
                "hyphens)",
                node,
            )
        if parts[1] not in self.prefixes:
            self.fail(
                f"id {rule_id!r}: unknown prefix {parts[1]!r} (allowed: "
                f"{', '.join(self.prefixes)})",
                node,
            )

    def read_felt_ids(self, value, node, rule_id: str, context: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("felt_ids must be a list of Felt-IDs", node, rule_id)
        if not value and context not in FIELD_CONTEXTS:
            self.fail("felt_ids must name at least one Felt-ID", node, rule_id)
        for index, felt_id in enumerate(value):
            item = node.value[index] if isinstance(node, yaml.SequenceNode) else node
            if felt_id not in self.felt_ids:
                self.fail(f"Felt-ID {felt_id!r} is not in the spec", item, rule_id)
            if value.index(felt_id) != index:
                self.fail(f"Felt-ID {felt_id!r} is listed twice", item, rule_id)
        return tuple(value)

    def read_cites(self, value, node, basis: str, rule_id: str | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(
                'cites must list kravspec lines ("2446-2452") and/or PROVENANCE decisions ("D22")',
                node,
                rule_id,
            )
        for index, cite in enumerate(value):
            error = cite_error(cite, self.citations)
            if error:
                item = node.value[index] if isinstance(node, yaml.SequenceNode) else node
                self.fail(error, item, rule_id)
        error = basis_error(basis, value)
        if error:
            self.fail(error, node, rule_id)
        return tuple(value)

    def check_placeholders(self, message: str, context: str, node, rule_id: str, key: str):
        allowed = PLACEHOLDERS[context]
        try:
            names = [
                name for _, name, _, _ in string.Formatter().parse(message) if name is not None
            ]
        except ValueError as exc:
            self.fail(f"{key}: {exc} (write a brace as {{{{ or }}}})", node, rule_id)
        for name in names:
            if name not in allowed:
                offered = ", ".join("{" + a + "}" for a in allowed) or "none"
                self.fail(
                    f"{key}: placeholder {{{name}}} is not offered in context {context} "
                    f"(offered: {offered})",
                    node,
                    rule_id,
                )

    def read_applies(self, value, nodes, rule_id: str) -> Validity:
        if value is None:
            return Validity(valid_from=None, valid_to=None)
        node = nodes[1]
        if not isinstance(value, dict) or set(value) - {"from", "to"}:
            self.fail("applies is {from: <date or null>, to: <date or null>}", node, rule_id)
        days = []
        for key in ("from", "to"):
            day = value.get(key)
            if isinstance(day, str):
                try:
                    day = dt.date.fromisoformat(day)
                except ValueError:
                    self.fail(f"applies.{key}: {day!r} is not a date YYYY-MM-DD", node, rule_id)
            if isinstance(day, dt.datetime) or not (day is None or isinstance(day, dt.date)):
                self.fail(f"applies.{key} must be a date or null", node, rule_id)
            if day is not None and day not in self.control_dates:
                allowed = ", ".join(d.isoformat() for d in self.control_dates) or "none"
                self.fail(
                    f"applies.{key} {day.isoformat()} is not a date-control point on "
                    f"{self.layout.date_felt_id} (the spec's: {allowed})",
                    node,
                    rule_id,
                )
            days.append(day)
        if days[0] is not None and days[1] is not None and days[0] >= days[1]:
            self.fail("applies.from must be before applies.to", node, rule_id)
        return Validity(valid_from=days[0], valid_to=days[1])

    # examples

    def read_examples(self, value, node, rule_id: str, context: str) -> Examples:
        if not isinstance(value, dict) or set(value) != {"valid", "invalid"}:
            self.fail("examples must have exactly the keys valid and invalid", node, rule_id)
        nodes = self.mapping_nodes(node)
        kinds = {}
        for kind in ("valid", "invalid"):
            items, items_node = value[kind], nodes[kind][1]
            if not isinstance(items, list) or not items:
                self.fail(f"examples.{kind} must list at least one example", items_node, rule_id)
            examples = []
            for index, item in enumerate(items):
                item_node = items_node.value[index]
                if not isinstance(item, dict):
                    self.fail(f"examples.{kind}[{index}] must be a mapping", item_node, rule_id)
                changes = []
                for path, change in item.items():
                    where = f"examples.{kind}[{index}]"
                    if not isinstance(path, str):
                        self.fail(f"{where}: {path!r} is not a path", item_node, rule_id)
                    try:
                        json_value = _json_value(change)
                        self.check_path(path, json_value, context)
                    except ExampleError as exc:
                        self.fail(f"{where}: {exc}", item_node, rule_id)
                    changes.append(Change(path=path, value=json_value))
                examples.append(Example(changes=tuple(changes)))
            kinds[kind] = tuple(examples)
        return Examples(valid=kinds["valid"], invalid=kinds["invalid"])

    def check_path(self, path: str, value: object, context: str) -> None:
        """A path must name the case's forms and fields (contexts field and reading may also
        name unknown keys, to show garbage)."""
        if path in (TODAY, OTHER_CASES):
            if path == OTHER_CASES and isinstance(value, list):
                for other in value:
                    if isinstance(other, dict):
                        for other_path, other_value in other.items():
                            self.check_path(other_path, other_value, context)
            return
        if path.startswith("$"):
            raise ExampleError(f"unknown setting {path!r} (only {TODAY}, {OTHER_CASES})")
        lenient = context in FIELD_CONTEXTS
        segments = path.removesuffix("+").split(".")
        element = self.layout.element(segments[0])
        if element is None:
            if lenient:
                return
            names = ", ".join(e.name for e in self.layout.elements)
            raise ExampleError(f"{path!r}: the case has no {segments[0]!r} (it has {names})")
        rest = segments[1:]
        if element.is_list and rest:
            if not rest[0].lstrip("-").isdigit():
                raise ExampleError(f"{path!r}: {element.name} is a list; write {element.name}.0.…")
            rest = rest[1:]
        if rest and element.field(rest[0]) is None and not lenient:
            raise ExampleError(f"{path!r}: form {element.form.name} has no field {rest[0]!r}")
        if len(rest) > 1 and not lenient:
            raise ExampleError(f"{path!r}: a field has no parts")

    def check_examples(self, rule: Rule, node: yaml.Node) -> None:
        """Each example must apply to the base case (when there is one)."""
        if self.base_case is None:
            return
        for kind in ("valid", "invalid"):
            for index, example in enumerate(getattr(rule.examples, kind)):
                try:
                    scenario(self.base_case, example)
                except ExampleError as exc:
                    item_node = _example_node(node, kind, index)
                    self.fail(f"examples.{kind}[{index}]: {exc}", item_node, rule.id)


class _FeltIds:
    """The Felt-IDs a rule may name: the fields' Felt-IDs; `<n>-<code>` of a form whose fields
    the spec does not state (`1-INDS`: retired forms, named by date-control rules); and the
    forms' names and codes."""

    def __init__(self, spec: Spec):
        self.known: set[str] = set()
        for form in spec.forms:
            self.known.add(form.name)
            if form.code:
                self.known.add(form.code)
            self.known.update(f.felt_id for f in form.fields if f.felt_id)
        self.unstated = {form.code for form in spec.forms if form.code and not form.fields_stated}

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str):
            return False
        if item in self.known:
            return True
        match = FELT_ID.match(item)
        return bool(match and match.group(1) in self.unstated)


def _json_value(value: object) -> object:
    """A YAML value as JSON data: dates become `YYYY-MM-DD` strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    raise ExampleError(f"{value!r} is not JSON data")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _content_line(node: yaml.Node) -> int:
    """The line where a scalar's text starts (block scalars start on the next line)."""
    line = _line(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        line += 1
    return line


def _example_node(examples_node: yaml.Node, kind: str, index: int) -> yaml.Node:
    for key_node, value_node in getattr(examples_node, "value", []):
        if (
            getattr(key_node, "value", None) == kind
            and isinstance(value_node, yaml.SequenceNode)
            and index < len(value_node.value)
        ):
            return value_node.value[index]
    return examples_node
