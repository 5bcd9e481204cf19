"""The STS of the OIO IDWS profile over WS-Trust 1.3: a client that obtains a SAML holder-of-key
token with a function certificate and caches it, and the service that issues such tokens.

Client: `StsClient(url, credentials, audience).token()` sends a RequestSecurityToken signed
with the function certificate (a BinarySecurityToken) and returns the assertion, reusing it
until `refresh_before` ahead of its expiry; a signed answer must relate to its own request
(wsa:RelatesTo). The transport is injectable (`Transport`: URL, body, headers -> response
body); the default is urllib with TLS verified as `smdb._tls` does (`ca_bundle`).

Service: `StsService.handle(request)` verifies the request's signature and timestamp, that the
certificate is issued by a trusted CA and that its CVR maps to a myndighed, and answers with a
RequestSecurityTokenResponse holding a signed assertion; a refusal is a SecurityError (answer it
with `errors.soap_fault`).
"""

from __future__ import annotations

import datetime as dt
import ssl
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from lxml import etree
from smdb._tls import client_context, describe, readable_bundle
from smdb.security import saml
from smdb.security.clock import Clock, utc_now, xs_time
from smdb.security.credentials import Credentials, TrustStore, cvr_of
from smdb.security.errors import BadMessage, SecurityError, UntrustedCertificate
from smdb.security.names import (
    ISSUE,
    PUBLIC_KEY,
    RST_ISSUE,
    RSTR_ISSUE,
    SAML,
    SAML_TOKEN,
    SOAP,
    WSA,
    WSP,
    WST,
    WSU,
    q,
)
from smdb.security.wssecurity import (
    DEFAULT_WINDOW,
    MessageIds,
    ReplayCache,
    RequestVerifier,
    ResponseVerifier,
    sign_envelope,
)
from smdb.security.xmlvalue import signed_text

__all__ = ["StsClient", "StsError", "StsService", "Transport", "build_request", "https_transport"]

Transport = Callable[[str, bytes, dict[str, str]], bytes]


class StsError(Exception):
    """The STS refused or could not be reached; the message says which, never the token."""


def build_request(
    *,
    credentials: Credentials,
    audience: str,
    sts_url: str,
    now: dt.datetime | None = None,
    message_id: str | None = None,
) -> bytes:
    """A signed WS-Trust 1.3 Issue request for a holder-of-key SAML 2.0 token for `audience`."""
    envelope = etree.Element(q(SOAP, "Envelope"), nsmap={"s": SOAP})
    etree.SubElement(envelope, q(SOAP, "Header"))
    body = etree.SubElement(envelope, q(SOAP, "Body"))
    request = etree.SubElement(
        body, q(WST, "RequestSecurityToken"), nsmap={"wst": WST, "wsp": WSP, "wsa": WSA}
    )
    etree.SubElement(request, q(WST, "TokenType")).text = SAML_TOKEN
    etree.SubElement(request, q(WST, "RequestType")).text = ISSUE
    applies = etree.SubElement(request, q(WSP, "AppliesTo"))
    reference = etree.SubElement(applies, q(WSA, "EndpointReference"))
    etree.SubElement(reference, q(WSA, "Address")).text = audience
    etree.SubElement(request, q(WST, "KeyType")).text = PUBLIC_KEY
    return sign_envelope(
        envelope,
        credentials=credentials,
        action=RST_ISSUE,
        to=sts_url,
        now=now,
        message_id=message_id,
    )


