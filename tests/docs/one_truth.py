"""What the built site states, read back from its HTML, and what the generated package does,
read from the package itself, as comparable facts; each `*_mismatches` lists where they
differ. Used by test_one_truth.py."""

from __future__ import annotations

import datetime as dt
import html
import inspect
import re
from html.parser import HTMLParser
from pathlib import Path


class _Tables(HTMLParser):
    """Every table of a page: rows of (cell text, ids inside the cell)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, set[str]]]]] = []
        self.cell: list[str] | None = None
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell, self.ids = [], set()
        if self.cell is not None and attributes.get("id"):
            self.ids.add(attributes["id"])

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self.cell is not None and self.tables:
            text = re.sub(r"\s+", " ", "".join(self.cell)).strip()
            self.tables[-1][-1].append((text, self.ids))
            self.cell = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(page: Path) -> list[list[list[tuple[str, set[str]]]]]:
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def code_block(page: Path, title: str) -> str:
    """The text of the code block titled `title` (pymdownx.highlight's filename)."""
    text = page.read_text(encoding="utf-8")
    after = text.split(f'<span class="filename">{title}</span>', 1)[1]
    block = after.split("<code>", 1)[1].split("</code>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", block))


# Code lists ------------------------------------------------------------------------------


def page_codes(site: Path, codelist: str) -> dict[str, dict]:
    """{code: {"periods": [(from, to, ages)], "status"}} as the list's page shows them."""
    found: dict[str, dict] = {}
    for table in tables(site / "reference" / "codelists" / codelist / "index.html"):
        if not table or [c[0] for c in table[0]][:7] != [
            "Code", "Nr.", "Text", "Valid from", "Valid to", "Age", "Status",
        ]:  # fmt: skip
            continue
        for row in table[1:]:
            code = next(i for i in row[0][1] if i.startswith("code-")).removeprefix("code-")
            entry = found.setdefault(code, {"periods": [], "status": row[6][0]})
            entry["periods"].append((row[3][0], row[4][0], row[5][0]))
    return found


def _day(value: dt.date | None, stated: bool) -> str:
    if value is not None:
        return value.isoformat()
    return "open" if stated else "not stated"


class PackageDating:
    """Since when the package knows a code in force where DST states no start, in the
    page's words, from the package alone: the period's `in_force_since` (smdb.codelists), the
    releases it was built from (smdb.spec.RELEASES) and the changelog it ships
    (smdb/changelog.json, `smdb changes`) for why an earlier release does not date it."""

    def __init__(self, releases: tuple[str, ...], shipped: dict) -> None:
        self.releases = releases
        self.shipped = shipped
        logs = shipped["since"].values()
        self.names = {
            s["effective"]: s["release"] for log in logs for s in (log["old"], log["new"])
        }

    def words(self, codelist: str, code: str, since: dt.date) -> str:
        release = self.names.get(since.isoformat(), since.isoformat())
        index = self.releases.index(release)
        if index == 0:
            return f"≥ {since.isoformat()} (in release {release})"
        before = self.releases[index - 1]
        if release != self.releases[-1]:  # the package ships changelogs to its own only
            return f"≥ {since.isoformat()} (in release {release}; the package does not say)"
        why = f"unknown in {before}"
        for change in self.shipped["since"][before]["changes"]:
            here = (change["kind"], change["id"]) == ("code", f"{codelist}/{code}")
            if here and change["change"] == "added":
                why = f"not in {before}"
        return f"≥ {since.isoformat()} (in release {release}; {why})"


def _ages(period) -> str:
    parts = []
    if period.min_age is not None:
        parts.append(f"≥ {period.min_age}")
    if period.max_age is not None:
        parts.append(f"≤ {period.max_age}")
    return ", ".join(parts)


