"""`ClientSecurity` and `ServerSecurity`: the two objects smdb.soap's client and the emulator
plug in (their hook shapes), on dev credentials, from token to signed response."""

from __future__ import annotations

import pytest
from lxml import etree

from security.sectools import ACTION, BODY, TO, security

sec = security()
errors = security("errors")
ENDPOINT = "http://127.0.0.1:8080"
WSA = "http://www.w3.org/2005/08/addressing"
RESPONSE = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<HentAnmodningResponse xmlns="http://smdb.dst.dk/api/external/v1"/></s:Body></s:Envelope>'
)


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    return tmp_path_factory.mktemp("dev-credentials")


@pytest.fixture
def server(directory, clock):
    return sec.ServerSecurity.from_dev_credentials(
        directory, ["101", "147"], audience=ENDPOINT + "/", clock=clock
    )


def _client(server, directory, kommune, clock, **options):
    credentials = sec.Credentials.from_pkcs12(directory / f"kommune-{kommune}.p12", "")
    posted = []

    def transport(url, body, headers):
        posted.append(url)
        _status, answer = server.handle_sts(body)
        return answer

    client = sec.ClientSecurity.for_endpoint(
        credentials, ENDPOINT, transport=transport, clock=clock, **options
    )
    return client, posted


@pytest.mark.parametrize("kommune", ["101", "147"])
def test_a_request_from_the_client_names_its_kommune_at_the_server(
    server, directory, clock, kommune
):
    client, posted = _client(server, directory, kommune, clock)
    signed, headers = client.outgoing(BODY, action=ACTION, url=TO)
    assert server.verify(signed, action=ACTION, headers={}) == int(kommune)
    assert posted == [ENDPOINT + "/sts"]
    assert headers == {}


def test_the_signed_action_must_be_the_operation_called(server, directory, clock):
    client, _ = _client(server, directory, "101", clock)
    signed, _ = client.outgoing(BODY, action=ACTION, url=TO)
    other = ACTION.replace("HentAnmodning", "SletAnmodning")
    with pytest.raises(errors.BadMessage, match="wsa:Action"):
        server.verify(signed, action=other, headers={})


def test_the_sts_answers_a_refusal_with_a_soap_fault(server, rogue):
    request = security("sts").build_request(
        credentials=rogue.function_credentials("101"), audience=ENDPOINT, sts_url="x"
    )
    status, answer = server.handle_sts(request)
    assert status == 500
    assert b"wsse:FailedAuthentication" in answer


def test_signed_responses_are_verified_against_the_server_certificate(server, directory, clock):
    client, _ = _client(
        server, directory, "101", clock, server_certificate=server.credentials.certificate
    )
    signed, _ = client.outgoing(BODY, action=ACTION, url=TO)
    message = server.verify_request(signed, action=ACTION)
    response = server.sign_response(
        RESPONSE, action=ACTION + "Response", relates_to=message.message_id
    )
    client.incoming(response, action=ACTION, request=signed)
    with pytest.raises(errors.BadSignature):
        client.incoming(
            response.replace(b"HentAnmodningResponse", b"HentAnmodningSvar"),
            action=ACTION,
            request=signed,
        )
    with pytest.raises(errors.MissingSecurity):
        client.incoming(RESPONSE, action=ACTION, request=signed)


def _answered(server, client):
    """A signed request of `client` and the server's signed answer to it."""
    signed, _ = client.outgoing(BODY, action=ACTION, url=TO)
    message = server.verify_request(signed, action=ACTION)
    response = server.sign_response(
        RESPONSE, action=ACTION + "Response", relates_to=message.message_id
    )
    return signed, response


def _message_id(envelope: bytes) -> str:
    return etree.fromstring(envelope).findtext(f".//{{{WSA}}}MessageID")


def test_a_signed_answer_to_another_request_is_refused(server, directory, clock):
    client, _ = _client(
        server, directory, "101", clock, server_certificate=server.credentials.certificate
    )
    first, first_answer = _answered(server, client)
    second, second_answer = _answered(server, client)
    client.incoming(second_answer, action=ACTION, request=second)
    with pytest.raises(errors.BadMessage, match="another request"):
        client.incoming(first_answer, action=ACTION, request=second)
    # RelatesTo is signed: pointing the old answer at the new request breaks the signature
    redirected = first_answer.replace(_message_id(first).encode(), _message_id(second).encode())
    assert redirected != first_answer
    with pytest.raises(errors.BadSignature):
        client.incoming(redirected, action=ACTION, request=second)


def test_a_signed_answer_without_relates_to_is_refused(server, directory, clock):
    client, _ = _client(
        server, directory, "101", clock, server_certificate=server.credentials.certificate
    )
    signed, _ = client.outgoing(BODY, action=ACTION, url=TO)
    unrelated = server.sign_response(RESPONSE, action=ACTION + "Response", relates_to=None)
    with pytest.raises(errors.BadMessage, match="RelatesTo"):
        client.incoming(unrelated, action=ACTION, request=signed)


def test_the_sts_client_refuses_an_answer_to_another_token_request(server, directory, clock):
    credentials = sec.Credentials.from_pkcs12(directory / "kommune-101.p12", "")
    answers = []

    def replaying(url, body, headers):  # the STS's first answer, again and again
        if not answers:
            answers.append(server.handle_sts(body)[1])
        return answers[0]

    def client():
        return sec.StsClient(
            ENDPOINT + "/sts",
            credentials,
            ENDPOINT,
            sts_certificate=server.credentials.certificate,
            transport=replaying,
            clock=clock,
        )

    assert client().token() is not None
    with pytest.raises(sec.StsError, match="another request"):
        client().token()


def test_a_response_signed_by_another_server_is_refused(server, directory, clock, rogue):
    client, _ = _client(
        server, directory, "101", clock, server_certificate=server.credentials.certificate
    )
    forged = security().sign_envelope(
        RESPONSE, credentials=rogue.sts, action=ACTION + "Response", now=clock()
    )
    signed, _ = client.outgoing(BODY, action=ACTION, url=TO)
    with pytest.raises(errors.UntrustedCertificate):
        client.incoming(forged, action=ACTION, request=signed)


def test_an_unsigned_fault_is_passed_on_for_the_client_to_report(server, directory, clock):
    client, _ = _client(
        server, directory, "101", clock, server_certificate=server.credentials.certificate
    )
    fault = errors.soap_fault(errors.Replayed("this wsa:MessageID was seen before"))
    client.incoming(fault, action=ACTION, request=BODY)
    assert etree.fromstring(fault).findtext(".//faultcode") == "wsse:FailedCheck"


def test_default_sts_url():
    assert sec.default_sts_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/sts"