class StsClient:
    def __init__(
        self,
        url: str,
        credentials: Credentials,
        audience: str,
        *,
        sts_certificate: x509.Certificate | None = None,
        transport: Transport | None = None,
        ca_bundle: str | Path | None = None,
        refresh_before: dt.timedelta = dt.timedelta(minutes=5),
        clock: Clock = utc_now,
    ) -> None:
        """`sts_certificate`: when given, the STS's response must be signed with it.
        `ca_bundle`: the CAs the default transport trusts for HTTPS instead of certifi's."""
        self.url = url
        self.credentials = credentials
        self.audience = audience
        self.transport = transport or https_transport(ca_bundle)
        self.refresh_before = refresh_before
        self.clock = clock
        self._verifier = ResponseVerifier(sts_certificate, clock=clock) if sts_certificate else None
        self._token: saml.Token | None = None
        self._lock = threading.Lock()

    def token(self) -> etree._Element:
        """The cached assertion, or a new one when it expires within `refresh_before`. Each
        call returns a fresh copy, ready to put into one message."""
        with self._lock:
            now = self.clock()
            if self._token is None or self._token.not_on_or_after - self.refresh_before <= now:
                self._token = self._fetch(now)
            return _copy(self._token.element)

    def _fetch(self, now: dt.datetime) -> saml.Token:
        message_id = f"urn:uuid:{uuid.uuid4()}"
        request = build_request(
            credentials=self.credentials,
            audience=self.audience,
            sts_url=self.url,
            now=now,
            message_id=message_id,
        )
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{RST_ISSUE}"'}
        try:
            answer = self.transport(self.url, request, headers)
        except OSError as exc:
            refused = describe(exc)  # a TLS certificate refused, or no connection at all
            reason = f": {refused}" if refused else f" unreachable: {exc}"
            raise StsError(f"STS {self.url}{reason}") from None
        try:
            if self._verifier is not None:
                root = self._verifier.verify(answer, request_id=message_id).envelope
            else:
                from smdb.security.xmldsig import parse

                root = parse(answer)
        except SecurityError as exc:
            raise StsError(f"STS {self.url}: response refused: {exc}") from None
        fault = root.find(f"{q(SOAP, 'Body')}/{q(SOAP, 'Fault')}")
        if fault is not None:
            shown = fault.findtext("faultstring")  # read raw: a fault, unsigned, only shown
            raise StsError(f"STS {self.url} refused: {shown}")
        # Only the token where the signed Body has it: one put beside it (a header) is not signed.
        found = root.findall(_TOKEN_PATH)
        assertion = found[0] if len(found) == 1 else None
        if assertion is None:
            raise StsError(f"STS {self.url}: the response holds no SAML token")
        try:
            return saml.peek(assertion)
        except SecurityError as exc:
            raise StsError(f"STS {self.url}: {exc}") from None


def https_transport(ca_bundle: str | Path | None = None) -> Transport:
    """POST over urllib with TLS verified against certifi's CA bundle, or `ca_bundle` instead
    (`smdb._tls`; a bundle that cannot be read is a ValueError now, not at the first call),
    30 s timeout. A SOAP fault comes with status 500: its body is returned for the caller."""
    readable_bundle(ca_bundle)
    contexts: list[ssl.SSLContext] = []  # made on first use: loading the CAs takes ~10 ms

    def transport(url: str, body: bytes, headers: dict[str, str]) -> bytes:
        if not contexts:
            contexts.append(client_context(ca_bundle))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30, context=contexts[0]) as response:
                answer: bytes = response.read()
                return answer
        except urllib.error.HTTPError as exc:
            if exc.code == 500:
                return exc.read()
            raise

    return transport


# What the STS issues, as a WS-Trust 1.3 request asks for it (what `build_request` sends): a
# SAML 2.0 token, by an Issue request, bound to the caller's public key (holder-of-key).
REQUESTED = {"TokenType": SAML_TOKEN, "RequestType": ISSUE, "KeyType": PUBLIC_KEY}


def _check_request(request: etree._Element) -> None:
    """Each of `REQUESTED` once, with its value: a request for another token, another
    operation or another key binding is refused, not answered with a token it did not ask for."""
    for name, expected in REQUESTED.items():
        found = request.findall(q(WST, name))
        if len(found) != 1:
            raise BadMessage(f"the RequestSecurityToken needs one wst:{name} ({expected})")
        if signed_text(found[0], f"wst:{name}") != expected:
            raise BadMessage(f"the STS issues only wst:{name} {expected}")


