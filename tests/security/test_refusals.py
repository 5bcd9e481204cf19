"""Every way of cheating the request checks is refused, with its own error and SOAP fault,
on real signatures (xmlsec) over real tokens from the STS."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from security.sectools import ACTION, AUDIENCE, BODY, TO, security

names = security("names")
errors = security("errors")
NS = names.NSMAP


def _find(data: bytes, path: str):
    root = etree.fromstring(data)
    return root, root.find(path, NS)


def _copy(element):
    return etree.fromstring(etree.tostring(element))


def _sign(dev, token, clock, kommune="101", **overrides):
    arguments = {"action": ACTION, "to": TO, "token": token, "now": clock()}
    arguments.update(overrides)
    return security().sign_envelope(
        BODY, credentials=dev.function_credentials(kommune), **arguments
    )


def test_a_signed_request_is_accepted_and_names_its_myndighed(signed, verifier):
    message = verifier.verify(signed)
    assert message.caller.myndighed == "101"
    assert message.caller.cvr == "00000101"
    assert message.action == ACTION
    assert message.body.find("{http://smdb.dst.dk/api/external/v1}HentAnmodning") is not None


def test_the_security_header_must_be_understood(signed):
    _, header = _find(signed, "s:Header/wsse:Security")
    assert header.get(f"{{{names.SOAP}}}mustUnderstand") == "1"


def test_the_signature_covers_body_timestamp_addressing_and_token_reference(signed):
    root = etree.fromstring(signed)
    signature = root.find("s:Header/wsse:Security/ds:Signature", NS)
    uris = {r.get("URI")[1:] for r in signature.iterfind("ds:SignedInfo/ds:Reference", NS)}
    wsu_id = f"{{{names.WSU}}}Id"
    for path in (
        "s:Body",
        "s:Header/wsse:Security/wsu:Timestamp",
        "s:Header/wsa:Action",
        "s:Header/wsa:MessageID",
        "s:Header/wsa:To",
        "s:Header/wsse:Security/wsse:SecurityTokenReference",
    ):
        assert root.find(path, NS).get(wsu_id) in uris, path
    assert len(uris) == 6


def test_unsigned_is_refused(signed, verifier):
    root, security_header = _find(signed, "s:Header/wsse:Security")
    security_header.remove(security_header.find("ds:Signature", NS))
    with pytest.raises(errors.MissingSecurity):
        verifier.verify(etree.tostring(root))


def test_no_security_header_is_refused(verifier):
    with pytest.raises(errors.MissingSecurity):
        verifier.verify(BODY)


def test_tampered_body_is_refused(signed, verifier):
    tampered = signed.replace(b"<AnmodningId>7<", b"<AnmodningId>8<")
    assert tampered != signed
    with pytest.raises(errors.BadSignature):
        verifier.verify(tampered)


@pytest.mark.parametrize("header", ["Action", "To", "MessageID"])
def test_tampered_addressing_header_is_refused(signed, verifier, header):
    root, element = _find(signed, f"s:Header/wsa:{header}")
    element.text = element.text + "x"
    with pytest.raises(errors.BadSignature):
        verifier.verify(etree.tostring(root))


def test_an_unsigned_addressing_header_is_refused(signed, verifier):
    """A wsa:RelatesTo added after signing: everything addressing says must be signed."""
    root, header = _find(signed, "s:Header")
    etree.SubElement(header, f"{{{names.WSA}}}RelatesTo").text = "urn:uuid:other"
    with pytest.raises(errors.BadSignature, match="RelatesTo"):
        verifier.verify(etree.tostring(root))


def test_signature_wrapping_with_a_second_body_id_is_refused(signed, verifier):
    """The signed Body moved into a header, a forged Body with the same wsu:Id in its place."""
    root, body = _find(signed, "s:Body")
    header = root.find("s:Header", NS)
    forged = etree.fromstring(etree.tostring(body))
    forged[0][0].text = "8"
    header.append(body)
    root.append(forged)
    with pytest.raises(errors.BadSignature):
        verifier.verify(etree.tostring(root))


def test_signature_by_a_key_other_than_the_tokens_holder_is_refused(
    dev, token_for, clock, verifier
):
    """Kommune 147 signs with its own key under kommune 101's token: no holder-of-key binding."""
    forged = _sign(dev, token_for("101"), clock, kommune="147")
    with pytest.raises(errors.BadSignature):
        verifier.verify(forged)


