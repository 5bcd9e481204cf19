"""Two independent XML-DSig implementations agree: what smdb.security signs (xmlsec) verifies
with signxml, and a request signed with signxml passes smdb.security's verifier."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureConstructionMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidDigest

from security.sectools import ACTION, TO, security

names = security("names")
NS = names.NSMAP
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def _pem(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def test_our_request_signature_verifies_with_signxml(signed, dev):
    root = etree.fromstring(signed)
    signature = root.find("s:Header/wsse:Security/ds:Signature", NS)
    uris = [r.get("URI") for r in signature.iterfind("ds:SignedInfo/ds:Reference", NS)]
    # signxml checks the first signature in a document: take the token's own out first (the
    # message signature covers the token reference, not the token).
    assertion = root.find("s:Header/wsse:Security/saml:Assertion", NS)
    assertion.remove(assertion.find("ds:Signature", NS))
    results = XMLVerifier().verify(
        etree.tostring(root),
        x509_cert=_pem(dev.function_credentials("101").certificate),
        expect_references=len(uris),
    )
    verified = {etree.QName(result.signed_xml).localname for result in results}
    assert verified == {"Action", "MessageID", "To", "Timestamp", "SecurityTokenReference", "Body"}


def test_our_token_signature_verifies_with_signxml(token_for, dev):
    token = etree.tostring(token_for("101"))
    result = XMLVerifier().verify(token, x509_cert=_pem(dev.sts.certificate))
    assert etree.QName(result.signed_xml).localname == "Assertion"


def test_signxml_detects_a_tampered_body_too(signed, dev):
    root = etree.fromstring(signed.replace(b"<AnmodningId>7<", b"<AnmodningId>8<"))
    assertion = root.find("s:Header/wsse:Security/saml:Assertion", NS)
    assertion.remove(assertion.find("ds:Signature", NS))
    with pytest.raises(InvalidDigest):
        XMLVerifier().verify(
            etree.tostring(root),
            x509_cert=_pem(dev.function_credentials("101").certificate),
            expect_references=6,
        )


def test_a_request_signed_with_signxml_passes_our_verifier(signed, dev, verifier):
    """Our envelope with its signature replaced by one signxml makes over the same parts."""
    root = etree.fromstring(signed)
    security_header = root.find("s:Header/wsse:Security", NS)
    ours = security_header.find("ds:Signature", NS)
    uris = [r.get("URI")[1:] for r in ours.iterfind("ds:SignedInfo/ds:Reference", NS)]
    key_info = ours.find("ds:KeyInfo", NS)
    security_header.remove(ours)
    own = dev.function_credentials("101")
    theirs = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    ).sign(root, key=own.key, reference_uri=uris, key_info=key_info)
    security_header.append(theirs)
    message = verifier.verify(etree.tostring(root))
    assert message.caller.myndighed == "101"
    assert message.action == ACTION


def test_a_signxml_request_with_a_tampered_header_is_refused(signed, dev, verifier):
    root = etree.fromstring(signed)
    security_header = root.find("s:Header/wsse:Security", NS)
    ours = security_header.find("ds:Signature", NS)
    uris = [r.get("URI")[1:] for r in ours.iterfind("ds:SignedInfo/ds:Reference", NS)]
    security_header.remove(ours)
    theirs = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    ).sign(root, key=dev.function_credentials("101").key, reference_uri=uris)
    security_header.append(theirs)
    root.find("s:Header/wsa:To", NS).text = TO + "/other"
    with pytest.raises(security("errors").BadSignature):
        verifier.verify(etree.tostring(root))
