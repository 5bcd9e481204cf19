"""Hostile and malformed traffic both ways, a third-party client (zeep) on the served WSDL, and
a restart after kill -9 that keeps every committed insert."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from soap.conftest import EmulatorProcess, generated_module

soap = generated_module("smdb.soap")
PATH = "/smdbwebservice/api/external/v1/secureindsaetdata.svc"
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&b;</s:Body>'
    b"</s:Envelope>"
)


@pytest.mark.parametrize(
    "body",
    [
        b"not xml",
        BOMB,
        b"<a/>",
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
        b"<s:Body><Unknown/></s:Body></s:Envelope>",
    ],
)
def test_hostile_requests_get_a_fault_and_the_server_keeps_serving(emulator_url, body):
    answer = httpx.post(
        emulator_url + PATH, content=body, timeout=10, headers={"Content-Type": "text/xml"}
    )
    assert answer.status_code == 500 and b"<faultcode>s:Client</faultcode>" in answer.content
    assert b"aaaaaaaaaa" not in answer.content
    assert soap.TokenTestClient(emulator_url).WhoAmI() == "Myndighed 101"


def test_oversized_request_is_refused(emulator_url):
    answer = httpx.post(emulator_url + PATH, content=b"<" * (6 * 1024 * 1024), timeout=20)
    assert answer.status_code == 413


def _client(body: bytes, status: int = 200):
    return soap.HentDataClient(
        "http://smdb.test",
        retries=0,
        transport=httpx.MockTransport(lambda request: httpx.Response(status, content=body)),
    )


@pytest.mark.parametrize(
    "body, status",
    [
        (b"<html>502</html>", 502),
        (b"garbage", 200),
        (BOMB, 200),
        (
            b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            b'<HentAnmodningResponse xmlns="http://smdb.dst.dk/api/external/v1"><HentAnmodningResult>'
            b"<Succes>maybe 1503901234</Succes></HentAnmodningResult></HentAnmodningResponse>"
            b"</s:Body></s:Envelope>",
            200,
        ),
    ],
)
def test_malformed_responses_are_errors_naming_the_action_without_cpr(body, status):
    with pytest.raises(soap.ResponseError) as raised:
        _client(body, status).HentAnmodning(AnmodningId=1)
    assert str(raised.value).startswith("HentAnmodning: ")
    assert "1503901234" not in str(raised.value)


def test_only_hent_actions_are_retried():
    calls = []

    def flaky(request):
        calls.append(request.headers["SOAPAction"])
        raise httpx.ConnectError("refused")

    hent = soap.HentDataClient("http://smdb.test", retries=2, transport=httpx.MockTransport(flaky))
    with pytest.raises(soap.TransportError):
        hent.HentAnmodning(AnmodningId=1)
    assert len(calls) == 3
    ind = soap.IndsaetDataClient(
        "http://smdb.test", retries=2, transport=httpx.MockTransport(flaky)
    )
    with pytest.raises(soap.TransportError):
        ind.SletAnmodning(AnmodningId=1)
    assert len(calls) == 4


@pytest.fixture
def unavailable():
    """A real HTTP server on loopback answering every POST 503, counting them; stopped after."""
    import http.server
    import threading

    posts = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            posts.append(self.headers["SOAPAction"])
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", posts
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_both_clients_retry_by_the_same_policy_over_http(unavailable, kind):
    """HTTP 503 from a real server: a Hent action is tried 1 + retries times, an Indsæt or
    Slet action once, by the sync and the async client alike; then one ResponseError."""
    import asyncio

    url, posts = unavailable

    def call(service: str, action: str, **params):
        if kind == "sync":
            return getattr(getattr(soap, f"{service}Client")(url, retries=2), action)(**params)

        async def run():
            async with getattr(soap, f"Async{service}Client")(url, retries=2) as client:
                return await getattr(client, action)(**params)

        return asyncio.run(run())

    with pytest.raises(soap.ResponseError, match="HTTP status 503"):
        call("HentData", "HentAnmodning", AnmodningId=1)
    assert len(posts) == 3
    with pytest.raises(soap.ResponseError, match="HTTP status 503"):
        call("IndsaetData", "SletAnmodning", AnmodningId=1)
    assert len(posts) == 4 and posts[-1].endswith('SletAnmodning"')


def test_presets_and_v0_paths():
    assert soap.service_url("preprod", "HentData") == (
        "https://smdbpreprodws.dst.dk/smdbwebservice/api/external/v1/securehentdata.svc"
    )
    assert soap.service_url("prod", "IndsaetData", "v0") == (
        "https://smdbws.dst.dk/smdbwebservice/api/external/v0/secureindsaetdata.svc"
    )
    with pytest.raises(ValueError):
        soap.service_url("ftp://x", "HentData")


def test_zeep_reads_the_served_wsdl_and_calls_the_emulator(emulator_url, case):
    import zeep

    wsdl = emulator_url + "/smdbwebservice/api/external/v1/securetokentest.svc?singlewsdl"
    assert emulator_url.encode() in httpx.get(wsdl).content  # its own address
    client = zeep.Client(wsdl)
    assert client.service.Echo(Tekst="hej fra zeep") == "hej fra zeep"
    hent = zeep.Client(emulator_url + "/smdbwebservice/api/external/v1/securehentdata.svc?wsdl")
    tilbud = hent.service.HentAlleTilbud()
    assert 4711 in {t.TilbudId for t in tilbud}
    ind = zeep.Client(emulator_url + PATH + "?wsdl")
    anm = {  # xs:dateTime takes a datetime: zeep writes a `date` date-only, which the WSDL refuses
        k: dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v
        for k, v in case.Anmodning.model_dump(exclude_none=True).items()
    }
    with pytest.raises(zeep.exceptions.Fault) as raised:  # a partly filled form: DST's words
        ind.service.IndsaetIvaerksaettelse(
            Anmodning=anm, Ivaerksaettelse={"IvaerksatBehandlingDato": "2026-02-05T00:00:00"}
        )
    detail = zeep.helpers.etree.tostring(raised.value.detail, encoding="unicode")
    assert "SMDB-FELT-PAAKRAEVET" in detail and "24-IVÆR" in detail
    ivaer_id = soap.IndsaetDataClient(emulator_url).IndsaetIvaerksaettelse(
        Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
    )
    found = hent.service.HentAnmodninger(PersonIdentifikator="1503901234", KommuneKode=101)
    assert [a.KommuneKode for a in found] == [101] and ivaer_id > found[0].Id


def test_restart_after_kill_keeps_committed_inserts(tmp_path, case):
    emulator = EmulatorProcess(str(tmp_path / "smdb.sqlite"))
    emulator.start()
    try:
        ind = soap.IndsaetDataClient(emulator.url)
        ivaer_id = ind.IndsaetIvaerksaettelse(
            Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
        )
        for t in case.Tilbudstilknytninger:
            ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=t)
    finally:
        emulator.kill()
    emulator.start()
    try:
        hent = soap.HentDataClient(emulator.url)
        kept = hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe
        assert len(kept) == 1 and len(kept[0].Tilbudstilknytninger) == 2
    finally:
        emulator.kill()


def test_a_silent_server_times_out_with_an_error_naming_the_action():
    import socket
    import time

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = soap.IndsaetDataClient(url, timeout=0.5)
        start = time.monotonic()
        with pytest.raises(soap.TransportError) as raised:
            client.SletAnmodning(AnmodningId=1)
        assert time.monotonic() - start < 5
        assert str(raised.value).startswith("SletAnmodning: ")


def test_v0_wsdl_carries_the_servers_own_v0_address_and_bare_get_is_refused(emulator_url):
    path = "/smdbwebservice/api/external/v0/securehentdata.svc"
    wsdl = httpx.get(emulator_url + path + "?wsdl", timeout=10)
    assert wsdl.status_code == 200
    assert f'location="{emulator_url}{path}"'.encode() in wsdl.content
    assert b"smdbws.dst.dk" not in wsdl.content
    assert httpx.get(emulator_url + path, timeout=10).status_code == 400
    mismatch = httpx.post(
        emulator_url + path,
        timeout=10,
        headers={
            "SOAPAction": '"http://smdb.dst.dk/api/external/v0/ISecureHentData/HentAnmodning"'
        },
        content=b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<HentLandeliste xmlns="http://smdb.dst.dk/api/external/v0"/></s:Body></s:Envelope>',
    )
    assert mismatch.status_code == 500 and b"HentAnmodning" in mismatch.content


def test_a_fault_in_the_emulator_is_a_server_fault_and_it_keeps_serving(emulator_url, monkeypatch):
    service = generated_module("smdb.emulator.service")

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(service.ACTIONS, "WhoAmI", broken)
    with pytest.raises(soap.SoapFault) as raised:
        soap.TokenTestClient(emulator_url).WhoAmI()
    assert raised.value.code == "s:Server" and "boom" not in raised.value.message
    assert soap.TokenTestClient(emulator_url).Echo(Tekst="stadig her") == "stadig her"
