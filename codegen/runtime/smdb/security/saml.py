"""SAML 2.0 holder-of-key assertions: the token the STS issues and every request carries.

`issue` builds and signs one (the STS side); `read` checks one a request carries: the STS's
signature, the validity period, the audience and the holder-of-key confirmation, and gives the
certificate the request must be signed with and the caller's myndighed. `peek` reads an
assertion's ID and expiry without checking it (a client caching its own token).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import threading
import uuid
from dataclasses import dataclass, replace

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from smdb.security import xmldsig
from smdb.security.clock import parse_time, xs_time
from smdb.security.credentials import Credentials
from smdb.security.errors import ExpiredToken, InvalidToken, SecurityError
from smdb.security.names import (
    ATTRIBUTE_CVR,
    ATTRIBUTE_MYNDIGHED,
    DS,
    HOLDER_OF_KEY,
    SAML,
    q,
)
from smdb.security.xmlvalue import signed_text

__all__ = ["Token", "TokenReader", "issue", "peek", "read"]


@dataclass(frozen=True, repr=False)
class Token:
    element: etree._Element
    id: str
    not_before: dt.datetime
    not_on_or_after: dt.datetime
    audience: str | None = None
    holder: x509.Certificate | None = None
    myndighed: str | None = None
    cvr: str | None = None

    def __repr__(self) -> str:  # never the token itself
        return f"Token(id={self.id!r}, not_on_or_after={self.not_on_or_after.isoformat()})"


def issue(
    *,
    sts: Credentials,
    issuer: str,
    holder: x509.Certificate,
    audience: str,
    myndighed: str,
    cvr: str,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> etree._Element:
    """A signed assertion that `holder`'s key speaks for `myndighed` to `audience`."""
    identifier = "_" + uuid.uuid4().hex
    until = now + lifetime
    assertion = etree.Element(
        q(SAML, "Assertion"),
        nsmap={"saml": SAML},
        ID=identifier,
        Version="2.0",
        IssueInstant=xs_time(now),
    )
    etree.SubElement(assertion, q(SAML, "Issuer")).text = issuer
    subject = etree.SubElement(assertion, q(SAML, "Subject"))
    name = etree.SubElement(
        subject,
        q(SAML, "NameID"),
        Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
    )
    name.text = holder.subject.rfc4514_string()
    confirmation = etree.SubElement(subject, q(SAML, "SubjectConfirmation"), Method=HOLDER_OF_KEY)
    data = etree.SubElement(confirmation, q(SAML, "SubjectConfirmationData"))
    key_info = etree.SubElement(data, q(DS, "KeyInfo"), nsmap={"ds": DS})
    x509_data = etree.SubElement(key_info, q(DS, "X509Data"))
    etree.SubElement(x509_data, q(DS, "X509Certificate")).text = base64.b64encode(
        holder.public_bytes(Encoding.DER)
    ).decode()
    conditions = etree.SubElement(
        assertion, q(SAML, "Conditions"), NotBefore=xs_time(now), NotOnOrAfter=xs_time(until)
    )
    restriction = etree.SubElement(conditions, q(SAML, "AudienceRestriction"))
    etree.SubElement(restriction, q(SAML, "Audience")).text = audience
    attributes = etree.SubElement(assertion, q(SAML, "AttributeStatement"))
    for attribute, value in ((ATTRIBUTE_MYNDIGHED, myndighed), (ATTRIBUTE_CVR, cvr)):
        element = etree.SubElement(attributes, q(SAML, "Attribute"), Name=attribute)
        etree.SubElement(element, q(SAML, "AttributeValue")).text = value
    # The signature goes right after Issuer, as the SAML schema orders it.
    xmldsig.sign(assertion, assertion, [identifier], sts.key_pem, enveloped=True, index=1)
    return assertion


def read(
    assertion: etree._Element,
    *,
    sts_certificate: x509.Certificate,
    audience: str | tuple[str, ...],
    now: dt.datetime,
    skew: dt.timedelta = dt.timedelta(minutes=1),
) -> Token:
    """The checked token: signed by the STS (over the whole assertion), now within its
    validity, for `audience`, holder-of-key; raises InvalidToken or ExpiredToken."""
    identifier = assertion.get("ID")
    signature = xmldsig.find_signature(assertion)
    if not identifier or signature is None:
        raise InvalidToken("the SAML token is not signed")
    try:
        signed = xmldsig.verify(
            assertion,
            signature,
            sts_certificate.public_bytes(Encoding.DER),
            expected={identifier: "Assertion"},
        )
    except SecurityError as error:
        raise InvalidToken(
            f"the SAML token's signature does not verify with the STS: {error}"
        ) from None
    if signed != [identifier]:
        raise InvalidToken("the SAML token's signature does not cover the token")
    token = peek(assertion)
    _check_period(token, now, skew)
    audiences = (audience,) if isinstance(audience, str) else audience
    if token.audience not in audiences:
        raise InvalidToken("the SAML token is for another audience")
    if token.holder is None:
        raise InvalidToken("the SAML token is not holder-of-key")
    if not token.myndighed:
        raise InvalidToken("the SAML token names no myndighed")
    return token


