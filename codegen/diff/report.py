"""A changelog (codegen.diff.changelog's data) as Markdown or JSON, and whether it fails a CI.

Plain Python with no import beyond the standard library: `smdbgen diff` uses it, and the
vendor package ships it as `smdb/_changelog.py` for `smdb changes` (codegen/emitters/changes.py),
so that both print the same report.
"""

from __future__ import annotations

import json
from typing import Any

# The changelog and each of its changes are JSON objects (codegen.diff.changelog writes them).
Changelog = dict[str, Any]
Change = dict[str, Any]

HEADINGS = {
    "breaking": "Breaking",
    "unknown": "Unknown",
    "additive": "Additive",
    "cosmetic": "Cosmetic",
}
SHOWN = 100  # characters of a value the Markdown shows (the JSON has it whole)


def dumps(changelog: Changelog) -> str:
    return json.dumps(changelog, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def failing(changelog: Changelog, fail_on: str | None) -> bool:
    """`fail_on` "breaking": any breaking change; "unknown": any breaking or unknown one."""
    counts = changelog["counts"]
    if fail_on == "breaking":
        return bool(counts.get("breaking", 0) > 0)
    if fail_on == "unknown":
        return bool(counts.get("breaking", 0) + counts.get("unknown", 0) > 0)
    return False


def summary(changelog: Changelog) -> str:
    counts = changelog["counts"]
    total = sum(counts.values())
    parts = ", ".join(f"{counts.get(c, 0)} {c}" for c in HEADINGS)  # not the JSON's order
    return f"{total} change{'' if total == 1 else 's'}: {parts}."


def describe(change: Change) -> str:
    """What happened to the element, in a few words: "added", "required: never → always"."""
    if change["attributes"]:
        return f"{', '.join(change['attributes'])} not known"
    if change["aspect"] is None:
        return str(change["change"])
    return f"{change['aspect']}: {value(change['old'])} → {value(change['new'])}"


def value(item: object) -> str:
    if item is None:
        return "none"
    text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def references(change: Change) -> str:
    """ "Felt-IDs: 8-ANM; actions: IndsaetAnmodning; dates: 2025-07-01" (what is there)."""
    parts = []
    for key, name in (
        ("felt_ids", "Felt-IDs"),
        ("codes", "codes"),
        ("actions", "actions"),
        ("dates", "dates"),
    ):
        if change[key]:
            parts.append(f"{name}: {', '.join(change[key])}")
    return "; ".join(parts)


def markdown(changelog: Changelog) -> str:
    old, new = changelog["old"], changelog["new"]
    lines = [f"# Changes from {old['release']} to {new['release']}", "", summary(changelog)]
    for side in (old, new):
        if side["unknown_sections"]:
            sections = ", ".join(side["unknown_sections"])
            lines.append(f"Not known in {side['release']}: {sections} (reported as unknown).")
    lines += [
        "Anything not listed is the same in both releases; what one of them does not know is",
        "listed as unknown, never as unchanged.",
    ]
    for cls, heading in HEADINGS.items():
        changes = [c for c in changelog["changes"] if c["class"] == cls]
        if not changes:
            continue
        lines += ["", f"## {heading} ({len(changes)})", ""]
        if cls == "unknown":
            lines += _grouped(changes)
            continue
        for change in changes:
            label = f" ({change['label']})" if change["label"] else ""
            refs = references(change)
            lines.append(
                f"- {change['kind']} `{change['id']}`{label}: {describe(change)}. "
                f"{_sentence(change['reason'])}" + (f" {refs}." if refs else "")
            )
    return "\n".join(lines) + "\n"


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _grouped(changes: list[Change]) -> list[str]:
    """Unknown entries, one line per kind, what is not known and why: a release that does not
    know the Felt-IDs of its 70 fields says so once, naming them all."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for change in changes:
        key = (change["kind"], describe(change), change["reason"])
        groups.setdefault(key, []).append(change["id"])
    lines = []
    for (kind, what, reason), ids in groups.items():
        names = ", ".join(f"`{i}`" for i in ids)
        head = f"{kind} {names}" if len(ids) == 1 else f"{len(ids)} × {kind}: {names}"
        lines.append(f"- {head}: {what}. {_sentence(reason)}")
    return lines
