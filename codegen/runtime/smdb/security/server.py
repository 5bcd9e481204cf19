"""The server side in one object, shaped as `smdb.soap`'s server hook: the emulator's STS,
the check of every request (yielding the caller's myndighed), and signed responses.

    security = ServerSecurity.from_dev_credentials("dev-credentials", ["101", "147"],
                                                   audience="http://127.0.0.1:8080")
    status, answer = security.handle_sts(body)                 # POST <endpoint>/sts
    kommune = security.verify(body, action=action, headers={})  # every service request
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from smdb.security import devcredentials
from smdb.security.clock import Clock, utc_now
from smdb.security.credentials import Credentials, TrustStore
from smdb.security.errors import BadMessage, SecurityError, soap_fault
from smdb.security.sts import StsService
from smdb.security.wssecurity import (
    DEFAULT_WINDOW,
    MessageIds,
    ReplayCache,
    RequestVerifier,
    VerifiedMessage,
    sign_envelope,
)

__all__ = ["ServerSecurity"]


class ServerSecurity:
    """Tokens for certificates of `trust` whose CVR is in `myndigheder` (CVR -> kommune code),
    for `audience`; requests checked within `window`; responses signed with `credentials`
    (also the STS's key)."""

    def __init__(
        self,
        *,
        credentials: Credentials,
        trust: TrustStore,
        myndigheder: Mapping[str, str],
        audience: str,
        window: dt.timedelta = DEFAULT_WINDOW,
        token_lifetime: dt.timedelta = dt.timedelta(hours=8),
        clock: Clock = utc_now,
        origins: tuple[str, ...] = (),
    ) -> None:
        """`origins`: this server's public scheme://host[:port], when known (behind a proxy:
        the name clients use); a signed wsa:To must then name one of them, besides the path
        the request arrived at, which it must name always."""
        self.credentials = credentials
        self.audience = audience.rstrip("/")
        self.sts = StsService(
            credentials=credentials,
            trust=trust,
            myndigheder=dict(myndigheder),
            audiences=(self.audience,),
            lifetime=token_lifetime,
            window=window,
            clock=clock,
            origins=origins,
        )
        self.requests = RequestVerifier(
            sts_certificate=credentials.certificate,
            audience=self.audience,
            window=window,
            replay=ReplayCache(),
            clock=clock,
            origins=origins,
        )
        self.clock = clock

    @classmethod
    def from_dev_credentials(
        cls,
        directory: str | Path,
        kommuner: list[str],
        *,
        audience: str,
        window: dt.timedelta = DEFAULT_WINDOW,
        token_lifetime: dt.timedelta = dt.timedelta(hours=8),
        clock: Clock = utc_now,
        origins: tuple[str, ...] = (),
    ) -> ServerSecurity:
        """Trust exactly the dev CA's function certificates for `kommuner` (written once)."""
        dev = devcredentials.ensure(directory, kommuner)
        return cls(
            credentials=dev.sts,
            trust=TrustStore([dev.ca]),
            myndigheder=dev.myndigheder,
            audience=audience,
            window=window,
            token_lifetime=token_lifetime,
            clock=clock,
            origins=origins,
        )

    def remember_messages_in(self, cache: MessageIds) -> None:
        """Keep the message IDs seen (replay protection, S6) in `cache` (anything with
        `ReplayCache.add`) instead of memory, for the service and the STS alike; the emulator
        gives its database, so that a restart forgets none within their window (S15)."""
        self.requests.replay = cache
        self.sts.remember_messages_in(cache)

    def handle_sts(self, body: bytes, *, endpoint: str | None = None) -> tuple[int, bytes]:
        """The HTTP status and body answering a WS-Trust request that arrived at `endpoint`."""
        try:
            return 200, self.sts.handle(body, endpoint=endpoint)
        except SecurityError as error:
            return 500, soap_fault(error)

    def verify_request(
        self, body: bytes, *, action: str, endpoint: str | None = None
    ) -> VerifiedMessage:
        """The checked request; its signed wsa:Action must be `action` (the operation the
        emulator dispatches to), its signed wsa:To `endpoint` (the URL or path it arrived at).
        Raises a SecurityError."""
        message = self.requests.verify(body, endpoint=endpoint)
        if message.action != action:
            raise BadMessage("the signed wsa:Action is not the operation called")
        return message

    def verify(self, envelope: bytes, *, action: str, headers: Mapping[str, str]) -> int:
        """`smdb.soap.hooks.ServerHook`: the caller's myndighed (kommune code)."""
        caller = self.verify_request(envelope, action=action).caller
        assert caller is not None  # RequestVerifier.verify names the caller
        return int(caller.myndighed)

    def sign_response(self, envelope: bytes, *, action: str, relates_to: str | None) -> bytes:
        """A response signed with the server's key (a BinarySecurityToken), for the client's
        `ClientSecurity.incoming` to check."""
        return sign_envelope(
            envelope,
            credentials=self.credentials,
            action=action,
            relates_to=relates_to,
            now=self.clock(),
        )
