"""The quick start's commands, run as written in a fresh virtualenv, print what it shows."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.docs.conftest import ROOT

GUIDE = ROOT / "docs" / "guides" / "quickstart.md"
BLOCK = re.compile(r"^```(sh|text)\n(.*?)^```$", re.S | re.M)


def blocks(kind: str) -> list[str]:
    return [body for found, body in BLOCK.findall(GUIDE.read_text("utf-8")) if found == kind]


def test_the_guide_has_commands_and_shown_output():
    assert len(blocks("sh")) >= 4
    assert len(blocks("text")) >= 4


def test_quick_start_commands_run_and_print_what_the_guide_shows(tmp_path):
    # The guide is written for a clone: its commands use ./generated/python.
    shutil.copytree(ROOT / "generated" / "python", tmp_path / "generated" / "python")
    script = "set -eu\n" + "\n".join(blocks("sh"))
    result = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    for shown in blocks("text"):
        for line in shown.splitlines():
            assert line.strip() in output, f"the guide shows {line!r}; printed:\n{output}"
