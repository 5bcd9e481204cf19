"""`make bench`, section secure: the emulator with security on. A signed round trip (request
signed under an STS token, verified, answer signed and verified) beside the same call unsigned
and the floor (raw RSA-2048 sign + verify of one digest); and validated inserts/s with 8
concurrent clients, each request signed (signed beforehand, so the load generator does not
compete with the server for the 2 cores while measuring: SIGNED_PER_SECOND of them per
second of load, more than the server answers, so the load never runs dry)."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import time
from pathlib import Path

from bench import soap

SIGNED_PER_SECOND = 300
ACTION = "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetIvaerksaettelse"
PATH = "/smdbwebservice/api/external/v1/secureindsaetdata.svc"


def round_trip(runs: int, best_of) -> list[tuple[str, float, str]]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils
    from smdb.security import ClientSecurity
    from smdb.security.devcredentials import ensure
    from smdb.soap import TokenTestClient

    calls = 50
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        dev = ensure(work / "creds", ["101"])  # the emulator reuses what is written here
        own = dev.function_credentials("101")
        plain_port, secure_port = soap._free_port(), soap._free_port()
        secure_url = f"http://127.0.0.1:{secure_port}"
        servers = []
        try:
            servers.append(soap.start_emulator(work, plain_port)[0])
            creds = str(work / "creds")
            servers.append(soap.start_emulator(work, secure_port, "--dev-credentials", creds)[0])
            hook = ClientSecurity.for_endpoint(
                own, secure_url, server_certificate=dev.sts.certificate
            )
            plain = TokenTestClient(f"http://127.0.0.1:{plain_port}")
            secure = TokenTestClient(secure_url, hook=hook)
            assert secure.Echo(Tekst="x") == plain.Echo(Tekst="x") == "x"  # warm: token
            unsigned = best_of(runs, lambda: [plain.Echo(Tekst="hej") for _ in range(calls)])
            signed = best_of(runs, lambda: [secure.Echo(Tekst="hej") for _ in range(calls)])
            plain.close()
            secure.close()
        finally:
            for server in servers:
                server.kill()
                server.wait()
    key, public = own.key, own.certificate.public_key()
    sha256, pkcs1 = utils.Prehashed(hashes.SHA256()), padding.PKCS1v15()
    digest = hashlib.sha256(b"x" * 4096).digest()

    def floor() -> None:
        for _ in range(calls):
            public.verify(key.sign(digest, pkcs1, sha256), digest, pkcs1, sha256)

    rsa = best_of(runs, floor) / calls
    unsigned, signed = unsigned / calls, signed / calls
    added = signed - unsigned
    # A signed request and a signed answer: two RSA signatures and two verifications, so no
    # implementation can add less than twice the floor; the rest is XML-DSig and WS-Security.
    return [
        ("raw RSA-2048 sign + verify of one digest (floor)", rsa, "1.00×"),
        (
            "the RSA work alone of a secured round trip (2 signs + 2 verifies)",
            2 * rsa,
            "2.00×",
        ),
        ("TokenTest Echo round trip over HTTP, unsigned", unsigned, f"{unsigned / rsa:.1f}×"),
        (
            "TokenTest Echo round trip over HTTP, signed and verified both ways",
            signed,
            f"{signed / rsa:.1f}×",
        ),
        (
            "what security adds to a round trip (signed − unsigned; goal ≤ 2× the floor)",
            added,
            f"{added / rsa:.1f}×",
        ),
    ]


def inserts(runs: int) -> list[tuple[str, float, str]]:
    """Validated, signed IndsaetIvaerksaettelse with CLIENTS concurrent connections."""
    from smdb.security import ClientSecurity
    from smdb.security.credentials import Credentials

    seconds = 60.0 if runs >= 5 else 10.0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        creds = work / "creds"
        port = soap._free_port()
        url = f"http://127.0.0.1:{port}"
        server, db = soap.start_emulator(
            work, port, "--dev-credentials", str(creds), "--kommune", "101"
        )
        try:
            hook = ClientSecurity.for_endpoint(
                Credentials.from_pkcs12(creds / "kommune-101.p12", b""), url
            )
            started = time.perf_counter()
            bodies = [
                hook.outgoing(body, action=ACTION, url=url + PATH)[0]
                for body in soap._bodies(int(seconds * SIGNED_PER_SECOND))
            ]
            signing = (time.perf_counter() - started) / len(bodies)
            started = time.perf_counter()
            done, errors, lat = asyncio.run(soap._load(url + PATH, bodies, seconds))
            # The load stops at the deadline or when the bodies run out, whichever is first:
            # the rate is over the time it took, not the deadline.
            elapsed = min(seconds, time.perf_counter() - started)
        finally:
            stored = soap.kill_and_count(server, db)
    accepted = done - errors
    rate = accepted / elapsed
    return [
        ("client: sign one request (token cached)", signing, ""),
        (
            f"smdb emulator with security, signed validated IndsaetIvaerksaettelse: {rate:.0f} "
            f"inserts/s (goal 200), p99 {soap._p99(lat) * 1000:.1f} ms, {errors} errors, "
            f"{accepted} accepted, {stored} rows after kill -9, {accepted - stored} lost "
            f"({elapsed:.1f} s, {soap.CLIENTS} clients)",
            elapsed / max(done, 1),
            "",
        ),
    ]
