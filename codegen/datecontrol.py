"""What the spec's date-control points (datostyring.csv) mean for the generated code.

- `rules_change`: from which anmodningsdato this release's rules govern a case for certain
  (the latest point with effect `rules-change`, keyed on the field that dates the case). A
  case before it falls under an older kravspec, which the release does not hold (§6.2), or
  under this release's rules by a reading only (PROVENANCE.md D5: 2025-07-01 to 2026-01-01).
- `former_codes`: the codes a code list is known to have had before a change of its options
  (effect `options-change` on the anmodningsdato, §6.3): the gaps in the list's sequence
  (`missing_codes`), in force until the change, their texts not stated.
"""

from __future__ import annotations

import datetime as dt

from codegen.model import Spec

RULES_CHANGE = "rules-change"
OPTIONS_CHANGE = "options-change"


def case_date_basis(spec: Spec) -> str | None:
    """The Felt-ID whose date decides the rules of a case (2-ANM): the opening form's."""
    bases = {form.date_basis for form in spec.forms if form.fields_stated}
    dated = [b for b in bases if any(f.felt_id == b for form in spec.forms for f in form.fields)]
    return dated[0] if len(dated) == 1 else None


def rules_change(spec: Spec) -> dt.date | None:
    """The latest `rules-change` point on the case's date: this release's rules hold from it."""
    basis = case_date_basis(spec)
    days = [
        p.date
        for p in spec.date_control
        if p.effect == RULES_CHANGE and p.basis == basis and p.date is not None
    ]
    return max(days, default=None)


def former_codes(spec: Spec) -> dict[str, tuple[tuple[str, ...], dt.date]]:
    """Per code list: its codes known to have existed until a change of options on the case's
    date, and that date. Only the lists of the fields a point names (§6.3: 4-IVÆR, 6-IVÆR)."""
    basis = case_date_basis(spec)
    fields = {f.felt_id: f for form in spec.forms for f in form.fields if f.felt_id}
    lists = {c.name: c for c in spec.codelists}
    found: dict[str, tuple[tuple[str, ...], dt.date]] = {}
    for point in spec.date_control:
        if point.effect != OPTIONS_CHANGE or point.basis != basis or point.date is None:
            continue
        for name in point.applies_to:
            field = fields.get(name)
            codelist = lists.get(field.codelist) if field and field.codelist else None
            if codelist is not None and codelist.missing_codes:
                found[codelist.name] = (codelist.missing_codes, point.date)
    return found