def test_token_from_an_untrusted_sts_is_refused(dev, rogue, clock, verifier):
    """A token made and signed by someone else's STS, naming kommune 101."""
    saml = security("saml")
    credentials = rogue.function_credentials("101")
    token = saml.issue(
        sts=rogue.sts,
        issuer="rogue",
        holder=credentials.certificate,
        audience=AUDIENCE,
        myndighed="101",
        cvr="00000101",
        lifetime=dt.timedelta(hours=1),
        now=clock(),
    )
    forged = security().sign_envelope(
        BODY, credentials=credentials, action=ACTION, to=TO, token=token, now=clock()
    )
    with pytest.raises(errors.InvalidToken, match="STS"):
        verifier.verify(forged)


def test_a_token_whose_myndighed_was_changed_is_refused(dev, token_for, clock, verifier):
    token = token_for("101")
    verifier.verify(_sign(dev, _copy(token), clock))  # the genuine token, checked once
    tampered = _copy(token)
    next(tampered.iter(f"{{{names.SAML}}}AttributeValue")).text = "147"
    with pytest.raises(errors.InvalidToken):
        verifier.verify(_sign(dev, tampered, clock))


def test_the_sts_refuses_a_certificate_from_an_untrusted_ca(rogue, sts, clock):
    request = security("sts").build_request(
        credentials=rogue.function_credentials("101"),
        audience=AUDIENCE,
        sts_url="https://smdb.test/sts",
        now=clock(),
    )
    with pytest.raises(errors.UntrustedCertificate, match="trusted CA"):
        sts.handle(request)


def test_expired_timestamp_is_refused(signed, verifier, clock):
    clock.advance(minutes=5, seconds=1)
    with pytest.raises(errors.MessageExpired):
        verifier.verify(signed)


def test_the_freshness_window_is_configurable(signed, dev, clock):
    wide = security().RequestVerifier(
        sts_certificate=dev.sts.certificate,
        audience=AUDIENCE,
        window=dt.timedelta(minutes=20),
        clock=clock,
    )
    clock.advance(minutes=4, seconds=59)  # the message's own Expires is 5 minutes
    assert wide.verify(signed).caller.myndighed == "101"


def test_a_timestamp_from_the_future_is_refused(dev, token_for, clock, verifier):
    early = _sign(dev, token_for("101"), clock, now=clock() + dt.timedelta(minutes=2))
    with pytest.raises(errors.MessageExpired):
        verifier.verify(early)


def test_expired_token_is_refused(dev, token_for, clock, verifier):
    token = token_for("101")  # valid 8 hours
    verifier.verify(_sign(dev, _copy(token), clock))  # checked once, and remembered
    clock.advance(hours=8, minutes=2)
    late = _sign(dev, token, clock)  # a fresh timestamp, an old token
    with pytest.raises(errors.ExpiredToken):
        verifier.verify(late)


def test_token_for_another_audience_is_refused(signed, dev, clock):
    other = security().RequestVerifier(
        sts_certificate=dev.sts.certificate, audience="https://elsewhere.test/", clock=clock
    )
    with pytest.raises(errors.InvalidToken, match="audience"):
        other.verify(signed)


def test_replay_is_refused(signed, verifier):
    verifier.verify(signed)
    with pytest.raises(errors.Replayed):
        verifier.verify(signed)


