"""The families, not the instances: for every part a signature must cover, a message that
leaves exactly that part unsigned is refused (requests, STS requests, answers); and every
comparison of a time, an audience or an identifier, at its exact boundary, on both sides."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from security.sectools import ACTION, AUDIENCE, BODY, TO, security
from security.signedvalues import NS, resign

errors = security("errors")
sec = security()
WSU_ID = f"{{{security('names').WSU}}}Id"
MS = dt.timedelta(milliseconds=1)
STS_URL = "https://smdb.test/sts"
PARTS = {
    "Body": "s:Body",
    "Timestamp": "s:Header/wsse:Security/wsu:Timestamp",
    "Action": "s:Header/wsa:Action",
    "MessageID": "s:Header/wsa:MessageID",
    "To": "s:Header/wsa:To",
    "RelatesTo": "s:Header/wsa:RelatesTo",
    "SecurityTokenReference": "s:Header/wsse:Security/wsse:SecurityTokenReference",
}
MUST_SIGN = {
    "request": ["Body", "Timestamp", "Action", "MessageID", "To", "SecurityTokenReference"],
    "sts": ["Body", "Timestamp", "Action", "MessageID", "To", "SecurityTokenReference"],
    "answer": ["Body", "Timestamp", "Action", "MessageID", "RelatesTo", "SecurityTokenReference"],
}


def _unsigned(data: bytes, part: str, key_pem: bytes) -> bytes:
    """`data` signed again over every reference but `part`'s."""
    root = etree.fromstring(data)
    identifier = root.find(PARTS[part], NS).get(WSU_ID)
    signature = root.find("s:Header/wsse:Security/ds:Signature", NS)
    info = signature.find("ds:SignedInfo", NS)
    for reference in info.findall("ds:Reference", NS):
        if reference.get("URI") == "#" + identifier:
            info.remove(reference)
    resign(root, key_pem)
    return etree.tostring(root)


@pytest.fixture
def check(dev, token_for, clock, sts, verifier):
    """message kind -> (signed bytes, its check, the signer's key)."""
    own = dev.function_credentials("101")
    request = sec.sign_envelope(
        BODY, credentials=own, action=ACTION, to=TO, token=token_for("101"), now=clock()
    )
    message_id = "urn:uuid:family"
    sts_request = security("sts").build_request(
        credentials=own, audience=AUDIENCE, sts_url=STS_URL, now=clock(), message_id=message_id
    )
    answer = sts.handle(sts_request)
    sts._verifier.replay = sec.ReplayCache()
    answers = sec.ResponseVerifier(dev.sts.certificate, clock=clock)
    return {
        "request": (request, lambda d: verifier.verify(d, endpoint=TO), own.key_pem),
        "sts": (sts_request, lambda d: sts.handle(d, endpoint=STS_URL), own.key_pem),
        "answer": (answer, lambda d: answers.verify(d, request_id=message_id), dev.sts.key_pem),
    }


FAMILY = [(kind, part) for kind, parts in MUST_SIGN.items() for part in parts]


@pytest.mark.parametrize(("kind", "part"), FAMILY, ids=[f"{k}-{p}" for k, p in FAMILY])
def test_a_message_leaving_exactly_one_required_part_unsigned_is_refused(check, kind, part):
    data, verify, key = check[kind]
    with pytest.raises(errors.BadSignature, match=f"does not cover {part}"):
        verify(_unsigned(data, part, key))


def test_a_message_signed_over_every_required_part_passes(check):
    for data, verify, _ in check.values():
        verify(data)


@pytest.fixture(autouse=True)
def _whole_seconds(clock):
    """Messages write times in milliseconds: a clock on a whole second makes them exact."""
    clock.now = clock.now.replace(microsecond=0)


def _request(dev, token_for, created, ttl=dt.timedelta(minutes=5), **overrides):
    arguments = {"action": ACTION, "to": TO, "token": token_for("101"), "now": created, "ttl": ttl}
    arguments.update(overrides)
    return sec.sign_envelope(BODY, credentials=dev.function_credentials("101"), **arguments)


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(dt.timedelta(minutes=5), True), (dt.timedelta(minutes=5) + MS, False)],
)
def test_a_created_exactly_the_window_old_is_fresh_and_a_millisecond_more_is_not(
    dev, token_for, clock, verifier, age, accepted
):
    data = _request(dev, token_for, clock() - age, ttl=dt.timedelta(hours=1))
    if accepted:
        verifier.verify(data)
    else:
        with pytest.raises(errors.MessageExpired):
            verifier.verify(data)


