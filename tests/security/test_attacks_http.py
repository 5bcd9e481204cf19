"""Attacks on the secure emulator over real HTTP, one class each: bodies over the limit (declared
or chunked, to every endpoint and the STS), reference floods, duplicate IDs of every kind,
malformed security headers, other methods than POST with a signed body, a wsa:To for another
endpoint, a tampered part (the fault names it), and an unsigned token beside the STS's."""

from __future__ import annotations

import copy
import datetime as dt
import socket
import time

import httpx
import pytest
from lxml import etree
from soap.conftest import generated_module

from security.sectools import security
from security.signedvalues import resign
from security.test_emulator_http import _bytes, _post, _signed_insert

names = security("names")
NS = names.NSMAP
app = generated_module("smdb.emulator.app")
LIMIT = app.MAX_REQUEST_BYTES
ENDPOINTS = [*app.PATHS, app.STS_PATH]
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
WSU_ID = f"{{{names.WSU}}}Id"


def _wsse_fault(answer: httpx.Response) -> str:
    """The faultstring of a WS-Security fault (never a traceback or plain-text 500)."""
    assert answer.status_code == 500, answer.text
    assert answer.headers["content-type"].startswith("text/xml"), answer.text
    fault = etree.fromstring(answer.content).find("s:Body/s:Fault", NS)
    assert fault.findtext("faultcode").startswith("wsse:"), answer.text
    return fault.findtext("faultstring")