def test_a_message_id_may_come_again_after_the_window(dev, token_for, clock, verifier):
    first = _sign(dev, token_for("101"), clock, message_id="urn:uuid:same")
    verifier.verify(first)
    clock.advance(minutes=6)
    again = _sign(dev, token_for("101"), clock, message_id="urn:uuid:same")
    assert verifier.verify(again).message_id == "urn:uuid:same"


def test_a_message_from_the_allowed_future_is_remembered_while_it_is_fresh(
    dev, token_for, clock, verifier
):
    """A Created up to 30 s ahead is accepted (clock drift), so such a message stays fresh up to
    window + 30 s after it arrives: its ID must be remembered that long."""
    ahead = _sign(dev, token_for("101"), clock, now=clock() + dt.timedelta(seconds=25))
    verifier.verify(ahead)
    clock.advance(minutes=5, seconds=10)  # 4 min 45 s after its Created: still fresh
    with pytest.raises(errors.Replayed):
        verifier.verify(ahead)


@pytest.mark.parametrize(
    ("element", "weak"),
    [
        ("ds:SignatureMethod", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
        ("ds:Reference/ds:DigestMethod", "http://www.w3.org/2000/09/xmldsig#sha1"),
        ("ds:CanonicalizationMethod", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
    ],
)
def test_weak_or_other_algorithms_are_refused(signed, verifier, element, weak):
    root, info = _find(signed, "s:Header/wsse:Security/ds:Signature/ds:SignedInfo")
    info.find(element, NS).set("Algorithm", weak)
    with pytest.raises(errors.UnsupportedAlgorithm):
        verifier.verify(etree.tostring(root))


def test_a_dtd_is_refused(verifier):
    with pytest.raises(errors.BadMessage, match="DTD"):
        verifier.verify(b'<!DOCTYPE x [<!ENTITY a "b">]>' + BODY)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("MissingSecurity", "wsse:InvalidSecurity"),
        ("BadSignature", "wsse:FailedCheck"),
        ("UntrustedCertificate", "wsse:FailedAuthentication"),
        ("InvalidToken", "wsse:InvalidSecurityToken"),
        ("ExpiredToken", "wsse:SecurityTokenUnavailable"),
        ("MessageExpired", "wsse:MessageExpired"),
        ("Replayed", "wsse:FailedCheck"),
        ("UnsupportedAlgorithm", "wsse:UnsupportedAlgorithm"),
    ],
)
def test_each_refusal_is_a_soap_security_fault(error, code):
    fault = etree.fromstring(errors.soap_fault(getattr(errors, error)("why")))
    assert fault.findtext("s:Body/s:Fault/faultcode", namespaces=NS) == code
    assert fault.findtext("s:Body/s:Fault/faultstring", namespaces=NS) == "why"
    prefix, _ = code.split(":")
    assert fault.nsmap[prefix] == names.WSSE


def test_the_replay_cache_forgets_ids_after_the_window():
    cache = security().ReplayCache()
    now = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
    window = dt.timedelta(minutes=5)
    for n in range(3):
        cache.add(f"urn:uuid:{n}", now + window, now)
    with pytest.raises(errors.Replayed):
        cache.add("urn:uuid:1", now + window, now + dt.timedelta(minutes=4))
    later = now + dt.timedelta(minutes=6)
    cache.add("urn:uuid:3", later + window, later)
    assert len(cache) == 1
    cache.add("urn:uuid:1", later + window, later)  # forgotten: may come again


def test_the_same_request_sent_by_eight_threads_at_once_is_accepted_once(signed, verifier):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_):
        try:
            verifier.verify(signed)
            return "accepted"
        except errors.Replayed:
            return "replayed"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    assert sorted(outcomes) == ["accepted"] + ["replayed"] * 7


def test_a_token_reference_pointing_elsewhere_is_refused(signed, verifier):
    root, identifier = _find(
        signed, "s:Header/wsse:Security/wsse:SecurityTokenReference/wsse:KeyIdentifier"
    )
    identifier.text = "_another-token"
    with pytest.raises(errors.InvalidToken, match="no reference"):
        verifier.verify(etree.tostring(root))
