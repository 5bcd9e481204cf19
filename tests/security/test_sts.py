"""The WS-Trust STS and its client: tokens only for trusted, known certificates, cached by the
client until shortly before they expire."""

from __future__ import annotations

import pytest
from lxml import etree

from security.sectools import AUDIENCE, security

sts_module = security("sts")
errors = security("errors")
saml = security("saml")
NS = security("names").NSMAP


class CountingTransport:
    def __init__(self, sts):
        self.sts, self.calls = sts, 0

    def __call__(self, url, body, headers):
        self.calls += 1
        assert headers["SOAPAction"] == f'"{security("names").RST_ISSUE}"'
        try:
            return self.sts.handle(body)
        except errors.SecurityError as error:
            return errors.soap_fault(error)


def _client(dev, sts, clock, kommune="101", **options):
    transport = CountingTransport(sts)
    client = sts_module.StsClient(
        "https://smdb.test/sts",
        dev.function_credentials(kommune),
        options.pop("audience", AUDIENCE),
        transport=transport,
        clock=clock,
        **options,
    )
    return client, transport


def test_the_token_names_the_myndighed_of_the_certificates_cvr(dev, sts, clock):
    client, _ = _client(dev, sts, clock, kommune="147", sts_certificate=dev.sts.certificate)
    token = saml.read(
        client.token(), sts_certificate=dev.sts.certificate, audience=AUDIENCE, now=clock()
    )
    assert (token.myndighed, token.cvr) == ("147", "00000147")
    assert token.holder == dev.function_credentials("147").certificate
    assert token.not_on_or_after - token.not_before == sts.lifetime


def test_the_request_is_a_signed_ws_trust_issue(dev, clock):
    request = etree.fromstring(
        sts_module.build_request(
            credentials=dev.function_credentials("101"),
            audience=AUDIENCE,
            sts_url="https://smdb.test/sts",
            now=clock(),
        )
    )
    rst = request.find("s:Body/wst:RequestSecurityToken", NS)
    assert rst.findtext("wst:RequestType", namespaces=NS).endswith("/Issue")
    assert rst.findtext("wst:KeyType", namespaces=NS).endswith("/PublicKey")
    assert rst.findtext("wsp:AppliesTo/wsa:EndpointReference/wsa:Address", namespaces=NS) == (
        AUDIENCE
    )
    assert request.find("s:Header/wsse:Security/ds:Signature", NS) is not None
    assert request.find("s:Header/wsse:Security/wsse:BinarySecurityToken", NS) is not None


def test_the_client_caches_the_token_until_shortly_before_expiry(dev, sts, clock):
    client, transport = _client(dev, sts, clock)
    first = client.token()
    clock.advance(hours=7, minutes=54)  # 8 h tokens, refreshed 5 min before expiry
    assert client.token().get("ID") == first.get("ID")
    assert transport.calls == 1
    clock.advance(minutes=2)
    assert client.token().get("ID") != first.get("ID")
    assert transport.calls == 2


def test_each_token_copy_can_go_into_its_own_message(dev, sts, clock):
    client, _ = _client(dev, sts, clock)
    first, second = client.token(), client.token()
    assert first is not second
    assert etree.tostring(first) == etree.tostring(second)


def test_an_sts_response_not_signed_by_the_configured_sts_is_refused(dev, rogue, sts, clock):
    client, _ = _client(dev, sts, clock, sts_certificate=rogue.sts.certificate)
    with pytest.raises(sts_module.StsError, match="response refused"):
        client.token()


def test_the_sts_refuses_a_certificate_with_an_unknown_cvr(dev, clock):
    sec = security()
    only_147 = sec.StsService(
        credentials=dev.sts,
        trust=sec.TrustStore([dev.ca]),
        myndigheder={"00000147": "147"},
        audiences=(AUDIENCE,),
        clock=clock,
    )
    client, _ = _client(dev, only_147, clock)
    with pytest.raises(sts_module.StsError, match="not a known myndighed"):
        client.token()


def test_the_sts_refuses_another_audience(dev, sts, clock):
    client, _ = _client(dev, sts, clock, audience="https://elsewhere.test/")
    with pytest.raises(sts_module.StsError, match="audience"):
        client.token()


def test_the_sts_refuses_a_replayed_request(dev, sts, clock):
    request = sts_module.build_request(
        credentials=dev.function_credentials("101"),
        audience=AUDIENCE,
        sts_url="https://smdb.test/sts",
        now=clock(),
    )
    sts.handle(request)
    with pytest.raises(errors.Replayed):
        sts.handle(request)


def test_the_sts_refuses_a_tampered_request(dev, sts, clock):
    request = sts_module.build_request(
        credentials=dev.function_credentials("101"),
        audience=AUDIENCE,
        sts_url="https://smdb.test/sts",
        now=clock(),
    )
    tampered = request.replace(AUDIENCE.encode(), b"https://elsewhere.test/")
    with pytest.raises(errors.BadSignature):
        sts.handle(tampered)


def test_an_unreachable_sts_is_an_sts_error(dev, clock):
    def down(url, body, headers):
        raise ConnectionRefusedError("connection refused")

    client = sts_module.StsClient(
        "https://smdb.test/sts", dev.function_credentials("101"), AUDIENCE, transport=down
    )
    with pytest.raises(sts_module.StsError, match="unreachable"):
        client.token()
