"""`make mutate`: the broad mutation sweep (tools/mutate/sweep.py), each mutant in a fresh copy.

    python -m tools.mutate                 # a sample of each kind (SAMPLE per kind)
    python -m tools.mutate --all           # every mutant (hours)
    python -m tools.mutate --kind reader --sample 5
    python -m tools.mutate --list          # the mutants, without running them
    python -m tools.mutate --match rows.py:268 --match 'date_times'   # those whose line says so
    python -m tools.mutate --kind importer --focused-only   # no whole-suite run for survivors

Per mutant: copy the working tree, apply the mutant, rebuild the reconstruction if it was
changed, `smdbgen generate`, then the tests that guard that part (`-x`); a mutant that survives
those runs against the whole suite (less the slow copy and pip tests). A mutant is killed
when any step fails. Prints one line per mutant, the survivors and the score; exits 1 if any
mutant survived.

Generation runs the package it just made (the docs' envelope probe, codegen/docs/envelopes.py),
so a mutant of the package can make generation fail. That is no test: the sweep says "killed
by generation (probe)", generates again with the worktree's own package standing in for the
probe (SMDBGEN_PROBE_STAND_IN), and runs the tests as for any mutant. A mutant only the probe
noticed counts as a survivor.

An importer mutant whose canonical specs come out as committed (`smdbgen spec --check` of
every release) cannot change anything generated from them, so the copy keeps the committed
output and generation is skipped (it would recompute everything: the memo's keys hold all of
codegen/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from codegen.docs import envelopes
from codegen.emitters.context import PACKAGE_DIR
from tools.mutate.copies import ROOT, copy_repository
from tools.mutate.sweep import Mutant, all_mutants

SAMPLE = 8
FOCUSED = {
    "column": ["tests/fidelity", "tests/rules", "tests/spec", "tests/importers"],
    "primitive": ["tests/rules", "tests/package/test_validate_cli.py"],
    "reader": ["tests/emitters/test_xml_differential.py", "tests/emitters/test_xml.py"],
    "importer": [  # the quick unit tests first: with -x the first failure ends the run
        "tests/importers/test_reader_edges.py",
        "tests/importers/test_column_declarations.py",
        "tests/importers/test_workbook.py",
        "tests/importers",
        "tests/hostile/test_release_hostile.py",
        "tests/fidelity",
        "tests/spec",
    ],
}
# The whole suite but the tests that themselves copy the repository or install with pip.
EVERYTHING = [
    "tests",
    "-m",
    "not office",  # the slow tests too (`make test` leaves them to `make test-slow`)
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


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", **(env or {})}
    env.pop("SMDBGEN_NO_CACHE", None)
    try:
        return subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800, check=False
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", "timed out")


def _failed_test(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ")[0]  # a test id may hold spaces
    return "a test"


def _last_line(result: subprocess.CompletedProcess) -> str:
    return (result.stderr.strip().splitlines() or ["?"])[-1]


@dataclass
class Verdict:
    """What became of a mutant: `by_test` when a test (or the reconstruction, or generation
    itself refusing the spec) killed it; `probe` when the docs' envelope probe failed."""

    text: str
    by_test: bool
    probe: bool = False


def _spec_check(copy: Path) -> subprocess.CompletedProcess | None:
    """`smdbgen spec --check` of every release in the copy: the first that fails, or None
    when every canonical spec is the committed one."""
    for release in sorted(p.name for p in (copy / "spec" / "sources").iterdir() if p.is_dir()):
        check = [sys.executable, "-m", "codegen.cli", "spec", "--release", release, "--check"]
        result = _run(check, copy)
        if result.returncode:
            return result
    return None


