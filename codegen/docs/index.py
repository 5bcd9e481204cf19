"""What the docs templates ask of the spec: its elements, links to their stable anchors, and
which rules, decisions and date-control points concern which field, code list and code."""

from __future__ import annotations

import datetime as dt
import re

from codegen.docs import changelog, flowchart, provenance, services, timeline
from codegen.docs.dating import Dating
from codegen.docs.format import age_text, link, markdown_source
from codegen.emitters import escape
from codegen.history import History
from codegen.model import Code
from codegen.spec_json import to_data

KNOWN_RULE_KEYS = {
    "applies", "check", "context", "examples", "felt_ids", "id", "message_da", "message_en",
    "reading", "section", "select", "severity", "source", "title_en", "when",
    "basis", "cites", "older_cases",
}  # fmt: skip


def _day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value[:1].isdigit() else None


class SpecIndex:
    """The spec's elements and the links between them, for the templates."""

    def __init__(
        self,
        doc: dict,
        provenance_text: str,
        per_release: dict | None = None,
        former: dict[str, tuple[tuple[str, ...], dt.date]] | None = None,
        rules_change: dt.date | None = None,
        *,
        history: History,
    ) -> None:
        """`per_release`: what each release changed (codegen.diff.history), for the links
        to the changelog pages; `former`: per code list, the codes known to have been options
        until a date (codegen.datecontrol.former_codes, as `smdb.codelists` has them);
        `rules_change`: the anmodningsdato from which this release's rules govern a case
        (datecontrol); `history`: what the releases know together (codegen.history), as
        `smdb.codelists` has it."""
        self.doc = doc
        # Dates as the spec document writes them (the templates' `day` shows those).
        self.former = {
            name: (codes, day.isoformat()) for name, (codes, day) in (former or {}).items()
        }
        self.rules_change = rules_change.isoformat() if rules_change else None
        self.release = doc["release"]
        self.forms = doc["forms"]
        self.codelists = doc["codelists"]
        self.rules = doc["rules"]
        self.date_control = doc["date_control"]
        head, self.decisions = provenance.split_provenance(provenance_text)
        # The words of each rule's expressions: the variables it reads.
        self.rule_words = {
            rule["id"]: provenance.words(f"{rule['when']} {rule['check']}") for rule in self.rules
        }
        self.decision_words = {d.id: provenance.words(d.text) for d in self.decisions}
        # Its headings go below the page's own.
        self.provenance_body = markdown_source(
            re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m[1]) + 2) + " ", head, flags=re.M)
        )
        self.form_of_felt_id: dict[str, str] = {}
        self.form_of_variable: dict[str, str] = {}
        self.fields_of_codelist: dict[str, list[dict]] = {}
        for form in self.forms:
            for field in form["fields"]:
                if field["felt_id"]:
                    self.form_of_felt_id.setdefault(field["felt_id"], form["name"])
                self.form_of_variable[field["variable"]] = form["name"]
                if field["codelist"]:
                    self.fields_of_codelist.setdefault(field["codelist"], []).append(field)
        self.services = services.services(doc)
        self.changes = changelog.links_by_element(per_release or {})
        self.dating = Dating(history, per_release or {})
        self.release_dates = tuple(d for d in map(_day, per_release or ()) if d)
        self.codelist_names = {c["name"] for c in self.codelists}
        self.rule_ids = {r["id"] for r in self.rules}
        self.point_ids = {p["id"] for p in self.date_control}
        self.action_pages = {(s["service"], a) for s in self.services for a in s["actions"]}
        self.flow_steps = services.flow_steps(doc, self.services)
        self.flow_edges = services.flow_edges(self.flow_steps, self.services)

    # Links ----------------------------------------------------------------------------------
    # Every page lives one or two folders below docs/reference/; links are from that page.

    def felt_id_link(self, felt_id: str, base: str) -> str:
        form = self.form_of_felt_id.get(felt_id)
        if form is None:
            return escape.md(felt_id)
        return link(felt_id, f"{base}forms/{form}.md#{felt_id}")

    def variable_link(self, variable: str, base: str) -> str:
        return link(variable, f"{base}forms/{self.form_of_variable[variable]}.md#{variable}")

    def name_link(self, name: str, base: str) -> str:
        """A Felt-ID, a form name or a service name of a date-control point's `applies_to`."""
        if name in self.form_of_felt_id:
            return self.felt_id_link(name, base)
        if any(form["name"] == name for form in self.forms):
            return link(name, f"{base}forms/{name}.md")
        if any(service["service"] == name for service in self.doc["services"]):
            return link(name, f"{base}services/{name}/index.md")
        return escape.md(name)

    def rule_link(self, rule_id: str, base: str) -> str:
        return link(rule_id, f"{base}rules/{rule_id}.md")

    def decision_link(self, decision: str, base: str) -> str:
        return link(decision, f"{base}provenance.md#{decision}")

    def point_link(self, point_id: str, base: str) -> str:
        return link(point_id, f"{base}datostyring.md#{point_id}")

    def changed_in(self, kind: str, key: str, base: str) -> escape.Code:
        """Links to the changelog entries of a field, code, rule, action, form, date-control
        point or section ("" if none), and to that of its section where a release does not
        know the section at all (its rules): silence would read as "unchanged"."""
        return changelog.changed_in(self._entries(kind, key), base)

    def sections_changed(self, section: str, base: str) -> escape.Code:
        """Links to the entries where a release does not know a section or a part of one
        ("service_facts.endpoints": that part, or all its service facts)."""
        keys = (("section", section.split(".")[0]), ("section", section))
        entries = [entry for key in dict.fromkeys(keys) for entry in self.changes.get(key, [])]
        return changelog.changed_in(sorted(entries, key=lambda e: e.release), base)

    def _entries(self, kind: str, key: str) -> list[changelog.Entries]:
        links = self.changes.get((kind, key), [])
        section = self.changes.get(("section", changelog.SECTION_OF.get(kind, "")), [])
        return sorted(links + section, key=lambda entries: entries.release)

    def codes_changed(self, codelist: dict, base: str) -> escape.Code:
        """ "changed in 2026-01-01: 01, 03; in 2025-07-01 (text there not known): 04"
        for the codes of a list that have entries, each code linked to its entry."""
        groups: dict[tuple[str, str], list[str]] = {}
        for item in codelist["codes"]:
            for entries in self._entries("code", f"{codelist['name']}/{item['code']}"):
                target = f"{base}changelog/{entries.release}.md#{entries.anchor}"
                group = groups.setdefault((entries.release, changelog.words(entries, "")), [])
                group.append(link(item["code"], target))
        return escape.Code(
            "; ".join(
                f"{escape.md(said)}: {', '.join(codes)}" for (_, said), codes in groups.items()
            )
        )

    # What concerns what ----------------------------------------------------------------------

    def rules_of_field(self, field: dict) -> list[str]:
        return [
            rule["id"]
            for rule in self.rules
            if (field["felt_id"] and field["felt_id"] in rule["felt_ids"])
            or field["variable"] in self.rule_words[rule["id"]]
        ]

    def rules_of_code(self, codelist: str, code: str) -> list[str]:
        """Rules about one code of a list: they name a field of the list and the code literally."""
        names = self.fields_of_codelist.get(codelist, [])
        found = []
        for rule in self.rules:
            text = f"{rule['when'] or ''} {rule['check']}"
            if f'"{code}"' in text and any(
                re.search(rf"\b{re.escape(f['variable'])}\b", text) for f in names
            ):
                found.append(rule["id"])
        return found

    def rules_of_every_code(self, codelist: str) -> list[str]:
        """Field-level rules over the list's fields' metadata (e.g. "a code in force")."""
        felt_ids = {f["felt_id"] for f in self.fields_of_codelist.get(codelist, [])}
        return [
            rule["id"]
            for rule in self.rules
            if rule["context"] == "field"
            and "codelist" in (rule["select"] or "")
            and felt_ids & set(rule["felt_ids"])
        ]

    def felt_id_anchors(self, form: dict) -> set[str]:
        """The variables whose row carries their Felt-ID's anchor: the first of each Felt-ID
        (a Felt-ID group such as 18-IVÆR's substances shares one)."""
        first: dict[str, str] = {}
        for field in form["fields"]:
            if field["felt_id"]:
                first.setdefault(field["felt_id"], field["variable"])
        return set(first.values())

    def actions_of_form(self, form_name: str) -> dict[str, list[tuple[str, str]]]:
        for step in self.flow_steps:
            if step["form"]["name"] == form_name:
                return step
        return {"send": [], "fetch": [], "delete": []}

    def rules_of_codelist(self, codelist: str) -> list[str]:
        ids: list[str] = []
        for field in self.fields_of_codelist.get(codelist, []):
            ids += self.rules_of_field(field)
        return list(dict.fromkeys(ids))

    def decisions_of_field(self, field: dict) -> list[str]:
        names = {field["felt_id"], field["variable"]} - {None, ""}
        return [d.id for d in self.decisions if names & self.decision_words[d.id]]

    def decisions_of_codelist(self, codelist: str) -> list[str]:
        ids: list[str] = []
        for field in self.fields_of_codelist.get(codelist, []):
            ids += self.decisions_of_field(field)
        return list(dict.fromkeys(ids))

    def decisions_of_rule(self, rule: dict) -> list[str]:
        """The decisions a rule cites, in its citations or its reading."""
        cites = " ".join(rule.get("cites", []))
        return provenance.cited(f"{cites} {rule.get('reading') or ''}")

    @staticmethod
    def kravspec_lines(rule: dict) -> list[str]:
        """The kravspec lines a rule cites ("2446-2452"), where the spec has citations."""
        return [cite for cite in rule.get("cites", []) if cite[:1].isdigit()]

    def points_of_field(self, field: dict, form: str) -> list[dict]:
        return [
            point
            for point in self.date_control
            if field["felt_id"] in point["applies_to"] or form in point["applies_to"]
        ]

    def points_of_codelist(self, codelist: str) -> list[dict]:
        points: list[dict] = []
        for field in self.fields_of_codelist.get(codelist, []):
            form = self.form_of_variable[field["variable"]]
            points += [p for p in self.points_of_field(field, form) if p not in points]
        return points

    def concerned_by_decision(self, decision: provenance.Decision) -> dict[str, list[str]]:
        """What a decision's text names: fields (by Felt-ID or variable) and rules citing it."""
        fields = []
        for form in self.forms:
            for field in form["fields"]:
                if decision.id in self.decisions_of_field(field):
                    fields.append(field["variable"])
        rules = [rule["id"] for rule in self.rules if decision.id in self.decisions_of_rule(rule)]
        codelists = [
            c["name"]
            for c in self.codelists
            if decision.id in self.decisions_of_codelist(c["name"])
        ]
        return {"fields": fields, "codelists": codelists, "rules": rules}

    def rule_extras(self, rule: dict) -> list[tuple[str, object]]:
        """Keys a rule has beyond those this site knows (e.g. its basis), shown as they are."""
        return [(key, rule[key]) for key in sorted(rule) if key not in KNOWN_RULE_KEYS]

    def rules_by_section(self) -> list[tuple[str, list[dict]]]:
        sections: dict[str, list[dict]] = {}
        for rule in self.rules:
            sections.setdefault(rule["section"], []).append(rule)
        key = lambda section: [int(part) for part in section.split(".")]  # noqa: E731
        return [(section, sections[section]) for section in sorted(sections, key=key)]

    # As a vendor meets it ----------------------------------------------------------------

    @staticmethod
    def severity_shown(rule: dict, older: bool = False) -> str:
        """The severity `smdb.validation` reports for the rule (for a case under this
        release's rules, or `older`: before `rules_change`), and with --strict where that
        differs: an inferred rule, or a rule for older cases, warns unless strict."""
        severity = rule["severity"]
        if severity != "error":
            return severity
        if rule.get("basis") == "inferred" or (older and not rule.get("older_cases")):
            return "warning; error with --strict"
        return "error"

    def code_rows(self, codelist: dict) -> list[dict]:
        """The list's codes as `smdb.codelists` has them: its rows, then the codes known to
        have been options until a date-control point (text not stated), then the gaps that
        are no code at all."""
        effective = self.release["effective"]
        name = codelist["name"]
        rows = []
        ended = [("ended", _as_document(code)) for code in self.dating.ended(name)]
        for kind, code in [*(("code", code) for code in codelist["codes"]), *ended]:
            valid_from = code["validity"]["valid_from"]
            valid_to = code["validity"]["valid_to"]
            retired = bool(valid_to) and valid_to != "not-stated" and valid_to <= effective
            rows.append(
                {
                    "code": code["code"],
                    "option_number": code["option_number"],
                    "text": code["text_da"],
                    "valid_from": valid_from,
                    # Not stated by DST: since when the releases know it in force.
                    "since": self.dating.since(name, code["code"])
                    if valid_from == "not-stated"
                    else None,
                    "valid_to": valid_to,
                    "ages": age_text(code),
                    "status": "retired" if retired else "in force",
                    "kind": kind,
                }
            )
        former, until = self.former.get(codelist["name"], ((), None))
        for code in former:
            rows.append(
                {
                    "code": code,
                    "option_number": None,
                    "text": None,
                    "valid_from": "not-stated",
                    "since": None,
                    "valid_to": until,
                    "ages": "",
                    "status": "retired",
                    "kind": "former",
                }
            )
        for code in codelist.get("missing_codes", []):
            if code not in former:
                rows.append(
                    {
                        "code": code,
                        "option_number": None,
                        "text": None,
                        "valid_from": None,
                        "since": None,
                        "valid_to": None,
                        "ages": "",
                        "status": "not in the list",
                        "kind": "missing",
                    }
                )
        return rows

    # Pictures ---------------------------------------------------------------------------------

    @staticmethod
    def inline_svg(svg: str) -> escape.Code:
        """A picture of timeline.py or flowchart.py (every text in it XML-escaped there) put
        into the page itself, so that its hover titles work."""
        return escape.Code(svg.strip())

    # --------------------------------------------------------------------------------

    def flow_picture(self) -> str:
        steps = [
            flowchart.Step(
                code=step["form"]["code"] or step["form"]["name"],
                title=step["form"]["title_da"],
                actions=tuple(dict.fromkeys(action for _, action in step["send"])),
            )
            for step in self.flow_steps
        ]
        return flowchart.render(steps, self.flow_edges)

    def codelist_timeline(self, codelist: dict) -> str:
        bars = []
        effective = _day(self.release["effective"])
        name = codelist["name"]
        for code in [*codelist["codes"], *map(_as_document, self.dating.ended(name))]:
            valid_from = _day(code["validity"]["valid_from"])
            valid_to = _day(code["validity"]["valid_to"])
            retired = valid_to is not None and valid_to <= effective
            stated = code["validity"]["valid_from"] != "not-stated"
            bars.append(
                timeline.Bar(
                    code=code["code"],
                    text=code["text_da"] or "text not known",
                    valid_from=valid_from,
                    valid_to=valid_to,
                    ages=age_text(code),
                    state="retired" if retired else "in-force",
                    known_from=None if stated else self.dating.since_day(name, code["code"]),
                    known_note="" if stated else self.dating.since(name, code["code"]) or "",
                )
            )
        former, until = self.former.get(codelist["name"], ((), None))
        for code in former:
            bars.append(
                timeline.Bar(
                    code, "an old option, text not stated", None, _day(until), "", "retired"
                )
            )
        for missing in codelist.get("missing_codes", []):
            if missing not in former:
                bars.append(
                    timeline.Bar(missing, "not stated in the kravspec", None, None, "", "missing")
                )
        points = [
            timeline.Point(_day(p["date"]), p["id"])
            for p in self.points_of_codelist(codelist["name"])
            if _day(p["date"])
        ]
        return timeline.render(
            f"Validity of {codelist['name']}", bars, points, effective, self.release_dates
        )

    def forms_timeline(self) -> str:
        effective = _day(self.release["effective"])
        bars = []
        for form in self.forms:
            valid_to = _day(form["validity"]["valid_to"])
            bars.append(
                timeline.Bar(
                    code=form["code"] or form["name"],
                    text=form["title_da"],
                    valid_from=_day(form["validity"]["valid_from"]),
                    valid_to=valid_to,
                    ages="",
                    state="retired" if valid_to and valid_to <= effective else "in-force",
                )
            )
        points = [timeline.Point(_day(p["date"]), p["id"]) for p in self.date_control if p["date"]]
        return timeline.render(
            "Forms and date-control points", bars, points, effective, self.release_dates
        )


def _as_document(code: Code) -> dict:
    """A code of the model (an ended one, codegen.history) as the spec document writes it."""
    return to_data(code)
