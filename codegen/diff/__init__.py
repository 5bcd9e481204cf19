"""What changed between two releases: the diff of two canonical spec documents.

`changelog(old, new)` compares two documents as written to spec/canonical/<release>.json and
returns plain JSON data: every change, classified breaking, additive, cosmetic or unknown
(codegen/diff/classify.py), breaking first, each with its Felt-IDs, codes, actions and dates.
What a document does not know is read as codegen/diff/known.py says, and reported unknown.

The data (`smdbgen diff --format json`, `smdb/changelog.json`): `format`, `old` and `new`
({release, effective, unknown_sections}), `counts` per class, and `changes`, each with `class`,
`kind` ("field", "code", "action", "request element", ...), `id` (a path of keys:
"Anmodning/KommuneKode", "BehandlingAfsluttetAarsagKode/01", "HentData/v1/HentAnmodning"),
`label`, `change` (added, removed, retired, changed, unknown), `aspect` (the attribute
changed, dotted, or null), `attributes` (those not known, for an unknown entry), `old`,
`new`, `reason`, and the `felt_ids`, `codes`, `actions` and `dates` it concerns.

One module per kind of element (forms, codelists, datecontrol, rules, services, facts) says
how its elements are keyed and which comparator judges each attribute; walk.py compares them
all the same way; report.py renders the result (and is shipped in the vendor package).
"""

from __future__ import annotations

from codegen.diff import codelists, datecontrol, facts, forms, known, rules, services
from codegen.diff.classify import CLASSES, unknown_verdict
from codegen.diff.refs import Refs
from codegen.diff.walk import Side, Walk

FORMAT = 1  # of the changelog data; a reader refuses another
KIND_ORDER = (
    "section", "form", "field", "code list", "code", "date-control point", "rule", "overlap",
    "service", "action", "request element", "response element", "type", "type element",
    "endpoint", "reporting unit", "start-date lock", "manual deletion", "server check",
    "municipality",
)  # fmt: skip


def _sections(document: dict) -> list[tuple[str, object, list[dict]]]:
    """(section, kind, elements) of a document, in the report's order of kinds."""
    overlap = document.get("overlap")
    return [
        ("forms", forms.FORM, document.get("forms") or []),
        ("codelists", codelists.CODELIST, document.get("codelists") or []),
        ("date_control", datecontrol.POINT, document.get("date_control") or []),
        ("rules", rules.RULE, document.get("rules") or []),
        ("overlap", facts.OVERLAP, [overlap] if overlap else []),
        ("services", services.SERVICE, document.get("services") or []),
        *(
            (f"service_facts.{fact}", kind, items)
            for fact, kind, items in facts.facts_elements(document)
        ),
        ("municipalities", facts.MUNICIPALITY, document.get("municipalities") or []),
    ]


def changelog(old: dict, new: dict) -> dict:
    knowledge = known.Knowledge(old), known.Knowledge(new)
    walk = Walk(Refs(old, new), *knowledge)
    for (section, kind, olds), (_, _, news) in zip(_sections(old), _sections(new), strict=True):
        sides = [
            Side(items, k.section_known(section), k.kinds.get(k.covering(section) or "", ""))
            for items, k in ((olds, knowledge[0]), (news, knowledge[1]))
        ]
        if not (sides[0].known and sides[1].known):
            k = knowledge[0] if not sides[0].known else knowledge[1]
            # One entry for the part not known: "service_facts" covers all its facts.
            name = k.covering(section) or section
            if not any(c["kind"] == "section" and c["id"] == name for c in walk.changes):
                side = sides[0] if not sides[0].known else sides[1]
                walk.changes.append(
                    _unknown_section(name, "old" if side is sides[0] else "new", side.why)
                )
        # Its elements are listed only where they say more than the section does.
        walk.compare(kind, *sides, covered=True)
    order = {name: i for i, name in enumerate(KIND_ORDER)}
    changes = sorted(
        walk.changes,
        key=lambda c: (
            CLASSES.index(c["class"]),
            order.get(c["kind"], len(order)),
            c["id"],
            c["aspect"] or "",
        ),
    )
    return {
        "format": FORMAT,
        "old": _release(old),
        "new": _release(new),
        "counts": {cls: sum(c["class"] == cls for c in changes) for cls in CLASSES},
        "changes": changes,
    }


def _unknown_section(section: str, side: str, why: str) -> dict:
    verdict = unknown_verdict(side, why)
    return {
        "class": verdict[0],
        "kind": "section",
        "id": section,
        "label": "",
        "change": verdict[2],
        "aspect": None,
        "attributes": [],
        "old": None,
        "new": None,
        "reason": f"the whole section: {verdict[1]}",
        "felt_ids": [],
        "codes": [],
        "actions": [],
        "dates": [],
    }


def _release(document: dict) -> dict:
    release = document.get("release", {})
    return {
        "release": release.get("id"),
        "effective": release.get("effective"),
        "unknown_sections": sorted(known.Knowledge(document).kinds),
    }
