"""The changelog pages (docs/reference/changelog/<release>.md, one template) from the same
diff as `smdbgen diff` and `smdb changes` (codegen/diff), and the links to them from the
pages of the fields, codes, rules and actions that changed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from codegen.diff import report
from codegen.diff.classify import CLASSES, unknown_verdict
from codegen.docs.format import code, link
from codegen.emitters.escape import Code

TITLES = {**report.HEADINGS, "unknown": "Unknown: not known on one side"}


def anchor(change: dict) -> str:
    """The element's anchor on its release's page: kind and id as a word ("field-Anmodning-
    KommuneKode"); every entry of one element shares it."""
    return re.sub(r"[^\w-]+", "-", f"{change['kind']}-{change['id']}")


def sections(changelog: dict) -> list[tuple[str, list[tuple[dict, str | None]]]]:
    """Per class (breaking first): its changes, each with the anchor its row carries (the
    first row of each element)."""
    seen: set[str] = set()
    result = []
    for cls in CLASSES:
        rows = []
        for change in (c for c in changelog["changes"] if c["class"] == cls):
            name = anchor(change)
            rows.append((change, None if name in seen else name))
            seen.add(name)
        if rows:
            result.append((TITLES[cls], rows))
    return result


def page_of(change: dict, site, base: str) -> Code:
    """The changed element's id, linked to its page where the current release has one."""
    parts = change["id"].split("/")
    target = None
    if change["kind"] == "field" and parts[1] in site.form_of_variable:
        target = f"forms/{parts[0]}.md#{parts[1]}"
    elif change["kind"] == "form" and any(f["name"] == parts[0] for f in site.forms):
        target = f"forms/{parts[0]}.md"
    elif change["kind"] in ("code", "code list") and parts[0] in site.codelist_names:
        target = f"codelists/{parts[0]}.md" + (f"#code-{parts[1]}" if len(parts) > 1 else "")
    elif change["kind"] == "rule" and change["id"] in site.rule_ids:
        target = f"rules/{change['id']}.md"
    elif change["kind"] == "date-control point" and change["id"] in site.point_ids:
        target = f"datostyring.md#{change['id']}"
    elif _action(change) in site.action_pages:
        target = "services/{}/{}.md".format(*_action(change))
    if target is None or not re.fullmatch(r"[\w.\-/#]*", target):
        return code(change["id"])
    return link(change["id"], base + target)


def _action(change: dict) -> tuple[str, str] | None:
    """(service, action) of an action or of an element of its messages."""
    if change["kind"] in ("action", "request element", "response element"):
        service, _, operation = change["id"].split("/")[:3]
        return service, operation
    return None


def element_keys(change: dict) -> list[tuple[str, str]]:
    """The (kind, key) of the pages' elements a change concerns: "field" Form/variable,
    "code" List/code, "rule" id, "action" Service/action, "form" name, "date-control point"
    id, "section" name (a part a release does not know at all: its rules, service facts)."""
    action = _action(change)
    if action:
        return [("action", "/".join(action))]
    if change["kind"] in ("field", "code", "rule", "form", "date-control point", "section"):
        return [(change["kind"], change["id"])]
    return []


# The section of the canonical spec that holds each kind of page element: a section a release
# does not know at all has one changelog entry, which every element of it links to.
SECTION_OF = {
    "form": "forms", "field": "forms", "code": "codelists", "rule": "rules",
    "action": "services", "date-control point": "date_control",
}  # fmt: skip


def links_by_element(per_release: dict[str, dict | None]) -> dict[tuple[str, str], list]:
    """(kind, key) -> [Entries], oldest release first, one per release: the entries of that
    release's changelog about the element (`words` says them)."""
    found: dict[tuple[str, str], dict[str, Entries]] = {}
    for release, changelog in sorted(per_release.items()):
        for change in (changelog or {}).get("changes", []):
            for key in element_keys(change):
                old = changelog["old"]["release"]
                entries = found.setdefault(key, {})
                entries.setdefault(release, Entries(release, old, anchor(change), []))
                entries[release].changes.append(change)
    return {key: list(entries.values()) for key, entries in found.items()}


@dataclass(frozen=True)
class Entries:
    release: str
    old: str  # the release it is compared with
    anchor: str  # of the element's first entry on the release's changelog page
    changes: list[dict]


# What a release does not know of an element, in words ("text", not "text_da").
ATTRIBUTE_WORDS = {
    "text_da": "text", "option_number": "number", "min_age": "age limits",
    "max_age": "age limits", "note_da": "note", "felt_id": "Felt-ID",
    "subfield_da": "subfield", "question_da": "question",
    "datatype_as_written": "datatype as written", "read_only": "read-only",
    "constraints": "range and length", "options_da": "options",
    "display_condition_da": "display condition", "title_da": "title",
    "date_basis": "date basis", "group": "group", "group_heading": "group",
    "request_element": "message shapes", "response_element": "message shapes",
    "request": "message shapes", "response": "message shapes",
    "description_da": "description", "kravspec_section": "kravspec section",
    # An action's entries include those of its messages' elements: parts, not the action.
    "request element": "message shapes", "response element": "message shapes",
}  # fmt: skip


def words(entries: Entries, pronoun: str = "its") -> str:
    """What `release`'s changelog says of one element: "new in 2026-01-01", "changed in
    2026-01-01", "in 2025-07-01 (its text there not known)" where the release before knew the
    element but not all of it, "not known before 2026-01-01" only where it did not know
    whether the element existed."""
    release, changes = entries.release, entries.changes
    if any(c["change"] == "added" for c in changes):
        return f"new in {release}"
    said = [
        f"not known before {release} ({entries.old} does not know its {_part(c['id'])})"
        for c in changes
        if c["kind"] == "section" and c["class"] == "unknown"
    ]
    changes = [c for c in changes if c["kind"] != "section"]
    if any(c["class"] != "unknown" for c in changes):
        said.append(f"changed in {release}")
    parts: dict[str, set[str]] = {}  # release -> what of the element it does not know
    for change in (c for c in changes if c["class"] == "unknown"):
        new_side = change["reason"].startswith(unknown_verdict("new", attribute=True)[1])
        new_side = new_side or change["reason"].startswith(unknown_verdict("new")[1])
        if change["attributes"] or change["kind"] in ATTRIBUTE_WORDS:
            names = change["attributes"] or [change["kind"]]
            where = release if new_side else entries.old
            parts.setdefault(where, set()).update(ATTRIBUTE_WORDS.get(a, a) for a in names)
        else:
            said.append(f"not known in {release}" if new_side else f"not known before {release}")
    for where, names in parts.items():
        what = f"{pronoun} {_and(sorted(names, key=str.casefold))}".strip()
        said.append(f"in {where} ({what} there not known)")
    return "; ".join(dict.fromkeys(said))


def _part(section: str) -> str:
    """ "service_facts" -> "service facts", "service_facts.reporting_unit" -> "reporting unit"."""
    return section.split(".")[-1].replace("_", " ")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def changed_in(links: list, base: str) -> Code:
    """ "changed in 2026-01-01" links, one per release (empty when none)."""
    return Code(
        ", ".join(
            link(words(entries), f"{base}changelog/{entries.release}.md#{entries.anchor}")
            for entries in links
        )
    )


describe = report.describe
summary = report.summary
references = report.references