def try_mutant(mutant: Mutant, workdir: Path, *, focused_only: bool = False) -> Verdict:
    copy = copy_repository(workdir / "repo")
    memo = ROOT / ".cache" / "memo"
    if memo.is_dir():  # results of unchanged inputs and code stay valid (their keys say so)
        shutil.copytree(memo, copy / ".cache" / "memo")
    mutant.apply(copy)
    python = sys.executable
    if mutant.kind == "column":
        result = _run([python, "-m", "tools.reconstruct", "--release", "2026-01-01"], copy)
        if result.returncode:
            return Verdict("the reconstruction refuses it", by_test=True)
    generate = [python, "-m", "codegen.cli", "generate"]
    checked = _spec_check(copy) if mutant.kind == "importer" else None
    if mutant.kind == "importer" and checked is not None and checked.returncode != 1:
        return Verdict(f"generation refuses it: {_last_line(checked)}", True)
    if mutant.kind == "importer" and checked is None:  # same specs: the committed output
        result, env, probe = subprocess.CompletedProcess(generate, 0, "", ""), {}, False
    else:
        result, env, probe = _run(generate, copy), {}, False
    if result.returncode and envelopes.FAILED in _last_line(result):
        # The docs' probe ran the mutant package and it failed: that is no test. Generate
        # again with the worktree's own package as the probe's stand-in, and test.
        env = {envelopes.STAND_IN: str(ROOT / "generated" / PACKAGE_DIR)}
        result, probe = _run(generate, copy, env), True
    prefix = "killed by generation (probe); then " if probe else ""
    if result.returncode:
        return Verdict(f"{prefix}generation refuses it: {_last_line(result)}", True, probe)
    pytest = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    # `import smdb` must find the copy's (mutant) package, not the worktree's that the .venv
    # has installed (editable): a test importing it directly would test the wrong one.
    env["PYTHONPATH"] = str(copy / "generated" / PACKAGE_DIR)
    for tests in (FOCUSED[mutant.kind], EVERYTHING)[: 1 if focused_only else 2]:
        result = _run([*pytest, *tests], copy, env)
        if result.returncode:
            return Verdict(f"{prefix}killed by {_failed_test(result.stdout)}", True, probe)
    if focused_only and not probe:
        return Verdict("SURVIVED the focused tests (whole suite not run: --focused-only)", False)
    if probe:
        return Verdict("killed by generation (probe) only: NO TEST notices it", False, probe)
    return Verdict("SURVIVED", False)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutate")
    parser.add_argument("--kind", choices=sorted(FOCUSED), action="append")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="mutants per kind")
    parser.add_argument("--all", action="store_true", help="every mutant, not a sample")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument(
        "--match", action="append", help="only the mutants whose listed line holds this text"
    )
    parser.add_argument(
        "--focused-only", action="store_true", help="no whole-suite run for a survivor"
    )
    args = parser.parse_args()
    mutants = [m for m in all_mutants(ROOT) if not args.kind or m.kind in args.kind]
    if args.match:
        mutants = [m for m in mutants if any(text in str(m) for text in args.match)]
    chosen = mutants if args.all or args.match else sample(mutants, args.sample)
    if args.list:
        for mutant in chosen:
            print(mutant)
        return 0
    print(f"{len(chosen)} of {len(mutants)} mutants", flush=True)
    missed = []
    for number, mutant in enumerate(chosen, 1):
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="smdb-mutant-") as workdir:
            verdict = try_mutant(mutant, Path(workdir), focused_only=args.focused_only)
        took = time.monotonic() - started
        if not verdict.by_test:
            missed.append((mutant, verdict))
        print(f"[{number}/{len(chosen)}] {mutant}\n      {verdict.text} ({took:.0f} s)", flush=True)
    killed = len(chosen) - len(missed)
    print(f"\nscore: {killed}/{len(chosen)} killed ({100 * killed / max(1, len(chosen)):.0f}%)")
    for title, probe in (("survivors", False), ("killed only by the docs probe, no test", True)):
        if listed := [m for m, verdict in missed if verdict.probe == probe]:
            print(f"{title}:")
            for mutant in listed:
                print(f"  {mutant}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
