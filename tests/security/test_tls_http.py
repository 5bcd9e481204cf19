"""TLS on by default, over real HTTPS: the secure emulator behind uvicorn's TLS, with a server
certificate from a throwaway CA that nothing trusts by default (PROVENANCE S13). The clients
and `smdb send`/`smdb fetch` refuse it with a one-line error, work when given that CA
(`ca_bundle=`, `--ca-bundle PEM`), and nothing in the environment turns the check off."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from soap.conftest import BASE_CASE, TODAY, generated_module

from security.emulatorhttp import SecureEmulator
from security.test_cli_secure import ENV, smdb

NOT_TRUSTED = "the server's TLS certificate is not trusted"


def _real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the CLI runs on the real clock


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject: str, issuer: x509.Name, key, signer, *, ca: bool, names=()):
    now = _real_now() - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _write_pair(directory, stem: str, certificate, key) -> tuple:
    pem = directory / f"{stem}.pem"
    pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_pem = directory / f"{stem}-key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pem, key_pem


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A throwaway CA (`ca`), a server certificate for 127.0.0.1 (`server`) and one for another
    host name (`elsewhere`), both issued by that CA."""
    directory = tmp_path_factory.mktemp("tls")
    ca_key = _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Throwaway test CA")])
    ca = _certificate("Throwaway test CA", ca_name, ca_key, ca_key, ca=True)
    (directory / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files = {"ca": directory / "ca.pem"}
    for stem, names in (
        ("server", [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
        ("elsewhere", [x509.DNSName("smdb.test")]),
    ):
        key = _key()
        certificate = _certificate(stem, ca.subject, key, ca_key, ca=False, names=names)
        files[stem] = _write_pair(directory, stem, certificate, key)
    return files


@pytest.fixture(scope="module")
def https(dev, tls):
    server = SecureEmulator(dev, _real_now, tls=tls["server"])
    yield server
    server.stop()


def _one_line(message: str) -> str:
    assert "\n" not in message.strip() and "Traceback" not in message, message
    return message


def test_an_untrusted_server_certificate_is_refused_by_default(https):
    soap = generated_module("smdb.soap")
    assert https.url.startswith("https://")
    plain = soap.TokenTestClient(https.url, retries=0)  # no security hook: the SOAP call itself
    with pytest.raises(soap.TransportError) as refused:
        plain.WhoAmI()
    assert NOT_TRUSTED in _one_line(str(refused.value))
    assert "--ca-bundle" in str(refused.value)
    signed = https.client("TokenTest", "101")  # signed: the STS call is the first refused
    with pytest.raises(soap.SecurityError) as refused:
        signed.WhoAmI()
    assert NOT_TRUSTED in _one_line(str(refused.value))
    assert https.rows() == 0


def test_the_servers_ca_as_bundle_makes_it_work(https, tls):
    client = https.client("TokenTest", "147", ca_bundle=tls["ca"])
    assert client.WhoAmI() == "Myndighed 147"


def test_a_certificate_for_another_host_is_refused_even_from_the_given_ca(dev, tls):
    server = SecureEmulator(dev, _real_now, tls=tls["elsewhere"])
    try:
        client = server.client("TokenTest", "101", ca_bundle=tls["ca"])
        with pytest.raises(generated_module("smdb.soap").SecurityError) as refused:
            client.WhoAmI()
        assert NOT_TRUSTED in str(refused.value) and "mismatch" in str(refused.value)
    finally:
        server.stop()


def test_smdb_send_and_fetch_refuse_then_work_with_ca_bundle(https, tls, dev):
    p12 = dev.kommuner["101"]  # sts.pem beside it: answers are verified too
    send = ("send", "--endpoint", https.url, "--credentials", p12, "--today", TODAY, BASE_CASE)
    refused = smdb(*send)
    assert refused.returncode == 2
    assert NOT_TRUSTED in _one_line(refused.stderr) and "accepted" not in refused.stdout
    plain = smdb("fetch", "--endpoint", https.url)
    assert plain.returncode == 2 and NOT_TRUSTED in _one_line(plain.stderr)
    sent = smdb(*send, "--ca-bundle", tls["ca"])
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "accepted" in sent.stdout
    fetched = smdb("fetch", "--endpoint", https.url, "--credentials", p12, "--ca-bundle", tls["ca"])
    assert fetched.returncode == 0, fetched.stderr
    assert '"Anmodning"' in fetched.stdout


def test_nothing_in_the_environment_turns_the_check_off(https, tls, dev, monkeypatch):
    # What turns verification off (or swaps the trust store) in other tools and libraries.
    loose = {
        "SSL_CERT_FILE": str(tls["ca"]),
        "SSL_CERT_DIR": str(tls["ca"].parent),
        "PYTHONHTTPSVERIFY": "0",
        "CURL_CA_BUNDLE": "",
        "REQUESTS_CA_BUNDLE": "",
    }
    refused = smdb(
        "fetch",
        "--endpoint",
        https.url,
        "--credentials",
        dev.kommuner["101"],
        env={**ENV, **loose},
    )
    assert refused.returncode == 2 and NOT_TRUSTED in _one_line(refused.stderr)
    # in process too, with urllib's global default context made unverified (a common hack)
    for name, value in loose.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(ssl, "_create_default_https_context", ssl._create_unverified_context)
    soap = generated_module("smdb.soap")
    with pytest.raises(soap.SecurityError, match=NOT_TRUSTED):
        https.client("TokenTest", "101").WhoAmI()
    with pytest.raises(soap.TransportError, match=NOT_TRUSTED):
        soap.TokenTestClient(https.url, retries=0).WhoAmI()


def test_an_empty_or_unreadable_ca_bundle_is_an_error_not_less_checking(https, tmp_path):
    soap = generated_module("smdb.soap")
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    for bundle in ("", tmp_path / "missing.pem", tmp_path):
        with pytest.raises(ValueError, match="CA bundle"):
            soap.TokenTestClient(https.url, ca_bundle=bundle)
    with pytest.raises(ValueError, match="no usable CA certificate"):
        soap.TokenTestClient(https.url, ca_bundle=empty, retries=0).WhoAmI()
    result = smdb("fetch", "--endpoint", https.url, "--ca-bundle", "")
    assert result.returncode == 2 and "CA bundle" in _one_line(result.stderr)


def test_the_async_client_verifies_the_same_way(https, tls):
    import asyncio

    soap = generated_module("smdb.soap")

    async def who(signed: bool, **options) -> str:
        hook = https.hook("147", **options) if signed else None
        async with soap.AsyncTokenTestClient(https.url, hook=hook, retries=0, **options) as client:
            return await client.WhoAmI()

    with pytest.raises(soap.TransportError, match=NOT_TRUSTED):  # httpx's own connection
        asyncio.run(who(False))
    with pytest.raises(soap.SecurityError, match=NOT_TRUSTED):  # the STS call first
        asyncio.run(who(True))
    assert asyncio.run(who(True, ca_bundle=tls["ca"])) == "Myndighed 147"
