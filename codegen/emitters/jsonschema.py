"""A language-neutral JSON Schema (2020-12) of the data: the forms and the case.

Written to `schema/smdb-<release>.schema.json`; `codegen.emitters.models` feeds the same
document (from `build_schema`) to datamodel-code-generator.

Everything comes from the spec:

- one `$defs` entry per form that has fields, named `<form name>Skema` (a model named like
  the form would clash with the case's field of the same name, e.g. `Kontaktforloeb.Anmodning`);
  properties are the form's fields under their variable names, typed by datatype, constraints
  and code list, plus the technical identifiers of the WSDL complex type of the same name
  (HentData, API v1) that are not form fields (`Id`, `AnmodningId`, ...);
- the case, the root of the document, is the WSDL's case type: one property per element,
  each a form or an array of a form (an `ArrayOf...` wrapper type). The form holding the
  Felt-ID that dates the case (the forms' `date_basis`) opens the case and is required; the
  other forms may be null, arrays default to empty.

Every form property is nullable and optional: whether a field must be filled in is a business
rule checked elsewhere, and a field that does not apply may be null or absent. Nullability is
written as a type list (`["string", "null"]`), never `anyOf`, which datamodel-code-generator
would turn into root-model classes named like the fields.
"""

from __future__ import annotations

import json

from codegen.emitters.context import CASE_TYPE, FORM_CLASS_SUFFIX, EmitContext
from codegen.model import ComplexType, Field, Form, ServiceVersion, Spec

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TYPES_SERVICE = ("HentData", "v1")  # the WSDL whose complex types give identifiers and case
IDENTIFIER_DESCRIPTION = "Technical identifier (WSDL)"
DATATYPES = {"string": "string", "integer": "integer", "date": "string", "boolean": "boolean"}
XS_TYPES = {
    "xs:int": "integer",
    "xs:long": "integer",
    "xs:string": "string",
    "xs:boolean": "boolean",
}


def schema_path(release: str) -> str:
    return f"schema/smdb-{release}.schema.json"


def def_name(form: Form) -> str:
    """The `$defs` key (and model class name) of a form: `Anmodning` -> `AnmodningSkema`."""
    return form.name + FORM_CLASS_SUFFIX


def emit(context: EmitContext) -> dict[str, str]:
    return {schema_path(context.release): dumps(build_schema(context))}


def dumps(schema: dict) -> str:
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def build_schema(context: EmitContext) -> dict:
    """The JSON Schema document, its properties in spec order (`dumps` sorts the keys)."""
    spec = context.spec
    service = _types_service(spec)
    forms = [form for form in spec.forms if form.fields]
    codes = {
        codelist.name: [code.code for code in sorted(codelist.codes, key=lambda c: c.position)]
        for codelist in spec.codelists
    }
    defs = {
        def_name(form): _form_schema(form, _complex_type(service, form.name), codes)
        for form in forms
    }
    return {
        "$schema": DIALECT,
        "$comment": " ".join(context.header_lines),
        "title": CASE_TYPE,
        "description": f"{CASE_TYPE} (WSDL type, {' '.join(TYPES_SERVICE)}): a case and its forms",
        **_case_schema(service, forms),
        "$defs": defs,
    }


def _types_service(spec: Spec) -> ServiceVersion:
    for service in spec.services:
        if (service.service, service.api_version) == TYPES_SERVICE:
            return service
    raise ValueError(f"the spec has no {' '.join(TYPES_SERVICE)} WSDL")


def _complex_type(service: ServiceVersion, name: str) -> ComplexType:
    for complex_type in service.types:
        if complex_type.name == name:
            return complex_type
    raise ValueError(f"{service.wsdl_name} has no complex type {name!r}")


def _form_schema(form: Form, complex_type: ComplexType, codes: dict[str, list[str]]) -> dict:
    properties = {field.variable: _field_schema(field, codes) for field in form.fields}
    for element in complex_type.elements:
        if element.name in properties:
            continue
        if element.type not in XS_TYPES or element.max_occurs != 1:
            raise ValueError(
                f"WSDL type {complex_type.name}: element {element.name!r} ({element.type}) is "
                f"not a field of form {form.name} nor a simple identifier"
            )
        properties[element.name] = {
            "type": [XS_TYPES[element.type], "null"],
            "description": IDENTIFIER_DESCRIPTION,
        }
    return {
        "type": "object",
        "title": form.title_da,
        "description": _form_description(form),
        "properties": properties,
        "additionalProperties": False,
    }


def _form_description(form: Form) -> str:
    return f"{form.title_da} ({form.code})" if form.code else form.title_da


def _field_schema(field: Field, codes: dict[str, list[str]]) -> dict:
    value: dict = {"type": DATATYPES[field.datatype]}
    if field.datatype == "date":
        value["format"] = "date"
    constraints = field.constraints
    if constraints.max_length is not None:
        value["maxLength"] = constraints.max_length
    if constraints.minimum is not None:
        value["minimum"] = constraints.minimum
    if constraints.maximum is not None:
        value["maximum"] = constraints.maximum
    if field.codelist is not None:
        value["enum"] = list(codes[field.codelist])
    if field.multiple:
        value = {"type": "array", "items": value}
    # Nullable: a type list, and null among the allowed values of an enum.
    value["type"] = [value["type"], "null"]
    if "enum" in value:
        value["enum"] = [*value["enum"], None]
    description = f"{field.felt_id}: {field.question_da}" if field.felt_id else field.question_da
    result = {"description": description, **value}
    if field.read_only:
        result["readOnly"] = True
    return result


def _case_schema(service: ServiceVersion, forms: list[Form]) -> dict:
    """The case's properties: the WSDL case type's elements, in the forms' order."""
    by_name = {form.name: form for form in forms}
    opening_ids = {form.date_basis for form in forms}
    properties: dict[str, dict] = {}
    required: list[str] = []
    order: dict[str, int] = {}
    case_type = _complex_type(service, CASE_TYPE)
    for element in case_type.elements:
        form, is_array = _element_form(service, element.type, by_name)
        if form is None:
            raise ValueError(
                f"WSDL type {CASE_TYPE}: element {element.name!r} ({element.type}) is not a form"
            )
        ref = {"$ref": f"#/$defs/{def_name(form)}"}
        description = _form_description(form)
        opens_case = any(field.felt_id in opening_ids for field in form.fields)
        if is_array:
            value = {"type": "array", "items": ref, "default": []}
        elif opens_case:
            value = dict(ref)
            required.append(element.name)
        else:
            value = {"anyOf": [ref, {"type": "null"}], "default": None}
        properties[element.name] = {"description": description, **value}
        order[element.name] = forms.index(form)
    ordered = dict(sorted(properties.items(), key=lambda item: order[item[0]]))
    return {
        "type": "object",
        "properties": ordered,
        "required": required,
        "additionalProperties": False,
    }


def _element_form(
    service: ServiceVersion, type_name: str, forms: dict[str, Form]
) -> tuple[Form | None, bool]:
    """The form an element of the case type holds, and whether it holds a list of them."""
    if type_name in forms:
        return forms[type_name], False
    wrapper = next((t for t in service.types if t.name == type_name), None)
    if wrapper is not None and len(wrapper.elements) == 1:
        item = wrapper.elements[0]
        if item.max_occurs is None and item.type in forms:
            return forms[item.type], True
    return None, False
