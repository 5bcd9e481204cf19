"""Business rules (section 6): added, removed, or changed in what they catch (select, when,
check, window), how hard they hit (severity and basis) and what they say (messages)."""

from __future__ import annotations

from codegen.diff.walk import Kind

RULE = Kind(
    name="rule",
    key=lambda r: r["id"],
    label=lambda r: r.get("title_en", ""),
    aspects={
        "context": "rule_check",
        "select": "rule_check",
        "when": "rule_check",
        "check": "rule_check",
        "applies.valid_from": "rule_check",
        "applies.valid_to": "rule_check",
        "older_cases": "rule_check",
        "severity": "rule_severity",
        "basis": "rule_severity",
        "message_da": "cosmetic",
        "message_en": "cosmetic",
        "title_en": "cosmetic",
        "reading": "cosmetic",
        "cites": "cosmetic",
        "section": "cosmetic",
        "felt_ids": "cosmetic",  # what it names; what it checks is in its expressions
    },
    ignored=frozenset({"examples"}),  # the rule's own tests
    added="rule",
    removed="additive",
    refs=lambda r, refs, path: {"felt_ids": r.get("felt_ids") or []},
    dates=("applies.valid_from", "applies.valid_to"),
)

KINDS = {"rules": RULE}
