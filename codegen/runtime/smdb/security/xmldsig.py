"""XML-DSig for WS-Security and SAML: the one module that calls the XML-DSig library.

The library is python-xmlsec (libxmlsec1, in C), chosen over signxml (pure Python over lxml
and cryptography) after measuring both on this workload (`make bench`, section security: sign
plus verify of an IndsaetIvaerksaettelse envelope with six references, RSA-SHA256, exclusive
C14N, SHA-256 digests, keys loaded once): signxml took 1.6-2× xmlsec's time on the loaded
2-core machine, 1.4× when it was idle. Two more reasons: xmlsec resolves references only
through the IDs registered here (wsu:Id, and SAML's ID on an Assertion), while signxml matches
any attribute whose local name is Id, and verifies the first signature of a document (in
WS-Security, the token's, not the message's). Its manylinux wheels bundle libxmlsec1 and
OpenSSL and are built against the same libxml2 as lxml's wheels, so `pip install` needs no
system headers when both come from requirements.lock (xmlsec refuses to import beside an lxml
with another libxml2). signxml stays as the independent second implementation the
interoperability tests check us against.

Only RSA-SHA256 signatures, exclusive C14N and SHA-256 digests are made or accepted. References
are by ID (wsu:Id, or SAML's ID); an ID that occurs twice refuses the document (signature
wrapping), and `verify` returns the referenced IDs so callers can check that what they rely on
is what was signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import cast

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree
from smdb.security.digests import failed_reference
from smdb.security.errors import BadMessage, BadSignature, UnsupportedAlgorithm
from smdb.security.names import DS, SAML, WSU, q

__all__ = ["find_signature", "parse", "sign", "verify"]

EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

# No DTD, no entities, no network: signed messages come from strangers.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_WSU_ID = q(WSU, "Id")
# XPath, not a walk in Python: a request body has hundreds of elements.
_WITH_WSU_ID = etree.XPath("descendant-or-self::*[@wsu:Id]", namespaces={"wsu": WSU})
_SAML_WITH_ID = etree.XPath("descendant-or-self::saml:Assertion[@ID]", namespaces={"saml": SAML})
# libxml2 registers every xml:id itself, so a reference could resolve to one: it counts too.
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_WITH_XML_ID = etree.XPath("descendant-or-self::*[@xml:id]")


def parse(data: bytes) -> etree._Element:
    """A document from bytes, refusing DTDs and malformed XML with BadMessage."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadMessage(f"not well-formed XML (line {exc.lineno})") from None
    # lxml-stubs' DocInfo has no `doctype` (lxml's has).
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise BadMessage("DTDs are not allowed")
    return root


def sign(
    root: etree._Element,
    parent: etree._Element,
    ids: list[str],
    key_pem: bytes,
    key_info: etree._Element | None = None,
    *,
    enveloped: bool = False,
    index: int | None = None,
) -> etree._Element:
    """Add to `parent` (at `index`, default last) a signature over the elements of `root` with
    these IDs, made with the RSA key `key_pem`; `key_info` goes into ds:KeyInfo.
    `enveloped` adds the enveloped-signature transform (a SAML assertion signing itself)."""
    signature = xmlsec.template.create(
        root, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha256, ns="ds"
    )
    if index is None:
        parent.append(signature)
    else:
        parent.insert(index, signature)
    for identifier in ids:
        reference = xmlsec.template.add_reference(
            signature, xmlsec.constants.TransformSha256, uri="#" + identifier
        )
        if enveloped:
            xmlsec.template.add_transform(reference, xmlsec.constants.TransformEnveloped)
        xmlsec.template.add_transform(reference, xmlsec.constants.TransformExclC14N)
    if key_info is not None:
        etree.SubElement(signature, q(DS, "KeyInfo")).append(key_info)
    context = xmlsec.SignatureContext()
    _register_ids(context, root)
    context.key = _private_key(key_pem)
    try:
        context.sign(signature)
    except xmlsec.Error as exc:
        raise BadSignature(f"cannot sign: {exc}") from None
    return signature


def verify(
    root: etree._Element,
    signature: etree._Element,
    certificate_der: bytes,
    expected: Mapping[str, str] | None = None,
) -> list[str]:
    """Check `signature` (its algorithms, every reference's digest, the signature value) with the
    certificate's public key; the IDs it references, in order. Raises a SecurityError naming
    the reference that failed. `expected` (ID -> the part's name): the references must be
    exactly these, each once, which is checked before any digest is computed (a signature with
    a thousand references costs nothing)."""
    if expected is not None:  # a flood of references is refused before it is even read
        count = len(signature.findall(f"{q(DS, 'SignedInfo')}/{q(DS, 'Reference')}"))
        if count > len(expected):
            raise BadSignature(
                f"the signature holds {count} references, more than the {len(expected)} "
                "parts it must cover"
            )
    references = _check_algorithms(signature)
    if expected is not None:
        _check_references(references, expected)
    context = xmlsec.SignatureContext()
    elements = _register_ids(context, root)
    context.key = _public_key(certificate_der)
    try:
        context.verify(signature)
    except xmlsec.Error:
        failed = failed_reference(signature, elements)
        if failed is not None:
            raise BadSignature(f"the digest of {failed} does not match what was signed") from None
        raise BadSignature("the signature value does not verify (SignedInfo)") from None
    return references