class TokenReader:
    """`read` with a memory: a client sends the same token for hours, so a token already
    checked (the same canonical bytes, signature included) is not verified again; its validity
    period is, on every use."""

    def __init__(
        self,
        *,
        sts_certificate: x509.Certificate,
        audience: str | tuple[str, ...],
        skew: dt.timedelta = dt.timedelta(minutes=1),
        size: int = 1024,
    ) -> None:
        self.sts_certificate, self.audience, self.skew, self.size = (
            sts_certificate,
            audience,
            skew,
            size,
        )
        self._checked: dict[bytes, Token] = {}
        self._lock = threading.Lock()

    def read(self, assertion: etree._Element, now: dt.datetime) -> Token:
        canonical = etree.tostring(assertion, method="c14n", exclusive=True)
        key = hashlib.sha256(canonical).digest()
        token = self._checked.get(key)
        if token is None:
            token = read(
                assertion,
                sts_certificate=self.sts_certificate,
                audience=self.audience,
                now=now,
                skew=self.skew,
            )
            with self._lock:
                if len(self._checked) >= self.size:
                    self._checked.clear()
                self._checked[key] = token
            return token
        _check_period(token, now, self.skew)
        return replace(token, element=assertion)


def _check_period(token: Token, now: dt.datetime, skew: dt.timedelta) -> None:
    if not token.not_before - skew <= now < token.not_on_or_after + skew:
        raise ExpiredToken("the SAML token is expired or not yet valid")


def peek(assertion: etree._Element) -> Token:
    """An assertion's fields, unchecked."""
    conditions = assertion.find(q(SAML, "Conditions"))
    token_id = assertion.get("ID")
    if conditions is None or token_id is None:
        raise InvalidToken("the SAML token has no ID or Conditions")
    audience = conditions.find(f"{q(SAML, 'AudienceRestriction')}/{q(SAML, 'Audience')}")
    return Token(
        element=assertion,
        id=token_id,
        not_before=_parse_time(conditions.get("NotBefore")),
        not_on_or_after=_parse_time(conditions.get("NotOnOrAfter")),
        audience=None if audience is None else signed_text(audience, "saml:Audience") or None,
        holder=_holder(assertion),
        myndighed=_attribute(assertion, ATTRIBUTE_MYNDIGHED, "saml:myndighed"),
        cvr=_attribute(assertion, ATTRIBUTE_CVR, "saml:cvr"),
    )


def _holder(assertion: etree._Element) -> x509.Certificate | None:
    subject = assertion.find(q(SAML, "Subject"))
    confirmations = [] if subject is None else subject.findall(q(SAML, "SubjectConfirmation"))
    for confirmation in confirmations:
        if confirmation.get("Method") != HOLDER_OF_KEY:
            continue
        element = confirmation.find(
            "/".join(
                q(*part)
                for part in (
                    (SAML, "SubjectConfirmationData"),
                    (DS, "KeyInfo"),
                    (DS, "X509Data"),
                    (DS, "X509Certificate"),
                )
            )
        )
        text = None if element is None else signed_text(element, "saml:X509Certificate")
        if text:
            try:
                return x509.load_der_x509_certificate(base64.b64decode(text))
            except ValueError:
                raise InvalidToken("the SAML token's holder certificate is unreadable") from None
    return None


def _attribute(assertion: etree._Element, name: str, read_as: str) -> str | None:
    for attribute in assertion.iter(q(SAML, "Attribute")):
        if attribute.get("Name") == name:
            value = attribute.find(q(SAML, "AttributeValue"))
            return None if value is None else signed_text(value, read_as) or None
    return None


def _parse_time(text: str | None) -> dt.datetime:
    moment = parse_time(text)
    if moment is None:
        raise InvalidToken("a SAML time that is not an xs:dateTime with a time zone")
    return moment
