"""The session check of tests/process_check.py, run on small test files in a pytest of their
own: a process a test leaves behind fails the run and is ended; a SIGTERM to pytest still
runs the fixtures' teardown; a clean run passes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import process_check, processes

ROOT = Path(__file__).resolve().parents[1]

LEAKS = """
import subprocess, sys

def test_leaves_a_process_behind(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    open({pid_file!r}, "w").write(str(child.pid))
"""

CLEAN = """
import subprocess, sys

def test_waits_for_its_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
"""

TEARS_DOWN = """
import subprocess, sys, time
import pytest

@pytest.fixture
def server():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    open({pid_file!r}, "w").write(str(child.pid))
    try:
        yield child
    finally:
        child.kill()
        child.wait()

def test_is_terminated_while_running(server):
    time.sleep(120)
"""


def pytest_of_its_own(tmp_path: Path, text: str) -> subprocess.Popen:
    test_file = tmp_path / "test_inner.py"
    test_file.write_text(text.format(pid_file=str(tmp_path / "pid")), encoding="utf-8")
    plugin = ["-p", "tests.process_check", "-p", "no:cacheprovider"]
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", *plugin, "--rootdir", str(tmp_path), str(test_file)],
        cwd=tmp_path,
        # A short grace: the leak these runs make sleeps; waiting the whole ten seconds for it
        # to exit would only make the run slower.
        env={**os.environ, "PYTHONPATH": str(ROOT), process_check.GRACE_VARIABLE: "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def finish(inner: subprocess.Popen) -> tuple[int, str]:
    try:
        output, _ = inner.communicate(timeout=120)
    finally:
        processes.end_group(inner.pid)
    return inner.returncode, output


def test_a_process_left_behind_fails_the_run_and_is_ended(tmp_path):
    code, output = finish(pytest_of_its_own(tmp_path, LEAKS))
    leaked = int((tmp_path / "pid").read_text())
    assert code == 1, output
    assert "1 passed" in output and "outlived the tests that started them" in output, output
    assert f"pid {leaked}:" in output and "time.sleep(120)" in output
    assert not processes.alive(leaked)


def test_a_clean_run_passes(tmp_path):
    code, output = finish(pytest_of_its_own(tmp_path, CLEAN))
    assert code == 0, output
    assert "outlived" not in output


def test_sigterm_runs_the_fixtures_teardown(tmp_path):
    inner = pytest_of_its_own(tmp_path, TEARS_DOWN)
    pid_file = tmp_path / "pid"
    deadline = time.monotonic() + 60
    while not (pid_file.is_file() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    served = int(pid_file.read_text())
    os.kill(inner.pid, signal.SIGTERM)
    code, output = finish(inner)
    assert code == 2, output  # pytest's "interrupted"
    assert "outlived" not in output, output
    assert not processes.alive(served)
