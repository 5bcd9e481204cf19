"""The changelog pages (docs/reference/changelog/<release>.md, one template) from the same
diff as `smdbgen diff` and `smdb changes` (codegen/diff), and the links to them from the
pages of the fields, codes, rules and actions that changed."""

from __future__ import annotations

import re

from codegen.diff import report
from codegen.diff.classify import CLASSES
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
    "code" List/code, "rule" id, "action" Service/action."""
    action = _action(change)
    if action:
        return [("action", "/".join(action))]
    if change["kind"] in ("field", "code", "rule"):
        return [(change["kind"], change["id"])]
    return []


def links_by_element(per_release: dict[str, dict | None]) -> dict[tuple[str, str], list]:
    """(kind, key) -> [(release, anchor, words)], oldest release first, one per release;
    the words say what that release did to it: "new in", "changed in" or "not known before"."""
    found: dict[tuple[str, str], dict[str, tuple[str, list[dict]]]] = {}
    for release, changelog in sorted(per_release.items()):
        for change in (changelog or {}).get("changes", []):
            for key in element_keys(change):
                releases = found.setdefault(key, {})
                releases.setdefault(release, (anchor(change), []))[1].append(change)
    return {
        key: [(release, name, _words(changes)) for release, (name, changes) in releases.items()]
        for key, releases in found.items()
    }


def _words(changes: list[dict]) -> str:
    if any(c["change"] == "added" for c in changes):
        return "new in"
    if any(c["class"] != "unknown" for c in changes):
        return "changed in"
    return "not known before"


def changed_in(links: list, base: str) -> Code:
    """ "changed in 2026-01-01" links, one per release (empty when none)."""
    return Code(
        ", ".join(
            link(f"{words} {release}", f"{base}changelog/{release}.md#{name}")
            for release, name, words in links
        )
    )


describe = report.describe
summary = report.summary
references = report.references
