"""`smdb emulator --dev-credentials` and `smdb send/fetch --credentials` as a vendor runs them:
separate processes over real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from soap.conftest import BASE_CASE, GENERATED_PACKAGE, TODAY, free_port, wait_for

ENV = {**os.environ, "PYTHONPATH": str(GENERATED_PACKAGE)}
ENV.pop("SMDB_P12_PASSPHRASE", None)


def smdb(*args, env=ENV) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smdb.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def start(directory, port, kommuner=("101", "147"), *options):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smdb.cli",
            "emulator",
            "--port",
            str(port),
            "--db",
            ":memory:",
            "--dev-credentials",
            str(directory),
            *(a for k in kommuner for a in ("--kommune", k)),
            *options,
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, 30)
    except BaseException:  # it never listened: it must not outlive the test either
        stop(process)
        raise
    return process


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_dev_credentials_lifecycle_and_reuse(tmp_path):
    creds = tmp_path / "creds"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(creds, port)
    try:
        p12 = creds / "kommune-101.p12"
        assert p12.is_file() and (creds / "kommune-147.p12").is_file()
        sent = smdb("send", "--endpoint", url, "--credentials", p12, "--today", TODAY, BASE_CASE)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert "accepted" in sent.stdout
        own = smdb("fetch", "--endpoint", url, "--credentials", p12)
        assert own.returncode == 0, own.stderr
        assert len(json.loads(own.stdout)) == 1
        other = smdb("fetch", "--endpoint", url, "--credentials", creds / "kommune-147.p12")
        assert other.returncode == 0 and json.loads(other.stdout) == []
        # answers are checked against the server's certificate (sts.pem beside the .p12)
        forged = smdb(
            "fetch",
            "--endpoint",
            url,
            "--credentials",
            p12,
            "--server-certificate",
            creds / "ca.pem",
        )
        assert forged.returncode == 2 and "response refused" in forged.stderr, forged.stderr
        assert "not verified" not in own.stderr  # sts.pem beside the .p12 is used
        alone = tmp_path / "alone"
        alone.mkdir()
        shutil.copy(p12, alone / p12.name)  # no sts.pem beside it: signs, says it cannot check
        unchecked = smdb("fetch", "--endpoint", url, "--credentials", alone / p12.name)
        assert unchecked.returncode == 0, unchecked.stderr
        assert "answers are not verified" in unchecked.stderr
        unsigned = smdb("fetch", "--endpoint", url)
        assert unsigned.returncode == 2 and "wsse:Security" in unsigned.stderr
        # the passphrase comes from the environment, never an argument: a wrong one is refused
        wrong = smdb(
            "fetch",
            "--endpoint",
            url,
            "--credentials",
            p12,
            env={**ENV, "SMDB_P12_PASSPHRASE": "wrong"},
        )
        assert wrong.returncode == 2 and "--credentials" in wrong.stderr
    finally:
        stop(process)
    before = {p.name: p.read_bytes() for p in creds.iterdir()}
    process = start(creds, port, ["101"])  # restart: the same credentials, reused
    try:
        assert {p.name: p.read_bytes() for p in creds.iterdir()} == before
        again = smdb("fetch", "--endpoint", url, "--credentials", creds / "kommune-101.p12")
        assert again.returncode == 0, again.stderr
        # trusted are exactly the kommuner named: 147's certificate gets no token now
        left = smdb("fetch", "--endpoint", url, "--credentials", creds / "kommune-147.p12")
        assert left.returncode == 2 and "STS" in left.stderr, left.stderr
    finally:
        stop(process)


def _truncate(path, rogue) -> None:
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize(
    ("name", "spoil"),
    [
        ("ca.pem", lambda path, rogue: path.write_text("not a certificate")),
        ("ca-key.pem", lambda path, rogue: path.write_text("not a key")),
        ("sts.p12", _truncate),
        ("kommune-101.p12", _truncate),
        ("kommune-101.p12", lambda path, rogue: shutil.copy(rogue / path.name, path)),
    ],
    ids=["garbage-ca", "garbage-ca-key", "truncated-sts", "truncated-kommune", "foreign-kommune"],
)
def test_refuses_to_start_with_credentials_it_cannot_use(tmp_path, dev, rogue, name, spoil):
    creds = tmp_path / "creds"
    shutil.copytree(dev.directory, creds)
    spoil(creds / name, rogue.directory)
    before = {p.name: p.read_bytes() for p in creds.iterdir()}
    result = smdb(
        "emulator",
        "--port",
        free_port(),
        "--db",
        ":memory:",
        "--dev-credentials",
        creds,
        "--kommune",
        "101",
    )
    assert result.returncode == 2, result.stderr
    assert "--dev-credentials" in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in creds.iterdir()} == before  # nothing re-issued


def test_several_kommuner_need_credentials():
    result = smdb(
        "emulator",
        "--port",
        free_port(),
        "--db",
        ":memory:",
        "--kommune",
        "101",
        "--kommune",
        "147",
    )
    assert result.returncode == 2 and "--dev-credentials" in result.stderr


def test_a_credentials_error_shows_no_cpr_number_whole(tmp_path):
    named = tmp_path / "1503901234.p12"  # a file named by a CPR number, missing
    result = smdb("fetch", "--endpoint", "http://127.0.0.1:9", "--credentials", named)
    assert result.returncode == 2 and "--credentials" in result.stderr
    assert "1503901234" not in result.stderr and "-****.p12" in result.stderr


def test_the_emulators_freshness_window_is_an_option(tmp_path):
    import datetime as dt

    import httpx
    from soap.conftest import generated_module

    creds, port = tmp_path / "creds", free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(creds, port, ["101"], "--window", "60")
    try:
        security = generated_module("smdb.security")
        own = security.Credentials.from_pkcs12(creds / "kommune-101.p12", "")
        token = security.StsClient(url + "/sts", own, url).token()
        client = generated_module("smdb.soap").TokenTestClient(url)
        op, data, headers = client._request("WhoAmI", {})

        def sent(age: int) -> httpx.Response:
            now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age)
            signed = security.sign_envelope(
                data, credentials=own, action=op.action, to=client.url, token=token, now=now
            )
            return httpx.post(client.url, content=signed, headers=headers, timeout=30)

        assert sent(30).status_code == 200
        refused = sent(90)  # inside the default 5 minutes, outside --window 60
        assert refused.status_code == 500 and b"wsse:MessageExpired" in refused.content
    finally:
        stop(process)
    bad = smdb("emulator", "--dev-credentials", creds, "--window", "0")
    assert bad.returncode == 2 and "--window" in bad.stderr


def test_the_public_url_is_the_host_a_signed_wsa_to_must_name(tmp_path):
    """`--public-url`: behind a proxy the emulator sees another host than clients sign for.
    The same server under two names (localhost, 127.0.0.1): with --public-url naming one, a
    request signed for the other is refused, for the services and the STS alike; without it
    only the path is compared and both pass."""
    import httpx
    from soap.conftest import generated_module

    security = generated_module("smdb.security")
    soap = generated_module("smdb.soap")
    creds = tmp_path / "creds"

    def who_am_i(url: str, signed_for: str, token) -> httpx.Response:
        own = security.Credentials.from_pkcs12(creds / "kommune-101.p12", "")
        client = soap.TokenTestClient(url)
        op, data, headers = client._request("WhoAmI", {})
        to = soap.TokenTestClient(signed_for).url
        signed = security.sign_envelope(data, credentials=own, action=op.action, to=to, token=token)
        return httpx.post(client.url, content=signed, headers=headers, timeout=30)

    for public in (True, False):
        port = free_port()
        named, other = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
        options = ["--public-url", named] if public else []
        process = start(creds, port, ["101"], *options)
        try:
            own = security.Credentials.from_pkcs12(creds / "kommune-101.p12", "")
            audience = named if public else other  # the default: the public URL, or HOST:PORT
            token = security.StsClient(named + "/sts", own, audience).token()
            assert who_am_i(other, named, token).status_code == 200
            refused = who_am_i(other, other, token)
            if public:
                assert refused.status_code == 500, refused.text
                assert b"another host" in refused.content
                with pytest.raises(security.StsError, match="another host"):  # the STS too
                    security.StsClient(other + "/sts", own, audience).token()
            else:
                assert refused.status_code == 200, refused.text
        finally:
            stop(process)


@pytest.mark.parametrize(
    "options",
    [
        ["--public-url", "ftp://smdb.example.dk"],
        ["--public-url", "https://smdb.example.dk/smdbwebservice"],
        ["--public-url", "smdb.example.dk"],
        ["--public-url", "https://smdb.example.dk", "--dev-credentials", None],
    ],
    ids=["scheme", "path", "no-scheme", "no-credentials"],
)
def test_a_public_url_that_cannot_be_used_stops_the_emulator(tmp_path, options):
    if None in options:
        options = options[:2]  # --public-url alone: nothing signed names it
    else:
        options = [*options, "--dev-credentials", tmp_path / "creds"]
    bad = smdb("emulator", "--port", free_port(), *options)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "--public-url" in bad.stderr, bad.stderr
    assert "Traceback" not in bad.stderr
