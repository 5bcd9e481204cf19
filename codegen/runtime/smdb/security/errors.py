"""Why a message was refused: one typed error per check, each mapped to the WS-Security 1.1
fault code (§12 of the SOAP Message Security spec) that a SOAP fault reports.

Messages name the check that failed, never a key, a token or a message's content.
"""

from __future__ import annotations

from lxml import etree
from smdb.security.names import SOAP, WSSE, q


class SecurityError(Exception):
    """A message or token that fails a security check. `fault_code` is the wsse fault."""

    fault_code = "InvalidSecurity"

    @property
    def message(self) -> str:
        return str(self)


class MissingSecurity(SecurityError):
    """No wsse:Security header, or one without a signature, timestamp or token."""

    fault_code = "InvalidSecurity"


class UnsupportedAlgorithm(SecurityError):
    """A signature using anything but RSA-SHA256, exclusive C14N and SHA-256 digests."""

    fault_code = "UnsupportedAlgorithm"


class BadSignature(SecurityError):
    """A signature or digest that does not verify, or one that leaves a required part unsigned."""

    fault_code = "FailedCheck"


class UntrustedCertificate(SecurityError):
    """A certificate not issued by a trusted CA, outside its validity, or not the one expected."""

    fault_code = "FailedAuthentication"


class InvalidToken(SecurityError):
    """A SAML token not signed by the STS, with another audience, or not holder-of-key."""

    fault_code = "InvalidSecurityToken"


class ExpiredToken(InvalidToken):
    """A SAML token outside its NotBefore/NotOnOrAfter."""

    fault_code = "SecurityTokenUnavailable"


class MessageExpired(SecurityError):
    """A wsu:Timestamp outside the freshness window (or expired)."""

    fault_code = "MessageExpired"


class Replayed(SecurityError):
    """A wsa:MessageID seen before within the freshness window."""

    fault_code = "FailedCheck"


class BadMessage(SecurityError):
    """An envelope that is not well-formed SOAP, or lacks a WS-Addressing header."""

    fault_code = "InvalidSecurity"


def soap_fault(error: SecurityError) -> bytes:
    """The SOAP 1.1 fault a server answers `error` with (HTTP status 500)."""
    envelope = etree.Element(q(SOAP, "Envelope"), nsmap={"s": SOAP, "wsse": WSSE})
    fault = etree.SubElement(etree.SubElement(envelope, q(SOAP, "Body")), q(SOAP, "Fault"))
    etree.SubElement(fault, "faultcode").text = f"wsse:{error.fault_code}"
    etree.SubElement(fault, "faultstring").text = str(error)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
