"""`smdb.xml`: XML (de)serialisers for the forms, the case and the SOAP request wrappers.

Everything domain-specific comes from the canonical spec. The XML side is the WSDLs' complex
types (`spec.services`, the HentData and IndsaetData services of each API version): type and
element names, child order, namespaces, and which child is a list. The Python side is the
models' naming rule: a form's type maps to `<form name>Skema`, and the case type
(`Kontaktforloeb`) to the class of that name; form fields are DST's variable names, and the
WSDL's extra elements (technical ids) are ints. This emitter cross-checks the two and refuses
a spec where they disagree (a field without an element, an element type that does not fit
the field's datatype), so that a new release that breaks the mapping fails at generation.

The generated code is plain Python, with lxml for parsing: per type and version, a writer
that joins the elements, as escaped text in WSDL order, into one string (lxml's SubElement
alone costs more than the whole speed budget), a fast reader that takes the children in WSDL
order with inline conversions, and a general reader that dispatches by a precomputed tag table
and explains what is wrong; the models validate (`model_validate`). No codegen and no
xmlschema at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from codegen.emitters import escape
from codegen.emitters.context import CASE_TYPE, FORM_CLASS_SUFFIX, EmitContext
from codegen.model import ComplexType, Element, Field, Form, ServiceVersion

TEMPLATE = "python/xml.py.j2"
SERVICES = ("IndsaetData", "HentData")  # the services whose types and operations are covered
CASE_TYPES = {CASE_TYPE: CASE_TYPE}  # WSDL type -> model class, besides forms
SIMPLE_KINDS = {"xs:int": "int", "xs:string": "str", "xs:boolean": "bool", "xs:dateTime": "date"}
FIELD_TYPES = {
    "integer": "xs:int",
    "string": "xs:string",
    "boolean": "xs:boolean",
    "date": "xs:dateTime",
}
CPR_WORD = re.compile(r"\bCPR\b", re.IGNORECASE)


@dataclass
class Child:
    """One child element of a type, and how its value is written and read."""

    name: str  # element name = model attribute
    tag: str  # Clark notation
    kind: str  # int | str | bool | date | strings | csv | model | models
    ref: str = ""  # kind model/models: the key of the referenced TypePlan
    item_tag: str = ""  # kind strings/models: the tag of one item
    item_prefix: str = ""  # kind strings: the prefix to declare for the items' namespace
    item_namespace: str = ""
    array_type: str = ""  # kind models: the WSDL array type

    @property
    def open(self) -> str:
        if self.kind == "strings":  # declare the items' prefix where WCF does: on the array
            return f"<{self.name} xmlns:{self.item_prefix}={quoteattr(self.item_namespace)}>"
        return f"<{self.name}>"

    @property
    def close(self) -> str:
        return f"</{self.name}>"

    @property
    def item_name(self) -> str:
        local = self.item_tag.rpartition("}")[2]
        return f"{self.item_prefix}:{local}" if self.item_prefix else local

    @property
    def item_open(self) -> str:
        return f"<{self.item_name}>"

    @property
    def item_close(self) -> str:
        return f"</{self.item_name}>"


@dataclass
class TypePlan:
    version: str
    name: str  # WSDL type name = root element name
    namespace: str
    model: str  # model class
    children: list[Child] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.version}_{self.name}"

    @property
    def tag(self) -> str:
        return f"{{{self.namespace}}}{self.name}"

    @property
    def root_open(self) -> str:
        return f"<{self.name} xmlns={quoteattr(self.namespace)}>"

    @property
    def root_close(self) -> str:
        return f"</{self.name}>"

    @property
    def text_names(self) -> list[str]:
        """The children of kind str: the writer tests them for escaping all at once."""
        return [c.name for c in self.children if c.kind == "str"]


@dataclass
class Param:
    name: str
    tag: str
    kind: str  # int | str | bool | date | model | raw
    ref: str = ""  # kind model: the TypePlan key


@dataclass
class OperationPlan:
    version: str
    service: str
    name: str
    tag: str  # the request wrapper element
    params: list[Param]

    @property
    def local(self) -> str:
        return self.tag.rpartition("}")[2]

    @property
    def root_open(self) -> str:
        namespace = self.tag[1:].partition("}")[0]
        return f"<{self.local} xmlns={quoteattr(namespace)}>"

    @property
    def root_close(self) -> str:
        return f"</{self.local}>"


@dataclass
class VersionPlan:
    version: str
    namespace: str
    types: list[TypePlan]
    operations: list[OperationPlan]


def emit(context: EmitContext) -> dict[str, str]:
    spec = context.spec
    forms = {f.name: f for f in spec.forms if f.fields_stated}
    try:
        _check_code_lists(spec, forms)
        plans = [_version_plan(v, services, forms) for v, services in _versions(spec.services)]
    except ValueError as err:
        raise ValueError(f"xml: {err}") from None
    text = context.render(
        TEMPLATE,
        py=_py,
        versions=plans,
        default_version=plans[0].version,
        models=sorted({t.model for plan in plans for t in plan.types}),
        model_of={t.key: t.model for plan in plans for t in plan.types},
        code_lists=_code_list_docs(plans),
        form_lists=_form_list_docs(plans),
    )
    return {context.module_path("xml"): text}


_py = escape.py_string  # a Python string literal


def cpr_elements(spec) -> list[str]:
    """The elements that hold a CPR number (their question or values say CPR): a message
    shows their values masked, whatever their form (`smdb._facts.CPR_ELEMENTS`)."""
    return sorted(
        {
            f.variable
            for form in spec.forms
            if form.fields_stated
            for f in form.fields
            if CPR_WORD.search(" ".join((f.question_da, f.values_da)))
        }
    )


def _check_code_lists(spec, forms: dict[str, Form]) -> None:
    """API v0 joins a list of codes with commas: no code may contain one."""
    codelists = {c.name: c for c in spec.codelists}
    for form in forms.values():
        for spec_field in form.fields:
            if spec_field.multiple and spec_field.codelist in codelists:
                for code in codelists[spec_field.codelist].codes:
                    if "," in code.code:
                        raise ValueError(
                            f"code list {spec_field.codelist}: code {code.code!r} has a comma"
                        )


def _code_list_docs(plans: list[VersionPlan]) -> list[dict]:
    """For the module docstring: how each list of codes is written, per API version."""
    found: dict[str, dict[str, list[str]]] = {}
    for plan in plans:
        for t in plan.types:
            for c in t.children:
                if c.kind == "strings":
                    item = f"{c.item_prefix}:{c.item_tag.rpartition('}')[2]}"
                    text = (
                        f"a WCF string array, one `<{item}>` child per code, in the namespace"
                        f"\n      {c.item_namespace}"
                    )
                elif c.kind == "csv":
                    text = "one comma-separated string (`01,04`)"
                else:
                    continue
                found.setdefault(c.name, {}).setdefault(text, [])
                if plan.version not in found[c.name][text]:
                    found[c.name][text].append(plan.version)
    return [
        {
            "name": name,
            "forms": [{"versions": "/".join(v), "text": text} for text, v in texts.items()],
        }
        for name, texts in found.items()
    ]


def _form_list_docs(plans: list[VersionPlan]) -> list[dict]:
    """For the module docstring: the lists of forms (arrays of a model-backed type)."""
    found: dict[tuple, dict] = {}
    for plan in plans:
        for t in plan.types:
            for c in t.children:
                if c.kind == "models":
                    found.setdefault(
                        (t.model, c.name),
                        {
                            "owner": t.model,
                            "name": c.name,
                            "type": c.array_type,
                            "item": c.item_tag.rpartition("}")[2],
                        },
                    )
    return list(found.values())


def _versions(services: tuple[ServiceVersion, ...]) -> list[tuple[str, list[ServiceVersion]]]:
    """The API versions with their covered services, newest first (v1 before v0)."""
    found: dict[str, list[ServiceVersion]] = {}
    for service in services:
        if service.service in SERVICES:
            found.setdefault(service.api_version, []).append(service)
    if not found:
        raise ValueError(f"the spec has none of the services {', '.join(SERVICES)}")
    order = sorted(found, key=lambda v: int(v.lstrip("v")), reverse=True)
    return [(v, sorted(found[v], key=lambda s: SERVICES.index(s.service))) for v in order]


def _version_plan(version: str, services: list[ServiceVersion], forms: dict[str, Form]):
    namespaces = {s.namespace for s in services}
    if len(namespaces) != 1:
        raise ValueError(f"API {version}: services disagree on the namespace: {namespaces}")
    types: dict[str, ComplexType] = {}
    for service in services:
        for complex_type in service.types:
            seen = types.setdefault(complex_type.name, complex_type)
            if seen != complex_type:
                raise ValueError(
                    f"API {version}: type {complex_type.name} differs between services"
                )
    planner = _Planner(version, types, forms)
    for name in (*forms, *CASE_TYPES):
        if name in types and not types[name].open_content:
            planner.plan(name)
    operations = []
    seen_ops: dict[str, str] = {}
    seen_tags: set[str] = set()
    for service in services:
        for operation in service.operations:
            if operation.name in seen_ops:
                raise ValueError(
                    f"API {version}: operation {operation.name} in both "
                    f"{seen_ops[operation.name]} and {service.service}"
                )
            seen_ops[operation.name] = service.service
            tag = f"{{{service.namespace}}}{operation.request_element}"
            if tag in seen_tags:
                raise ValueError(f"API {version}: request element {tag} used twice")
            seen_tags.add(tag)
            params = [
                planner.param(e, service.namespace, operation.name) for e in operation.request
            ]
            operations.append(OperationPlan(version, service.service, operation.name, tag, params))
    return VersionPlan(version, services[0].namespace, list(planner.plans.values()), operations)


class _Planner:
    """Plans the model-backed types of one API version, and what they refer to."""

    def __init__(self, version: str, types: dict[str, ComplexType], forms: dict[str, Form]):
        self.version = version
        self.types = types
        self.forms = forms
        self.plans: dict[str, TypePlan] = {}

    def where(self, type_name: str, element: str = "") -> str:
        return f"API {self.version} type {type_name}" + (f" element {element}" if element else "")

    def model_of(self, type_name: str) -> str | None:
        if type_name in CASE_TYPES:
            return CASE_TYPES[type_name]
        if type_name in self.forms:
            return type_name + FORM_CLASS_SUFFIX
        return None

    def plan(self, name: str) -> TypePlan:
        if name in self.plans:
            return self.plans[name]
        complex_type = self.types[name]
        model = self.model_of(name)
        if model is None or complex_type.open_content:
            raise ValueError(f"{self.where(name)}: no model class for this type")
        plan = TypePlan(self.version, name, complex_type.namespace, model)
        self.plans[name] = plan  # before the children: a cycle would end here
        form = self.forms.get(name)
        fields = {f.variable: f for f in form.fields} if form else {}
        names = {e.name for e in complex_type.elements}
        missing = [v for v in fields if v not in names]
        if missing:
            raise ValueError(f"{self.where(name)}: no element for field(s) {', '.join(missing)}")
        for element in complex_type.elements:
            if element.max_occurs != 1:
                raise ValueError(f"{self.where(name, element.name)}: repeated elements")
            plan.children.append(self.child(name, element, fields.get(element.name)))
        return plan

    def child(self, owner: str, element: Element, spec_field: Field | None) -> Child:
        where = self.where(owner, element.name)
        tag = f"{{{self.types[owner].namespace}}}{element.name}"
        if spec_field is not None and spec_field.multiple:
            return self.code_list(where, element, tag, spec_field)
        if element.type in SIMPLE_KINDS:
            kind = SIMPLE_KINDS[element.type]
            if spec_field is not None and FIELD_TYPES[spec_field.datatype] != element.type:
                raise ValueError(
                    f"{where}: type {element.type} does not fit datatype {spec_field.datatype}"
                )
            if spec_field is None and kind != "int":
                raise ValueError(f"{where}: an element that is no form field must be an xs:int")
            return Child(element.name, tag, kind)
        if spec_field is not None:
            raise ValueError(f"{where}: type {element.type} does not fit a form field")
        if element.type not in self.types:
            raise ValueError(f"{where}: unknown type {element.type}")
        # Nested elements are written without namespace declarations: they must all be in
        # the namespace of the type that holds them.
        namespace = self.types[owner].namespace
        item = _array_item(self.types[element.type])
        if item is not None:
            if item.type not in self.types:
                raise ValueError(f"{where}: array of {item.type}, which is no model type")
            item_type = self.plan(item.type)
            if {self.types[element.type].namespace, item_type.namespace} != {namespace}:
                raise ValueError(f"{where}: an array in another namespace is not supported")
            return Child(
                element.name,
                tag,
                "models",
                ref=item_type.key,
                item_tag=f"{{{namespace}}}{item.name}",
                array_type=element.type,
            )
        ref = self.plan(element.type)
        if ref.namespace != namespace:
            raise ValueError(f"{where}: a type from another namespace is not supported")
        return Child(element.name, tag, "model", ref=ref.key)

    def code_list(self, where: str, element: Element, tag: str, spec_field: Field) -> Child:
        """31-IVÆR: a WCF array of strings (v1), or one comma-separated string (v0)."""
        if spec_field.datatype != "string":
            raise ValueError(f"{where}: only lists of codes are supported")
        if element.type == "xs:string":
            return Child(element.name, tag, "csv")
        array = self.types.get(element.type)
        item = _array_item(array) if array else None
        if item is None or item.type != "xs:string":
            raise ValueError(f"{where}: type {element.type} is no array of xs:string")
        return Child(
            element.name,
            tag,
            "strings",
            item_tag=f"{{{array.namespace}}}{item.name}",
            item_prefix="a",  # as WCF writes it
            item_namespace=array.namespace,
        )

    def param(self, element: Element, namespace: str, operation: str) -> Param:
        tag = f"{{{namespace}}}{element.name}"
        if element.max_occurs != 1:
            raise ValueError(f"API {self.version} operation {operation}: repeated {element.name}")
        if element.type in SIMPLE_KINDS:
            return Param(element.name, tag, SIMPLE_KINDS[element.type])
        complex_type = self.types.get(element.type)
        if complex_type is None:
            raise ValueError(f"API {self.version} operation {operation}: unknown {element.type}")
        if complex_type.open_content:
            return Param(element.name, tag, "raw")
        ref = self.plan(element.type)
        if ref.namespace != namespace:
            message = f"{element.name} is of a type from another namespace (not supported)"
            raise ValueError(f"API {self.version} operation {operation}: {message}")
        return Param(element.name, tag, "model", ref=ref.key)


def _array_item(complex_type: ComplexType) -> Element | None:
    """The item element of a WCF array type (one child, unbounded), else None."""
    elements = complex_type.elements
    if len(elements) == 1 and elements[0].max_occurs is None and not complex_type.open_content:
        return elements[0]
    return None