def package_codes(enum, effective: dt.date, dating: PackageDating) -> dict[str, dict]:
    """The same facts as `smdb.codelists` holds them; a gap of the list that is no member
    shows as "not in the list" with no dates."""
    found = {}
    for member in enum:
        periods = [
            (
                dating.words(enum.__name__, member.value, p.in_force_since)
                if p.valid_from is None and not p.valid_from_stated and p.in_force_since
                else _day(p.valid_from, p.valid_from_stated),
                _day(p.valid_to, p.valid_to_stated),
                _ages(p),
            )
            for p in member.periods
        ]
        in_force = any(p.in_force(effective) for p in member.periods)
        found[member.value] = {"periods": periods, "status": "in force" if in_force else "retired"}
    for code in enum.MISSING_CODES:
        found.setdefault(code, {"periods": [("", "", "")], "status": "not in the list"})
    return found


def codelist_mismatches(shown: dict[str, dict], known: dict[str, dict]) -> list[str]:
    problems = []
    for code in sorted(set(shown) | set(known)):
        if shown.get(code) != known.get(code):
            problems.append(f"{code}: page {shown.get(code)} != package {known.get(code)}")
    return problems


# Rules -----------------------------------------------------------------------------------


def page_severities(site: Path, rule_id: str) -> dict[str, str]:
    """{row label: severity} of the rule's page: "Severity", "Severity for a case with
    2-ANM before <date>"."""
    page = site / "reference" / "rules" / rule_id / "index.html"
    rows = [row for table in tables(page) for row in table if len(row) == 2]
    return {row[0][0]: row[1][0] for row in rows if row[0][0].startswith("Severity")}


def as_vendor_meets_it(rule, older: bool) -> str:
    """The severity `smdb validate` reports, and with --strict where that differs."""
    plain = rule.severity_for(older=older)
    strict = rule.severity_for(older=older, strict=True)
    return plain if plain == strict else f"{plain}; {strict} with --strict"


def rule_mismatches(shown: dict[str, str], rule, rules_change: dt.date) -> list[str]:
    expected = {
        "Severity": as_vendor_meets_it(rule, older=False),
        f"Severity for a case with 2-ANM before {rules_change.isoformat()}": as_vendor_meets_it(
            rule, older=True
        ),
    }
    return [
        f"{rule.id} {label}: page {shown.get(label)!r} != package {value!r}"
        for label, value in expected.items()
        if shown.get(label) != value
    ] + [f"{rule.id}: the page shows {label!r} too" for label in set(shown) - set(expected)]


# Actions ---------------------------------------------------------------------------------


def page_signature(site: Path, service: str, action: str) -> dict:
    """{"client", "method", "params": [(name, annotation)], "returns"} of the action's page."""
    page = site / "reference" / "services" / service / action / "index.html"
    text = code_block(page, "signature")
    head, returns = text.rsplit(") -> ", 1)
    name, _, body = head.partition("(")
    client, method = name.strip().split(".")
    params = []
    for line in body.splitlines():
        line = line.strip().rstrip(",")
        if line and line != "*":
            declared, _, default = line.partition(" = ")
            param, _, annotation = declared.partition(": ")
            params.append((param, annotation, default))
    return {"client": client, "method": method, "params": params, "returns": returns.strip()}


def package_signature(client_class, action: str) -> dict:
    """The same, from the method of the client class in `smdb.soap`."""
    method = getattr(client_class, action)
    signature = inspect.signature(method)
    params = [
        (p.name, str(p.annotation), repr(p.default))
        for p in signature.parameters.values()
        if p.name != "self" and p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    others = [
        p.name
        for p in signature.parameters.values()
        if p.name != "self" and p.kind is not inspect.Parameter.KEYWORD_ONLY
    ]
    return {
        "client": client_class.__name__,
        "method": method.__name__,
        "params": params + [(name, "not keyword-only", "") for name in others],
        "returns": str(signature.return_annotation),
    }


def action_mismatches(shown: dict, known: dict) -> list[str]:
    return [
        f"{key}: page {shown[key]!r} != package {known[key]!r}"
        for key in ("client", "method", "params", "returns")
        if shown[key] != known[key]
    ]
