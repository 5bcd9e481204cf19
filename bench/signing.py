"""`make bench`, section security: signing and verifying one SOAP request, against the floor of
raw RSA-2048 sign + verify of the same digest with `cryptography`, and the two XML-DSig
libraries on the same envelope (the measurement behind choosing xmlsec, smdb/security/xmldsig)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable

ACTION = "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetIvaerksaettelse"
AUDIENCE = "http://127.0.0.1:8080"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def envelope(form_xml: bytes) -> bytes:
    """A realistic IndsaetIvaerksaettelse request: one Ivaerksaettelse form in the Body."""
    form = form_xml.split(b"?>", 1)[-1] if form_xml.startswith(b"<?xml") else form_xml
    return (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<IndsaetIvaerksaettelse xmlns="http://smdb.dst.dk/api/external/v1">'
        + form
        + b"</IndsaetIvaerksaettelse></s:Body></s:Envelope>"
    )


def security(runs: int, form_xml: bytes, best_of_pair: Callable) -> list[tuple[str, float, str]]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils
    from cryptography.hazmat.primitives.serialization import Encoding
    from lxml import etree
    from signxml import SignatureConstructionMethod, XMLSigner, XMLVerifier
    from smdb.security import ServerSecurity, sign_envelope, xmldsig
    from smdb.security.devcredentials import ensure

    data = envelope(form_xml)
    with tempfile.TemporaryDirectory() as folder:
        server = ServerSecurity.from_dev_credentials(folder, ["101"], audience=AUDIENCE)
        own = ensure(folder, ["101"]).function_credentials("101")
    status, answer = server.handle_sts(_token_request(own))
    assert status == 200, answer
    token = next(etree.fromstring(answer).iter("{urn:oasis:names:tc:SAML:2.0:assertion}Assertion"))
    key, public = own.key, own.certificate.public_key()
    sha256, pkcs1 = utils.Prehashed(hashes.SHA256()), padding.PKCS1v15()
    loops = 50

    def floor() -> None:
        for _ in range(loops):
            digest = hashlib.sha256(data).digest()
            public.verify(key.sign(digest, pkcs1, sha256), digest, pkcs1, sha256)

    def ours() -> None:
        for _ in range(loops):
            signed = sign_envelope(
                data, credentials=own, action=ACTION, to=AUDIENCE, token=_copy(token)
            )
            server.verify(signed, action=ACTION, headers={})

    # The libraries alone, on the parts our signature covers (the same six references).
    template = etree.fromstring(
        sign_envelope(data, credentials=own, action=ACTION, to=AUDIENCE, token=_copy(token))
    )
    header = template.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    security_header = header[-1]
    signature = xmldsig.find_signature(security_header)
    uris = [
        r.get("URI")[1:] for r in signature.iter("{http://www.w3.org/2000/09/xmldsig#}Reference")
    ]
    security_header.remove(signature)
    # signxml checks the first signature in a document: leave the token out of this one.
    security_header.remove(security_header.find("{urn:oasis:names:tc:SAML:2.0:assertion}Assertion"))
    unsigned = etree.tostring(template)
    certificate_pem = own.certificate.public_bytes(Encoding.PEM)

    def with_xmlsec() -> None:
        for _ in range(loops):
            root = etree.fromstring(unsigned)
            parent = root[0][-1]
            made = xmldsig.sign(root, parent, uris, own.key_pem)
            signed = etree.fromstring(etree.tostring(root))
            xmldsig.verify(signed, xmldsig.find_signature(signed[0][-1]), own.certificate_der)
            assert made is not None

    signer = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    )

    def with_signxml() -> None:
        for _ in range(loops // 10):
            root = etree.fromstring(unsigned)
            root[0][-1].append(signer.sign(root, key=own.key, reference_uri=uris))
            XMLVerifier().verify(
                etree.tostring(root), x509_cert=certificate_pem, expect_references=len(uris)
            )

    floor_time, ours_time = (t / loops for t in best_of_pair(runs, floor, ours))
    floor_2, xmlsec_time = (t / loops for t in best_of_pair(runs, floor, with_xmlsec))
    floor_3, signxml_time = best_of_pair(max(2, runs // 2), floor, with_signxml)
    floor_3, signxml_time = floor_3 / loops, signxml_time / (loops // 10)
    # Each ratio is against the floor run in turns with it (the machine's speed drifts).
    xmlsec_ratio, signxml_ratio = xmlsec_time / floor_2, signxml_time / floor_3
    return [
        (
            f"RSA-2048 sign + verify of the SHA-256 digest, cryptography (floor; {len(data)} B)",
            min(floor_time, floor_2, floor_3),
            "1.00×",
        ),
        (
            "xmlsec: sign + verify, 6 references (what smdb.security uses)",
            xmlsec_time,
            f"{xmlsec_ratio:.1f}×",
        ),
        (
            "signxml: sign + verify, same envelope and references",
            signxml_time,
            f"{signxml_ratio:.1f}× ({signxml_ratio / xmlsec_ratio:.1f}× xmlsec's)",
        ),
        (
            "smdb.security: sign_envelope + ServerSecurity.verify (token, timestamp, replay)",
            ours_time,
            f"{ours_time / floor_time:.1f}× (adds {ours_time / floor_time - 1:.1f}× the floor)",
        ),
    ]


def _token_request(own) -> bytes:
    from smdb.security.sts import build_request

    return build_request(credentials=own, audience=AUDIENCE, sts_url=AUDIENCE + "/sts")


def _copy(element):
    from lxml import etree

    return etree.fromstring(etree.tostring(element))
