"""`codegen.diff` on small synthetic releases: the real canonical spec, and a copy of it with
one change of one kind. Each change must be found, as exactly the entries expected, and
classified as codegen/diff/classify.py says (breaking ones included); what a side does not
know is reported unknown, never left out as if unchanged."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest
from conftest import ROOT

from codegen.diff import changelog

SPEC = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text(encoding="utf-8"))


def form(doc: dict, name: str) -> dict:
    return next(f for f in doc["forms"] if f["name"] == name)


def field(doc: dict, form_name: str, variable: str) -> dict:
    return next(f for f in form(doc, form_name)["fields"] if f["variable"] == variable)


def codes(doc: dict, name: str) -> list[dict]:
    return next(c for c in doc["codelists"] if c["name"] == name)["codes"]


def code(doc: dict, name: str, value: str) -> dict:
    return next(c for c in codes(doc, name) if c["code"] == value)


def rule(doc: dict, rule_id: str) -> dict:
    return next(r for r in doc["rules"] if r["id"] == rule_id)


def service(doc: dict, name: str, version: str) -> dict:
    return next(s for s in doc["services"] if (s["service"], s["api_version"]) == (name, version))


def operation(doc: dict, name: str, version: str, op: str) -> dict:
    return next(o for o in service(doc, name, version)["operations"] if o["name"] == op)


def type_(doc: dict, name: str, version: str, type_name: str) -> dict:
    return next(t for t in service(doc, name, version)["types"] if t["name"] == type_name)


def point(doc: dict, point_id: str) -> dict:
    return next(p for p in doc["date_control"] if p["id"] == point_id)


def setter(get: Callable[[dict], dict], key: str, value) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = get(doc)
        for part in key.split(".")[:-1]:
            target = target[part]
        target[key.split(".")[-1]] = value

    return change


ANM = "Anmodning"
IVAER = "Ivaerksaettelse"
AARSAG = "BehandlingAfsluttetAarsagKode"
ELEMENT = {"name": "Ny", "type": "xs:int", "min_occurs": 0, "max_occurs": 1, "nillable": True}

# (what, change to the new release, {(class, kind, id, aspect or change)}: exactly the report)
CASES = [
    # Forms and fields
    (
        "field required never -> always",
        setter(lambda d: field(d, IVAER, "PersonHovedstofAngivelseIkkeMuligIndikator"),
               "required", "always"),
        {("breaking", "field", f"{IVAER}/PersonHovedstofAngivelseIkkeMuligIndikator", "required")},
    ),
    (
        "field required always -> never",
        setter(lambda d: field(d, ANM, "KommuneKode"), "required", "never"),
        {("additive", "field", f"{ANM}/KommuneKode", "required")},
    ),
    (
        "field datatype",
        setter(lambda d: field(d, ANM, "KommuneKode"), "datatype", "string"),
        {("breaking", "field", f"{ANM}/KommuneKode", "datatype")},
    ),
    (
        "field question text",
        setter(lambda d: field(d, ANM, "KommuneKode"), "question_da", "Kommune (ny tekst)"),
        {("cosmetic", "field", f"{ANM}/KommuneKode", "question_da")},
    ),
    (
        "Felt-ID renumbered",
        setter(lambda d: field(d, ANM, "KommuneKode"), "felt_id", "18-ANM"),
        {("cosmetic", "field", f"{ANM}/KommuneKode", "felt_id")},
    ),
    (
        "display condition of a conditional field",
        setter(lambda d: field(d, IVAER, "ScreeningsvaerktoejAnvendtIvaerksaetTekst"),
               "display_condition_da", "Vises ved svar 05 eller 06 i 42-IVÆR"),
        {("breaking", "field", f"{IVAER}/ScreeningsvaerktoejAnvendtIvaerksaetTekst",
          "display_condition_da")},
    ),
    (
        "code list of a field",
        setter(lambda d: field(d, ANM, "BehandlingTidligereKode"), "codelist", AARSAG),
        {("breaking", "field", f"{ANM}/BehandlingTidligereKode", "codelist")},
    ),
    (
        "range narrowed",
        setter(lambda d: field(d, IVAER, "CannabisDageIndtagetSenesteMaanedKvantitet"),
               "constraints.maximum", 28),
        {("breaking", "field", f"{IVAER}/CannabisDageIndtagetSenesteMaanedKvantitet",
          "constraints.maximum")},
    ),
    (
        "range widened",
        setter(lambda d: field(d, IVAER, "HovedstofFoersteBrugAlderKvantitet"),
               "constraints.maximum", 120),
        {("additive", "field", f"{IVAER}/HovedstofFoersteBrugAlderKvantitet",
          "constraints.maximum")},
    ),
    (
        "minimum raised",
        setter(lambda d: field(d, IVAER, "CannabisDageIndtagetSenesteMaanedKvantitet"),
               "constraints.minimum", 1),
        {("breaking", "field", f"{IVAER}/CannabisDageIndtagetSenesteMaanedKvantitet",
          "constraints.minimum")},
    ),
    (
        "length shortened",
        setter(lambda d: field(d, IVAER, "ScreeningsvaerktoejAnvendtIvaerksaetTekst"),
               "constraints.max_length", 100),
        {("breaking", "field", f"{IVAER}/ScreeningsvaerktoejAnvendtIvaerksaetTekst",
          "constraints.max_length")},
    ),
    (
        "length lengthened",
        setter(lambda d: field(d, IVAER, "ScreeningsvaerktoejAnvendtIvaerksaetTekst"),
               "constraints.max_length", 500),
        {("additive", "field", f"{IVAER}/ScreeningsvaerktoejAnvendtIvaerksaetTekst",
          "constraints.max_length")},
    ),
    (
        "field retired",
        setter(lambda d: field(d, ANM, "PersonEllerPartnerGravidKode"), "retired", True),
        {("breaking", "field", f"{ANM}/PersonEllerPartnerGravidKode", "retired")},
    ),
    (
        "field ends",
        setter(lambda d: field(d, ANM, "PersonEllerPartnerGravidKode"),
               "validity.valid_to", "2026-07-01"),
        {("breaking", "field", f"{ANM}/PersonEllerPartnerGravidKode", "validity.valid_to")},
    ),
    (
        "field removed",
        lambda d: form(d, ANM)["fields"].pop(),
        {("breaking", "field", f"{ANM}/PersonPsykiskFunktionsnedsættelseKode", "removed")},
    ),
    (
        "field added, required",
        lambda d: form(d, ANM)["fields"].append(
            {**field(d, ANM, "KommuneKode"), "variable": "NytFelt", "felt_id": "10-ANM"}),
        {("breaking", "field", f"{ANM}/NytFelt", "added")},
    ),
    (
        "field added, never required",
        lambda d: form(d, ANM)["fields"].append(
            {**field(d, ANM, "KommuneKode"), "variable": "NytFelt", "required": "never"}),
        {("additive", "field", f"{ANM}/NytFelt", "added")},
    ),
    (
        "form ends",
        setter(lambda d: form(d, "Tilbudstilknytning"), "validity.valid_to", "2027-01-01"),
        {("breaking", "form", "Tilbudstilknytning", "validity.valid_to")},
    ),
    (
        "form title",
        setter(lambda d: form(d, ANM), "title_da", "Anmodning"),
        {("cosmetic", "form", ANM, "title_da")},
    ),
    # Codes
    (
        "code added",
        lambda d: codes(d, AARSAG).append({**codes(d, AARSAG)[0], "code": "77"}),
        {("additive", "code", f"{AARSAG}/77", "added")},
    ),
    (
        "code removed",
        lambda d: codes(d, AARSAG).remove(code(d, AARSAG, "01")),
        {("breaking", "code", f"{AARSAG}/01", "removed")},
    ),
    (
        "code retired",
        setter(lambda d: code(d, AARSAG, "01"), "validity.valid_to", "2026-07-01"),
        {("breaking", "code", f"{AARSAG}/01", "validity.valid_to")},
    ),
    (
        "code re-labelled",
        setter(lambda d: code(d, AARSAG, "01"), "text_da", "Afsluttet"),
        {("cosmetic", "code", f"{AARSAG}/01", "text_da")},
    ),
    (
        "code start date from not stated: unknown",
        setter(lambda d: code(d, AARSAG, "01"), "validity.valid_from", "2025-07-01"),
        {("unknown", "code", f"{AARSAG}/01", "validity.valid_from")},
    ),
    (
        "code age limit added",
        setter(lambda d: code(d, AARSAG, "01"), "min_age", 18),
        {("breaking", "code", f"{AARSAG}/01", "min_age")},
    ),
    # Date-control points
    (
        "date-control point moved",
        setter(lambda d: point(d, "kvalhep-udgaar"), "date", "2025-10-01"),
        {("breaking", "date-control point", "kvalhep-udgaar", "date")},
    ),
    (
        "date-control point adding actions",
        lambda d: d["date_control"].append(
            {**point(d, "webservice-2026"), "id": "webservice-2027", "date": "2027-01-01"}),
        {("additive", "date-control point", "webservice-2027", "added")},
    ),
    (
        "date-control point ending a form",
        lambda d: d["date_control"].append(
            {**point(d, "kvalhep-udgaar"), "id": "afsl-udgaar", "applies_to": ["Afslutning"]}),
        {("breaking", "date-control point", "afsl-udgaar", "added")},
    ),
    # Rules
    (
        "rule added that rejects",
        lambda d: d["rules"].append({**rule(d, "SMDB-IVÆR-43"), "id": "SMDB-NY"}),
        {("breaking", "rule", "SMDB-NY", "added")},
    ),
    (
        "rule added that warns",
        lambda d: d["rules"].append({**rule(d, "SMDB-IVÆR-23"), "id": "SMDB-NY"}),
        {("additive", "rule", "SMDB-NY", "added")},
    ),
    (
        "rule removed",
        lambda d: d["rules"].remove(rule(d, "SMDB-IVÆR-43")),
        {("additive", "rule", "SMDB-IVÆR-43", "removed")},
    ),
    (
        "rule condition changed",
        setter(lambda d: rule(d, "SMDB-IVÆR-43"), "check", "False"),
        {("breaking", "rule", "SMDB-IVÆR-43", "check")},
    ),
    (
        "inferred rule's condition changed",
        setter(lambda d: rule(d, "SMDB-IVÆR-23"), "check", "False"),
        {("additive", "rule", "SMDB-IVÆR-23", "check")},
    ),
    (
        "rule basis inferred -> stated",
        setter(lambda d: rule(d, "SMDB-IVÆR-23"), "basis", "stated"),
        {("breaking", "rule", "SMDB-IVÆR-23", "basis")},
    ),
    (
        "rule severity error -> notice",
        setter(lambda d: rule(d, "SMDB-IVÆR-43"), "severity", "notice"),
        {("additive", "rule", "SMDB-IVÆR-43", "severity")},
    ),
    (
        "rule message",
        setter(lambda d: rule(d, "SMDB-IVÆR-43"), "message_da", "Ny tekst"),
        {("cosmetic", "rule", "SMDB-IVÆR-43", "message_da")},
    ),
    # SOAP actions and message shapes
    (
        "action added",
        lambda d: service(d, "HentData", "v1")["operations"].append(
            {**operation(d, "HentData", "v1", "HentAnmodning"), "name": "HentNyt"}),
        {("additive", "action", "HentData/v1/HentNyt", "added")},
    ),
    (
        "action removed",
        lambda d: service(d, "HentData", "v0")["operations"].remove(
            operation(d, "HentData", "v0", "HentAnmodning")),
        {("breaking", "action", "HentData/v0/HentAnmodning", "removed")},
    ),
    (
        "SOAP action URI",
        setter(lambda d: operation(d, "HentData", "v1", "HentAnmodning"), "action", "urn:x"),
        {("breaking", "action", "HentData/v1/HentAnmodning", "action")},
    ),
    (
        "request element made mandatory",
        setter(lambda d: operation(d, "HentData", "v1", "HentAnmodning")["request"][0],
               "min_occurs", 1),
        {("breaking", "request element", "HentData/v1/HentAnmodning/request/AnmodningId",
          "min_occurs")},
    ),
    (
        "optional element added to a type",
        lambda d: type_(d, "IndsaetData", "v1", "Anmodning")["elements"].append(dict(ELEMENT)),
        {("additive", "type element", "IndsaetData/v1/types/Anmodning/Ny", "added")},
    ),
    (
        "mandatory element added to a type",
        lambda d: type_(d, "IndsaetData", "v1", "Anmodning")["elements"].append(
            {**ELEMENT, "min_occurs": 1}),
        {("breaking", "type element", "IndsaetData/v1/types/Anmodning/Ny", "added")},
    ),
    (
        "element type changed",
        setter(lambda d: next(e for e in type_(d, "IndsaetData", "v1", "Anmodning")["elements"]
                              if e["name"] == "BehandlingAnmodningDato"), "type", "xs:string"),
        {("breaking", "type element", "IndsaetData/v1/types/Anmodning/BehandlingAnmodningDato",
          "type")},
    ),
    (
        "service version removed",
        lambda d: d["services"].remove(service(d, "TokenTest", "v0")),
        {("breaking", "service", "TokenTest/v0", "removed")},
    ),
    (
        "service endpoint",
        setter(lambda d: service(d, "HentData", "v1"), "endpoint", "https://example.invalid/x"),
        {("breaking", "service", "HentData/v1", "endpoint")},
    ),
    # Service facts
    (
        "endpoint moved",
        setter(lambda d: d["service_facts"]["endpoints"][0], "preprod", "https://example.invalid"),
        {("breaking", "endpoint", "HentData/v1", "preprod")},
    ),
    (
        "server check added",
        lambda d: d["service_facts"]["server_checks"].append(
            {**d["service_facts"]["server_checks"][0], "id": "SMDB-SERVER-NY"}),
        {("breaking", "server check", "SMDB-SERVER-NY", "added")},
    ),
    (
        "server check message text",
        lambda d: d["service_facts"]["server_checks"][0]["messages"][0].update(text_da="Ny"),
        {("cosmetic", "server check", SPEC["service_facts"]["server_checks"][0]["id"],
          "messages")},
    ),
    (
        "start-date lock",
        setter(lambda d: d["service_facts"]["start_date_lock"], "felt_ids", ["1-IVÆR", "2-ANM"]),
        {("breaking", "start-date lock", "start-date lock", "felt_ids")},
    ),
    (
        "municipality removed",
        lambda d: d["municipalities"].pop(0),
        {("breaking", "municipality", "101", "removed")},
    ),
    (
        "overlap made inclusive",
        setter(lambda d: d["overlap"], "end_inclusive", True),
        {("breaking", "overlap", "overlap", "end_inclusive")},
    ),
    (
        "an attribute the diff does not know",
        setter(lambda d: form(d, ANM), "something_new", 1),
        {("breaking", "form", ANM, "something_new")},
    ),
]  # fmt: skip


def entries(result: dict) -> set[tuple]:
    return {(c["class"], c["kind"], c["id"], c["aspect"] or c["change"]) for c in result["changes"]}


@pytest.mark.parametrize("what, change, expected", CASES, ids=[c[0] for c in CASES])
def test_one_change_is_found_and_classified(what, change, expected):
    new = copy.deepcopy(SPEC)
    change(new)
    result = changelog(SPEC, new)
    assert entries(result) == expected
    assert result["counts"][next(iter(expected))[0]] == 1


def test_the_same_release_has_no_change():
    assert changelog(SPEC, copy.deepcopy(SPEC))["changes"] == []


def test_the_reverse_of_an_additive_change_is_breaking():
    """Removing what adding was additive for: a code added new -> old is a code removed."""
    new = copy.deepcopy(SPEC)
    codes(new, AARSAG).append({**codes(new, AARSAG)[0], "code": "77"})
    assert entries(changelog(new, SPEC)) == {("breaking", "code", f"{AARSAG}/77", "removed")}


def test_a_change_carries_its_felt_ids_codes_actions_and_dates():
    new = copy.deepcopy(SPEC)
    code(new, AARSAG, "01")["validity"]["valid_to"] = "2026-07-01"
    (change,) = changelog(SPEC, new)["changes"]
    assert change["change"] == "retired"
    assert change["codes"] == ["01"]
    assert change["felt_ids"] == ["3-AFSL"]
    assert "AfslutBehandling" in change["actions"]
    assert change["dates"] == ["2026-07-01"]
    assert (change["old"], change["new"]) == (None, "2026-07-01")


def test_breaking_changes_come_first():
    new = copy.deepcopy(SPEC)
    code(new, AARSAG, "01")["text_da"] = "Afsluttet"  # cosmetic
    codes(new, AARSAG).append({**codes(new, AARSAG)[0], "code": "77"})  # additive
    rule(new, "SMDB-IVÆR-43")["check"] = "False"  # breaking
    classes = [c["class"] for c in changelog(SPEC, new)["changes"]]
    assert classes == ["breaking", "additive", "cosmetic"]


# What one side does not know (codegen/diff/known.py) ------------------------------------------


def unknown_ids(result: dict) -> set[tuple[str, str]]:
    return {(c["kind"], c["id"]) for c in result["changes"] if c["class"] == "unknown"}


def knowing(doc: dict, *, kinds=(), attributes=()) -> dict:
    """The document with a knowledge part as codegen/importers/knowledge.py writes it."""
    doc["knowledge"] = {
        "complete": False,
        "unknown_kinds": [{"kind": k, "why": f"K1: no {k}"} for k in kinds],
        "unknown_attributes": [
            {"kind": kind, "items": items, "attributes": attrs, "why": why}
            for kind, items, attrs, why in attributes
        ],
    }
    return doc


def test_an_element_whose_existence_is_not_known_is_unknown_even_when_equal():
    old = copy.deepcopy(SPEC)
    field(old, ANM, "KommuneKode")["unknown"] = ["existence"]
    knowing(old, attributes=[("field", [f"{ANM}.KommuneKode"], ["existence"], "K5: not stated")])
    result = changelog(old, SPEC)
    assert unknown_ids(result) == {("field", f"{ANM}/KommuneKode")}
    (change,) = result["changes"]
    assert change["reason"] == "its state is not known in the old release (K5: not stated)"
    assert change["felt_ids"] == ["8-ANM"]


def test_an_element_not_known_on_one_side_and_absent_on_the_other_is_not_added():
    old = copy.deepcopy(SPEC)
    form(old, ANM)["fields"].append(
        {**field(old, ANM, "KommuneKode"), "variable": "Gammel", "unknown": ["existence"]}
    )
    assert entries(changelog(old, SPEC)) == {("unknown", "field", f"{ANM}/Gammel", "unknown")}


def test_an_element_not_known_covers_its_children_once():
    """A form whose existence is not known: one entry for it, none repeated for each field,
    even for a field that differs."""
    old = copy.deepcopy(SPEC)
    form(old, ANM)["unknown"] = ["existence"]
    field(old, ANM, "KommuneKode")["required"] = "never"
    assert entries(changelog(old, SPEC)) == {("unknown", "form", ANM, "unknown")}


def test_a_form_whose_fields_are_not_stated_reports_each_field_unknown():
    old = copy.deepcopy(SPEC)
    form(old, ANM)["fields_stated"] = False
    form(old, ANM)["fields"] = []
    result = changelog(old, SPEC)
    expected = {("field", f"{ANM}/{f['variable']}") for f in form(SPEC, ANM)["fields"]}
    assert unknown_ids(result) == expected
    assert {c["class"] for c in result["changes"]} == {"unknown"}


def test_fields_stated_not_known_reports_each_field_unknown():
    old = copy.deepcopy(SPEC)
    form(old, ANM)["fields_stated"] = None
    form(old, ANM)["unknown"] = ["fields_stated"]
    expected = {("field", f"{ANM}/{f['variable']}") for f in form(SPEC, ANM)["fields"]}
    assert unknown_ids(changelog(old, SPEC)) == expected


def test_an_attribute_not_known_is_unknown_even_when_equal():
    """Written as null (codegen/spec_json.py), named in `unknown`, its reason in knowledge."""
    old = copy.deepcopy(SPEC)
    kommune = field(old, ANM, "KommuneKode")
    kommune.update(required=None, validity=None, unknown=["required", "validity"])
    knowing(old, attributes=[("field", ["*"], ["required", "validity"], "K5: 2025 not stated")])
    result = changelog(old, SPEC)
    (change,) = result["changes"]
    assert (change["class"], change["kind"], change["id"]) == (
        "unknown",
        "field",
        f"{ANM}/KommuneKode",
    )
    assert change["attributes"] == ["required", "validity"]
    assert change["reason"] == "not known in the old release (K5: 2025 not stated)"


def test_message_shapes_not_known_report_each_element_unknown():
    old = copy.deepcopy(SPEC)
    hent = operation(old, "HentData", "v1", "HentAnmodning")
    hent.update(request=None, unknown=["request"])
    knowing(old, attributes=[("operation", ["HentData.HentAnmodning"], ["request"], "K8: why")])
    (change,) = changelog(old, SPEC)["changes"]
    assert (change["class"], change["kind"], change["id"]) == (
        "unknown",
        "request element",
        "HentData/v1/HentAnmodning/request/AnmodningId",
    )
    assert change["reason"] == "its state is not known in the old release (K8: why)"


def test_a_section_not_known_is_one_unknown_entry():
    """The release holds none of its rules: not 65 rules added, one section unknown."""
    old = knowing(copy.deepcopy(SPEC), kinds=["rules", "service_facts"])
    old["rules"] = []
    old["service_facts"] = None
    result = changelog(old, SPEC)
    assert entries(result) == {
        ("unknown", "section", "rules", "unknown"),
        ("unknown", "section", "service_facts", "unknown"),
    }
    assert result["changes"][0]["reason"] == (
        "the whole section: its state is not known in the old release (K1: no rules)"
    )
    assert result["old"]["unknown_sections"] == ["rules", "service_facts"]


def test_a_release_that_knows_one_service_fact_reports_it_and_the_others_unknown():
    """2025-07-01 knows that it had no start-date lock (line 276, "fremover") and none of its
    other service facts: the lock is added (breaking), each other fact one unknown entry."""
    others = ("endpoints", "reporting_unit", "manual_deletion", "server_checks")
    old = knowing(copy.deepcopy(SPEC), kinds=[f"service_facts.{fact}" for fact in others])
    old["service_facts"] = None
    result = changelog(old, SPEC)
    assert entries(result) == {
        ("breaking", "start-date lock", "start-date lock", "added"),
        *(("unknown", "section", f"service_facts.{fact}", "unknown") for fact in others),
    }
    # Known as a whole or not: the old release knowing no lock, as one without the part.
    whole = knowing(copy.deepcopy(SPEC), kinds=["service_facts"])
    whole["service_facts"] = None
    assert entries(changelog(whole, SPEC)) == {("unknown", "section", "service_facts", "unknown")}


def test_unknown_in_the_new_release_too():
    new = copy.deepcopy(SPEC)
    code(new, AARSAG, "01")["unknown"] = ["existence"]
    codes(new, AARSAG).remove(code(new, AARSAG, "02"))
    result = changelog(SPEC, new)
    assert entries(result) == {
        ("unknown", "code", f"{AARSAG}/01", "unknown"),
        ("breaking", "code", f"{AARSAG}/02", "removed"),
    }
    assert "new release" in result["changes"][1]["reason"]
