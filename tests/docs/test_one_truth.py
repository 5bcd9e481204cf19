"""One truth: what the built site says about every code, rule and action equals what the
generated package (smdb.codelists, smdb.validation, smdb.soap) does. Each comparison is
also shown to fail when only one side changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import subprocess
import sys

import pytest
from conftest import GENERATED_PACKAGE, generated_module

from tests.docs import one_truth
from tests.docs.conftest import ROOT

# The package as generated (tests do not install it; a fresh clone has no `smdb` installed).
codelists = generated_module("smdb.codelists")
soap = generated_module("smdb.soap")
validation = generated_module("smdb.validation")
_codec = generated_module("smdb.soap._codec")
spec_module = generated_module("smdb.spec")
changes = generated_module("smdb.changes")

EFFECTIVE = dt.date(2026, 1, 1)
DATING = one_truth.PackageDating(spec_module.RELEASES, changes.load())


def test_every_code_shown_has_the_validity_and_ages_of_smdb_codelists(built_site):
    problems = []
    for name in codelists.CODELISTS:
        enum = getattr(codelists, name)
        shown = one_truth.page_codes(built_site, name)
        known = one_truth.package_codes(enum, EFFECTIVE, DATING)
        problems += [f"{name} {p}" for p in one_truth.codelist_mismatches(shown, known)]
    assert not problems, "\n".join(problems)
    assert len(codelists.CODELISTS) >= 20


def test_4_ivaer_option_03_is_shown_as_the_package_knows_it(built_site):
    shown = one_truth.page_codes(built_site, "BehandlingGarantiOverskredeAarsagKode")
    assert shown["03"] == {
        "periods": [("not stated", "2019-07-01", "")],
        "status": "retired",
    }
    code = codelists.BehandlingGarantiOverskredeAarsagKode("03")
    assert code.valid_to == dt.date(2019, 7, 1) and code.text_da is None


def test_codes_in_both_releases_are_shown_known_in_force_since_the_older(built_site):
    """No code's start is stated; every one is in both releases, so the page dates it
    "≥ 2025-07-01 (in release 2025-07-01)", as `in_force_since`, never as a stated start."""
    name = "PersonNogensindeInjiceretEllerInjicererForTidenKode"
    shown = one_truth.page_codes(built_site, name)
    assert shown["01"]["periods"] == [("≥ 2025-07-01 (in release 2025-07-01)", "open", "")]
    member = getattr(codelists, name)("01")
    assert (member.valid_from, member.valid_from_stated) == (None, False)
    assert member.in_force_since == dt.date(2025, 7, 1)
    in_force = [code for code in shown.values() if code["status"] == "in force"]
    assert {p[0] for code in in_force for p in code["periods"]} == {
        "≥ 2025-07-01 (in release 2025-07-01)"
    }


def test_the_dating_comparison_fails_when_either_side_changes(built_site):
    name = "PersonNogensindeInjiceretEllerInjicererForTidenKode"
    shown = one_truth.page_codes(built_site, name)
    known = one_truth.package_codes(getattr(codelists, name), EFFECTIVE, DATING)
    assert not one_truth.codelist_mismatches(shown, known)
    # The page as it was: "not stated" where the package knows the code since 2025-07-01.
    old_page = {**shown, "01": {**shown["01"], "periods": [("not stated", "open", "")]}}
    assert one_truth.codelist_mismatches(old_page, known)
    # A package whose releases do not date 01 back (2025-07-01 not knowing it listed it).
    dated_later = one_truth.PackageDating(spec_module.RELEASES, changes.load()).words(
        name, "01", EFFECTIVE
    )
    assert dated_later == "≥ 2026-01-01 (in release 2026-01-01; unknown in 2025-07-01)"
    changed = {**known, "01": {**known["01"], "periods": [(dated_later, "open", "")]}}
    assert one_truth.codelist_mismatches(shown, changed)


def test_the_code_comparison_fails_when_either_side_changes(built_site):
    name = "BehandlingGarantiOverskredeAarsagKode"
    shown = one_truth.page_codes(built_site, name)
    known = one_truth.package_codes(getattr(codelists, name), EFFECTIVE, DATING)
    assert not one_truth.codelist_mismatches(shown, known)
    # The page as it was before: 03 "not in the list", dates not stated.
    old_page = {**shown, "03": {"periods": [("", "", "")], "status": "not in the list"}}
    assert one_truth.codelist_mismatches(old_page, known)
    # The package with 05's age limit gone.
    changed = {**known, "05": {**known["05"], "periods": [("not stated", "open", "")]}}
    assert one_truth.codelist_mismatches(shown, changed)


def test_every_rule_shows_the_severity_smdb_validation_reports(built_site):
    problems = []
    for rule in validation.RULES:
        shown = one_truth.page_severities(built_site, rule.id)
        problems += one_truth.rule_mismatches(shown, rule, validation.RULES_CHANGE)
    assert not problems, "\n".join(problems)
    inferred = [r for r in validation.RULES if r.basis == "inferred"]
    assert inferred, "no inferred rule to show as a warning"
    shown = one_truth.page_severities(built_site, inferred[0].id)
    assert shown["Severity"] == "warning; error with --strict"


def test_the_rule_comparison_fails_when_either_side_changes(built_site):
    rule = next(r for r in validation.RULES if r.basis == "inferred")
    shown = one_truth.page_severities(built_site, rule.id)
    change = validation.RULES_CHANGE
    assert not one_truth.rule_mismatches(shown, rule, change)
    assert one_truth.rule_mismatches({**shown, "Severity": "error"}, rule, change)
    stated = dataclasses.replace(rule, basis="stated")
    assert one_truth.rule_mismatches(shown, stated, change)


def test_every_action_names_a_client_method_of_smdb_soap_with_its_parameters(built_site):
    problems = []
    actions = 0
    for service, versions in _codec.SERVICES.items():
        client = getattr(soap, f"{service}Client")
        for op in versions["v1"][1].values():
            actions += 1
            shown = one_truth.page_signature(built_site, service, op.name)
            known = one_truth.package_signature(client, op.name)
            problems += [
                f"{service}.{op.name} {p}" for p in one_truth.action_mismatches(shown, known)
            ]
    assert not problems, "\n".join(problems)
    assert actions >= 30


def test_the_action_comparison_fails_when_either_side_changes(built_site):
    shown = one_truth.page_signature(built_site, "IndsaetData", "IndsaetIvaerksaettelse")
    known = one_truth.package_signature(soap.IndsaetDataClient, "IndsaetIvaerksaettelse")
    assert not one_truth.action_mismatches(shown, known)
    assert [name for name, _, _ in shown["params"]] == ["Anmodning", "Ivaerksaettelse"]
    assert one_truth.action_mismatches({**shown, "params": shown["params"][:1]}, known)

    class Renamed(soap.IndsaetDataClient):
        def IndsaetIvaerksaettelse(self, *, Anmodning=None, Iværksættelse=None) -> int | None:
            raise NotImplementedError

    Renamed.__name__ = "IndsaetDataClient"
    assert one_truth.action_mismatches(
        shown, one_truth.package_signature(Renamed, "IndsaetIvaerksaettelse")
    )


@pytest.mark.parametrize("client", ["HentDataClient", "IndsaetDataClient", "TokenTestClient"])
def test_every_client_method_has_an_action_page(built_site, client):
    service = client.removesuffix("Client")
    methods = [
        name
        for name, _ in inspect_members(getattr(soap, client))
        if not name.startswith("_") and name[0].isupper()
    ]
    for method in methods:
        page = built_site / "reference" / "services" / service / method / "index.html"
        assert page.is_file(), method


def inspect_members(cls):
    import inspect

    return inspect.getmembers(cls, inspect.isfunction)


def test_the_environments_page_gives_every_endpoint_the_package_calls(built_site, spec):
    page = built_site / "reference" / "environments" / "index.html"
    rows = [
        [cell for cell, _ in row]
        for table in one_truth.tables(page)
        if [c for c, _ in table[0]][:4] == ["Service", "API", "Production", "PreProd"]
        for row in table[1:]
    ]
    shown = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    known = {}
    for service, versions in _codec.SERVICES.items():
        for version in versions:
            client = getattr(soap, f"{service}Client")
            known[service, version] = tuple(
                soap.service_url(name, service, version) for name in ("prod", "preprod")
            )
            assert client  # a client for every service shown
    assert shown == known
    assert any("smdbpreprodws.dst.dk" in url for _, url in shown.values())


def test_what_the_environments_page_says_smdb_send_prints_without_sts(built_site, tmp_path):
    page = (built_site / "reference" / "environments" / "index.html").read_text("utf-8")
    said = page.split("without <code>--sts</code> stops with", 1)[1].split("</code>", 1)[0]
    said = html.unescape(re.sub(r"<[^>]+>", "", said)).strip()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "smdb.cli",
            "send",
            "--endpoint",
            "preprod",
            "--credentials",
            str(tmp_path / "none.p12"),
            str(ROOT / "spec" / "rules" / "examples" / "base-case.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(GENERATED_PACKAGE)},  # not installed in a clone
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"smdb: error: {said}"
