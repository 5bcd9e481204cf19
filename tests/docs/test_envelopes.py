"""The action pages' example envelopes: made by the generated package (its client writes the
request, its emulator answers), for every action in v1 and v0, and equal to what the package
does now, so they cannot drift."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from codegen.docs import envelopes
from tests.docs.conftest import ROOT, package_files

SERVICES = ROOT / "docs" / "reference" / "services"
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
BLOCK = re.compile(r'^```xml title="(request|response), (v[01])"\n(.*?)^```$', re.S | re.M)


def shown(service: str, action: str) -> dict[tuple[str, str], bytes]:
    page = (SERVICES / service / f"{action}.md").read_text("utf-8")
    return {(kind, version): body.encode() for kind, version, body in BLOCK.findall(page)}


def test_every_action_page_shows_its_request_and_response_in_v1_and_v0(spec):
    from smdb.soap import _codec

    actions = {(s["service"], op["name"]) for s in spec["services"] for op in s["operations"]}
    assert len(actions) > 30
    for service, action in sorted(actions):
        blocks = shown(service, action)
        assert set(blocks) == {(k, v) for k in ("request", "response") for v in ("v1", "v0")}
        for version in ("v1", "v0"):
            op = _codec.SERVICES[service][version][1][action]
            request = etree.fromstring(blocks["request", version])
            body = request.find(f"{SOAP}Body")[0]
            namespace = "{" + _codec.NAMESPACES[version] + "}"
            assert body.tag == namespace + op.request, action
            response = etree.fromstring(blocks["response", version]).find(f"{SOAP}Body")[0]
            assert response.tag in (
                namespace + op.response,
                f"{SOAP}Fault",
            ), action


def test_the_examples_are_what_the_package_sends_and_answers_now():
    # The page's request is the client's own bytes for the base case, and its client reads
    # the page's response as an accepted insert (an Id).
    from smdb.models import Kontaktforloeb
    from smdb.soap.client import IndsaetDataClient

    case = Kontaktforloeb.model_validate(json.loads(envelopes.BASE_CASE.read_text("utf-8")))
    for version in ("v1", "v0"):
        blocks = shown("IndsaetData", "IndsaetIvaerksaettelse")
        client = IndsaetDataClient("http://127.0.0.1:1", version=version)
        op, data, _ = client._request(
            "IndsaetIvaerksaettelse",
            {"Anmodning": case.Anmodning, "Ivaerksaettelse": case.Ivaerksaettelse},
        )
        assert _same(data, blocks["request", version])
        assert isinstance(client._result(op, 200, blocks["response", version], data), int)


def _same(a: bytes, b: bytes) -> bool:
    """The same XML, but for the pretty-printing's blank text."""
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(a, parser)) == etree.tostring(
        etree.fromstring(b, parser)
    )


@pytest.mark.slow  # a second run of the package against the emulator
def test_a_change_to_the_package_changes_the_examples(spec, envelope_examples):
    # Made from the package handed in, not from a copy: a change to how it writes
    # envelopes shows at once, in requests and responses alike.
    package = package_files()
    module = "python/smdb/soap/envelope.py"
    written = '<s:Envelope xmlns:s="{SOAP_NS}">'
    assert written in package[module]
    package[module] = package[module].replace(
        written, '<s:Envelope xmlns:s="{SOAP_NS}" xmlns:changed="urn:changed">'
    )
    changed = envelopes.examples(package, envelopes.BASE_CASE, spec["release"]["effective"])
    before = envelope_examples["envelopes"]["TokenTest"]["Echo"]["v1"]
    after = changed["envelopes"]["TokenTest"]["Echo"]["v1"]
    assert "urn:changed" not in before["request"] + before["response"]
    assert "urn:changed" in after["request"] and "urn:changed" in after["response"]


def test_an_action_page_shows_the_python_call_its_result_and_a_rejection_with_felt_ids():
    page = (SERVICES / "IndsaetData" / "IndsaetIvaerksaettelse.md").read_text("utf-8")
    python = page.split("## Python", 1)[1].split("## Example envelopes", 1)[0]
    assert "from smdb.soap import IndsaetDataClient" in python
    call = ">>> client.IndsaetIvaerksaettelse(Anmodning=case.Anmodning, "
    assert call + "Ivaerksaettelse=case.Ivaerksaettelse)\n2\n" in python  # the Id SMDB gave
    rejection = python.split('title="the same call again"', 1)[1]
    assert "SoapFault: IndsaetIvaerksaettelse: " in rejection
    assert ".code = 's:Client'" in rejection
    assert "Besked(FeltId='6-ANM,8-ANM,2-ANM,1-AFSL', Kode='SMDB-SAG-AKTIV'" in rejection
    assert "1503901234" not in python  # CPR numbers masked as the package masks them


def test_an_action_page_shows_smdb_send_accepting_refusing_and_rejected_by_smdb():
    page = (SERVICES / "IndsaetData" / "IndsaetIvaerksaettelse.md").read_text("utf-8")
    cli = page.split("## Command line", 1)[1].split("## Example envelopes", 1)[0]
    assert "case.json [case 0] Ivaerksaettelse: accepted, Id " in cli
    assert "broken.json [case 0]: not sent, the local check failed" in cli
    assert "broken.json [case 0] Ivaerksaettelse: rejected\n  SMDB-IVÆR-4-IKKE-VIST [4-IVÆR" in cli
    assert cli.count("$ echo $?\n1") == 2
