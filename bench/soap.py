"""SOAP figures for `make bench`: the generated client against zeep on the same WSDL, and the
emulator's validated inserts beside a minimal ASGI endpoint that only parses the body."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generated" / "python"
WSDL = ROOT / "spec" / "sources" / "2026-01-01" / "SecureIndsaetData-v1.wsdl"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
CLIENTS = 8
# The HTTP floor: the same requests to an ASGI app that reads and parses the body, nothing more.
FLOOR_APP = """
from lxml import etree
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    etree.fromstring(body)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/xml; charset=utf-8"),
                            (b"content-length", b"5")]})
    await send({"type": "http.response.body", "body": b"<ok/>"})
"""


def _case() -> dict:
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


def client(runs: int) -> list[tuple[str, float, str]]:
    """Client construction and one IndsaetIvaerksaettelse envelope, smdb.soap against zeep."""
    import zeep
    from smdb import models
    from smdb.soap import IndsaetDataClient

    from bench.run import best_of

    case = models.Kontaktforloeb.model_validate(_case())
    params = {"Anmodning": case.Anmodning, "Ivaerksaettelse": case.Ivaerksaettelse}
    zeep_params = {name: value.model_dump(exclude_none=True) for name, value in params.items()}
    zeep_params["Ivaerksaettelse"]["HenvisningPaaOpfordringAfListe"] = {
        "string": zeep_params["Ivaerksaettelse"]["HenvisningPaaOpfordringAfListe"]
    }
    wsdl = str(WSDL)
    loops = 200
    zeep_build = best_of(runs, lambda: zeep.Client(wsdl)) / 1
    ours_build = best_of(runs, lambda: [IndsaetDataClient("prod") for _ in range(loops)]) / loops
    zc = zeep.Client(wsdl)
    ours = IndsaetDataClient("prod")

    def zeep_envelope():
        for _ in range(loops):
            zc.create_message(zc.service, "IndsaetIvaerksaettelse", **zeep_params)

    def ours_envelope():
        for _ in range(loops):
            ours._request("IndsaetIvaerksaettelse", params)

    zeep_env = best_of(runs, zeep_envelope) / loops
    ours_env = best_of(runs, ours_envelope) / loops
    return [
        ("zeep.Client(SecureIndsaetData-v1.wsdl) (baseline)", zeep_build, "1.00×"),
        ("IndsaetDataClient('prod')", ours_build, f"{zeep_build / ours_build:.0f}× faster"),
        ("zeep create_message IndsaetIvaerksaettelse (baseline)", zeep_env, "1.00×"),
        ("smdb.soap envelope, same request", ours_env, f"{zeep_env / ours_env:.1f}× faster"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(port)


def _start(command: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{PACKAGE}:{cwd}"}
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def start_emulator(work: Path, port: int, *options: str) -> tuple[subprocess.Popen, Path]:
    """`smdb emulator` in its own process on `port`, storing in a new SQLite file in `work`
    (returned beside the process), once it listens."""
    db = work / f"emulator-{port}.sqlite"
    command = [sys.executable, "-m", "smdb.cli", "emulator", "--port", str(port)]
    server = _start([*command, "--db", str(db), *options], work)
    try:
        _wait(port)
    except BaseException:
        server.kill()
        server.wait()
        raise
    return server, db


def _bodies(count: int) -> list[bytes]:
    """`count` distinct valid IndsaetIvaerksaettelse envelopes (one borger each): born in
    March 1990 (so the base case's age, 35 on 1-IVÆR, holds), serials 0000-3999 (a 1900s
    birth year by the CPR century rule)."""
    from smdb import models
    from smdb.soap import IndsaetDataClient

    client = IndsaetDataClient("prod")
    base = _case()
    bodies = []
    for n in range(count):
        case = dict(base)
        day, serial = 1 + n // 4000 % 28, n % 4000
        cpr = f"{day:02d}0390{serial:04d}"
        case["Anmodning"] = {**base["Anmodning"], "PersonIdentifikator": cpr}
        model = models.Kontaktforloeb.model_validate(case)
        _, data, _ = client._request(
            "IndsaetIvaerksaettelse",
            {"Anmodning": model.Anmodning, "Ivaerksaettelse": model.Ivaerksaettelse},
        )
        bodies.append(data)
    return bodies


async def _load(url: str, bodies: list[bytes], seconds: float) -> tuple[int, int, list[float]]:
    """CLIENTS keep-alive connections posting in turn; a bare asyncio HTTP/1.1 client, so that
    the load generator takes little of the machine the server runs on."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    action = b'"http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetIvaerksaettelse"'
    head = (
        (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: text/xml; charset=utf-8\r\n"
        ).encode()
        + b"SOAPAction: "
        + action
    )
    latencies: list[float] = []
    errors = 0
    position = 0
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal errors, position
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.monotonic() < deadline and position < len(bodies):
                body = bodies[position]
                position += 1
                start = time.perf_counter()
                writer.write(head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                if b" 200 " not in status_line:
                    errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return len(latencies), errors, latencies


def _p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def emulator(runs: int) -> list[tuple[str, float, str]]:
    """Validated inserts/s and p99 with 8 concurrent clients, beside the HTTP floor; then the
    emulator is killed (-9) and the stored rows counted: none may be lost."""
    seconds = 60.0 if runs >= 5 else 10.0
    bodies = _bodies(int(seconds * 700))  # more than either server answers in that time
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "floor_app.py").write_text(FLOOR_APP, encoding="utf-8")
        port = _free_port()
        floor = _start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "floor_app:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            work,
        )
        try:
            _wait(port)
            done, errors, lat = asyncio.run(_load(f"http://127.0.0.1:{port}/", bodies, seconds))
        finally:
            floor.kill()
            floor.wait()
        rows.append(
            (
                f"minimal ASGI app, parse only (floor): {done / seconds:.0f} req/s, "
                f"p99 {_p99(lat) * 1000:.1f} ms, {errors} errors",
                seconds / done,
                "1.00×",
            )
        )
        floor_rate = done / seconds
        port = _free_port()
        server, db = start_emulator(work, port)
        path = "/smdbwebservice/api/external/v1/secureindsaetdata.svc"
        try:
            done, errors, lat = asyncio.run(
                _load(f"http://127.0.0.1:{port}{path}", bodies, seconds)
            )
        finally:
            stored = kill_and_count(server, db)
        accepted = done - errors
        rate = accepted / seconds
        rows.append(
            (
                f"smdb emulator, validated IndsaetIvaerksaettelse: {rate:.0f} inserts/s, "
                f"p99 {_p99(lat) * 1000:.1f} ms, {errors} errors, {accepted} accepted, "
                f"{stored} rows after kill -9, {accepted - stored} lost "
                f"({seconds:.0f} s, {CLIENTS} clients)",
                seconds / done,
                f"{floor_rate / (done / seconds):.1f}× the floor's time",
            )
        )
    per_check = schema_check_time(bodies[:2000])
    rows.append(
        (
            f"of which the WSDL schema check of the body (one thread): {per_check * 1e6:.0f} µs",
            per_check,
            f"{per_check / (seconds / done):.3f}× a request's time",
        )
    )
    return rows


def schema_check_time(bodies: list[bytes]) -> float:
    """Seconds per body of the emulator's WSDL schema check (`smdb.emulator.schema_check`),
    the bodies parsed beforehand, as the emulator has them when it checks."""
    from smdb.emulator.schema_check import load
    from smdb.soap.envelope import parse

    schema = load({"SecureIndsaetData-v1.wsdl"})["SecureIndsaetData-v1.wsdl"]
    elements = [parse(body).body for body in bodies]
    assert not schema.refusals(elements[0])  # the check is the whole check: valid bodies
    start = time.perf_counter()
    for element in elements:
        schema.refusals(element)
    return (time.perf_counter() - start) / len(elements)


def kill_and_count(server, db: Path) -> int:
    """Kill the emulator as a crash would (kill -9), then count the iværksættelser it kept."""
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT count(*) FROM skema WHERE form = 'Ivaerksaettelse'"
        ).fetchone()[0]
