"""Where each value the security code reads from a signed part sits, and how to hide a node
inside it: the table the comment/PI attack tests run over (library level and over HTTP).

`WHERE` maps every name of `smdb.security.xmlvalue.SIGNED_VALUES` to the messages it is read
from ("request": a service request under a SAML token, "sts": a request to the STS, "answer":
a signed answer) and its path there. A comment leaves every digest as it was (exclusive C14N
drops comments), so the tampered message is sent as captured; a processing instruction is kept
by C14N, so the message (and, inside the token, the token) is signed again over it, as a
signer who wrote one would have.
"""

from __future__ import annotations

import copy

from lxml import etree

from security.sectools import security

names = security("names")
NS = names.NSMAP
_MYNDIGHED = f"saml:Attribute[@Name='{names.ATTRIBUTE_MYNDIGHED}']/saml:AttributeValue"
_CVR = f"saml:Attribute[@Name='{names.ATTRIBUTE_CVR}']/saml:AttributeValue"
_ASSERTION = "s:Header/wsse:Security/saml:Assertion"
_TIMESTAMP = "s:Header/wsse:Security/wsu:Timestamp"

WHERE = {
    "wsa:Action": {"request": "s:Header/wsa:Action", "sts": "s:Header/wsa:Action"},
    "wsa:MessageID": {"request": "s:Header/wsa:MessageID", "sts": "s:Header/wsa:MessageID"},
    "wsa:RelatesTo": {"answer": "s:Header/wsa:RelatesTo"},
    "wsa:To": {"request": "s:Header/wsa:To", "sts": "s:Header/wsa:To"},
    "wsu:Created": {
        "request": f"{_TIMESTAMP}/wsu:Created",
        "sts": f"{_TIMESTAMP}/wsu:Created",
        "answer": f"{_TIMESTAMP}/wsu:Created",
    },
    "wsu:Expires": {
        "request": f"{_TIMESTAMP}/wsu:Expires",
        "sts": f"{_TIMESTAMP}/wsu:Expires",
        "answer": f"{_TIMESTAMP}/wsu:Expires",
    },
    "wsse:BinarySecurityToken": {
        "sts": "s:Header/wsse:Security/wsse:BinarySecurityToken",
        "answer": "s:Header/wsse:Security/wsse:BinarySecurityToken",
    },
    "wsse:KeyIdentifier": {
        "request": "s:Header/wsse:Security/wsse:SecurityTokenReference/wsse:KeyIdentifier"
    },
    "saml:Audience": {
        "request": f"{_ASSERTION}/saml:Conditions/saml:AudienceRestriction/saml:Audience"
    },
    "saml:myndighed": {"request": f"{_ASSERTION}/saml:AttributeStatement/{_MYNDIGHED}"},
    "saml:cvr": {"request": f"{_ASSERTION}/saml:AttributeStatement/{_CVR}"},
    "saml:X509Certificate": {
        "request": f"{_ASSERTION}/saml:Subject/saml:SubjectConfirmation/"
        "saml:SubjectConfirmationData/ds:KeyInfo/ds:X509Data/ds:X509Certificate"
    },
    "wst:Address": {
        "sts": "s:Body/wst:RequestSecurityToken/wsp:AppliesTo/wsa:EndpointReference/wsa:Address"
    },
    **{
        f"wst:{name}": {"sts": f"s:Body/wst:RequestSecurityToken/wst:{name}"}
        for name in ("TokenType", "RequestType", "KeyType")
    },
}

CASES = [
    (value, message, node)
    for value, where in WHERE.items()
    for message in where
    for node in ("comment", "pi")
]


def case_id(case) -> str:
    return "-".join(case)


def hide(
    data: bytes, value: str, message: str, node: str, *, signer_pem: bytes, sts_pem: bytes
) -> bytes:
    """`data` with a comment or PI in the middle of `value`'s text; a PI is signed over."""
    root = etree.fromstring(data)
    element = root.find(WHERE[value][message], NS)
    assert element is not None and element.text, (value, message)
    text = element.text
    middle = len(text) // 2
    inserted = etree.Comment("x") if node == "comment" else etree.ProcessingInstruction("x")
    element.text, inserted.tail = text[:middle], text[middle:]
    element.append(inserted)
    if node == "pi":
        assertion = root.find(_ASSERTION, NS)
        if assertion is not None and value.startswith("saml:"):
            _resign_assertion(assertion, sts_pem)
        else:
            resign(root, signer_pem)
    return etree.tostring(root, encoding="utf-8")


def resign(root: etree._Element, key_pem: bytes) -> None:
    """The message's signature made again with `key_pem`, over the same references."""
    header = root.find("s:Header/wsse:Security", NS)
    old = header.find("ds:Signature", NS)
    ids = [r.get("URI")[1:] for r in old.iterfind("ds:SignedInfo/ds:Reference", NS)]
    key_info = copy.deepcopy(old.find("ds:KeyInfo", NS)[0])
    header.remove(old)
    security("xmldsig").sign(root, header, ids, key_pem, key_info)


def _resign_assertion(assertion: etree._Element, key_pem: bytes) -> None:
    assertion.remove(assertion.find("ds:Signature", NS))
    security("xmldsig").sign(
        assertion, assertion, [assertion.get("ID")], key_pem, enveloped=True, index=1
    )
