"""WS-Security for SOAP 1.1 messages, as the OIO IDWS profile has them.

Signing (`sign_envelope`) adds the WS-Addressing headers (wsa:Action, wsa:MessageID, wsa:To,
and wsa:RelatesTo on a response) and a wsse:Security header (mustUnderstand="1") with a
wsu:Timestamp, the caller's token, and one RSA-SHA256 signature over the Body, the Timestamp,
the addressing headers and the token reference. The token is a SAML holder-of-key assertion
(requests to a service) or the signer's own certificate as a BinarySecurityToken (requests to
the STS, and responses).

Verifying (`RequestVerifier` on the server, `ResponseVerifier` on the client) checks, in
order: the message's shape, the timestamp's freshness, the token, the signature and every
digest, that every part above was signed, and (requests) that the message ID is new. Each
failure is a typed SecurityError (`smdb.security.errors`), answered with `soap_fault`.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import SplitResult, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from smdb.security import saml, xmldsig
from smdb.security.clock import Clock, parse_time, utc_now, xs_time
from smdb.security.credentials import Credentials, TrustStore
from smdb.security.errors import (
    BadMessage,
    BadSignature,
    InvalidToken,
    MessageExpired,
    MissingSecurity,
    Replayed,
    UntrustedCertificate,
)
from smdb.security.names import (
    BASE64,
    DS,
    SAML,
    SAML_ID,
    SAML_TOKEN,
    SOAP,
    WSA,
    WSSE,
    WSSE11,
    WSU,
    X509_TOKEN,
    q,
)
from smdb.security.xmlvalue import signed_text

__all__ = [
    "Caller",
    "ReplayCache",
    "RequestVerifier",
    "ResponseVerifier",
    "VerifiedMessage",
    "sign_envelope",
]

DEFAULT_WINDOW = dt.timedelta(minutes=5)
_ADDRESSING = ("Action", "MessageID", "To", "RelatesTo")
_WSU_ID = q(WSU, "Id")


def sign_envelope(
    envelope: bytes | etree._Element,
    *,
    credentials: Credentials,
    action: str,
    to: str | None = None,
    token: etree._Element | None = None,
    relates_to: str | None = None,
    message_id: str | None = None,
    now: dt.datetime | None = None,
    ttl: dt.timedelta = DEFAULT_WINDOW,
) -> bytes:
    """The SOAP 1.1 `envelope` (a Body, any Header), signed with `credentials`' key.
    `token`: the SAML holder-of-key assertion from the STS; without it the certificate itself
    is the token. Existing WS-Addressing and wsse:Security headers are replaced."""
    root = xmldsig.parse(envelope) if isinstance(envelope, bytes) else envelope
    body = _child(root, SOAP, "Body")
    if root.tag != q(SOAP, "Envelope") or body is None:
        raise BadMessage("not a SOAP 1.1 envelope with a Body")
    header = _child(root, SOAP, "Header")
    if header is None:
        header = etree.Element(q(SOAP, "Header"))
        root.insert(0, header)
    for old in [e for e in header if e.tag in {q(WSA, n) for n in _ADDRESSING}]:
        header.remove(old)
    for old in header.findall(q(WSSE, "Security")):
        header.remove(old)
    now = now or utc_now()
    ids = []
    addressing = [
        ("Action", action),
        ("MessageID", message_id or f"urn:uuid:{uuid.uuid4()}"),
        ("To", to),
        ("RelatesTo", relates_to),
    ]
    for name, value in addressing:
        if value is not None:
            element = etree.SubElement(header, q(WSA, name), nsmap={"wsa": WSA, "wsu": WSU})
            element.text = value
            ids.append(_mark(element, name.lower()))
    security = etree.SubElement(
        header, q(WSSE, "Security"), {q(SOAP, "mustUnderstand"): "1"}, nsmap={"wsse": WSSE}
    )
    timestamp = etree.SubElement(security, q(WSU, "Timestamp"), nsmap={"wsu": WSU})
    etree.SubElement(timestamp, q(WSU, "Created")).text = xs_time(now)
    etree.SubElement(timestamp, q(WSU, "Expires")).text = xs_time(now + ttl)
    ids.append(_mark(timestamp, "ts"))
    if token is not None:
        security.append(token)
        reference = _token_reference(token.get("ID", ""))
        security.append(reference)
        key_info = _token_reference(token.get("ID", ""))
    else:
        binary = etree.SubElement(
            security, q(WSSE, "BinarySecurityToken"), ValueType=X509_TOKEN, EncodingType=BASE64
        )
        binary.text = base64.b64encode(credentials.certificate_der).decode()
        binary_id = _mark(binary, "x509")
        reference = etree.Element(q(WSSE, "SecurityTokenReference"), nsmap={"wsse": WSSE})
        etree.SubElement(reference, q(WSSE, "Reference"), URI="#" + binary_id, ValueType=X509_TOKEN)
        security.append(reference)
        key_info = _copy(reference)
    ids.append(_mark(reference, "str"))
    ids.append(_mark(body, "body"))
    xmldsig.sign(root, security, ids, credentials.key_pem, key_info)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class Caller:
    """Who sent a verified request: their myndighed (kommune code) from the token."""

    myndighed: str
    cvr: str | None
    subject: str  # the function certificate's subject


@dataclass(frozen=True)
class VerifiedMessage:
    envelope: etree._Element
    body: etree._Element
    action: str
    message_id: str | None
    caller: Caller | None = None  # requests with a SAML token
    certificate: x509.Certificate | None = None  # the signer's certificate


class MessageIds(Protocol):
    """Where a verifier keeps the message IDs seen: `ReplayCache`, or the emulator's
    database. `add` raises Replayed for an ID seen before `until`."""

    def add(self, message_id: str, until: dt.datetime, now: dt.datetime) -> None: ...


class ReplayCache:
    """Message IDs seen within the freshness window (thread-safe, in memory). IDs leave in the
    order they came (each is kept for the same window), so forgetting costs O(1) per ID."""

    def __init__(self) -> None:
        self._seen: dict[str, dt.datetime] = {}
        self._order: deque[tuple[dt.datetime, str]] = deque()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, message_id: str, until: dt.datetime, now: dt.datetime) -> None:
        """Remember `message_id` until `until`; Replayed if already remembered."""
        with self._lock:
            while self._order and self._order[0][0] <= now:
                expired, old = self._order.popleft()
                if self._seen.get(old) == expired:
                    del self._seen[old]
            known = self._seen.get(message_id)
            if known is not None and known > now:
                raise Replayed("this wsa:MessageID was seen before")
            self._seen[message_id] = until
            self._order.append((until, message_id))


class RequestVerifier:
    """The server's check of a request signed under a SAML token from `sts_certificate`,
    for one of `audience`. `verify` returns the body and the caller's myndighed."""

    def __init__(
        self,
        *,
        sts_certificate: x509.Certificate,
        audience: str | tuple[str, ...],
        window: dt.timedelta = DEFAULT_WINDOW,
        replay: MessageIds | None = None,
        clock: Clock = utc_now,
        origins: tuple[str, ...] = (),
    ) -> None:
        """`origins`: the public scheme://host[:port] a signed wsa:To may name (see
        `_check_to`); empty: any, only the path is compared."""
        self.sts_certificate = sts_certificate
        self.origins = tuple(_origin(urlsplit(origin)) for origin in origins)
        self.audience = audience
        self.tokens = saml.TokenReader(sts_certificate=sts_certificate, audience=audience)
        self.window = window
        self.replay: MessageIds = replay if replay is not None else ReplayCache()
        self.clock = clock

    def verify(
        self, data: bytes | etree._Element, *, endpoint: str | None = None
    ) -> VerifiedMessage:
        """`endpoint`: the URL (or path) the request arrived at, which its signed wsa:To must
        name (`_check_to`); None: not compared."""
        now = self.clock()
        parts = _Parts.of(data)
        _check_timestamp(parts.timestamp, now, self.window)
        assertion = parts.security.find(q(SAML, "Assertion"))
        if assertion is None:
            raise MissingSecurity("the request carries no SAML token")
        token = self.tokens.read(assertion, now)
        # read() refuses a token without a holder or a myndighed.
        assert token.holder is not None and token.myndighed is not None
        reference = _saml_reference(parts.security, token.id)
        parts.check_signature(token.holder, required=[reference])
        if endpoint is not None:
            _check_to(parts, endpoint, self.origins)
        if parts.message_id is None:
            raise BadMessage("the request has no wsa:MessageID")
        self.replay.add(parts.message_id, now + self.window + _SKEW, now)  # fresh that long
        caller = Caller(token.myndighed, token.cvr, token.holder.subject.rfc4514_string())
        return parts.result(caller=caller, certificate=token.holder)

    def verify_certificate_signed(
        self, data: bytes | etree._Element, trust: TrustStore, *, endpoint: str | None = None
    ) -> VerifiedMessage:
        """A request signed with a function certificate of `trust` (no SAML token): what the
        STS receives."""
        now = self.clock()
        parts = _Parts.of(data)
        _check_timestamp(parts.timestamp, now, self.window)
        certificate, reference = _binary_token(parts.security)
        trust.check(certificate, now)
        parts.check_signature(certificate, required=[reference])
        if endpoint is not None:
            _check_to(parts, endpoint, self.origins)
        if parts.message_id is None:
            raise BadMessage("the request has no wsa:MessageID")
        self.replay.add(parts.message_id, now + self.window + _SKEW, now)  # fresh that long
        return parts.result(certificate=certificate)


