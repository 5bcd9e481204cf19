"""What a canonical spec does not know, as the diff reads it (codegen/importers/knowledge.py
writes it): everything listed here is reported **unknown**, never unchanged, added or removed.

- `knowledge.unknown_kinds`: whole parts of the release that are not known
  ([{"kind": "rules", "why": ...}]; kinds are the document's sections: rules, overlap,
  service_facts or one of its facts, "service_facts.endpoints", municipalities, and also
  forms, codelists, date_control, services). The
  spec holds none of it: an element missing there is unknown, not added or removed.
- `"unknown": ["required", "validity"]` on an element: those attributes are not known in
  that release (written as null); a dotted attribute path covers what is below it. The
  reason is looked up in `knowledge.unknown_attributes` ({kind, items, attributes, why},
  items "*" for all).
- `"existence"` among them: whether the element existed at all is not known; nothing about
  it, nor about the elements inside it, is.
- A form whose `fields_stated` is false (or null) does not know its fields; an attribute
  holding a list of elements (an operation's `request`) that is not known does not know them.
- A date `"not-stated"` is not known (the classifier reports a change to or from it as
  unknown).
"""

from __future__ import annotations

EXISTENCE = "existence"
MARKER = "unknown"  # the element's list of attributes not known, never compared itself


class Knowledge:
    """One document's statements of what it does not know, with the reasons given."""

    def __init__(self, document: dict) -> None:
        knowledge = document.get("knowledge") or {}
        self.kinds = {
            entry["kind"]: entry.get("why", "")
            for entry in knowledge.get("unknown_kinds") or ()
            if isinstance(entry, dict) and isinstance(entry.get("kind"), str)
        }
        self.attributes = [
            entry for entry in knowledge.get("unknown_attributes") or () if isinstance(entry, dict)
        ]

    def section_known(self, section: str) -> bool:
        return self.covering(section) is None

    def covering(self, section: str) -> str | None:
        """The unknown kind that covers a section ("service_facts" covers
        "service_facts.endpoints"), or None where it is known."""
        whole = section.split(".")[0]
        return whole if whole in self.kinds else section if section in self.kinds else None

    def why(self, kind: str | None, item: str | None, attribute: str) -> str:
        """The reason the document gives for not knowing `attribute` of `item` ("" if none)."""
        for entry in self.attributes:
            if (
                entry.get("kind") == kind
                and attribute in (entry.get("attributes") or ())
                and ("*" in (entry.get("items") or ()) or item in (entry.get("items") or ()))
            ):
                return entry.get("why", "")
        return ""


def unknown_attributes(element: dict | None) -> frozenset[str]:
    unknown = (element or {}).get(MARKER) or ()
    return frozenset(a for a in unknown if isinstance(a, str))


def element_known(element: dict | None, inherited: bool) -> bool:
    """Whether an element's state is known on its side; `element` None: absent, which is
    known (as absent) only when its container is known."""
    return inherited and EXISTENCE not in unknown_attributes(element)


def covers(unknown: str, aspect: str) -> bool:
    """Whether an attribute named unknown (`validity`) covers an aspect (`validity.valid_to`)."""
    return aspect == unknown or aspect.startswith(f"{unknown}.")
