"""The README's two emulator examples (plain, then signed), run one after the other as
printed in a fresh repository with the project's .gitignore (only their ports are swapped for
free ones): each sends and reads back, nothing is left running, and `git status` shows
nothing new."""

from __future__ import annotations

import os
import shutil
import subprocess

from tests.docs import shell
from tests.docs.conftest import ROOT

README = ROOT / "README.md"
PORTS = ("8080", "8081")  # the plain example's, the signed example's


def emulator_examples() -> list[str]:
    return [block for block in shell.blocks(README, "sh") if "smdb emulator" in block]


def test_each_example_has_its_own_port_and_database():
    plain, signed = emulator_examples()
    for block, port, other in ((plain, *PORTS), (signed, *reversed(PORTS))):
        assert f"--port {port}" in block and other not in block
        assert block.rstrip().endswith("kill $EMULATOR")
    assert "--db smdb-emulator.sqlite " in plain and "--db smdb-emulator-signed.sqlite " in signed


def git(repo, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return run.stdout


def fresh_repository(path):
    """A repository holding what the examples read (the .gitignore, the base case), with the
    project's .venv beside it (excluded locally, as a clone's own .venv/ is by .gitignore)."""
    path.mkdir()
    git(path, "init", "--quiet")
    shutil.copy(ROOT / ".gitignore", path)
    examples = path / "spec" / "rules" / "examples"
    examples.mkdir(parents=True)
    shutil.copy(ROOT / "spec" / "rules" / "examples" / "base-case.json", examples)
    (path / ".venv").symlink_to(ROOT / ".venv")
    (path / ".git" / "info" / "exclude").write_text(".venv\n", encoding="utf-8")
    git(path, "add", "-A")
    git(path, "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-qm", "x")
    return path


def test_the_readme_emulator_examples_run_as_printed_and_leave_nothing(tmp_path):
    repo = fresh_repository(tmp_path / "clone")
    script = "\n".join(emulator_examples())
    for port in PORTS:
        script = script.replace(port, str(shell.free_port()))
    env = {k: v for k, v in os.environ.items() if k != "SMDB_P12_PASSPHRASE"}
    ran = shell.run_script(script, repo, env, timeout=300)
    out = ran.result.stdout
    assert ran.result.returncode == 0, out + ran.result.stderr
    assert not ran.left_running, f"the examples' own `kill` did not stop {ran.left_running}"
    assert out.count("Ivaerksaettelse: accepted") == 2, out  # once per emulator
    assert "1 case(s), 0 with violations, 0 violation(s)" in out  # the plain read-back
    assert out.rstrip().endswith("[]"), out  # kommune 147 sees none of 101's cases
    assert (repo / "creds" / "kommune-101.p12").is_file()
    assert (repo / "smdb-emulator.sqlite").is_file()
    assert (repo / "smdb-emulator-signed.sqlite").is_file()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
