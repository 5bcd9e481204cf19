"""`smdb.spec`: the spec's metadata at run time (forms, fields, Felt-IDs, question texts).

The generated module is standard library only and holds the data as Python literals, so it
imports in about a millisecond and needs no file next to it. Every form is included, retired
ones too; `form()` finds one by name or by Felt-ID code, so names and codes must not clash.
"""

from __future__ import annotations

import datetime as dt

from codegen.emitters import escape
from codegen.emitters.context import EmitContext
from codegen.model import NOT_STATED, DateValue, Field, Form

MODULE = "spec"
TEMPLATE = "python/spec.py.j2"


def emit(context: EmitContext) -> dict[str, str]:
    forms = context.spec.forms
    _check_names(forms)
    return {
        context.module_path(MODULE): context.render(
            TEMPLATE,
            forms=[_form_values(form) for form in forms],
            releases=context.history.releases,
        )
    }


literal = escape.py  # strings double-quoted, dates built


def _date(value: DateValue) -> tuple[dt.date | None, bool]:
    """A validity end as (date or None, stated)."""
    if value is NOT_STATED:
        return None, False
    assert value is None or isinstance(value, dt.date)
    return value, True


def _form_values(form: Form) -> dict:
    valid_from, from_stated = _date(form.validity.valid_from)
    valid_to, to_stated = _date(form.validity.valid_to)
    attributes = {
        "name": form.name,
        "code": form.code,
        "title_da": form.title_da,
        "reporter": form.reporter,
        "valid_from": valid_from,
        "valid_from_stated": from_stated,
        "valid_to": valid_to,
        "valid_to_stated": to_stated,
        "fields_stated": form.fields_stated,
    }
    return {
        "attributes": [(name, literal(value)) for name, value in attributes.items()],
        "fields": [_field_values(field) for field in form.fields],
    }


def _field_values(field: Field) -> list[tuple[str, str]]:
    values = {
        "felt_id": field.felt_id,
        "subfield_da": field.subfield_da,
        "variable": field.variable,
        "question_da": field.question_da,
        "datatype": field.datatype,
        "multiple": field.multiple,
        "read_only": field.read_only,
        "codelist": field.codelist,
        "display_condition_da": field.display_condition_da,
        "required": field.required,
        "minimum": field.constraints.minimum,
        "maximum": field.constraints.maximum,
        "max_length": field.constraints.max_length,
    }
    return [(name, literal(value)) for name, value in values.items()]


def _check_names(forms: tuple[Form, ...]) -> None:
    """Form names and codes share one namespace in `form()`; variables are unique."""
    seen: dict[str, str] = {}
    for form in forms:
        for key in (form.name, form.code):
            if key is None:
                continue
            if key in seen and seen[key] != form.name:
                raise ValueError(f"smdb.spec: {key!r} names both {seen[key]} and {form.name}")
            seen[key] = form.name
    variables: set[str] = set()
    for form in forms:
        for field in form.fields:
            if field.variable in variables:
                raise ValueError(f"smdb.spec: variable {field.variable!r} is in two forms")
            variables.add(field.variable)
