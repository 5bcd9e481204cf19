"""The secure emulator over real HTTP: a whole lifecycle under tokens and signatures, and every
way of cheating the checks refused with a WS-Security fault that changes nothing."""

from __future__ import annotations

import json

import httpx
import pytest
from lxml import etree
from signxml import SignatureConstructionMethod, XMLSigner
from soap.conftest import BASE_CASE, generated_module

from security.sectools import security

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS = {
    "s": SOAP,
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def _case():
    data = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    return generated_module("smdb.models").Kontaktforloeb.model_validate(data)


def _insert_request(server):
    """An IndsaetIvaerksaettelse envelope (unsigned), its action, URL and HTTP headers."""
    client = generated_module("smdb.soap").IndsaetDataClient(server.url)
    case = _case()
    op, data, headers = client._request(
        "IndsaetIvaerksaettelse",
        {"Anmodning": case.Anmodning, "Ivaerksaettelse": case.Ivaerksaettelse},
    )
    return data, op.action, client.url, headers


def _signed_insert(server, kommune="101"):
    data, action, url, headers = _insert_request(server)
    signed, _ = server.hook(kommune).outgoing(data, action=action, url=url)
    return signed, url, headers


def _bytes(root) -> bytes:
    return etree.tostring(root, encoding="utf-8")  # ASCII would escape the Danish tag names


def _post(url, body, headers) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers, timeout=30)


def _refused(server, answer: httpx.Response, rows_before: int) -> str:
    """The refusal's wsse fault code; nothing was stored."""
    assert answer.status_code == 500, answer.text
    fault = etree.fromstring(answer.content).find("s:Body/s:Fault", NS)
    code = fault.findtext("faultcode")
    assert code.startswith("wsse:"), code
    assert server.rows() == rows_before
    return code


def test_a_whole_lifecycle_with_tokens_and_signatures(secure_emulator):
    cases = generated_module("smdb.soap.cases")
    hook = secure_emulator.hook("101")
    with cases.Exchange(secure_emulator.url, hook=hook, retries=0) as exchange:
        answers = exchange.send(_case())
        assert [a.accepted for a in answers] == [True] * len(answers)
        assert {a.form for a in answers} >= {"Ivaerksaettelse", "Afslutning"}
        fetched = exchange.fetch()
        assert len(fetched) == 1
        assert fetched[0]["Ivaerksaettelse"]["Id"] == answers[0].id
        anmodning_id = fetched[0]["Anmodning"]["Id"]
        assert exchange.hent.HentAnmodning(AnmodningId=anmodning_id).Anmodning.Id == anmodning_id
    assert secure_emulator.emulator.store.count("Afslutning") == 1
    # delete bagfra, then the whole case, all signed
    indsaet = secure_emulator.client("IndsaetData", "101")
    assert indsaet.SletHeltForloeb(AnmodningId=anmodning_id).Succes is True
    assert secure_emulator.rows() == 0
    who = secure_emulator.client("TokenTest", "147").WhoAmI()
    assert who == "Myndighed 147"


def test_answers_are_signed_and_checked_against_the_servers_certificate(secure_emulator):
    sec, dev, url = security(), secure_emulator.dev, secure_emulator.url
    own = dev.function_credentials("101")
    sts = sec.StsClient(
        url + "/sts", own, url, sts_certificate=dev.sts.certificate, clock=secure_emulator.clock
    )
    # tokens from the right STS, answers expected from another certificate: refused
    wrong = sec.ClientSecurity(
        own,
        sts,
        server_certificate=dev.function_credentials("147").certificate,
        clock=secure_emulator.clock,
    )
    client = generated_module("smdb.soap").TokenTestClient(url, hook=wrong, retries=0)
    with pytest.raises(generated_module("smdb.soap.errors").SecurityError, match="response"):
        client.WhoAmI()
    # a real signed answer passes; the same answer tampered with does not
    hook = secure_emulator.hook("101")
    data, action, post_url, headers = _insert_request(secure_emulator)
    signed, _ = hook.outgoing(data, action=action, url=post_url)
    answer = _post(post_url, signed, headers)
    assert answer.status_code == 200
    hook.incoming(answer.content, action=action, request=signed)
    tampered = answer.content.replace(
        b"<IndsaetIvaerksaettelseResult>", b"<IndsaetIvaerksaettelseResult>9"
    )
    assert tampered != answer.content
    with pytest.raises(sec.SecurityError):
        hook.incoming(tampered, action=action, request=signed)


def test_unsigned_request_is_refused(secure_emulator):
    data, _, url, headers = _insert_request(secure_emulator)
    _refused(secure_emulator, _post(url, data, headers), 0)


