"""A value the security code acts on is exactly the value that was signed: a comment or a
processing instruction inside any of them is refused (library level; over HTTP in
test_signed_values_http.py). The cases come from `xmlvalue.SIGNED_VALUES`, the one table of
the helper's reads, and a scan of the package keeps every read going through that helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from security.sectools import ACTION, AUDIENCE, TO, security
from security.signedvalues import CASES, WHERE, case_id, hide

errors = security("errors")
xmlvalue = security("xmlvalue")
STS_URL = "https://smdb.test/sts"


def test_every_signed_value_read_has_its_attack_cases():
    assert set(WHERE) == set(xmlvalue.SIGNED_VALUES)


def test_the_helper_refuses_an_unregistered_read():
    from lxml import etree

    with pytest.raises(KeyError):
        xmlvalue.signed_text(etree.Element("x"), "wsa:Unknown")


# A read of element text in smdb.security outside xmlvalue must say why it may read raw text
# (a trailing "# read raw: ..." comment); anything else goes through signed_text.
_READ = re.compile(r"findtext\(|\.text\b(?!\s*=[^=])|\.itertext\(|\.xpath\(")


def test_no_security_module_reads_element_text_around_the_helper():
    package = Path(security().__file__).parent
    found = []
    for module in sorted(package.glob("*.py")):
        if module.name == "xmlvalue.py":
            continue
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1):
            if _READ.search(line) and "# read raw:" not in line:
                found.append(f"{module.name}:{number}: {line.strip()}")
    assert found == []


@pytest.fixture
def messages(dev, token_for, clock, sts):
    """message kind -> (signed bytes, the check that reads it, the signer's key)."""
    sec = security()
    own = dev.function_credentials("101")
    request = sec.sign_envelope(
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<HentAnmodning xmlns="http://smdb.dst.dk/api/external/v1"><AnmodningId>7'
        b"</AnmodningId></HentAnmodning></s:Body></s:Envelope>",
        credentials=own,
        action=ACTION,
        to=TO,
        token=token_for("101"),
        now=clock(),
    )
    verifier = sec.RequestVerifier(
        sts_certificate=dev.sts.certificate, audience=AUDIENCE, clock=clock
    )
    message_id = "urn:uuid:sts-request"
    sts_request = security("sts").build_request(
        credentials=own, audience=AUDIENCE, sts_url=STS_URL, now=clock(), message_id=message_id
    )
    answer = sts.handle(sts_request)
    sts._verifier.replay = sec.ReplayCache()  # the STS request may come again, tampered
    answers = sec.ResponseVerifier(dev.sts.certificate, clock=clock)
    return {
        "request": (request, lambda data: verifier.verify(data, endpoint=TO), own.key_pem),
        "sts": (sts_request, lambda data: sts.handle(data, endpoint=STS_URL), own.key_pem),
        "answer": (
            answer,
            lambda data: answers.verify(data, request_id=message_id),
            dev.sts.key_pem,
        ),
    }


def test_the_untouched_messages_pass(messages):
    for data, check, _ in messages.values():
        check(data)


@pytest.mark.parametrize(("value", "message", "node"), CASES, ids=map(case_id, CASES))
def test_a_node_inside_a_signed_value_is_refused(messages, dev, value, message, node):
    data, check, signer = messages[message]
    tampered = hide(data, value, message, node, signer_pem=signer, sts_pem=dev.sts.key_pem)
    with pytest.raises(errors.BadMessage, match=re.escape(f"{value}: a comment")):
        check(tampered)
