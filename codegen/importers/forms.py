"""Turn the forms overview and the field table of the workbook into `Form`s with `Field`s."""

from __future__ import annotations

import re

from codegen.importers.rows import Row, Table
from codegen.model import CodeList, Constraints, Field, Form, SourceRef

FELT_ID = re.compile(r"^(\d+)-([A-ZÆØÅ]+)$")
RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
MAX_LENGTH = re.compile(r"max\.?\s*(\d+)\s*(karakterer|tegn)", re.IGNORECASE)


def build_forms(
    forms: Table, fields: Table, codelists: tuple[CodeList, ...], layout: dict
) -> tuple[Form, ...]:
    headers = [_form_header(row, layout) for row in forms.rows]
    by_key: dict[str, int] = {}
    for index, (header, row) in enumerate(zip(headers, forms.rows, strict=True)):
        for key in (header["name"], header["code"]):
            if key and key in by_key:
                raise row.error("name", f"form {key!r} is listed twice")
            if key:
                by_key[key] = index
    fields_by_form: list[list[Field]] = [[] for _ in headers]
    known_lists = {c.name for c in codelists}
    seen_variables: dict[str, Row] = {}
    seen_ids: dict[tuple[str, str, str], Row] = {}
    for row in fields.rows:
        form_key = row.text("form")
        if form_key not in by_key:
            raise row.error("form", f"unknown form {form_key!r} (not in the forms overview)")
        header = headers[by_key[form_key]]
        field = _field(row, header, known_lists, layout)
        _check_unique(field, header["name"], row, seen_variables, seen_ids)
        fields_by_form[by_key[form_key]].append(field)
    return tuple(
        _form(header, row, tuple(form_fields))
        for header, row, form_fields in zip(headers, forms.rows, fields_by_form, strict=True)
    )


def _form_header(row: Row, layout: dict) -> dict:
    name = row.text("name")
    reporter = row.text("reporter").casefold()
    if reporter not in layout["reporters"]:
        raise row.error(
            "reporter",
            f"unknown reporter {reporter!r} (expected one of {', '.join(layout['reporters'])}; "
            "layout key reporters)",
        )
    return {
        "name": name,
        "code": row.optional_text("code"),
        "title": row.text("title"),
        "reporter": reporter,
        "validity": row.validity(),
        "date_basis": row.text("date_basis"),
        "fields_stated": row.flag("fields_stated"),
        "note": row.text("note"),
    }


def _form(header: dict, row: Row, fields: tuple[Field, ...]) -> Form:
    stated = header["fields_stated"]
    if stated is False and fields:
        raise row.error(
            "fields_stated",
            f"form {header['name']!r} is marked as having no "
            f"stated fields, but the field table has {len(fields)}",
        )
    return Form(
        name=header["name"],
        code=header["code"],
        title_da=header["title"],
        reporter=header["reporter"],
        validity=header["validity"],
        date_basis=header["date_basis"],
        fields=fields,
        fields_stated=bool(fields) if stated is None else stated,
        note_da=header["note"],
        source=SourceRef(row.file, f"{row.sheet}!{row.ref('name')}"),
    )


def _field(row: Row, form: dict, known_lists: set[str], layout: dict) -> Field:
    variable = row.text("variable")
    felt_id = row.optional_text("felt_id")
    if felt_id is not None:
        match = FELT_ID.match(felt_id)
        if not match:
            raise row.error("felt_id", f"{felt_id!r} is not a Felt-ID like '2-ANM'")
        if form["code"] and match.group(2) != form["code"]:
            raise row.error(
                "felt_id",
                f"Felt-ID {felt_id!r} does not belong to form "
                f"{form['name']!r} (code {form['code']!r})",
            )
    written = row.text("datatype")
    kind = layout["datatypes"].get(written)
    if kind is None:
        raise row.error(
            "datatype",
            f"unknown datatype {written!r} for {variable!r} (known: "
            f"{', '.join(sorted(layout['datatypes']))}; layout key datatypes)",
        )
    codelist = row.optional_text("codelist")
    if codelist is not None and codelist not in known_lists:
        raise row.error(
            "codelist",
            f"code list {codelist!r} is used by {variable!r} "
            "but not defined in the code-list table",
        )
    read_only = kind.get("read_only", False)
    values = row.text("values")
    return Field(
        felt_id=felt_id,
        subfield_da=row.text("subfield"),
        variable=variable,
        question_da=row.text("question"),
        datatype=kind["datatype"],
        datatype_as_written=written,
        multiple=kind.get("multiple", False),
        read_only=read_only,
        constraints=_constraints(kind["datatype"], values),
        codelist=codelist,
        options_da=row.text("options"),
        values_da=values,
        display_condition_da=row.text("display_condition"),
        required=_required(row, kind, layout),
        validity=row.validity(),
        retired=_retired(row),
        note_da=row.text("note"),
        source=SourceRef(row.file, f"{row.sheet}!{row.ref('variable')}"),
    )


def _check_unique(field: Field, form: str, row: Row, variables: dict, ids: dict) -> None:
    if field.variable in variables:
        first = variables[field.variable]
        raise row.error(
            "variable",
            f"duplicate variable {field.variable!r} "
            f"(first at {first.sheet}!{first.ref('variable')})",
        )
    variables[field.variable] = row
    if field.felt_id is None:
        return
    key = (form, field.felt_id, field.subfield_da)
    if key in ids:
        first = ids[key]
        part = f" / {field.subfield_da!r}" if field.subfield_da else ""
        raise row.error(
            "felt_id",
            f"duplicate Felt-ID {field.felt_id!r}{part} in form {form!r} "
            f"(first at {first.sheet}!{first.ref('felt_id')}); fields "
            "sharing a Felt-ID need distinct sub-question labels",
        )
    ids[key] = row


def _constraints(datatype: str, values: str) -> Constraints:
    """Ranges ('0-30') and lengths ('Max. 250 karakterer') as DST writes them in 'Værdier'."""
    if datatype == "integer" and (match := RANGE.match(values)):
        return Constraints(minimum=int(match.group(1)), maximum=int(match.group(2)))
    if datatype == "string" and (match := MAX_LENGTH.search(values)):
        return Constraints(max_length=int(match.group(1)))
    return Constraints()


def _required(row: Row, kind: dict, layout: dict) -> str:
    if row.blank("required") == "derived":
        # The datatype says what a blank means (6.1.1: every question must be answered;
        # computed fields are never entered).
        meaning = kind.get("required_if_blank")
        if meaning is None:
            raise row.error(
                "required",
                f"blank, and datatype {row.text('datatype')!r} has no required_if_blank in "
                "the layout's datatypes",
            )
        return meaning
    text = row.text("required")
    for word, meaning in layout["required_values"].items():
        if text.casefold() == word.casefold():
            return meaning
    raise row.error(
        "required",
        f"unknown 'required' value {text!r} (expected one of "
        f"{', '.join(layout['required_values'])}; layout key required_values)",
    )


def _retired(row: Row) -> bool:
    retired = row.flag("retired")
    if retired is None:
        raise row.error("retired", "a blank 'retired' cannot be derived; set its blank to 'no'")
    return retired
