"""The shape of a case as rules see it, derived from the spec: its elements (the forms, one of
them a list), each with its fields and technical identifiers, and the field that dates the case.

The case is the JSON Schema's root (`codegen.emitters.jsonschema`, itself from the WSDL's case
type), so rules, models and the JSON form agree on names by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from codegen.model import Field, Form, Spec
from codegen.rules.model import Overlap

JSON_DATATYPES = {"integer": "integer", "string": "string", "boolean": "boolean"}


@dataclass(frozen=True)
class FieldInfo:
    variable: str
    felt_id: str | None
    datatype: str  # "string", "integer", "date", "boolean"
    multiple: bool  # a list of codes (31-IVÆR)
    codelist: str | None
    form: str  # the form's name
    field: Field | None  # None: a technical identifier of the WSDL (`Id`, `AnmodningId`)


@dataclass(frozen=True)
class Element:
    """One property of the case: a form, or a list of a form (`Tilbudstilknytninger`)."""

    name: str
    form: Form
    is_list: bool
    required: bool  # the form that opens the case
    fields: tuple[FieldInfo, ...]

    def field(self, variable: str) -> FieldInfo | None:
        return next((f for f in self.fields if f.variable == variable), None)


@dataclass(frozen=True)
class CaseLayout:
    name: str  # the case type, "Kontaktforloeb"
    elements: tuple[Element, ...]
    date_element: str  # where the date that decides which rules apply is (2-ANM)
    date_variable: str
    date_felt_id: str
    overlap: Overlap | None = None  # when two items of the list are "på samme tid"
    control_dates: tuple[tuple[str, dt.date], ...] = ()  # (id, date) of the date-control points

    def element(self, name: str) -> Element | None:
        return next((e for e in self.elements if e.name == name), None)

    def felt_id_field(self, felt_id: str) -> tuple[Element, FieldInfo] | None:
        for element in self.elements:
            for info in element.fields:
                if info.felt_id == felt_id:
                    return element, info
        return None

    @property
    def list_element(self) -> Element | None:
        """The one element that is a list (context `tilbud` iterates over it)."""
        lists = [e for e in self.elements if e.is_list]
        return lists[0] if len(lists) == 1 else None


def case_layout(spec: Spec) -> CaseLayout:
    # Imported here: the emitters package imports this one's users.
    from codegen.emitters.context import EmitContext
    from codegen.emitters.jsonschema import build_schema, def_name

    schema = build_schema(EmitContext(spec=spec, document={}))
    forms = {def_name(form): form for form in spec.forms if form.fields}
    required = set(schema.get("required", ()))
    elements = []
    for name, prop in schema["properties"].items():
        is_list = prop.get("type") == "array"
        ref = (prop["items"] if is_list else prop.get("anyOf", [prop])[0])["$ref"]
        definition = ref.rsplit("/", 1)[-1]
        form = forms[definition]
        fields = {f.variable: f for f in form.fields}
        infos = []
        for variable, field_schema in schema["$defs"][definition]["properties"].items():
            field = fields.get(variable)
            if field is not None:
                infos.append(
                    FieldInfo(
                        variable=variable,
                        felt_id=field.felt_id,
                        datatype=field.datatype,
                        multiple=field.multiple,
                        codelist=field.codelist,
                        form=form.name,
                        field=field,
                    )
                )
            else:
                json_type = next(t for t in field_schema["type"] if t != "null")
                infos.append(
                    FieldInfo(
                        variable=variable,
                        felt_id=None,
                        datatype=JSON_DATATYPES[json_type],
                        multiple=False,
                        codelist=None,
                        form=form.name,
                        field=None,
                    )
                )
        elements.append(
            Element(
                name=name,
                form=form,
                is_list=is_list,
                required=name in required,
                fields=tuple(infos),
            )
        )
    opening = [e for e in elements if e.required and not e.is_list]
    if len(opening) != 1:
        raise ValueError(f"the case type has {len(opening)} required forms, not one")
    basis = opening[0].form.date_basis
    info = None
    for candidate in opening[0].fields:
        if candidate.felt_id == basis and candidate.datatype == "date":
            info = candidate
    if info is None:
        raise ValueError(
            f"form {opening[0].form.name} is dated by {basis!r}, not one of its date fields"
        )
    return CaseLayout(
        name=schema["title"],
        elements=tuple(elements),
        date_element=opening[0].name,
        date_variable=info.variable,
        date_felt_id=basis,
        overlap=spec.overlap,
        control_dates=tuple((p.id, p.date) for p in spec.date_control if p.date is not None),
    )
