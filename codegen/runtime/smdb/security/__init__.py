"""Security for SMDB's "Secure…" services (OIO IDWS): function certificates, WS-Security
signatures, SAML holder-of-key tokens and the STS.

Client (a vendor's system): `Credentials.from_pkcs12`, `StsClient(...).token()`, then
`sign_envelope(envelope, credentials=..., action=..., to=..., token=...)` on each request and
`ResponseVerifier(server_certificate).verify(response)` on each answer.

Server (the emulator): `StsService(...).handle(request)` at the STS path, and
`RequestVerifier(...).verify(request)` on every service request, which yields the caller's
myndighed; a `SecurityError` is answered with `soap_fault(error)` (HTTP 500).

`ClientSecurity` (client) and `ServerSecurity` (server) put each side together in one object
with the shape of `smdb.soap`'s hooks.

Modules: `credentials`, `devcredentials`, `xmldsig` (the one place the XML-DSig library is
called), `saml`, `wssecurity`, `sts`, `client`, `server`, `errors`, `names`, `clock`.
"""

from __future__ import annotations

from smdb._extras import require

require("security", __name__)  # one line naming smdb[security] when a part is missing

from smdb.security.client import ClientSecurity, default_sts_url
from smdb.security.credentials import (
    Credentials,
    CredentialsError,
    TrustStore,
    cvr_of,
    load_pkcs12_for_cli,
)
from smdb.security.errors import SecurityError, soap_fault
from smdb.security.server import ServerSecurity
from smdb.security.sts import StsClient, StsError, StsService
from smdb.security.wssecurity import (
    Caller,
    ReplayCache,
    RequestVerifier,
    ResponseVerifier,
    VerifiedMessage,
    sign_envelope,
)

__all__ = [
    "Caller",
    "ClientSecurity",
    "Credentials",
    "CredentialsError",
    "ReplayCache",
    "RequestVerifier",
    "ResponseVerifier",
    "SecurityError",
    "ServerSecurity",
    "StsClient",
    "StsError",
    "StsService",
    "TrustStore",
    "VerifiedMessage",
    "cvr_of",
    "default_sts_url",
    "load_pkcs12_for_cli",
    "sign_envelope",
    "soap_fault",
]
