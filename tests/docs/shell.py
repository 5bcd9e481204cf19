"""Running a document's shell blocks as printed: the blocks, a free port for them, and a
bash run in a process group of its own that is ended afterwards, whatever happened, so a
server the commands start in the background never outlives the test."""

from __future__ import annotations

import re
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests import processes

BLOCK = re.compile(r"^```(sh|text)\n(.*?)^```$", re.S | re.M)


def blocks(document: Path, kind: str) -> list[str]:
    """The document's fenced blocks of `kind` ('sh' or 'text'), in order."""
    return [body for found, body in BLOCK.findall(document.read_text("utf-8")) if found == kind]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Ran:
    result: subprocess.CompletedProcess
    left_running: list[str]  # what the commands started and did not stop themselves


def run_script(script: str, cwd: Path, env: dict, timeout: float = 600) -> Ran:
    """`bash -c script` (set -eu); what it left running 10 s after it ended is reported and
    ended with its process group."""
    shell = subprocess.Popen(
        ["bash", "-c", "set -eu\n" + script],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its group: the shell and every job it puts in background
    )
    try:
        stdout, stderr = shell.communicate(timeout=timeout)
        left = processes.wait_until_gone(processes.group(shell.pid), 10)
    finally:
        processes.end_group(shell.pid)
        shell.kill()
        shell.communicate()
    result = subprocess.CompletedProcess(shell.args, shell.returncode, stdout, stderr)
    return Ran(result, [p.command for p in left])