def _status_line(port: int, head: bytes, first: bytes = b"", seconds: float = 10.0) -> bytes:
    """Send `head` (and `first`, the start of a body) and the answer's status line, which
    must come while the rest of the body is still unsent."""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as connection:
        connection.sendall(head + first)
        answer = b""
        deadline = time.monotonic() + seconds
        while b"\r\n" not in answer and time.monotonic() < deadline:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n")[0]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(secure_emulator, path):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
        f"Content-Length: {LIMIT + 1}\r\n\r\n"
    ).encode()
    assert b" 413 " in _status_line(secure_emulator.port, head)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_chunked_body_over_the_limit_is_refused_while_it_is_read(secure_emulator, path):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(LIMIT // len(piece) + 1))
    # the body's last chunk is never sent: the answer must not wait for it
    assert b" 413 " in _status_line(secure_emulator.port, head, chunks)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_body_of_more_tags_than_the_limit_is_refused_before_it_is_parsed(secure_emulator, path):
    """4 MiB of empty elements (under the byte limit): parsed, ~1 million nodes per tree."""
    elements = b"<a/>" * ((LIMIT - 1024) // 4)
    body = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>'
        + elements
        + b"</x></s:Body></s:Envelope>"
    )
    answer = _post(secure_emulator.url + path, body, {"Content-Type": "text/xml"})
    assert answer.status_code == 413 and b"elementer" in answer.content, answer.text


def _flood_token(secure_emulator, rogue, references: int):
    """A token the attacker made and signed with their own key, its signature holding
    `references` references with correct digests."""
    saml, xmldsig = security("saml"), security("xmldsig")
    own = rogue.function_credentials("101")
    token = saml.issue(
        sts=rogue.sts,
        issuer="rogue",
        holder=own.certificate,
        audience=secure_emulator.url,
        myndighed="101",
        cvr="00000101",
        lifetime=dt.timedelta(hours=1),
        now=secure_emulator.clock(),
    )
    token.remove(token.find("ds:Signature", NS))
    ids = [token.get("ID")] * references
    xmldsig.sign(token, token, ids, rogue.sts.key_pem, enveloped=True, index=1)
    return own, token


def test_a_token_with_a_thousand_references_is_refused_before_any_digest(secure_emulator, rogue):
    own, token = _flood_token(secure_emulator, rogue, 1000)
    client = generated_module("smdb.soap").TokenTestClient(secure_emulator.url)
    op, data, headers = client._request("WhoAmI", {})
    forged = security().sign_envelope(
        data,
        credentials=own,
        action=op.action,
        to=client.url,
        token=token,
        now=secure_emulator.clock(),
    )
    started = time.monotonic()
    reason = _wsse_fault(_post(client.url, forged, headers))
    assert "1000 references" in reason, reason
    assert time.monotonic() - started < 5


def test_a_message_signature_with_extra_references_is_refused(secure_emulator):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    signature = root.find("s:Header/wsse:Security/ds:Signature", NS)
    ids = [r.get("URI")[1:] for r in signature.iterfind("ds:SignedInfo/ds:Reference", NS)]
    key_info = copy.deepcopy(signature.find("ds:KeyInfo", NS)[0])
    header = root.find("s:Header/wsse:Security", NS)
    header.remove(signature)
    body_id = root.find("s:Body", NS).get(WSU_ID)
    key = secure_emulator.dev.function_credentials("101").key_pem
    security("xmldsig").sign(root, header, ids + [body_id] * 200, key, key_info)
    assert "206 references" in _wsse_fault(_post(url, _bytes(root), headers))
    assert secure_emulator.rows() == 0


def _duplicate(kind: str, root: etree._Element) -> None:
    """Add to `root` a second element carrying an ID already there, of the kind named."""
    body_id = root.find("s:Body", NS).get(WSU_ID)
    assertion = root.find("s:Header/wsse:Security/saml:Assertion", NS)
    header = root.find("s:Header", NS)
    extra = etree.SubElement(header, "{urn:x}Extra")
    if kind == "xml:id = a signed wsu:Id":
        extra.set(XML_ID, body_id)
    elif kind == "wsu:Id = a signed wsu:Id":
        extra.set(WSU_ID, body_id)
    elif kind == "wsu:Id = the token's ID":
        extra.set(WSU_ID, assertion.get("ID"))
    elif kind == "xml:id = the token's ID":
        extra.set(XML_ID, assertion.get("ID"))
    elif kind == "a second token with the same ID":
        header.remove(extra)
        header.append(copy.deepcopy(assertion))
    elif kind == "a token whose ID is a signed wsu:Id":
        header.remove(extra)
        other = copy.deepcopy(assertion)
        other.set("ID", body_id)
        header.append(other)
    elif kind == "two xml:id alike":
        extra.set(XML_ID, "twin")
        etree.SubElement(header, "{urn:x}Other").set(XML_ID, "twin")
    else:
        raise AssertionError(kind)


DUPLICATES = [
    "xml:id = a signed wsu:Id",
    "wsu:Id = a signed wsu:Id",
    "wsu:Id = the token's ID",
    "xml:id = the token's ID",
    "a second token with the same ID",
    "a token whose ID is a signed wsu:Id",
    "two xml:id alike",
]


@pytest.mark.parametrize("kind", DUPLICATES)
def test_duplicate_ids_of_every_kind_are_a_security_fault(secure_emulator, kind):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    _duplicate(kind, root)
    answer = _post(url, _bytes(root), headers)
    if kind == "two xml:id alike":  # libxml2's parser refuses it: the envelope is not XML
        assert b"ID twin already defined" in answer.content, answer.text
    else:
        _wsse_fault(answer)
    assert secure_emulator.rows() == 0


def _malformed(kind: str, root: etree._Element) -> None:
    security_header = root.find("s:Header/wsse:Security", NS)
    signature = security_header.find("ds:Signature", NS)
    info = signature.find("ds:SignedInfo", NS)
    assertion = security_header.find("saml:Assertion", NS)
    match kind:
        case "a reference without URI":
            del info.find("ds:Reference", NS).attrib["URI"]
        case "a reference to #":
            info.find("ds:Reference", NS).set("URI", "#")
        case "a SignatureValue that is not base64":
            signature.find("ds:SignatureValue", NS).text = "%%%"
        case "a DigestValue that is not base64":
            info.find("ds:Reference/ds:DigestValue", NS).text = "%%%"
        case "no SignedInfo":
            signature.remove(info)
        case "a SignedInfo without references":
            for reference in info.findall("ds:Reference", NS):
                info.remove(reference)
        case "a Timestamp without Created":
            timestamp = security_header.find("wsu:Timestamp", NS)
            timestamp.remove(timestamp.find("wsu:Created", NS))
        case "a token without ID":
            del assertion.attrib["ID"]
        case "a token without Conditions":
            assertion.remove(assertion.find("saml:Conditions", NS))
        case "a token with a NotBefore that is no time":
            assertion.find("saml:Conditions", NS).set("NotBefore", "soon")
        case "an empty KeyIdentifier":
            security_header.find("wsse:SecurityTokenReference/wsse:KeyIdentifier", NS).text = ""
        case "two Security headers":
            root.find("s:Header", NS).append(copy.deepcopy(security_header))
        case "a Transform that is an element of another namespace":
            transforms = info.find("ds:Reference/ds:Transforms", NS)
            etree.SubElement(transforms, "{urn:x}Transform")
        case "a Signature inside the token's Signature":
            token_signature = assertion.find("ds:Signature", NS)
            token_signature.append(copy.deepcopy(token_signature))
        case _:
            raise AssertionError(kind)


MALFORMED = [
    "a reference without URI",
    "a reference to #",
    "a SignatureValue that is not base64",
    "a DigestValue that is not base64",
    "no SignedInfo",
    "a SignedInfo without references",
    "a Timestamp without Created",
    "a token without ID",
    "a token without Conditions",
    "a token with a NotBefore that is no time",
    "an empty KeyIdentifier",
    "two Security headers",
    "a Transform that is an element of another namespace",
    "a Signature inside the token's Signature",
]


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_security_header_is_a_security_fault(secure_emulator, kind):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    _malformed(kind, root)
    _wsse_fault(_post(url, _bytes(root), headers))
    assert secure_emulator.rows() == 0


@pytest.mark.parametrize("method", ["HEAD", "GET", "OPTIONS", "PUT", "PATCH", "DELETE"])
def test_only_post_runs_an_action(secure_emulator, method):
    signed, url, headers = _signed_insert(secure_emulator)
    answer = httpx.request(method, url, content=signed, headers=headers, timeout=30)
    assert answer.status_code in (400, 405), (answer.status_code, answer.text)
    assert secure_emulator.rows() == 0
    # nothing was consumed either: the same signed request still runs, once, by POST
    assert _post(url, signed, headers).status_code == 200
    assert secure_emulator.rows() > 0


def test_get_wsdl_still_serves_the_wsdl(secure_emulator):
    path = next(iter(app.PATHS))
    answer = httpx.get(secure_emulator.url + path + "?wsdl", timeout=30)
    assert answer.status_code == 200 and b"definitions" in answer.content
    assert httpx.head(secure_emulator.url + path + "?wsdl", timeout=30).status_code == 200


def test_a_request_signed_for_another_endpoint_is_refused(secure_emulator):
    """An insert signed for the v0 path, posted to the v1 path with the same action."""
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    root.find("s:Header/wsa:To", NS).text = url.replace("/v1/", "/v0/")
    resign(root, secure_emulator.dev.function_credentials("101").key_pem)
    assert "wsa:To" in _wsse_fault(_post(url, _bytes(root), headers))
    assert secure_emulator.rows() == 0


def test_an_sts_request_signed_for_another_endpoint_is_refused(secure_emulator):
    url = secure_emulator.url
    request = security("sts").build_request(
        credentials=secure_emulator.dev.function_credentials("101"),
        audience=url,
        sts_url=url + app.STS_PATH + "/other",
        now=secure_emulator.clock(),
    )
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    assert "wsa:To" in _wsse_fault(_post(url + app.STS_PATH, request, headers))


@pytest.mark.parametrize("part", ["Body", "Timestamp", "MessageID", "To", "Action"])
def test_the_fault_names_the_part_that_changed_after_signing(secure_emulator, part):
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    paths = {
        "Body": "s:Body",
        "Timestamp": "s:Header/wsse:Security/wsu:Timestamp",
        "MessageID": "s:Header/wsa:MessageID",
        "To": "s:Header/wsa:To",
        "Action": "s:Header/wsa:Action",
    }
    element = root.find(paths[part], NS)
    if part == "Body":  # one element more there is refused before security, by the envelope
        value = next(e for e in element.iter() if e.text and e.text.startswith("20"))
        value.text = "2019" + value.text[4:]
    else:
        etree.SubElement(element, "{urn:x}Added")
    identifier = element.get(WSU_ID)
    assert f"{part} (#{identifier})" in _wsse_fault(_post(url, _bytes(root), headers))


def test_the_sts_client_takes_only_the_token_in_the_signed_body(secure_emulator):
    """A token of kommune 147 put into the header of kommune 101's (signed) STS answer."""
    sec = security()
    url, dev = secure_emulator.url, secure_emulator.dev
    planted = secure_emulator.hook("147").sts.token()
    real = security("sts").https_transport()

    def planting(address, body, headers):
        root = etree.fromstring(real(address, body, headers))
        root.find("s:Header", NS).insert(0, copy.deepcopy(planted))
        return etree.tostring(root)

    client = sec.StsClient(
        url + app.STS_PATH,
        dev.function_credentials("101"),
        url,
        sts_certificate=dev.sts.certificate,
        transport=planting,
        clock=secure_emulator.clock,
    )
    token = security("saml").peek(client.token())
    assert token.myndighed == "101"


# Other WS-Trust 1.3 values an RST may carry: a SAML 1.1 token, a Renew, a bearer token.
_OTHER_REQUESTED = {
    "TokenType": "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1",
    "RequestType": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Renew",
    "KeyType": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer",
}


@pytest.mark.parametrize("change", ["as-sent", "other", "missing", "twice"])
@pytest.mark.parametrize("name", list(_OTHER_REQUESTED))
def test_the_sts_issues_only_what_its_request_type_token_type_and_key_type_ask(
    secure_emulator, name, change
):
    """An RST asking for another token type, operation or key binding (or not saying, or
    saying twice) is refused with a WS-Security fault naming the element; as sent, it gets a
    token."""
    url = secure_emulator.url
    own = secure_emulator.dev.function_credentials("101")
    request = security("sts").build_request(
        credentials=own, audience=url, sts_url=url + app.STS_PATH, now=secure_emulator.clock()
    )
    root = etree.fromstring(request)
    element = root.find(f"s:Body/wst:RequestSecurityToken/wst:{name}", NS)
    assert element.text == security("sts").REQUESTED[name]
    if change == "other":
        element.text = _OTHER_REQUESTED[name]
    elif change == "missing":
        element.getparent().remove(element)
    elif change == "twice":
        element.addnext(copy.deepcopy(element))
    if change != "as-sent":
        resign(root, own.key_pem)
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    answer = _post(url + app.STS_PATH, _bytes(root), headers)
    if change == "as-sent":
        assert answer.status_code == 200, answer.text
        assert b"RequestedSecurityToken" in answer.content
    else:
        assert f"wst:{name}" in _wsse_fault(answer)
