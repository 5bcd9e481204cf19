"""The emulator is as strict as the WSDL it serves (issue #21, item 5): over real HTTP, a body
its own schema refuses (a date-only xs:dateTime as zeep writes a Python `date`, elements out of
xs:sequence order, a wrong type, nil where not nillable, an element repeated) is a SOAP fault of
SMDB-SERVER-SKEMA naming the element and what the schema expects, and nothing is stored; every
message the package's own client writes passes the schema (`smdb send --no-local-check` too)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import httpx
import pytest
from lxml import etree

from codegen.build import build_spec
from codegen.rules.examples import scenario
from soap.conftest import BASE_CASE, generated_module
from soap.test_send_fetch import active, smdb

soap = generated_module("smdb.soap")
envelope_module = generated_module("smdb.soap.envelope")
codec = generated_module("smdb.soap._codec")
app = generated_module("smdb.emulator.app")
models = generated_module("smdb.models")

CHECK = "SMDB-SERVER-SKEMA"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSDL_OF = {(service, version): wsdl for service, version, wsdl, _ in app.PATHS.values()}


def _request(url: str, client_class, action: str, version: str = "v1", **params):
    """The envelope the package's client sends for `action`, as an lxml tree, and its headers."""
    client = client_class(url, version=version)
    _, data, headers = client._request(action, params)
    return etree.fromstring(data), headers, client.url


def _child(parent, name: str):
    found = [c for c in parent if etree.QName(c).localname == name]
    assert len(found) == 1, (name, [etree.QName(c).localname for c in parent])
    return found[0]


def _ivaer_request(url: str, case):
    root, headers, target = _request(
        url,
        soap.IndsaetDataClient,
        "IndsaetIvaerksaettelse",
        Anmodning=case.Anmodning,
        Ivaerksaettelse=case.Ivaerksaettelse,
    )
    wrapper = root[0][0]
    return root, headers, target, _child(wrapper, "Anmodning")


def _date_only(anmodning):
    dato = _child(anmodning, "BehandlingAnmodningDato")
    dato.text = dato.text.removesuffix("T00:00:00")  # the same day, as zeep writes a `date`
    return "IndsaetIvaerksaettelse.Anmodning.BehandlingAnmodningDato", "xs:dateTime"


def _out_of_order(anmodning):
    dato = _child(anmodning, "BehandlingAnmodningDato")  # first in the sequence
    anmodning.remove(dato)
    _child(anmodning, "KommuneKode").addnext(dato)
    return "IndsaetIvaerksaettelse.Anmodning.BehandlingAnmodningDato", "PersonIdentifikator"


def _wrong_type(anmodning):
    _child(anmodning, "KommuneKode").text = "1O1"
    return "IndsaetIvaerksaettelse.Anmodning.KommuneKode", "xs:int"


def _repeated(anmodning):
    kode = _child(anmodning, "KommuneKode")
    kode.addnext(copy.deepcopy(kode))
    return "IndsaetIvaerksaettelse.Anmodning.KommuneKode", "forventer PersonEllerPartnerGravidKode"


def _unknown_element(anmodning):
    etree.SubElement(anmodning, "{" + etree.QName(anmodning).namespace + "}Ukendt").text = "x"
    return "IndsaetIvaerksaettelse.Anmodning.Ukendt", "ikke tilladt"


def _stored(url: str) -> list:
    return soap.HentDataClient(url).HentAnmodninger(PersonIdentifikator="1503901234")


