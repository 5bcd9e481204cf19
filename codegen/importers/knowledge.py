"""What a release does not know (`knowledge.json`, named by `"knowledge"` in release.json).

A release reconstructed from a later kravspec's statements (2025-07-01 from the 2026 one)
knows some facts and not others. Its knowledge file names, with the reason for each:

- `unknown_kinds`: whole parts of the release that are not known (its business rules, the
  §6.1.4 overlap definition, its service facts or some of them, "service_facts.endpoints",
  its municipality list). The spec holds none of them; their absence says nothing.
- `unknown_attributes`: attributes of some items (forms, fields, code lists, codes, SOAP
  operations, date-control points) whose value in this release is not known. Each such item
  lists them in its `unknown`, and the canonical spec writes them as null.

Everything else in the release is a fact of it; an item absent from a kind that is not
unknown did not exist. A release without a knowledge file knows everything it holds.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from codegen.errors import SourceError
from codegen.model import (
    Knowledge,
    SourceRef,
    Spec,
    UnknownAttributes,
    UnknownKind,
)

# The parts of a release that may be unknown as a whole. A release without a
# service-facts.json may know some of its service facts (that a fact did not exist yet, as the
# start-date lock in 2025-07-01): it then names the others unknown one by one.
SERVICE_FACTS = ("endpoints", "reporting_unit", "start_date_lock", "manual_deletion")
SERVICE_FACTS += ("server_checks",)
UNKNOWN_KINDS = (
    "rules",
    "overlap",
    "service_facts",
    *(f"service_facts.{fact}" for fact in SERVICE_FACTS),
    "municipalities",
)
# Per kind of item: the attributes whose value may be unknown. The item's key (form name,
# Form.variable, code list name, List:code, Service.Operation, date-control id) is known
# whenever the item is there; "existence": whether it existed in this release at all.
EXISTENCE = "existence"
UNKNOWABLE = {
    "form": (
        "title_da",
        "reporter",
        "validity",
        "date_basis",
        "fields_stated",
        "note_da",
    ),
    "field": (
        "felt_id",
        "subfield_da",
        "question_da",
        "datatype",
        "datatype_as_written",
        "multiple",
        "read_only",
        "constraints",
        "codelist",
        "options_da",
        "values_da",
        "display_condition_da",
        "required",
        "validity",
        "retired",
        "note_da",
    ),
    "codelist": ("missing_codes",),
    "code": (
        "text_da",
        "position",
        "option_number",
        "validity",
        "min_age",
        "max_age",
        "note_da",
    ),
    "operation": (
        "group",
        "group_heading",
        "request_element",
        "response_element",
        "request",
        "response",
    ),
    "date_control": ("basis", "applies_to", "effect", "description_da", "kravspec_section"),
}
UNKNOWABLE = {kind: (EXISTENCE, *attributes) for kind, attributes in UNKNOWABLE.items()}


def load_knowledge(path: Path, display_name: str) -> Knowledge:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(exc.msg, file=display_name, line=exc.lineno) from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise SourceError(f"not a knowledge file: {exc}", file=display_name) from None
    if not isinstance(data, dict) or set(data) - {
        "$comment",
        "unknown_kinds",
        "unknown_attributes",
    }:
        raise SourceError(
            "a knowledge file is an object with 'unknown_kinds' and 'unknown_attributes'",
            file=display_name,
        )
    kinds = []
    for index, entry in enumerate(data.get("unknown_kinds", [])):
        place = f"unknown_kinds[{index}]"
        _keys(entry, {"kind", "why"}, display_name, place)
        if entry["kind"] not in UNKNOWN_KINDS:
            raise SourceError(
                f"{place}: kind {entry['kind']!r} is not one of {', '.join(UNKNOWN_KINDS)}",
                file=display_name,
            )
        kinds.append(UnknownKind(kind=entry["kind"], why=_text(entry["why"], display_name, place)))
    attributes = []
    for index, entry in enumerate(data.get("unknown_attributes", [])):
        place = f"unknown_attributes[{index}]"
        _keys(entry, {"kind", "items", "attributes", "why"}, display_name, place)
        allowed = UNKNOWABLE.get(entry["kind"])
        if allowed is None:
            raise SourceError(
                f"{place}: kind {entry['kind']!r} is not one of {', '.join(UNKNOWABLE)}",
                file=display_name,
            )
        wrong = [a for a in entry["attributes"] if a not in allowed]
        if wrong or not entry["attributes"] or not entry["items"]:
            raise SourceError(
                f"{place}: attributes must be some of {', '.join(allowed)}"
                + (f" (not {', '.join(map(repr, wrong))})" if wrong else ""),
                file=display_name,
            )
        attributes.append(
            UnknownAttributes(
                kind=entry["kind"],
                items=tuple(entry["items"]),
                attributes=tuple(entry["attributes"]),
                why=_text(entry["why"], display_name, place),
            )
        )
    return Knowledge(
        complete=not kinds and not attributes,
        unknown_kinds=tuple(kinds),
        unknown_attributes=tuple(attributes),
        source=SourceRef(file=display_name),
    )


def apply_knowledge(spec: Spec, knowledge: Knowledge) -> Spec:
    """The spec with each item's `unknown` attributes set; a key that names no item of the
    release is an error at the knowledge file."""
    unknown: dict[tuple[str, str], set[str]] = {}
    for entry in knowledge.unknown_attributes:
        keys = _keys_of(spec, entry.kind)
        named = keys if entry.items == ("*",) else entry.items
        missing = sorted(set(named) - set(keys))
        if missing:
            raise SourceError(
                f"unknown_attributes: no {entry.kind} {', '.join(map(repr, missing))} in the "
                "release",
                file=knowledge.source.file if knowledge.source else "",
            )
        for key in named:
            unknown.setdefault((entry.kind, key), set()).update(entry.attributes)

    def mark(item, kind: str, key: str):
        attrs = unknown.get((kind, key))
        return dataclasses.replace(item, unknown=tuple(sorted(attrs))) if attrs else item

    def mark_with_children(item, kind: str, key: str, children: str, child_kind: str, child_key):
        marked = tuple(
            mark(child, child_kind, child_key(child)) for child in getattr(item, children)
        )
        return mark(dataclasses.replace(item, **{children: marked}), kind, key)

    forms = tuple(
        mark_with_children(
            form, "form", form.name, "fields", "field", lambda f, n=form.name: f"{n}.{f.variable}"
        )
        for form in spec.forms
    )
    codelists = tuple(
        mark_with_children(
            cl, "codelist", cl.name, "codes", "code", lambda c, n=cl.name: f"{n}:{c.code}"
        )
        for cl in spec.codelists
    )
    services = tuple(
        dataclasses.replace(
            service,
            operations=tuple(
                mark(op, "operation", f"{service.service}.{op.name}") for op in service.operations
            ),
        )
        for service in spec.services
    )
    date_control = tuple(mark(p, "date_control", p.id) for p in spec.date_control)
    return dataclasses.replace(
        spec,
        forms=forms,
        codelists=codelists,
        services=services,
        date_control=date_control,
        knowledge=knowledge,
    )


def unknown_kinds(knowledge: Knowledge) -> set[str]:
    return {entry.kind for entry in knowledge.unknown_kinds}


def _keys_of(spec: Spec, kind: str) -> list[str]:
    return {
        "form": lambda: [f.name for f in spec.forms],
        "field": lambda: [f"{form.name}.{f.variable}" for form in spec.forms for f in form.fields],
        "codelist": lambda: [c.name for c in spec.codelists],
        "code": lambda: [f"{cl.name}:{c.code}" for cl in spec.codelists for c in cl.codes],
        "operation": lambda: sorted(
            {f"{s.service}.{op.name}" for s in spec.services for op in s.operations}
        ),
        "date_control": lambda: [p.id for p in spec.date_control],
    }[kind]()


def _keys(entry: object, wanted: set[str], display_name: str, place: str) -> None:
    if not isinstance(entry, dict) or set(entry) != wanted:
        raise SourceError(f"{place}: needs exactly {', '.join(sorted(wanted))}", file=display_name)
    for key in ("items", "attributes"):
        if key in entry and not (
            isinstance(entry[key], list) and all(isinstance(i, str) for i in entry[key])
        ):
            raise SourceError(f"{place}: {key} must be a list of strings", file=display_name)


def _text(value: object, display_name: str, place: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{place}: 'why' must say why, as text", file=display_name)
    return value
