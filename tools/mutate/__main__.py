"""`make mutate`: the broad mutation sweep (tools/mutate/sweep.py), each mutant in a fresh copy.

    python -m tools.mutate                 # a sample of each kind (SAMPLE per kind)
    python -m tools.mutate --all           # every mutant (hours)
    python -m tools.mutate --kind reader --sample 5
    python -m tools.mutate --list          # the mutants, without running them

Per mutant: copy the working tree, apply the mutant, rebuild the reconstruction if it was
changed, `smdbgen generate`, then the tests that guard that part (`-x`); a mutant that survives
those runs against the whole suite (less the slow copy and pip tests). A mutant is killed
when any step fails. Prints one line per mutant, the survivors and the score; exits 1 if any
mutant survived.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.mutate.copies import ROOT, copy_repository
from tools.mutate.sweep import Mutant, all_mutants

SAMPLE = 8
FOCUSED = {
    "column": ["tests/fidelity", "tests/rules", "tests/spec", "tests/importers"],
    "primitive": ["tests/rules", "tests/package/test_validate_cli.py"],
    "reader": ["tests/emitters/test_xml_differential.py", "tests/emitters/test_xml.py"],
}
# The whole suite but the tests that themselves copy the repository or install with pip.
EVERYTHING = [
    "tests",
    "--ignore=tests/test_generation_safety.py",
    "--ignore=tests/package/test_install.py",
    # the worktree's .venv, which a copy has not
    "--deselect=tests/test_cli.py::test_console_script_is_installed",
]


def sample(mutants: list[Mutant], per_kind: int) -> list[Mutant]:
    """`per_kind` mutants of each kind, spread evenly over the kind's list (deterministic)."""
    chosen = []
    for kind in dict.fromkeys(m.kind for m in mutants):
        of_kind = [m for m in mutants if m.kind == kind]
        step = max(1, len(of_kind) // per_kind)
        chosen += of_kind[::step][:per_kind]
    return chosen


def _run(args: list[str], cwd: Path, timeout: int = 1800) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    env.pop("SMDBGEN_NO_CACHE", None)
    try:
        return subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", "timed out")


def _failed_test(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ")[1].split(" - ")[0]
    return "a test"


def try_mutant(mutant: Mutant, workdir: Path) -> str | None:
    """How the mutant was killed, or None if it survived."""
    copy = copy_repository(workdir / "repo")
    memo = ROOT / ".cache" / "memo"
    if memo.is_dir():  # results of unchanged inputs and code stay valid (their keys say so)
        shutil.copytree(memo, copy / ".cache" / "memo")
    mutant.apply(copy)
    python = sys.executable
    if mutant.kind == "column":
        result = _run([python, "-m", "tools.reconstruct", "--release", "2026-01-01"], copy)
        if result.returncode:
            return "the reconstruction refuses it"
    result = _run([python, "-m", "codegen.cli", "generate"], copy)
    if result.returncode:
        return "generation refuses it: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    pytest = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    for tests in (FOCUSED[mutant.kind], EVERYTHING):
        result = _run([*pytest, *tests], copy)
        if result.returncode:
            return f"killed by {_failed_test(result.stdout)}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutate")
    parser.add_argument("--kind", choices=sorted(FOCUSED), action="append")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="mutants per kind")
    parser.add_argument("--all", action="store_true", help="every mutant, not a sample")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args()
    mutants = [m for m in all_mutants(ROOT) if not args.kind or m.kind in args.kind]
    chosen = mutants if args.all else sample(mutants, args.sample)
    if args.list:
        for mutant in chosen:
            print(mutant)
        return 0
    print(f"{len(chosen)} of {len(mutants)} mutants", flush=True)
    survivors = []
    for number, mutant in enumerate(chosen, 1):
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="smdb-mutant-") as workdir:
            verdict = try_mutant(mutant, Path(workdir))
        took = time.monotonic() - started
        if verdict is None:
            survivors.append(mutant)
        shown = verdict or "SURVIVED"
        print(f"[{number}/{len(chosen)}] {mutant}\n      {shown} ({took:.0f} s)", flush=True)
    killed = len(chosen) - len(survivors)
    print(f"\nscore: {killed}/{len(chosen)} killed ({100 * killed / max(1, len(chosen)):.0f}%)")
    if survivors:
        print("survivors:")
        for mutant in survivors:
            print(f"  {mutant}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