@pytest.mark.parametrize(
    "mutate", [_date_only, _out_of_order, _wrong_type, _repeated, _unknown_element]
)
def test_a_body_the_wsdl_refuses_is_a_fault_naming_the_element_and_nothing_is_stored(
    emulator_url, case, mutate
):
    root, headers, target, anmodning = _ivaer_request(emulator_url, case)
    element, expected = mutate(anmodning)
    answer = httpx.post(target, content=etree.tostring(root, encoding="utf-8"), headers=headers)
    assert answer.status_code == 500
    code, message, svar = envelope_module.read_fault(
        envelope_module.parse(answer.content).body, "v1"
    )
    assert code.endswith("Client")
    assert message.startswith("IndsaetIvaerksaettelse: " + element + " (linje 1)"), message
    assert expected in message and "WSDL'ens skema" in message
    assert [b.Kode for b in svar.Beskeder] == [CHECK]
    assert "1503901234" not in answer.text  # no value of the request is repeated
    assert _stored(emulator_url) == []
    unmutated, _, _, _ = _ivaer_request(emulator_url, case)
    sent = httpx.post(target, content=etree.tostring(unmutated, encoding="utf-8"), headers=headers)
    assert sent.status_code == 200 and len(_stored(emulator_url)) == 1  # the same, unmutated


def test_nil_where_the_wsdl_does_not_allow_it_is_refused(emulator_url, case):
    ind = soap.IndsaetDataClient(emulator_url)
    ivaer_id = ind.IndsaetIvaerksaettelse(
        Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
    )
    anm_id = (
        soap.HentDataClient(emulator_url)
        .HentIvaerksaettelse(IvaerksaettelseId=ivaer_id)
        .Ivaerksaettelse.AnmodningId
    )
    root, headers, target = _request(
        emulator_url, soap.IndsaetDataClient, "SletHeltForloeb", AnmodningId=anm_id
    )
    _child(root[0][0], "AnmodningId").set(f"{{{XSI}}}nil", "true")  # not nillable there
    answer = httpx.post(target, content=etree.tostring(root, encoding="utf-8"), headers=headers)
    assert answer.status_code == 500
    _, message, svar = envelope_module.read_fault(envelope_module.parse(answer.content).body, "v1")
    assert "SletHeltForloeb.AnmodningId (linje 1) må ikke være nil" in message
    assert svar.Beskeder[0].Kode == CHECK
    assert len(_stored(emulator_url)) == 1  # the case is still there


def test_zeep_writing_a_python_date_into_an_xs_datetime_is_refused(emulator_url, case_json):
    """zeep writes a `datetime.date` in an xs:dateTime element date-only; DST's WCF refuses
    that, so the emulator does too (docs/: pass a `datetime`)."""
    import zeep

    indsaet = zeep.Client(emulator_url + codec.SERVICES["IndsaetData"]["v1"][0] + "?singlewsdl")
    anmodning = {k: v for k, v in case_json["Anmodning"].items() if v is not None}
    anmodning["BehandlingAnmodningDato"] = dt.date.fromisoformat(
        anmodning["BehandlingAnmodningDato"]
    )
    with pytest.raises(zeep.exceptions.Fault) as raised:
        indsaet.service.IndsaetIvaerksaettelse(Anmodning=anmodning, Ivaerksaettelse=None)
    assert "Anmodning.BehandlingAnmodningDato" in raised.value.message
    assert "xs:dateTime" in raised.value.message
    assert _stored(emulator_url) == []
    anmodning["BehandlingAnmodningDato"] = dt.datetime.combine(
        anmodning["BehandlingAnmodningDato"], dt.time()
    )
    with pytest.raises(zeep.exceptions.Fault) as raised:  # now valid: the rules speak
        indsaet.service.IndsaetIvaerksaettelse(Anmodning=anmodning, Ivaerksaettelse=None)
    assert CHECK not in zeep.helpers.etree.tostring(raised.value.detail, encoding="unicode")


def _example_cases() -> list[tuple[str, dict]]:
    """The base case and every rule example's case the models accept (valid and invalid)."""
    base = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    cases = [("base-case", base)]
    for rule in build_spec("2026-01-01").rules:
        for kind in ("valid", "invalid"):
            for index, example in enumerate(getattr(rule.examples, kind)):
                cases.append((f"{rule.id} {kind} {index}", scenario(base, example).case))
    return cases


