"""Forms and their fields (Felt-IDs): keyed by the form's name and the field's variable, the
names the XML carries; a Felt-ID that moves to another variable shows as a change of both."""

from __future__ import annotations

from codegen.diff.walk import Child, Kind

FIELD = Kind(
    name="field",
    knowledge=("field", lambda path: f"{path[0]}.{path[1]}"),
    key=lambda f: f["variable"],
    label=lambda f: " ".join(x for x in (f.get("felt_id"), f.get("question_da")) if x),
    aspects={
        "felt_id": "cosmetic",  # the kravspec's label; messages carry the variable
        "subfield_da": "cosmetic",
        "question_da": "cosmetic",
        "datatype": "breaking",
        "datatype_as_written": "cosmetic",
        "multiple": "breaking",
        "read_only": "flag_on_breaking",
        "constraints.minimum": "lower_bound",
        "constraints.maximum": "upper_bound",
        "constraints.max_length": "upper_bound",
        "codelist": "codelist",
        "options_da": "cosmetic",  # the checks follow datatype, constraints and code list
        "values_da": "cosmetic",
        "display_condition_da": "display_condition",
        "required": "required",
        "validity.valid_from": "start_date",
        "validity.valid_to": "end_date",
        "retired": "retired",
        "note_da": "cosmetic",
    },
    added="field",
    removed="breaking",
    refs=lambda f, refs, path: {
        "felt_ids": [f.get("felt_id")],
        "actions": refs.actions_of_form(path[0]),
    },
    dates=("validity.valid_from", "validity.valid_to"),
)

FORM = Kind(
    name="form",
    knowledge=("form", lambda path: path[0]),
    key=lambda f: f["name"],
    label=lambda f: f.get("title_da", ""),
    aspects={
        "code": "cosmetic",  # the Felt-ID suffix
        "title_da": "cosmetic",
        "reporter": "breaking",
        "date_basis": "breaking",
        "validity.valid_from": "start_date",
        "validity.valid_to": "end_date",
        "note_da": "cosmetic",
    },
    ignored=frozenset({"fields_stated"}),  # read as whether its fields are known
    children=(Child("fields", FIELD, known_in=lambda form: form.get("fields_stated", True)),),
    refs=lambda f, refs, path: {"actions": refs.actions_of_form(f["name"])},
    dates=("validity.valid_from", "validity.valid_to"),
)

KINDS = {"forms": FORM}
