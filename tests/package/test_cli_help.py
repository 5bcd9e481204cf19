"""`smdb --help` and each subcommand's --help explain every option and argument."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from conftest import ROOT, generated_module

PACKAGE = ROOT / "generated" / "python"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = generated_module("smdb.cli").parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def test_every_option_of_every_subcommand_has_help_text():
    found = subcommands()
    assert {"validate", "send", "fetch", "emulator"} <= set(found)
    silent = [
        f"smdb {name} {'/'.join(action.option_strings) or action.dest}"
        for name, command in found.items()
        for action in command._actions
        if not (action.help and action.help.strip()) or action.help == argparse.SUPPRESS
    ]
    assert not silent, f"options without help text: {silent}"


def test_emulator_help_explains_host_and_port():
    shown = subprocess.run(
        [sys.executable, "-m", "smdb.cli", "emulator", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE), "COLUMNS": "100"},
        check=True,
    ).stdout
    assert "the address to listen on" in shown and "the TCP port to listen on" in shown