def test_every_request_the_package_client_writes_passes_the_wsdl_schema():
    """Every form of every rule example (the invalid ones too: what `--no-local-check` sends),
    written by the package's client for v1 and v0, is valid against that WSDL's schema; so are
    the requests of the other actions."""
    schemas = _schemas()
    written = 0
    for name, case in _example_cases():
        try:
            model = models.Kontaktforloeb.model_validate(case)
        except ValueError:
            continue  # not a case document: nothing is sent
        for version in ("v1", "v0"):
            ops = codec.SERVICES["IndsaetData"][version][1]
            calls = [
                (
                    "IndsaetIvaerksaettelse",
                    {"Anmodning": model.Anmodning, "Ivaerksaettelse": model.Ivaerksaettelse},
                ),
                (
                    "AfslutBehandling",
                    {"Anmodning": model.Anmodning, "Afslutning": model.Afslutning},
                ),
            ]
            calls += [
                ("IndsaetTilbudstilknytning", {"IvaerksaettelseId": 1, "Tilbudstilknytning": t})
                for t in model.Tilbudstilknytninger or []
            ]
            for action, params in calls:
                if action not in ops:
                    continue
                root, _, _ = _request(
                    "http://127.0.0.1:1", soap.IndsaetDataClient, action, version, **params
                )
                body = root[0][0]
                refusals = schemas[WSDL_OF["IndsaetData", version]].refusals(body)
                assert refusals == [], (name, version, action, refusals)
                written += 1
    assert written > 100
    simple = {"int": 2147483647, "str": "1503901234", "bool": True, "date": dt.date(2026, 1, 1)}
    for service, versions in codec.SERVICES.items():
        for version, (_, ops) in versions.items():
            client_class = getattr(soap, f"{service}Client")
            for op in ops.values():
                if any(c.kind not in simple or c.is_list for c in op.params):
                    continue
                params = {c.name: simple[c.kind] for c in op.params}
                root, _, _ = _request(
                    "http://127.0.0.1:1", client_class, op.name, version, **params
                )
                assert schemas[WSDL_OF[service, version]].refusals(root[0][0]) == [], op.name


def test_smdb_send_no_local_check_sends_only_schema_valid_messages(server, case_json, tmp_path):
    """Rule-invalid cases sent unchecked reach the rules (SMDB's words), never the schema
    check; a file that is no case document is not sent at all."""
    cases = []
    for index, change in enumerate(
        [
            {"Ivaerksaettelse": {"BoernErTilknyttetHusstandenIndikator": None}},
            {"Anmodning": {"BehandlingAnmodningDato": "2030-01-01"}},
            {"Ivaerksaettelse": {"HenvisningPaaOpfordringAfListe": []}},
        ]
    ):
        case = active(case_json)
        case["Anmodning"]["PersonIdentifikator"] = f"150390{5000 + index}"
        for form, values in change.items():
            case[form].update(values)
        cases.append(case)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    sent = smdb("send", "--no-local-check", "--endpoint", server.url, str(path))
    assert sent.returncode == 1, sent.stdout + sent.stderr
    assert "rejected" in sent.stdout and CHECK not in sent.stdout, sent.stdout
    broken = active(case_json)
    broken["Anmodning"]["BehandlingAnmodningDato"] = "2025-13-01"
    path.write_text(json.dumps(broken), encoding="utf-8")
    refused = smdb("send", "--no-local-check", "--endpoint", server.url, str(path))
    assert refused.returncode == 2 and "not a case document" in refused.stderr
    assert CHECK not in refused.stdout + refused.stderr


def _schemas() -> dict:
    schema_check = generated_module("smdb.emulator.schema_check")
    return schema_check.load({wsdl for _, _, wsdl, _ in app.PATHS.values()})


def test_the_schemas_are_built_from_every_served_wsdl():
    schemas = _schemas()
    assert set(schemas) == {wsdl for _, _, wsdl, _ in app.PATHS.values()}
    assert len(schemas) == 6
