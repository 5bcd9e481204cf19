"""What a SOAP call can raise. Every error names the action; no message holds a whole CPR
number (masked by `smdb._privacy`, the one masking function of the package, which also
escapes control characters)."""

from __future__ import annotations

from typing import Any

from .._privacy import shown

__all__ = ["ResponseError", "SecurityError", "SoapError", "SoapFault", "TransportError", "mask"]


def mask(text: str) -> str:
    """`text` as one safe line: every CPR-like number masked, control characters escaped."""
    return shown(text)


class SoapError(Exception):
    """Base class: a call to `action` that did not give a result."""

    def __init__(self, action: str, message: str):
        self.action = action
        self.message = mask(message)
        super().__init__(f"{action}: {self.message}")


class TransportError(SoapError):
    """The server could not be reached, or did not answer in time."""


class ResponseError(SoapError):
    """The answer was not a SOAP response to this action: malformed, hostile, too large, an
    unexpected HTTP status, or content the WSDL does not describe."""


class SecurityError(SoapError):
    """A security hook refused a request or a response (see `smdb.soap.hooks`)."""


class SoapFault(SoapError):
    """A SOAP fault from the server. `beskeder` are DST's messages (Kode, Tekst, FeltId) when
    the fault's detail carries a Svar; `code` is the faultcode (e.g. `s:Client`)."""

    def __init__(self, action: str, code: str, message: str, beskeder: list[Any] | None = None):
        self.code = code
        self.beskeder = list(beskeder or [])
        super().__init__(action, message)
