"""What a canonical spec does not know: the diff's input contract for "unknown".

A release reconstructed from what a later kravspec says of it does not know everything about
itself. It marks what it does not know, and the diff reports every such element as
**unknown**, never as unchanged, added or removed:

- `"known": false` on an element (a form, field, code list, code, date-control point, rule,
  service version, operation, type, message part, endpoint, server check, municipality): its
  state in that release is not known, neither whether it existed nor any attribute. The
  elements inside it (a form's fields, a list's codes, a service's operations and types)
  inherit it, unless they say `"known": true` themselves.
- `"unknown_attributes": ["required", "validity.valid_from"]` on an element: only those
  attributes are not known (dotted paths into the element).
- `"unknown_sections": ["rules", "service_facts"]` in the document's `release`: a whole
  section is not known; an element missing from it on that side is unknown, not added or
  removed. Sections: forms, codelists, date_control, rules, services, service_facts,
  municipalities, overlap.
- A form with `"fields_stated": false` does not know its fields.
- A date `"not-stated"` is not known (the classifier reports a change to or from it as
  unknown).
"""

from __future__ import annotations

SECTIONS = (
    "forms",
    "codelists",
    "date_control",
    "rules",
    "services",
    "service_facts",
    "municipalities",
    "overlap",
)
MARKERS = ("known", "unknown_attributes")  # contract keys, never compared as attributes


def unknown_sections(document: dict) -> frozenset[str]:
    return frozenset(document.get("release", {}).get("unknown_sections", ()))


def element_known(element: dict | None, inherited: bool) -> bool:
    """Whether an element's state is known on its side; `element` None: absent, which is
    known (as absent) only when its container is known."""
    if element is None:
        return inherited
    return bool(element.get("known", inherited))


def unknown_attributes(element: dict | None) -> frozenset[str]:
    return frozenset((element or {}).get("unknown_attributes", ()))
