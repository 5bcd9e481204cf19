"""Development credentials: a CA, an STS certificate and one function certificate per kommune,
so that a vendor's CI gets a working secure setup in one command.

`ensure(directory, kommuner)` writes, once, `ca.pem`, `sts.p12` (and its certificate alone,
`sts.pem`) and `kommune-<code>.p12` (empty passphrase) and reuses them on the next call, adding
only kommuner not yet there; a file it reuses but cannot read, or a function certificate its CA
did not issue, is a CredentialsError (the emulator does not start on it). Function certificates
carry the organisation and its CVR in the subject as OCES does; the CVR numbers are
fictitious: `00000<code>` (a real CVR number never starts with 0).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from smdb.security.credentials import (
    Credentials,
    CredentialsError,
    TrustStore,
    load_certificate,
    rsa_key,
)
from smdb.security.errors import UntrustedCertificate

__all__ = ["DevCredentials", "dev_cvr", "ensure"]

VALIDITY = dt.timedelta(days=3650)
KEY_SIZE = 2048


@dataclass(frozen=True)
class DevCredentials:
    directory: Path
    ca: x509.Certificate
    sts: Credentials
    kommuner: dict[str, Path]  # kommune code -> its .p12 file

    def function_credentials(self, kommune: str) -> Credentials:
        return Credentials.from_pkcs12(self.kommuner[kommune], b"")

    @property
    def myndigheder(self) -> dict[str, str]:
        """CVR -> kommune code, for the STS."""
        return {dev_cvr(code): code for code in self.kommuner}


def dev_cvr(kommune: str) -> str:
    return f"00000{int(kommune):03d}"


def ensure(directory: str | Path, kommuner: list[str] | tuple[str, ...]) -> DevCredentials:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca_path, ca_key_path = directory / "ca.pem", directory / "ca-key.pem"
    # A new CA (none yet, or half of one lost) re-issues everything: no certificate is left
    # that the CA in the directory did not issue.
    fresh = not (ca_path.exists() and ca_key_path.exists())
    if fresh:
        ca_key = _key()
        name = _name("SMDB udviklings-CA (kun til test)", "SMDB udvikling")
        ca = _certificate(name, name, ca_key.public_key(), ca_key, authority=True)
        _write(ca_key_path, _key_pem(ca_key), private=True)
        _write(ca_path, ca.public_bytes(serialization.Encoding.PEM))
    else:
        ca = load_certificate(ca_path)
        try:
            ca_key = rsa_key(serialization.load_pem_private_key(ca_key_path.read_bytes(), None))
        except (ValueError, TypeError):
            raise CredentialsError(f"{ca_key_path}: not an unencrypted PEM key") from None
    sts_path = directory / "sts.p12"
    if fresh or not sts_path.exists():
        sts = _issue(sts_path, _name("SMDB udviklings-STS", "SMDB udvikling"), ca, ca_key)
        # The STS's certificate alone: what a client checks the server's signatures with.
        _write(directory / "sts.pem", sts.public_bytes(serialization.Encoding.PEM))
    paths = {}
    for code in sorted(set(kommuner)):
        path = directory / f"kommune-{code}.p12"
        if not fresh and path.exists():
            _check_issued(path, ca)
        else:
            subject = _name(
                f"SMDB fagsystem kommune {code}",
                f"Kommune {code} // CVR:{dev_cvr(code)}",
                serial=f"CVR:{dev_cvr(code)}-FID:{code}",
            )
            _issue(path, subject, ca, ca_key)
        paths[code] = path
    return DevCredentials(directory, ca, Credentials.from_pkcs12(sts_path, b""), paths)


def _check_issued(path: Path, ca: x509.Certificate) -> None:
    """A reused function certificate must open with the empty passphrase and be this CA's."""
    certificate = Credentials.from_pkcs12(path, b"").certificate
    try:
        TrustStore([ca]).check(certificate)
    except UntrustedCertificate as exc:
        raise CredentialsError(f"{path}: {exc} (not this directory's ca.pem)") from None


def _issue(
    path: Path, subject: x509.Name, ca: x509.Certificate, ca_key: rsa.RSAPrivateKey
) -> x509.Certificate:
    key = _key()
    certificate = _certificate(subject, ca.subject, key.public_key(), ca_key, authority=False)
    data = pkcs12.serialize_key_and_certificates(
        path.stem.encode(), key, certificate, [ca], serialization.NoEncryption()
    )
    _write(path, data, private=True)
    return certificate


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey,
    signing_key: rsa.RSAPrivateKey,
    *,
    authority: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
    )
    return builder.sign(signing_key, hashes.SHA256())


def _name(common: str, organisation: str, serial: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write atomically (a crash leaves no half file), keys readable by the owner only."""
    partial = path.with_name(path.name + ".partial")
    mode = 0o600 if private else 0o644
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)
