"""Over real HTTP against the secure emulator: a comment or a processing instruction inside any
value the security code reads from a signed part is refused with a WS-Security fault naming
the value, and changes nothing (requests to a service and to the STS); a signed answer with
one is refused by the client. The cases are those of test_signed_values.py."""

from __future__ import annotations

import re

import httpx
import pytest
from lxml import etree
from soap.conftest import generated_module

from security.sectools import security
from security.signedvalues import CASES, case_id, hide
from security.test_emulator_http import NS, _post, _signed_insert


def _fault(answer: httpx.Response) -> str:
    assert answer.status_code == 500, answer.text
    fault = etree.fromstring(answer.content).find("s:Body/s:Fault", NS)
    assert fault.findtext("faultcode").startswith("wsse:"), answer.text
    return fault.findtext("faultstring")


def _cases(kind):
    chosen = [c for c in CASES if c[1] == kind]
    return pytest.mark.parametrize(("value", "message", "node"), chosen, ids=map(case_id, chosen))


@_cases("request")
def test_a_node_inside_a_signed_value_of_a_request_is_refused(
    secure_emulator, value, message, node
):
    signed, url, headers = _signed_insert(secure_emulator)
    dev = secure_emulator.dev
    tampered = hide(
        signed,
        value,
        message,
        node,
        signer_pem=dev.function_credentials("101").key_pem,
        sts_pem=dev.sts.key_pem,
    )
    assert f"{value}: a comment" in _fault(_post(url, tampered, headers))
    assert secure_emulator.rows() == 0


@_cases("sts")
def test_a_node_inside_a_signed_value_of_an_sts_request_is_refused(
    secure_emulator, value, message, node
):
    dev, url = secure_emulator.dev, secure_emulator.url
    own = dev.function_credentials("101")
    request = security("sts").build_request(
        credentials=own, audience=url, sts_url=url + "/sts", now=secure_emulator.clock()
    )
    tampered = hide(request, value, message, node, signer_pem=own.key_pem, sts_pem=dev.sts.key_pem)
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    assert f"{value}: a comment" in _fault(_post(url + "/sts", tampered, headers))


class _Hiding(httpx.HTTPTransport):
    """Real HTTP to the emulator; each answer gets a node hidden in one of its signed values."""

    def __init__(self, value: str, node: str, key_pem: bytes) -> None:
        super().__init__()
        self.value, self.node, self.key_pem = value, node, key_pem

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = super().handle_request(request)
        content = hide(
            answer.read(),
            self.value,
            "answer",
            self.node,
            signer_pem=self.key_pem,
            sts_pem=self.key_pem,
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=content)


@_cases("answer")
def test_a_node_inside_a_signed_value_of_an_answer_is_refused(
    secure_emulator, value, message, node
):
    soap = generated_module("smdb.soap")
    transport = _Hiding(value, node, secure_emulator.dev.sts.key_pem)
    client = soap.TokenTestClient(
        secure_emulator.url, hook=secure_emulator.hook("101"), retries=0, transport=transport
    )
    with pytest.raises(soap.SecurityError, match=re.escape(f"{value}: a comment")):
        client.WhoAmI()


def test_a_stored_insert_replayed_with_a_comment_in_its_message_id_is_refused(secure_emulator):
    """The issue's forgery: the same insert stored twice."""
    signed, url, headers = _signed_insert(secure_emulator)
    assert _post(url, signed, headers).status_code == 200
    rows = secure_emulator.rows()
    root = etree.fromstring(signed)
    message_id = root.find("s:Header/wsa:MessageID", NS)
    text, comment = message_id.text, etree.Comment("x")
    message_id.text, comment.tail = text[:20], text[20:]
    message_id.append(comment)
    assert "wsa:MessageID: a comment" in _fault(
        _post(url, etree.tostring(root, encoding="utf-8"), headers)
    )
    assert secure_emulator.rows() == rows
