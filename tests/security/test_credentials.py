"""Function certificates from PKCS#12 and PEM, the trust store, and the dev generator."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from security.sectools import security

credentials = security("credentials")
devcredentials = security("devcredentials")
errors = security("errors")


def _pkcs12(dev, passphrase: bytes) -> bytes:
    own = dev.function_credentials("101")
    return pkcs12.serialize_key_and_certificates(
        b"f", own.key, own.certificate, [dev.ca], serialization.BestAvailableEncryption(passphrase)
    )


def test_pkcs12_with_passphrase(dev, tmp_path):
    path = tmp_path / "f.p12"
    path.write_bytes(_pkcs12(dev, b"hemmelig"))
    loaded = credentials.Credentials.from_pkcs12(path, "hemmelig")
    assert loaded.certificate == dev.function_credentials("101").certificate
    assert loaded.chain == (dev.ca,)
    assert loaded.cvr == "00000101"


def test_pkcs12_with_a_wrong_passphrase_is_a_clear_error(dev, tmp_path):
    path = tmp_path / "f.p12"
    path.write_bytes(_pkcs12(dev, b"hemmelig"))
    with pytest.raises(credentials.CredentialsError, match="passphrase is wrong") as caught:
        credentials.Credentials.from_pkcs12(path, "forkert")
    assert "hemmelig" not in str(caught.value) and "forkert" not in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(credentials.CredentialsError, match="cannot be read"):
        credentials.Credentials.from_pkcs12(tmp_path / "none.p12", "")


def test_pem_files_with_and_without_passphrase(dev, tmp_path):
    own = dev.function_credentials("147")
    (tmp_path / "cert.pem").write_bytes(
        own.certificate.public_bytes(serialization.Encoding.PEM)
        + dev.ca.public_bytes(serialization.Encoding.PEM)
    )
    for passphrase, encryption in (
        (None, serialization.NoEncryption()),
        ("pw", serialization.BestAvailableEncryption(b"pw")),
    ):
        (tmp_path / "key.pem").write_bytes(
            own.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
            )
        )
        loaded = credentials.Credentials.from_pem(
            tmp_path / "cert.pem", tmp_path / "key.pem", passphrase
        )
        assert loaded.certificate == own.certificate
        assert loaded.chain == (dev.ca,)


def test_a_key_of_another_certificate_is_refused(dev):
    with pytest.raises(credentials.CredentialsError, match="does not belong"):
        credentials.Credentials(
            dev.function_credentials("101").certificate, dev.function_credentials("147").key
        )


def test_repr_never_shows_the_key(dev):
    own = dev.function_credentials("101")
    text = repr(own)
    assert "CVR:00000101" in text
    assert "PRIVATE" not in text and str(own.key.private_numbers().d) not in text


def test_trust_store(dev, rogue):
    trust = credentials.TrustStore([dev.ca])
    trust.check(dev.function_credentials("101").certificate)
    with pytest.raises(errors.UntrustedCertificate, match="trusted CA"):
        trust.check(rogue.function_credentials("101").certificate)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3700)
    with pytest.raises(errors.UntrustedCertificate, match="validity"):
        trust.check(dev.function_credentials("101").certificate, later)


def test_dev_credentials_are_written_once_and_reused(tmp_path):
    first = devcredentials.ensure(tmp_path, ["101"])
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(files) == {"ca.pem", "ca-key.pem", "sts.p12", "sts.pem", "kommune-101.p12"}
    assert credentials.load_certificate(tmp_path / "sts.pem") == first.sts.certificate
    again = devcredentials.ensure(tmp_path, ["101", "147"])
    assert again.ca == first.ca
    assert again.sts.certificate == first.sts.certificate
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in files} == files
    assert set(again.kommuner) == {"101", "147"}
    assert again.myndigheder == {"00000101": "101", "00000147": "147"}
    # empty passphrase, issued by the CA, CVR in the subject
    loaded = credentials.Credentials.from_pkcs12(tmp_path / "kommune-147.p12", "")
    credentials.TrustStore([again.ca]).check(loaded.certificate)
    assert loaded.cvr == "00000147"
    assert (tmp_path / "ca-key.pem").stat().st_mode & 0o077 == 0


def test_cli_passphrase_from_the_environment_never_an_argument(dev, tmp_path):
    path = tmp_path / "f.p12"
    path.write_bytes(_pkcs12(dev, b"hemmelig"))
    asked = []

    def prompt(question):
        asked.append(question)
        return "hemmelig"

    environ = {"SMDB_P12_PASSPHRASE": "hemmelig"}
    loaded = credentials.load_pkcs12_for_cli(path, environ=environ, prompt=prompt)
    assert loaded.cvr == "00000101" and asked == []
    assert credentials.load_pkcs12_for_cli(path, environ={}, prompt=prompt).cvr == "00000101"
    assert asked == [f"Passphrase for {path}: "]
    with pytest.raises(credentials.CredentialsError, match="passphrase is wrong"):
        credentials.load_pkcs12_for_cli(path, environ={}, prompt=None)
    with pytest.raises(credentials.CredentialsError, match="passphrase is wrong"):
        credentials.load_pkcs12_for_cli(path, environ={"SMDB_P12_PASSPHRASE": "x"}, prompt=prompt)


def test_dev_credentials_need_no_passphrase_on_the_cli(dev):
    loaded = credentials.load_pkcs12_for_cli(dev.kommuner["147"], environ={}, prompt=None)
    assert loaded.cvr == "00000147"


def test_a_token_shows_neither_itself_nor_its_signature(token_for):
    token = security("saml").peek(token_for("101"))
    text = repr(token)
    assert token.id in text
    assert "Assertion" not in text and "SignatureValue" not in text and "MII" not in text


def test_a_lost_ca_key_reissues_everything(tmp_path):
    first = devcredentials.ensure(tmp_path, ["101"])
    (tmp_path / "ca-key.pem").unlink()
    again = devcredentials.ensure(tmp_path, ["101"])
    assert again.ca != first.ca
    trust = credentials.TrustStore([again.ca])
    trust.check(again.sts.certificate)
    trust.check(again.function_credentials("101").certificate)


def test_an_unreadable_ca_key_is_a_clear_error(tmp_path):
    devcredentials.ensure(tmp_path, ["101"])
    (tmp_path / "ca-key.pem").write_text("garbage")
    with pytest.raises(credentials.CredentialsError, match=r"ca-key\.pem: not an unencrypted"):
        devcredentials.ensure(tmp_path, ["101"])
