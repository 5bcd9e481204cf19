"""The seams for authentication (WS-Security, SAML tokens): one hook on each side.

Client side, a `ClientHook` sees every outgoing envelope before it is sent (to add a security
header and sign it) and every incoming envelope before it is read (to verify the server's
signature). Server side (the emulator), a `ServerHook` verifies each request envelope and
returns the caller's myndighed (kommune code), or raises `SecurityError`; nothing is changed
for a refused request. The defaults here do no security: `NoSecurity` passes envelopes
through, `FixedMyndighed(101)` acts for one myndighed chosen at start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from .errors import SecurityError

__all__ = ["ClientHook", "FixedMyndighed", "NoSecurity", "SecurityError", "ServerHook"]


class ClientHook(Protocol):
    def outgoing(self, envelope: bytes, *, action: str, url: str) -> tuple[bytes, dict[str, str]]:
        """The envelope to send (e.g. signed) and extra HTTP headers."""
        ...

    def incoming(self, envelope: bytes, *, action: str, request: bytes) -> None:
        """Verify a response envelope, the answer to `request` (as sent); raise SecurityError
        to refuse it (e.g. an answer to another request)."""
        ...


class ServerHook(Protocol):
    def verify(self, envelope: bytes, *, action: str, headers: Mapping[str, str]) -> int:
        """The caller's myndighed (kommune code); raise SecurityError to refuse the request."""
        ...


class NoSecurity:
    """Sends envelopes as they are and accepts every response."""

    def outgoing(self, envelope: bytes, *, action: str, url: str) -> tuple[bytes, dict[str, str]]:
        return envelope, {}

    def incoming(self, envelope: bytes, *, action: str, request: bytes) -> None:
        return None


class FixedMyndighed:
    """Every request acts for one myndighed (the emulator's `--kommune`)."""

    def __init__(self, kommune: int):
        self.kommune = kommune

    def verify(self, envelope: bytes, *, action: str, headers: Mapping[str, str]) -> int:
        return self.kommune