class ResponseVerifier:
    """The client's check of a response signed with the server's `certificate`, answering the
    request whose wsa:MessageID is `request_id` (its signed wsa:RelatesTo must say so: a signed
    answer to another request, e.g. replayed, is refused)."""

    def __init__(
        self,
        certificate: x509.Certificate,
        *,
        window: dt.timedelta = DEFAULT_WINDOW,
        clock: Clock = utc_now,
    ):
        self.certificate = certificate
        self.window = window
        self.clock = clock

    def verify(self, data: bytes | etree._Element, *, request_id: str) -> VerifiedMessage:
        parts = _Parts.of(data)
        _check_timestamp(parts.timestamp, self.clock(), self.window)
        certificate, reference = _binary_token(parts.security)
        if certificate != self.certificate:
            raise UntrustedCertificate("the response is not signed by the configured certificate")
        relates_to = parts.addressing.get("RelatesTo")
        if relates_to is None:
            raise BadMessage("the response has no wsa:RelatesTo")
        parts.check_signature(certificate, required=[reference])  # RelatesTo included
        if signed_text(relates_to, "wsa:RelatesTo") != request_id:
            raise BadMessage("the response answers another request (wsa:RelatesTo)")
        return parts.result(certificate=certificate)


@dataclass
class _Parts:
    """The parts of a received envelope that security looks at, found by position."""

    root: etree._Element
    header: etree._Element
    body: etree._Element
    security: etree._Element
    timestamp: etree._Element
    signature: etree._Element
    addressing: dict[str, etree._Element]

    @classmethod
    def of(cls, data: bytes | etree._Element) -> _Parts:
        root = xmldsig.parse(data) if isinstance(data, bytes) else data
        header, body = _child(root, SOAP, "Header"), _child(root, SOAP, "Body")
        if root.tag != q(SOAP, "Envelope") or body is None:
            raise BadMessage("not a SOAP 1.1 envelope with a Body")
        securities = [] if header is None else header.findall(q(WSSE, "Security"))
        if header is None or len(securities) != 1:
            raise MissingSecurity("the message needs exactly one wsse:Security header")
        security = securities[0]
        timestamp = security.find(q(WSU, "Timestamp"))
        if timestamp is None:
            raise MissingSecurity("the message has no wsu:Timestamp")
        signatures = security.findall(q(DS, "Signature"))
        if len(signatures) != 1:
            raise MissingSecurity("the message is not signed")
        addressing = {}
        for name in _ADDRESSING:
            found = header.findall(q(WSA, name))
            if len(found) > 1:
                raise BadMessage(f"more than one wsa:{name} header")
            if found:
                addressing[name] = found[0]
        if "Action" not in addressing:
            raise BadMessage("the message has no wsa:Action")
        return cls(root, header, body, security, timestamp, signatures[0], addressing)

    @property
    def message_id(self) -> str | None:
        element = self.addressing.get("MessageID")
        if element is None:
            return None
        return signed_text(element, "wsa:MessageID") or None

    def check_signature(
        self, certificate: x509.Certificate, required: list[etree._Element]
    ) -> None:
        expected = {}  # exactly these, checked before any digest is computed
        for element in [self.body, self.timestamp, *self.addressing.values(), *required]:
            name = etree.QName(element).localname
            identifier = element.get(_WSU_ID)
            if identifier is None or identifier in expected:
                raise BadSignature(f"the signature does not cover {name}")
            expected[identifier] = name
        xmldsig.verify(
            self.root, self.signature, certificate.public_bytes(Encoding.DER), expected=expected
        )

    def result(
        self, *, caller: Caller | None = None, certificate: x509.Certificate | None = None
    ) -> VerifiedMessage:
        return VerifiedMessage(
            envelope=self.root,
            body=self.body,
            action=signed_text(self.addressing["Action"], "wsa:Action"),
            message_id=self.message_id,
            caller=caller,
            certificate=certificate,
        )


