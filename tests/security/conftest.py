"""Real credentials for the security tests: the dev generator's CA, STS and two kommuner, a
second CA nobody trusts, and a signed request to take apart."""

from __future__ import annotations

import pytest

from security.sectools import ACTION, AUDIENCE, BODY, TO, Clock, security


@pytest.fixture(scope="session")
def dev(tmp_path_factory):
    return security("devcredentials").ensure(tmp_path_factory.mktemp("dev"), ["101", "147"])


@pytest.fixture(scope="session")
def rogue(tmp_path_factory):
    """Credentials from another CA, with the CVR of kommune 101 in the subject."""
    devcredentials = security("devcredentials")
    directory = tmp_path_factory.mktemp("rogue")
    return devcredentials.ensure(directory, ["101"])


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sts(dev, clock):
    sec = security()
    return sec.StsService(
        credentials=dev.sts,
        trust=sec.TrustStore([dev.ca]),
        myndigheder=dev.myndigheder,
        audiences=(AUDIENCE,),
        clock=clock,
    )


@pytest.fixture
def token_for(sts, dev, clock):
    """kommune -> a token issued by the STS (through the real client and request)."""

    def issue(kommune: str):
        client = security().StsClient(
            "https://smdb.test/sts",
            dev.function_credentials(kommune),
            AUDIENCE,
            sts_certificate=dev.sts.certificate,
            transport=lambda url, body, headers: sts.handle(body),
            clock=clock,
        )
        return client.token()

    return issue


@pytest.fixture
def verifier(dev, clock):
    return security().RequestVerifier(
        sts_certificate=dev.sts.certificate, audience=AUDIENCE, clock=clock
    )


@pytest.fixture
def signed(dev, token_for, clock):
    """A request of kommune 101, signed now."""
    return security().sign_envelope(
        BODY,
        credentials=dev.function_credentials("101"),
        action=ACTION,
        to=TO,
        token=token_for("101"),
        now=clock(),
    )


@pytest.fixture
def secure_emulator(dev, clock):
    from security.emulatorhttp import SecureEmulator

    server = SecureEmulator(dev, clock)
    yield server
    server.stop()
