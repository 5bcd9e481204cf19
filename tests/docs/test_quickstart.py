"""The quick start's commands, run as written in a fresh virtualenv, print what it shows,
the emulator included (on loopback, on a free port, stopped whatever happens)."""

from __future__ import annotations

import os
import shutil

from tests.docs import shell
from tests.docs.conftest import ROOT

GUIDE = ROOT / "docs" / "guides" / "quickstart.md"


def blocks(kind: str) -> list[str]:
    return shell.blocks(GUIDE, kind)


def test_the_guide_has_commands_and_shown_output():
    assert len(blocks("sh")) >= 4
    assert len(blocks("text")) >= 4


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
    env = {**os.environ, "PORT": str(shell.free_port()), "SECURE_PORT": str(shell.free_port())}
    ran = shell.run_script("\n".join(blocks("sh")), tmp_path, env)
    result = ran.result
    log = (tmp_path / "emulator.log").read_text() if (tmp_path / "emulator.log").exists() else ""
    assert result.returncode == 0, result.stdout + result.stderr + log
    assert not ran.left_running, f"the guide's own `kill` did not stop {ran.left_running}"
    output = result.stdout
    for shown in blocks("text"):
        for line in shown.splitlines():
            assert line.strip() in output, f"the guide shows {line!r}; printed:\n{output}"