def _check_references(references: list[str], expected: Mapping[str, str]) -> None:
    seen: set[str] = set()
    for identifier in references:
        if identifier in seen:
            raise BadSignature(f"the signature references #{identifier} twice")
        if identifier not in expected:
            raise BadSignature(f"the signature references #{identifier}, no part it must cover")
        seen.add(identifier)
    for identifier, name in expected.items():
        if identifier not in seen:
            raise BadSignature(f"the signature does not cover {name} (#{identifier})")


def find_signature(parent: etree._Element) -> etree._Element | None:
    return parent.find(q(DS, "Signature"))


def _check_algorithms(signature: etree._Element) -> list[str]:
    info = signature.find(q(DS, "SignedInfo"))
    if info is None:
        raise BadSignature("a signature without SignedInfo")
    if _algorithm(info, "CanonicalizationMethod") != EXC_C14N:
        raise UnsupportedAlgorithm("SignedInfo must use exclusive C14N")
    if _algorithm(info, "SignatureMethod") != RSA_SHA256:
        raise UnsupportedAlgorithm("the signature must be RSA-SHA256")
    uris = []
    for reference in info.iterfind(q(DS, "Reference")):
        if _algorithm(reference, "DigestMethod") != SHA256:
            raise UnsupportedAlgorithm("digests must be SHA-256")
        transforms = reference.find(q(DS, "Transforms"))
        if transforms is not None and len(transforms) > 2:  # enveloped + C14N at most
            raise UnsupportedAlgorithm("a reference with more than two transforms")
        for transform in () if transforms is None else transforms:
            if transform.get("Algorithm") not in (EXC_C14N, ENVELOPED):
                raise UnsupportedAlgorithm("a reference transform other than exclusive C14N")
        uri = reference.get("URI") or ""
        if not uri.startswith("#") or len(uri) < 2:
            raise BadSignature("references must point at an element by ID")
        uris.append(uri[1:])
    if not uris:
        raise BadSignature("a signature that references nothing")
    return uris


def _algorithm(parent: etree._Element, name: str) -> str | None:
    element = parent.find(q(DS, name))
    return None if element is None else element.get("Algorithm")


def _register_ids(
    context: xmlsec.SignatureContext, root: etree._Element
) -> dict[str, etree._Element]:
    """Register the wsu:Id and SAML IDs under `root` for libxmlsec1; ID -> element. Each ID
    counts once, of every kind a reference could resolve to: wsu:Id and SAML's ID, and xml:id,
    which libxml2 registers itself, in the whole document; a second element with one is
    refused (signature wrapping)."""
    seen: set[str] = set()
    for element in _elements(_WITH_XML_ID(root.getroottree().getroot())):
        _once(seen, element.get(_XML_ID))
    found: dict[str, etree._Element] = {}
    try:
        for element in _elements(_WITH_WSU_ID(root)):
            found[_once(seen, element.get(_WSU_ID))] = element
            context.register_id(element, "Id", WSU)
        for element in _elements(_SAML_WITH_ID(root)):
            found[_once(seen, element.get("ID"))] = element
            context.register_id(element, "ID")
    except xmlsec.Error:
        raise BadSignature("an ID the signature library cannot register") from None
    return found


def _elements(found: object) -> list[etree._Element]:
    """An XPath's answer of element nodes, typed as such (XPath's type covers any answer)."""
    return cast("list[etree._Element]", found)


def _once(seen: set[str], identifier: str | None) -> str:
    if identifier is None:  # the XPaths select elements having the attribute
        raise BadSignature("an element without its ID")
    if identifier in seen:
        raise BadSignature("an ID occurs twice in the message")
    seen.add(identifier)
    return identifier


@lru_cache(maxsize=64)
def _private_key(key_pem: bytes) -> xmlsec.Key:
    return xmlsec.Key.from_memory(key_pem, xmlsec.constants.KeyDataFormatPem)


@lru_cache(maxsize=256)
def _public_key(certificate_der: bytes) -> xmlsec.Key:
    # The bare public key, not the certificate: libxmlsec1 copies a key's X.509 data on every
    # verification (re-parsing the certificate), and trust in the certificate is the caller's
    # check (TrustStore, the token's STS), never libxmlsec1's.
    try:
        public = x509.load_der_x509_certificate(certificate_der).public_key()
        spki = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        return xmlsec.Key.from_memory(spki, xmlsec.constants.KeyDataFormatDer)
    except (ValueError, xmlsec.Error):
        raise BadSignature("an unreadable certificate") from None
