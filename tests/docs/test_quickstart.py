"""The quick start's commands, run as written in a fresh virtualenv, print what it shows,
the emulator included (on loopback, on a free port, stopped whatever happens)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.docs.conftest import ROOT

GUIDE = ROOT / "docs" / "guides" / "quickstart.md"
BLOCK = re.compile(r"^```(sh|text)\n(.*?)^```$", re.S | re.M)


def blocks(kind: str) -> list[str]:
    return [body for found, body in BLOCK.findall(GUIDE.read_text("utf-8")) if found == kind]


def test_the_guide_has_commands_and_shown_output():
    assert len(blocks("sh")) >= 4
    assert len(blocks("text")) >= 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def running(pid: int) -> bool:
    """The process lives (an exited one not yet reaped, a zombie, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def stop_emulator(folder) -> bool:
    """Whether the emulator the guide started (by the id it wrote) still ran 10 s after the
    guide ended; if so it is stopped here."""
    pid_file = folder / "emulator.pid"
    if not pid_file.is_file():
        return False
    pid = int(pid_file.read_text().strip())
    deadline = time.monotonic() + 10
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not running(pid):
        return False
    os.kill(pid, signal.SIGKILL)
    return True


def test_the_guide_starts_the_emulator_sends_fetches_and_stops_it():
    commands = "\n".join(blocks("sh"))
    for step in ("smdb emulator --db :memory:", "smdb send", "smdb fetch", "smdb validate -"):
        assert step in commands
    assert "kill" in commands.split("smdb fetch", 1)[1]


def test_quick_start_commands_run_and_print_what_the_guide_shows(tmp_path):
    # The guide is written for a clone: its commands use ./generated/python and the rules'
    # base case.
    shutil.copytree(ROOT / "generated" / "python", tmp_path / "generated" / "python")
    examples = tmp_path / "spec" / "rules" / "examples"
    examples.mkdir(parents=True)
    shutil.copy(ROOT / "spec" / "rules" / "examples" / "base-case.json", examples)
    script = "set -eu\n" + "\n".join(blocks("sh"))
    env = {**os.environ, "PORT": str(free_port()), "SECURE_PORT": str(free_port())}
    try:
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        left_running = stop_emulator(tmp_path)
    log = (tmp_path / "emulator.log").read_text() if (tmp_path / "emulator.log").exists() else ""
    assert result.returncode == 0, result.stdout + result.stderr + log
    assert not left_running, "the guide's own `kill` did not stop the emulator"
    output = result.stdout
    for shown in blocks("text"):
        for line in shown.splitlines():
            assert line.strip() in output, f"the guide shows {line!r}; printed:\n{output}"
