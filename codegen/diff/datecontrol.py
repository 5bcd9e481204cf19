"""Date-control points (datostyring): a date from which other forms, options or rules hold."""

from __future__ import annotations

from codegen.diff.walk import Kind

POINT = Kind(
    name="date-control point",
    knowledge=("date_control", lambda path: path[0]),
    key=lambda p: p["id"],
    label=lambda p: p.get("description_da", ""),
    aspects={
        "date": "breaking",  # cases near the date are judged by other rules
        "basis": "breaking",  # another date decides
        "applies_to": "breaking",
        "effect": "breaking",
        "description_da": "cosmetic",
        "kravspec_section": "cosmetic",
    },
    added="point",
    removed="point",
    # applies_to names Felt-IDs ("4-IVÆR") or forms and services ("KvalHep")
    refs=lambda p, refs, path: {"felt_ids": [a for a in p.get("applies_to") or [] if "-" in a]},
    dates=("date",),
)

KINDS = {"date_control": POINT}
