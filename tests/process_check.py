"""No process a test started outlives the test run: a pytest plugin (tests/conftest.py takes
its hooks). At the end of the session, after every fixture's teardown, any living descendant
of pytest is named, ended, and fails the run. A SIGTERM to pytest tears the fixtures down as
Ctrl-C does, instead of leaving their processes behind."""

from __future__ import annotations

import os
import signal

import pytest

from tests import processes

# Seconds a process that is exiting gets before it counts as left behind. GRACE_VARIABLE sets
# it for tests/test_process_check.py's own pytest, whose leak is no exiting process: the whole
# grace would be waited for nothing.
GRACE_VARIABLE = "SMDB_TEST_PROCESS_GRACE"
GRACE = float(os.environ.get(GRACE_VARIABLE, "10"))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config) -> None:
    processes.become_subreaper()
    signal.signal(signal.SIGTERM, _interrupt)


@pytest.hookimpl(trylast=True)  # after runner's own hook has torn down the session fixtures
def pytest_sessionfinish(session) -> None:
    left = processes.wait_until_gone(processes.descendants(os.getpid()), GRACE)
    if not left:
        return
    writer = session.config.get_terminal_writer()
    writer.line()
    writer.line(f"{len(left)} process(es) outlived the tests that started them:", red=True)
    for process in left:
        writer.line(f"  pid {process.pid}: {process.command}", red=True)
    for pgid in {process.pgid for process in left} - {os.getpgid(0)}:
        processes.end_group(pgid)
    for process in processes.wait_until_gone(left, 0):
        os.kill(process.pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