@pytest.mark.parametrize(
    ("ahead", "accepted"),
    [(dt.timedelta(seconds=30), True), (dt.timedelta(seconds=30) + MS, False)],
)
def test_a_created_ahead_by_exactly_the_skew_is_accepted_and_a_millisecond_more_is_not(
    dev, token_for, clock, verifier, ahead, accepted
):
    data = _request(dev, token_for, clock() + ahead)
    if accepted:
        verifier.verify(data)
    else:
        with pytest.raises(errors.MessageExpired):
            verifier.verify(data)


@pytest.mark.parametrize(("left", "accepted"), [(MS, True), (dt.timedelta(0), False)])
def test_an_expires_of_now_is_expired_and_a_millisecond_later_is_not(
    dev, token_for, clock, verifier, left, accepted
):
    ttl = dt.timedelta(minutes=1)
    data = _request(dev, token_for, clock() - ttl + left, ttl=ttl)
    if accepted:
        verifier.verify(data)
    else:
        with pytest.raises(errors.MessageExpired):
            verifier.verify(data)


@pytest.fixture
def token(dev, clock):
    """A token valid [now, now + 1 h) with a skew of 1 min, and a way to read it at a time."""
    own = dev.function_credentials("101")
    issued = clock()
    element = security("saml").issue(
        sts=dev.sts,
        issuer="smdb-emulator-sts",
        holder=own.certificate,
        audience=AUDIENCE,
        myndighed="101",
        cvr="00000101",
        lifetime=dt.timedelta(hours=1),
        now=issued,
    )

    def read(at, audience=AUDIENCE):
        return security("saml").read(
            element, sts_certificate=dev.sts.certificate, audience=audience, now=at
        )

    return issued, read


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (-dt.timedelta(minutes=1), True),
        (-dt.timedelta(minutes=1) - MS, False),
        (dt.timedelta(hours=1, minutes=1) - MS, True),
        (dt.timedelta(hours=1, minutes=1), False),
    ],
)
def test_a_token_is_valid_from_not_before_to_not_on_or_after_with_the_skew_exactly(
    token, offset, accepted
):
    issued, read = token
    if accepted:
        assert read(issued + offset).myndighed == "101"
    else:
        with pytest.raises(errors.ExpiredToken):
            read(issued + offset)


@pytest.mark.parametrize(
    "audience", [AUDIENCE + "/", AUDIENCE.upper(), AUDIENCE[:-1], "x" + AUDIENCE]
)
def test_the_audience_must_be_the_same_string(token, audience):
    issued, read = token
    assert read(issued, audience=AUDIENCE).audience == AUDIENCE
    with pytest.raises(errors.InvalidToken, match="audience"):
        read(issued, audience=audience)


def test_a_message_id_differing_in_one_character_is_new_and_the_same_is_a_replay(
    dev, token_for, clock, verifier
):
    verifier.verify(_request(dev, token_for, clock(), message_id="urn:uuid:abc"))
    verifier.verify(_request(dev, token_for, clock(), message_id="urn:uuid:abd"))
    with pytest.raises(errors.Replayed):
        verifier.verify(_request(dev, token_for, clock(), message_id="urn:uuid:abc"))


@pytest.mark.parametrize("request_id", ["urn:uuid:familyx", "urn:uuid:famil", "URN:UUID:FAMILY"])
def test_relates_to_must_be_the_request_id_exactly(check, dev, clock, request_id):
    answer, verify, _ = check["answer"]
    answers = sec.ResponseVerifier(dev.sts.certificate, clock=clock)
    with pytest.raises(errors.BadMessage, match="another request"):
        answers.verify(answer, request_id=request_id)
    verify(answer)  # "urn:uuid:family" itself


@pytest.mark.parametrize("endpoint", [TO + "/", TO[:-1], TO.replace("/v1/", "/v0/"), "/"])
def test_the_signed_to_must_name_the_path_called_exactly(check, verifier, endpoint):
    request, verify, _ = check["request"]
    with pytest.raises(errors.BadMessage, match="wsa:To"):
        verifier.verify(request, endpoint=endpoint)
    verify(request)  # TO itself; the host is not compared without configured origins


