"""A real emulator on a free loopback port for the SOAP tests, in a thread or a process."""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED_PACKAGE = ROOT / "generated" / "python"


def generated_module(name: str):
    """A module of the generated package, imported from generated/python (as tests/conftest)."""
    if str(GENERATED_PACKAGE) not in sys.path:
        sys.path.insert(0, str(GENERATED_PACKAGE))
    return importlib.import_module(name)


BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
TODAY = "2026-11-01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def case_json() -> dict:
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


@pytest.fixture
def case(case_json):
    return generated_module("smdb.models").Kontaktforloeb.model_validate(case_json)


@pytest.fixture
def serve():
    """Start in-process emulators (uvicorn in a thread, :memory: store): serve(**options) is
    the base URL of a new one; all are stopped after the test."""
    import datetime as dt

    import uvicorn

    app_module = generated_module("smdb.emulator")
    running = []

    def start(**options) -> str:
        options.setdefault("today", dt.date.fromisoformat(TODAY))
        emulator = app_module.Emulator(":memory:", **options)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                emulator.app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                # A connection a test left half-open must not hold the stop for 10 s.
                timeout_graceful_shutdown=1,
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        wait_for(port)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def emulator_url(serve):
    return serve(kommune=101)


class EmulatorProcess:
    """`smdb emulator` as a separate process (for restarts and kill -9)."""

    def __init__(self, db: str):
        self.db = db
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "smdb.cli",
                "emulator",
                "--port",
                str(self.port),
                "--db",
                self.db,
            ],
            env={**os.environ, "PYTHONPATH": str(GENERATED_PACKAGE)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for(self.port)
        except BaseException:  # it never listened: it must not outlive the test either
            self.kill()
            raise

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`smdb emulator` in its own process, shared by a module's tests."""
    emulator = EmulatorProcess(str(tmp_path_factory.mktemp("db") / "smdb.sqlite"))
    emulator.start()
    yield emulator
    emulator.kill()