def test_tampered_body_is_refused(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    date = next(e for e in root.find("s:Body", NS).iter() if e.text and e.text.startswith("20"))
    date.text = "2019" + date.text[4:]
    _refused(secure_emulator, _post(url, _bytes(root), headers), 0)
    assert _post(url, signed, headers).status_code == 200  # the untouched one passes


def test_tampered_addressing_header_is_refused(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    root.find("s:Header/wsa:To", NS).text = url + "/other"
    _refused(secure_emulator, _post(url, _bytes(root), headers), 0)


def test_signature_of_an_untrusted_certificate_is_refused(secure_emulator, rogue):
    data, action, url, headers = _insert_request(secure_emulator)
    token = secure_emulator.hook("101").sts.token()  # kommune 101's own token
    forged = security().sign_envelope(
        data,
        credentials=rogue.function_credentials("101"),
        action=action,
        to=url,
        token=token,
        now=secure_emulator.clock(),
    )
    _refused(secure_emulator, _post(url, forged, headers), 0)
    # and the STS issues the rogue certificate no token of its own
    rogue_hook = security().ClientSecurity.for_endpoint(
        rogue.function_credentials("101"), secure_emulator.url
    )
    with pytest.raises(security().StsError, match="not issued by a trusted CA"):
        rogue_hook.outgoing(data, action=action, url=url)


def test_expired_timestamp_is_refused(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    secure_emulator.clock.advance(minutes=6)
    assert "MessageExpired" in _refused(secure_emulator, _post(url, signed, headers), 0)


def test_expired_token_is_refused(secure_emulator):
    data, action, url, headers = _insert_request(secure_emulator)
    token = secure_emulator.hook("101").sts.token()
    secure_emulator.clock.advance(hours=9)
    stale = security().sign_envelope(
        data,
        credentials=secure_emulator.dev.function_credentials("101"),
        action=action,
        to=url,
        token=token,
        now=secure_emulator.clock(),
    )
    _refused(secure_emulator, _post(url, stale, headers), 0)


def test_token_for_another_audience_is_refused(secure_emulator, token_for):
    data, action, url, headers = _insert_request(secure_emulator)
    elsewhere = token_for("101")  # issued by the same STS key for https://smdb.test/...
    signed = security().sign_envelope(
        data,
        credentials=secure_emulator.dev.function_credentials("101"),
        action=action,
        to=url,
        token=elsewhere,
        now=secure_emulator.clock(),
    )
    _refused(secure_emulator, _post(url, signed, headers), 0)


def test_replay_is_refused(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    assert _post(url, signed, headers).status_code == 200
    rows = secure_emulator.rows()
    assert rows > 0
    _refused(secure_emulator, _post(url, signed, headers), rows)


def test_the_signed_action_must_be_the_one_called(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    other = {
        **headers,
        "SOAPAction": headers["SOAPAction"].replace("IndsaetIvaerksaettelse", "AfslutBehandling"),
    }
    answer = _post(url, signed, other)
    assert answer.status_code == 500 and secure_emulator.rows() == 0


def test_emulator_accepts_a_request_signed_with_signxml(secure_emulator):
    """Our envelope with its signature replaced by one signxml makes over the same parts.
    A SletHeltForloeb: signxml re-serialises the document as ASCII, which turns the Danish
    element names of an insert (PersonPsykiskFunktionsnedsættelseKode) into malformed XML, so
    the interoperable write is a deletion, whose body is ASCII."""
    signed, url, headers = _signed_insert(secure_emulator)
    assert _post(url, signed, headers).status_code == 200
    anmodning_id = secure_emulator.emulator.store.case_ids(101)[0]
    client = generated_module("smdb.soap").IndsaetDataClient(secure_emulator.url)
    op, data, headers = client._request("SletHeltForloeb", {"AnmodningId": anmodning_id})
    signed, _ = secure_emulator.hook("101").outgoing(data, action=op.action, url=client.url)
    root = etree.fromstring(signed)
    header = root.find("s:Header/wsse:Security", NS)
    ours = header.find("ds:Signature", NS)
    uris = [r.get("URI")[1:] for r in ours.iterfind("ds:SignedInfo/ds:Reference", NS)]
    key_info = ours.find("ds:KeyInfo", NS)
    header.remove(ours)
    theirs = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    ).sign(
        root,
        key=secure_emulator.dev.function_credentials("101").key,
        reference_uri=uris,
        key_info=key_info,
    )
    header.append(theirs)
    assert _bytes(theirs) != _bytes(ours)
    answer = _post(client.url, _bytes(root), headers)
    assert answer.status_code == 200, answer.text
    assert secure_emulator.rows() == 0


def test_the_async_client_takes_the_same_hook(secure_emulator):
    import asyncio

    soap = generated_module("smdb.soap")

    async def who() -> str:
        async with soap.AsyncTokenTestClient(
            secure_emulator.url, hook=secure_emulator.hook("147"), retries=0
        ) as client:
            return await client.WhoAmI()

    assert asyncio.run(who()) == "Myndighed 147"


class _Replaying(httpx.HTTPTransport):
    """Real HTTP to the emulator, but every call after the first gets the first call's answer
    (an attacker in the middle replaying a signed answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.first: bytes | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = super().handle_request(request)
        content = answer.read()
        if self.first is None:
            self.first = content
        return httpx.Response(answer.status_code, headers=answer.headers, content=self.first)


def test_a_replayed_signed_answer_to_another_request_is_refused(secure_emulator):
    soap = generated_module("smdb.soap")
    replaying = _Replaying()
    client = soap.TokenTestClient(
        secure_emulator.url, hook=secure_emulator.hook("101"), retries=0, transport=replaying
    )
    assert client.WhoAmI() == "Myndighed 101"
    with pytest.raises(soap.SecurityError, match=r"another request \(wsa:RelatesTo\)"):
        client.WhoAmI()
