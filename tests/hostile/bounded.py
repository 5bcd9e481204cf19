"""Running a tool on hostile input the way an attacker would meet it: in a child process under
a memory ceiling (RLIMIT_AS) and a time bound, and checking the one-line failure."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CEILING = 1 << 30  # 1 GiB of address space: far below what the attacks took (6-9 GB)
TIME_BOUND = 60  # seconds; the attacks ran for minutes or until killed


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))


def run_bounded(*argv: str, stdin: bytes | None = None, cwd: Path = ROOT, env=None):
    """`python -m <argv>` under the memory ceiling and the time bound (TimeoutExpired fails)."""
    return subprocess.run(
        [sys.executable, *argv],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=TIME_BOUND,
        preexec_fn=_limit_memory,
        check=False,
    )


def assert_one_line_failure(result, prog: str, *needles: str) -> str:
    """Exit 2, no traceback, and exactly one line on stderr: `<prog>: error: ...`."""
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == 2, (result.returncode, stderr[-2000:])
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr[-2000:]
    assert lines[0].startswith(f"{prog}: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` with its bytes: to show that nothing was written."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
