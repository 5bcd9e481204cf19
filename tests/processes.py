"""The processes a test run starts, as /proc shows them: which still live under pytest, and
ending a process group for good. Linux only, like the rest of the suite."""

from __future__ import annotations

import ctypes
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    pgid: int
    command: str


def _read(pid: int) -> Process | None:
    """The process, or None when it is gone or a zombie (exited, only not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    state, ppid, pgid = stat[stat.rindex(")") + 2 :].split()[:3]
    if state in ("Z", "X"):
        return None
    command = raw.replace(b"\0", b" ").decode("utf-8", errors="replace").strip()
    return Process(pid, int(ppid), int(pgid), command[:200])


def _all() -> list[Process]:
    found = (_read(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [p for p in found if p is not None]


def descendants(pid: int) -> list[Process]:
    """Every living process below `pid` (children, their children, ...)."""
    processes = _all()
    below, frontier = [], {pid}
    while frontier:
        children = [p for p in processes if p.ppid in frontier]
        below += children
        frontier = {p.pid for p in children}
    return below


def group(pgid: int) -> list[Process]:
    """The living members of process group `pgid`."""
    return [p for p in _all() if p.pgid == pgid]


def alive(pid: int) -> bool:
    return _read(pid) is not None


def end_group(pgid: int, grace: float = 5.0) -> None:
    """SIGTERM to the whole group, SIGKILL to what is left after `grace` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while group(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not group(pgid):
            return


def wait_until_gone(processes: list[Process], seconds: float) -> list[Process]:
    """Those of `processes` still living after up to `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        living = [p for p in processes if alive(p.pid)]
        if not living or time.monotonic() >= deadline:
            return living
        time.sleep(0.1)


def become_subreaper() -> None:
    """Orphans among this process's descendants (a shell's background job when the shell
    ends, a browser's helpers) become its children rather than init's: they stay visible to
    `descendants(os.getpid())` instead of escaping it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
