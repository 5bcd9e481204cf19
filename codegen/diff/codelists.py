"""Code lists and their codes: added, retired (an end date), removed, re-labelled, with their
validity dates and age limits; each with the fields (Felt-IDs) that use the list."""

from __future__ import annotations

from codegen.diff.walk import Child, Kind

CODE = Kind(
    name="code",
    knowledge=("code", lambda path: f"{path[0]}:{path[1]}"),
    key=lambda c: c["code"],
    label=lambda c: f"{c['code']} {c.get('text_da', '')}".strip(),
    aspects={
        "text_da": "cosmetic",  # re-labelled: messages carry the code
        "position": "cosmetic",
        "option_number": "cosmetic",
        "validity.valid_from": "start_date",
        "validity.valid_to": "end_date",
        "min_age": "lower_bound",
        "max_age": "upper_bound",
        "note_da": "cosmetic",
    },
    added="additive",
    removed="breaking",
    refs=lambda c, refs, path: {**refs.codelist_refs(path[0]), "codes": [c["code"]]},
    dates=("validity.valid_from", "validity.valid_to"),
)

CODELIST = Kind(
    name="code list",
    knowledge=("codelist", lambda path: path[0]),
    key=lambda c: c["name"],
    label=lambda c: c["name"],
    aspects={"missing_codes": "cosmetic"},  # gaps in the numbering, texts not stated
    children=(Child("codes", CODE),),
    refs=lambda c, refs, path: refs.codelist_refs(c["name"]),
)

KINDS = {"codelists": CODELIST}