def test_with_configured_origins_the_host_of_the_signed_to_is_compared_too(dev, clock, check):
    request, _, _ = check["request"]
    path = TO.split("smdb.test", 1)[1]
    elsewhere = sec.RequestVerifier(
        sts_certificate=dev.sts.certificate,
        audience=AUDIENCE,
        clock=clock,
        origins=("https://smdb.example",),
    )
    with pytest.raises(errors.BadMessage, match="another host"):
        elsewhere.verify(request, endpoint=path)
    here = sec.RequestVerifier(
        sts_certificate=dev.sts.certificate,
        audience=AUDIENCE,
        clock=clock,
        origins=("HTTPS://smdb.test/",),
    )
    assert here.verify(request, endpoint=path).caller.myndighed == "101"


@pytest.mark.parametrize(
    ("origin", "same"),
    [
        ("https://smdb.test:443", True),  # the scheme's default port, written out
        ("HTTPS://SMDB.TEST:443/", True),
        ("https://smdb.test:8443", False),
        ("http://smdb.test", False),
        ("http://smdb.test:443", False),
        ("https://smdb.test.example", False),
        ("https://user@smdb.test", False),
    ],
)
def test_an_origin_is_the_same_server_exactly_when_scheme_host_and_port_are(
    dev, clock, check, origin, same
):
    request, _, _ = check["request"]
    path = TO.split("smdb.test", 1)[1]
    verifier = sec.RequestVerifier(
        sts_certificate=dev.sts.certificate, audience=AUDIENCE, clock=clock, origins=(origin,)
    )
    if same:
        assert verifier.verify(request, endpoint=path).caller.myndighed == "101"
    else:
        with pytest.raises(errors.BadMessage, match="another host"):
            verifier.verify(request, endpoint=path)


@pytest.mark.parametrize("kind", ["request", "sts", "answer"])
def test_a_part_signed_twice_in_place_of_another_is_refused(check, kind):
    """As many references as parts, but the Body's twice and the Timestamp's not at all."""
    data, verify, key = check[kind]
    root = etree.fromstring(data)
    body = "#" + root.find(PARTS["Body"], NS).get(WSU_ID)
    timestamp = "#" + root.find(PARTS["Timestamp"], NS).get(WSU_ID)
    info = root.find("s:Header/wsse:Security/ds:Signature/ds:SignedInfo", NS)
    next(r for r in info if r.get("URI") == timestamp).set("URI", body)
    resign(root, key)
    with pytest.raises(errors.BadSignature, match="twice"):
        verify(etree.tostring(root))


@pytest.mark.parametrize("kind", ["request", "sts", "answer"])
def test_a_wrong_signature_value_over_right_digests_is_named_so(check, kind):
    """Every digest recomputed for the fault matches libxmlsec1's: only the value is wrong."""
    data, verify, _ = check[kind]
    root = etree.fromstring(data)
    value = root.find("s:Header/wsse:Security/ds:Signature/ds:SignatureValue", NS)
    value.text = ("B" if value.text.strip()[0] == "A" else "A") + value.text.strip()[1:]
    with pytest.raises(errors.BadSignature, match=r"signature value does not verify"):
        verify(etree.tostring(root))


def test_a_token_with_a_wrong_signature_value_is_named_so(dev, clock, verifier):
    """The token's reference has the enveloped-signature transform: recomputed alike."""
    token = security("saml").issue(
        sts=dev.sts,
        issuer="smdb-emulator-sts",
        holder=dev.function_credentials("101").certificate,
        audience=AUDIENCE,
        myndighed="101",
        cvr="00000101",
        lifetime=dt.timedelta(hours=1),
        now=clock(),
    )
    value = token.find("ds:Signature/ds:SignatureValue", NS)
    value.text = ("B" if value.text.strip()[0] == "A" else "A") + value.text.strip()[1:]
    data = sec.sign_envelope(
        BODY,
        credentials=dev.function_credentials("101"),
        action=ACTION,
        to=TO,
        token=token,
        now=clock(),
    )
    with pytest.raises(errors.InvalidToken, match=r"signature value does not verify"):
        verifier.verify(data)
