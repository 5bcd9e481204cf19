"""The soap and emulator emitters: every action of the spec gets a client method and an
emulator action, v0 differs from v1 where the WSDLs do, and specs they cannot serve are refused."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import ROOT, generated_module
from lxml import etree

from codegen.build import build_spec
from codegen.emitters import emulator as emulator_emitter
from codegen.emitters import soap as soap_emitter
from codegen.emitters.context import EmitContext
from codegen.spec_json import spec_document

SPEC = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text(encoding="utf-8"))
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


def test_every_action_has_a_client_method_and_an_emulator_action():
    soap = generated_module("smdb.soap")
    service = generated_module("smdb.emulator.service")
    for entry in SPEC["services"]:
        client = getattr(soap, f"{entry['service']}Client")
        async_client = getattr(soap, f"Async{entry['service']}Client")
        for op in entry["operations"]:
            assert callable(getattr(client, op["name"])), op["name"]
            assert callable(getattr(async_client, op["name"])), op["name"]
            assert op["name"] in service.ACTIONS, op["name"]
    names = {op["name"] for s in SPEC["services"] for op in s["operations"]}
    assert set(service.ACTIONS) == names


def test_v0_writes_31_ivaer_as_csv_and_v1_as_a_string_array():
    soap = generated_module("smdb.soap")
    models = generated_module("smdb.models")
    case = models.Kontaktforloeb.model_validate(json.loads(BASE_CASE.read_text("utf-8")))
    params = {"Anmodning": case.Anmodning, "Ivaerksaettelse": case.Ivaerksaettelse}
    bodies = {}
    for version in ("v1", "v0"):
        client = soap.IndsaetDataClient("preprod", version=version)
        _, data, headers = client._request("IndsaetIvaerksaettelse", params)
        assert headers["SOAPAction"] == (
            f'"http://smdb.dst.dk/api/external/{version}/ISecureIndsaetData/IndsaetIvaerksaettelse"'
        )
        bodies[version] = etree.fromstring(data)
    v1 = bodies["v1"].find(".//{http://smdb.dst.dk/api/external/v1}HenvisningPaaOpfordringAfListe")
    v0 = bodies["v0"].find(".//{http://smdb.dst.dk/api/external/v0}HenvisningPaaOpfordringAfListe")
    assert [item.text for item in v1] == ["01", "22"]
    assert v0.text == "01,22" and len(v0) == 0


def test_the_environments_come_from_the_service_facts(spec):
    context = EmitContext(spec=spec, document=spec_document(spec))
    assert soap_emitter.environments(context) == {
        "preprod": "https://smdbpreprodws.dst.dk",
        "prod": "https://smdbws.dst.dk",
    }
    facts = spec.service_facts
    moved = dataclasses.replace(facts.endpoints[0], preprod="https://elsewhere.example/x.svc")
    without = dataclasses.replace(
        spec, service_facts=dataclasses.replace(facts, endpoints=(moved, *facts.endpoints[1:]))
    )
    with pytest.raises(ValueError, match="WSDL's path"):
        soap_emitter.emit(EmitContext(spec=without, document=spec_document(without)))


def test_emulator_needs_the_sanering_date(spec):
    points = tuple(p for p in spec.date_control if p.kravspec_section != "6.3")
    without = dataclasses.replace(spec, date_control=points)
    with pytest.raises(ValueError, match="sanering"):
        emulator_emitter.emit(EmitContext(spec=without, document=spec_document(without)))


def test_served_wsdls_are_the_release_sources():
    from importlib import resources

    for entry in SPEC["services"]:
        name = f"{entry['wsdl_name']}-{entry['api_version']}.wsdl"
        served = resources.files("smdb.emulator").joinpath("wsdl", name).read_text("utf-8")
        source = ROOT / "spec" / "sources" / "2026-01-01" / name
        assert served == source.read_text(encoding="utf-8")
