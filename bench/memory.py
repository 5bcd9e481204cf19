"""`make bench`, section memory: the secure emulator's peak memory under hostile load, 8
concurrent requests of 5 MB each, against the stated bound: a request makes the emulator hold
at most 20× its body (the 5 MiB limit and the tag limit of `smdb.emulator.body` keep it there).

Each kind of body gets a fresh `smdb emulator --dev-credentials` process; its VmHWM (peak
resident memory, /proc/<pid>/status) is read after one small warm-up request and again after
the 8 requests; the growth, divided by 8 requests and by the body size, is the figure. The
baseline is the emulator's own peak at rest in the same run.
"""

from __future__ import annotations

import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench import soap

PATH = "/smdbwebservice/api/external/v1/secureindsaetdata.svc"
CONCURRENT = 8
SIZE = 5 * 1000 * 1000  # 5 MB, under the 5 MiB limit
BOUND = 20  # × the body size, per request
_OPEN = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<IndsaetIvaerksaettelse xmlns="http://smdb.dst.dk/api/external/v1">'
)
_CLOSE = b"</IndsaetIvaerksaettelse></s:Body></s:Envelope>"


def _body(filler: bytes) -> bytes:
    room = SIZE - len(_OPEN) - len(_CLOSE)
    return _OPEN + filler * (room // len(filler)) + _CLOSE


BODIES = {
    "empty elements (<a/>, the densest markup)": _body(b"<a/>"),
    "one text value of 5 MB": _OPEN + b"<Tekst>" + b"x" * (SIZE - 300) + b"</Tekst>" + _CLOSE,
    "a signature's worth of base64 per element": _body(b"<a>" + b"QUJD" * 1000 + b"</a>"),
}


def _peak_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def peak_memory() -> list[tuple[str, float, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        credentials = str(work / "creds")
        for label, body in BODIES.items():
            port = soap._free_port()
            server, _ = soap.start_emulator(work, port, "--dev-credentials", credentials)
            try:
                url = f"http://127.0.0.1:{port}{PATH}"
                headers = {"Content-Type": "text/xml; charset=utf-8"}
                httpx.post(url, content=_OPEN + _CLOSE, headers=headers, timeout=60)  # warm
                before = _peak_mib(server.pid)
                started = time.perf_counter()
                with ThreadPoolExecutor(CONCURRENT) as pool:
                    sent = [
                        pool.submit(httpx.post, url, content=body, headers=headers, timeout=300)
                        for _ in range(CONCURRENT)
                    ]
                    answers = [future.result() for future in sent]
                spent = time.perf_counter() - started
                assert all(a.status_code in (413, 500) for a in answers), answers
                after = _peak_mib(server.pid)
            finally:
                server.kill()
                server.wait()
            per_request = (after - before) / CONCURRENT
            ratio = per_request * 1024 * 1024 / len(body)
            if not rows:
                rows.append(("emulator at rest, peak (baseline)", 0.0, f"{before:.0f} MiB"))
            rows.append(
                (
                    f"8 concurrent {len(body) / 1e6:.1f} MB requests: {label}",
                    spent,
                    f"peak +{after - before:.0f} MiB = {ratio:.1f}× body per request "
                    f"(bound {BOUND}×)",
                )
            )
    return rows
