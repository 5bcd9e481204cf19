"""The client side in one object, shaped as `smdb.soap`'s client hook: `outgoing` signs each
request under a token from the STS, `incoming` verifies each response.

    credentials = Credentials.from_pkcs12("kommune-101.p12", os.environ["SMDB_P12_PASSPHRASE"])
    security = ClientSecurity.for_endpoint(credentials, "http://127.0.0.1:8080")
    signed, headers = security.outgoing(envelope, action=action, url=url)
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from smdb.security.clock import Clock, utc_now
from smdb.security.credentials import Credentials
from smdb.security.errors import BadMessage
from smdb.security.names import SOAP, WSA, q
from smdb.security.sts import StsClient, Transport
from smdb.security.wssecurity import ResponseVerifier, sign_envelope
from smdb.security.xmldsig import parse
from smdb.security.xmlvalue import signed_text

__all__ = ["ClientSecurity", "default_sts_url"]


def default_sts_url(endpoint: str) -> str:
    """The emulator's own STS for a plain URL endpoint: `<endpoint>/sts`."""
    return endpoint.rstrip("/") + "/sts"


class ClientSecurity:
    """Signs requests with `credentials` under tokens from `sts`; verifies responses against
    `server_certificate` when one is configured (then every answer but a SOAP fault must be
    signed by it, with a signed wsa:RelatesTo naming the request it answers: a fault carries
    no data, only the reason for a refusal)."""

    def __init__(
        self,
        credentials: Credentials,
        sts: StsClient,
        *,
        server_certificate: x509.Certificate | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.credentials = credentials
        self.sts = sts
        self.clock = clock
        self._responses = (
            ResponseVerifier(server_certificate, clock=clock) if server_certificate else None
        )

    @classmethod
    def for_endpoint(
        cls,
        credentials: Credentials,
        endpoint: str,
        *,
        sts_url: str | None = None,
        audience: str | None = None,
        server_certificate: x509.Certificate | None = None,
        transport: Transport | None = None,
        ca_bundle: str | Path | None = None,
        clock: Clock = utc_now,
    ) -> ClientSecurity:
        """Tokens for `audience` (default: the endpoint itself) from `sts_url` (default: the
        emulator's STS at `<endpoint>/sts`), over HTTPS verified against certifi's CA bundle or
        `ca_bundle` instead (`smdb._tls`)."""
        audience = audience or endpoint.rstrip("/")
        sts = StsClient(
            sts_url or default_sts_url(endpoint),
            credentials,
            audience,
            sts_certificate=server_certificate,
            transport=transport,
            ca_bundle=ca_bundle,
            clock=clock,
        )
        return cls(credentials, sts, server_certificate=server_certificate, clock=clock)

    def outgoing(self, envelope: bytes, *, action: str, url: str) -> tuple[bytes, dict[str, str]]:
        signed = sign_envelope(
            envelope,
            credentials=self.credentials,
            action=action,
            to=url,
            token=self.sts.token(),
            now=self.clock(),
        )
        return signed, {}

    def incoming(self, envelope: bytes, *, action: str, request: bytes) -> None:
        """Raise a SecurityError unless the response is signed by the server and answers
        `request` (the signed request as sent), or is a fault."""
        if self._responses is None:
            return
        root = parse(envelope)
        body = root.find(q(SOAP, "Body"))
        if body is None:
            raise BadMessage(f"{action}: the response is not a SOAP envelope")
        if len(body) == 1 and body[0].tag == q(SOAP, "Fault"):
            return
        element = parse(request).find(f"{q(SOAP, 'Header')}/{q(WSA, 'MessageID')}")
        request_id = None if element is None else signed_text(element, "wsa:MessageID")
        if not request_id:
            raise BadMessage(f"{action}: the request has no wsa:MessageID to answer")
        self._responses.verify(root, request_id=request_id)
