"""Function certificates and their keys, and the certificates a party trusts.

`Credentials` holds a function certificate (OCES "funktionscertifikat") with its private key,
read from PKCS#12 (with passphrase) or PEM files; `repr` never shows the key. `TrustStore`
decides whether a certificate was issued by a trusted CA and is valid now. `cvr_of` reads the
organisation's CVR number from a certificate's subject, as OCES writes it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from smdb.security.errors import UntrustedCertificate

__all__ = [
    "Credentials",
    "CredentialsError",
    "TrustStore",
    "cvr_of",
    "load_certificate",
    "load_pkcs12_for_cli",
]

# OCES subjects: serialNumber "CVR:12345678-FID:..." and/or O "Firma // CVR:12345678".
_CVR = re.compile(r"CVR:(\d{8})")


class CredentialsError(Exception):
    """Credentials that cannot be read: a missing file, a wrong passphrase, no RSA key."""


def rsa_key(key: object) -> rsa.RSAPrivateKey:
    """`key`, if an RSA private key (the only kind OIO IDWS signs with)."""
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CredentialsError("the function certificate's key must be RSA")
    return key


@dataclass(frozen=True, repr=False)
class Credentials:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = field(default=())

    def __post_init__(self) -> None:
        rsa_key(self.key)
        public = self.certificate.public_key()
        if (
            not isinstance(public, rsa.RSAPublicKey)
            or self.key.public_key().public_numbers() != public.public_numbers()
        ):
            raise CredentialsError("the key does not belong to the certificate")

    def __repr__(self) -> str:  # never the key
        return f"Credentials({self.certificate.subject.rfc4514_string()!r})"

    @classmethod
    def from_pkcs12(cls, path: str | Path, passphrase: str | bytes | None = None) -> Credentials:
        data = _read(path)
        if isinstance(passphrase, str):
            passphrase = passphrase.encode()
        try:
            key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase or None)
        except ValueError:
            raise CredentialsError(f"{path}: not PKCS#12, or the passphrase is wrong") from None
        if key is None or certificate is None:
            raise CredentialsError(f"{path}: holds no certificate with its key")
        return cls(certificate, rsa_key(key), tuple(chain or ()))

    @classmethod
    def from_pem(
        cls, certificate: str | Path, key: str | Path, passphrase: str | bytes | None = None
    ) -> Credentials:
        if isinstance(passphrase, str):
            passphrase = passphrase.encode()
        certificates = _pem_certificates(certificate)
        try:
            private = serialization.load_pem_private_key(_read(key), passphrase or None)
        except (ValueError, TypeError):
            raise CredentialsError(f"{key}: not a PEM key, or the passphrase is wrong") from None
        return cls(certificates[0], rsa_key(private), tuple(certificates[1:]))

    @cached_property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @cached_property
    def key_pem(self) -> bytes:
        """The key as unencrypted PEM, for the XML-DSig library only (kept in memory)."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def cvr(self) -> str | None:
        return cvr_of(self.certificate)


PASSPHRASE_VARIABLE = "SMDB_P12_PASSPHRASE"


def load_pkcs12_for_cli(
    path: str | Path,
    *,
    environ: Mapping[str, str] = os.environ,
    prompt: Callable[[str], str] | None = getpass.getpass,
) -> Credentials:
    """`--credentials FILE.p12` on the command line: the passphrase comes from the environment
    variable SMDB_P12_PASSPHRASE, else an empty one is tried (dev credentials), else `prompt`
    asks (None: no prompt, e.g. without a terminal). Never from an argument."""
    if PASSPHRASE_VARIABLE in environ:
        return Credentials.from_pkcs12(path, environ[PASSPHRASE_VARIABLE])
    try:
        return Credentials.from_pkcs12(path, b"")
    except CredentialsError:
        if prompt is None or not Path(path).is_file():
            raise
    return Credentials.from_pkcs12(path, prompt(f"Passphrase for {path}: "))


def cvr_of(certificate: x509.Certificate) -> str | None:
    """The CVR number in the subject (serialNumber, then O), or None."""
    for oid in (NameOID.SERIAL_NUMBER, NameOID.ORGANIZATION_NAME):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            found = _CVR.search(str(attribute.value))
            if found:
                return found.group(1)
    return None


def load_certificate(source: str | Path | bytes) -> x509.Certificate:
    """A certificate from a PEM or DER file (or its bytes)."""
    data = source if isinstance(source, bytes) else _read(source)
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise CredentialsError(f"{_name(source)}: not a certificate") from None


class TrustStore:
    """Certificates issued directly by one of `authorities` (CA certificates) are trusted while
    both are within their validity."""

    def __init__(self, authorities: list[x509.Certificate] | tuple[x509.Certificate, ...]):
        if not authorities:
            raise CredentialsError("a trust store needs at least one CA certificate")
        self.authorities = tuple(authorities)

    def check(self, certificate: x509.Certificate, now: dt.datetime | None = None) -> None:
        """Raise UntrustedCertificate unless `certificate` is trusted at `now`."""
        now = now or dt.datetime.now(dt.UTC)
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise UntrustedCertificate("certificate outside its validity period")
        for authority in self.authorities:
            if authority.subject != certificate.issuer:
                continue
            if not authority.not_valid_before_utc <= now <= authority.not_valid_after_utc:
                continue
            try:
                certificate.verify_directly_issued_by(authority)
            except (InvalidSignature, ValueError, TypeError):
                continue
            return
        raise UntrustedCertificate("certificate not issued by a trusted CA")


def _pem_certificates(path: str | Path) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(_read(path))
    except ValueError:
        raise CredentialsError(f"{path}: not a PEM certificate") from None
    return certificates


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot be read ({exc.strerror})") from None


def _name(source: str | Path | bytes) -> str:
    return "certificate" if isinstance(source, bytes) else str(source)
