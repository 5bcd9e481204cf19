"""service-facts.json: what the kravspec says about the services beyond the WSDLs, as data in
the canonical spec, checked against the WSDLs and the rest of the spec."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from codegen.build import build_spec
from codegen.errors import SourceError
from codegen.importers.service_facts import load_service_facts
from codegen.rules.citations import Citations

RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
FACTS = RELEASE / "service-facts.json"


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


def test_every_service_version_has_prod_preprod_and_singlewsdl(spec):
    facts = spec.service_facts
    versions = {(s.service, s.api_version) for s in spec.services}
    assert {(e.service, e.api_version) for e in facts.endpoints} == versions
    hent = next(e for e in facts.endpoints if (e.service, e.api_version) == ("HentData", "v1"))
    assert hent.preprod == (
        "https://smdbpreprodws.dst.dk/smdbwebservice/api/external/v1/securehentdata.svc"
    )
    assert hent.wsdl == hent.preprod + "?singlewsdl"
    for endpoint in facts.endpoints:
        assert "preprod" in endpoint.preprod and endpoint.prod.startswith("https://smdbws.")


def test_reporting_unit_start_date_lock_and_deletion_order(spec):
    facts = spec.service_facts
    assert facts.reporting_unit.person == "6-ANM" and "CVR" in facts.reporting_unit.unit_da
    lock = facts.start_date_lock
    assert (lock.felt_ids, lock.date_control, lock.basis) == (
        ("2-ANM",),
        "sanering-2019-myndighed",
        "inferred",
    )
    assert "D31" in lock.cites
    deletion = facts.manual_deletion
    assert deletion.order == "latest-first"
    assert deletion.flow == ("Anmodning", "Ivaerksaettelse", "Tilbudstilknytning", "Afslutning")


def test_access_says_how_a_caller_authenticates_and_that_the_sts_is_not_stated(spec):
    access = spec.service_facts.access
    assert "NemLog-in/MitID" in access.authentication_da
    assert "funktionscertifikater" in access.certificates_da
    assert access.sts is None and "STS-vejledning" in access.sts_guide_da
    assert access.cites == ("122-124", "153-155", "2791-2799")


def test_access_may_be_left_out_of_a_release(tmp_path, spec):
    load(tmp_path, spec, lambda d: d.pop("access"))  # no error


def test_server_checks_are_ours_and_cite_e1(spec):
    checks = {c.id: c for c in spec.service_facts.server_checks}
    assert {"SMDB-SERVER-LIVSFORLOEB", "SMDB-SERVER-ID", "SMDB-SERVER-TILBUD"} <= set(checks)
    assert {"SMDB-SERVER-MYNDIGHED", "SMDB-SERVER-SANERING", "SMDB-SERVER-UDGAAET"} <= set(checks)
    assert all(c.basis == "inferred" and "E1" in c.cites for c in checks.values())
    sanering = checks["SMDB-SERVER-SANERING"].messages
    assert [(m.key, m.felt_id) for m in sanering] == [("moved", "2-ANM")]


def load(tmp_path, spec, change) -> None:
    data = json.loads(FACTS.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "service-facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    citations = Citations.of(
        RELEASE / "kravspecifikation-smdb-2026-01-01.txt", RELEASE / "PROVENANCE.md"
    )
    load_service_facts(
        path, "service-facts.json", spec.services, spec.forms, spec.date_control, citations
    )


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d["endpoints"].pop(), "endpoints: none for TokenTest v0"),
        (lambda d: d["endpoints"][0].update(prod="https://x.invalid/a.svc"), "not the WSDL's"),
        (lambda d: d["endpoints"][0].update(wsdl="https://x.invalid/a.svc?wsdl"), "?singlewsdl"),
        (lambda d: d["reporting_unit"].update(person="99-ANM"), "not a Felt-ID"),
        (lambda d: d["start_date_lock"].update(date_control="nope"), "date-control point"),
        (lambda d: d["start_date_lock"].update(cites=["276-278"]), "PROVENANCE decision"),
        (lambda d: d["manual_deletion"].update(cites=["99999"]), "not a range of lines"),
        (lambda d: d["manual_deletion"].update(flow=["Anmodning"]), "reporting order"),
        (lambda d: d.update(extra=1), "exactly the keys"),
        (lambda d: d["access"].update(sts="http://sts.invalid"), "access.sts: an https://"),
        (lambda d: d["access"].update(cites=["99999"]), "not a range of lines"),
        (lambda d: d["access"].pop("sts_guide_da"), "exactly the keys"),
        (lambda d: d["server_checks"][0].update(id="X-1"), "starting with SMDB-SERVER-"),
        (lambda d: d["server_checks"][1].update(id="SMDB-SERVER-LIVSFORLOEB"), "a new id"),
        (lambda d: d["server_checks"][0].update(basis="stated"), "the server's messages are ours"),
        (lambda d: d["server_checks"][0].update(cites=["276"]), "PROVENANCE decision"),
        (lambda d: d["server_checks"][0].update(cites=["E99"]), "E99"),
        (lambda d: d["server_checks"][0].update(messages=[]), "a non-empty list"),
        (lambda d: d["server_checks"][0]["messages"][0].update(felt_id="99-ANM"), "not a Felt-ID"),
        (lambda d: d["server_checks"][0]["messages"][0].update(text_da=" "), "non-empty string"),
        (
            lambda d: d["server_checks"][0]["messages"].append(
                d["server_checks"][0]["messages"][0]
            ),
            "twice",
        ),
    ],
)
def test_a_fact_that_does_not_fit_the_spec_stops_the_build(tmp_path, spec, change, needle):
    with pytest.raises(SourceError, match=needle.replace("?", r"\?")) as info:
        load(tmp_path, spec, change)
    assert info.value.file == "service-facts.json"