def _check_timestamp(timestamp: etree._Element, now: dt.datetime, window: dt.timedelta) -> None:
    created_element = timestamp.find(q(WSU, "Created"))
    created = None
    if created_element is not None:
        created = parse_time(signed_text(created_element, "wsu:Created"))
    if created is None:
        raise MissingSecurity("the wsu:Timestamp has no valid Created")
    expires_element = timestamp.find(q(WSU, "Expires"))
    expires_text = None if expires_element is None else signed_text(expires_element, "wsu:Expires")
    expires = parse_time(expires_text) if expires_text is not None else None
    if expires_text is not None and expires is None:
        raise MissingSecurity("the wsu:Timestamp has an invalid Expires")
    if created > now + _SKEW or now - created > window:
        raise MessageExpired("the message's timestamp is outside the freshness window")
    if expires is not None and expires <= now:
        raise MessageExpired("the message has expired")


_SKEW = dt.timedelta(seconds=30)  # clocks drift: a Created this far ahead is accepted


def _check_to(parts: _Parts, endpoint: str, origins: tuple[str, ...]) -> None:
    """The signed wsa:To must name the endpoint the request arrived at, so that a request signed
    for one service (or for the STS) is not accepted by another. Behind a reverse proxy the
    scheme, host and port a client signs (the public name) are not what the server sees, while
    the path is (DST's paths are the same everywhere): the path is compared always, and the
    scheme and host only against the configured public `origins`."""
    element = parts.addressing.get("To")
    if element is None:
        raise BadMessage("the request has no wsa:To")
    signed = urlsplit(signed_text(element, "wsa:To"))
    if signed.path != urlsplit(endpoint).path:
        raise BadMessage("the signed wsa:To names another endpoint than the one called")
    if origins and _origin(signed) not in origins:
        raise BadMessage("the signed wsa:To names another host than this server's")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: SplitResult) -> str:
    """scheme://host[:port] as one string to compare: case folded, and the scheme's default
    port left out, so that https://h and https://H:443 name the same server (RFC 3986 6.2.3)."""
    scheme = url.scheme.lower()
    try:
        port = url.port
    except ValueError:  # not a number, or out of range: no server of ours
        port = -1
    if port == -1 or url.username is not None:  # compared as written: matches no origin
        return f"{scheme}://{url.netloc.lower()}"
    host = (url.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    shown = "" if port is None or port == _DEFAULT_PORTS.get(scheme) else f":{port}"
    return f"{scheme}://{host}{shown}"


def _binary_token(security: etree._Element) -> tuple[x509.Certificate, etree._Element]:
    """The BinarySecurityToken's certificate and the (signed) reference that points at it."""
    tokens = security.findall(q(WSSE, "BinarySecurityToken"))
    if len(tokens) != 1 or tokens[0].get("ValueType") != X509_TOKEN:
        raise MissingSecurity("the message carries no X.509 token")
    try:
        certificate = x509.load_der_x509_certificate(
            base64.b64decode(signed_text(tokens[0], "wsse:BinarySecurityToken"))
        )
    except ValueError:
        raise UntrustedCertificate("the X.509 token is unreadable") from None
    target = "#" + (tokens[0].get(_WSU_ID) or "")
    for reference in security.findall(q(WSSE, "SecurityTokenReference")):
        pointer = reference.find(q(WSSE, "Reference"))
        if pointer is not None and pointer.get("URI") == target:
            return certificate, reference
    raise MissingSecurity("the message has no reference to its X.509 token")


def _saml_reference(security: etree._Element, token_id: str) -> etree._Element:
    for reference in security.findall(q(WSSE, "SecurityTokenReference")):
        identifier = reference.find(q(WSSE, "KeyIdentifier"))
        if identifier is not None and signed_text(identifier, "wsse:KeyIdentifier") == token_id:
            return reference
    raise InvalidToken("the message has no reference to its SAML token")


def _token_reference(token_id: str) -> etree._Element:
    reference = etree.Element(
        q(WSSE, "SecurityTokenReference"),
        {q(WSSE11, "TokenType"): SAML_TOKEN},
        nsmap={"wsse": WSSE, "wsse11": WSSE11},
    )
    identifier = etree.SubElement(reference, q(WSSE, "KeyIdentifier"), ValueType=SAML_ID)
    identifier.text = token_id
    return reference


def _mark(element: etree._Element, prefix: str) -> str:
    identifier = element.get(_WSU_ID)
    if identifier is None:
        identifier = f"{prefix}-{uuid.uuid4().hex[:16]}"
        element.set(_WSU_ID, identifier)
    return identifier


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _child(parent: etree._Element, namespace: str, name: str) -> etree._Element | None:
    return parent.find(q(namespace, name))