class StsService:
    """Issues tokens to certificates issued by `trust`, whose subject's CVR is in `myndigheder`
    (CVR -> kommune code), for audiences in `audiences`."""

    def __init__(
        self,
        *,
        credentials: Credentials,
        trust: TrustStore,
        myndigheder: dict[str, str],
        audiences: tuple[str, ...],
        issuer: str = "smdb-emulator-sts",
        lifetime: dt.timedelta = dt.timedelta(hours=8),
        window: dt.timedelta = DEFAULT_WINDOW,
        clock: Clock = utc_now,
        origins: tuple[str, ...] = (),
    ) -> None:
        self.credentials = credentials
        self.trust = trust
        self.myndigheder = dict(myndigheder)
        self.audiences = tuple(audiences)
        self.issuer = issuer
        self.lifetime = lifetime
        self.clock = clock
        self._verifier = RequestVerifier(
            sts_certificate=credentials.certificate,
            audience=self.audiences,
            window=window,
            replay=ReplayCache(),
            clock=clock,
            origins=origins,
        )

    def remember_messages_in(self, cache: MessageIds) -> None:
        """Check requests for replays against `cache` (see `ServerSecurity`)."""
        self._verifier.replay = cache

    def handle(self, data: bytes, *, endpoint: str | None = None) -> bytes:
        """The signed RSTR for a valid request; raises a SecurityError otherwise. `endpoint`:
        the URL (or path) the request arrived at, which its signed wsa:To must name."""
        message = self._verifier.verify_certificate_signed(data, self.trust, endpoint=endpoint)
        if message.action != RST_ISSUE:
            raise BadMessage("the STS answers only WS-Trust Issue requests")
        request = message.body.find(q(WST, "RequestSecurityToken"))
        if request is None:
            raise BadMessage("the body is not a RequestSecurityToken")
        _check_request(request)
        address = request.find(
            f"{q(WSP, 'AppliesTo')}/{q(WSA, 'EndpointReference')}/{q(WSA, 'Address')}"
        )
        audience = "" if address is None else signed_text(address, "wst:Address")
        if audience not in self.audiences:
            raise BadMessage("the STS issues no tokens for this audience")
        certificate = message.certificate
        assert certificate is not None  # verify_certificate_signed names the signer
        cvr = cvr_of(certificate)
        if cvr is None or cvr not in self.myndigheder:
            raise UntrustedCertificate("the certificate's CVR is not a known myndighed")
        now = self.clock()
        assertion = saml.issue(
            sts=self.credentials,
            issuer=self.issuer,
            holder=certificate,
            audience=audience,
            myndighed=self.myndigheder[cvr],
            cvr=cvr,
            lifetime=self.lifetime,
            now=now,
        )
        return self._response(assertion, audience, message.message_id, now)

    def _response(
        self, assertion: etree._Element, audience: str, relates_to: str | None, now: dt.datetime
    ) -> bytes:
        envelope = etree.Element(q(SOAP, "Envelope"), nsmap={"s": SOAP})
        etree.SubElement(envelope, q(SOAP, "Header"))
        body = etree.SubElement(envelope, q(SOAP, "Body"))
        collection = etree.SubElement(
            body, q(WST, "RequestSecurityTokenResponseCollection"), nsmap={"wst": WST}
        )
        response = etree.SubElement(collection, q(WST, "RequestSecurityTokenResponse"))
        etree.SubElement(response, q(WST, "TokenType")).text = SAML_TOKEN
        etree.SubElement(response, q(WST, "RequestedSecurityToken")).append(assertion)
        applies = etree.SubElement(response, q(WSP, "AppliesTo"), nsmap={"wsp": WSP, "wsa": WSA})
        reference = etree.SubElement(applies, q(WSA, "EndpointReference"))
        etree.SubElement(reference, q(WSA, "Address")).text = audience
        lifetime = etree.SubElement(response, q(WST, "Lifetime"))
        etree.SubElement(lifetime, q(WSU, "Created"), nsmap={"wsu": WSU}).text = xs_time(now)
        etree.SubElement(lifetime, q(WSU, "Expires"), nsmap={"wsu": WSU}).text = xs_time(
            now + self.lifetime
        )
        return sign_envelope(
            envelope,
            credentials=self.credentials,
            action=RSTR_ISSUE,
            relates_to=relates_to,
            now=now,
        )


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


_TOKEN_PATH = "/".join(
    q(*part)
    for part in (
        (SOAP, "Body"),
        (WST, "RequestSecurityTokenResponseCollection"),
        (WST, "RequestSecurityTokenResponse"),
        (WST, "RequestedSecurityToken"),
        (SAML, "Assertion"),
    )
)
