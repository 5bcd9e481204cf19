"""A fresh copy of the repository's working tree, for runs that must not touch it: mutants,
and tests of generation that change code, templates or generated files.

The copy holds the files git tracks or would track (so uncommitted work is included), not
.venv or .cache. Inside it, `python -m codegen.cli` (cwd = the copy) runs the copy's code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def working_files(root: Path = ROOT) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    names = [name for name in listed.decode().split("\0") if name]
    return sorted(name for name in names if (root / name).is_file())


def copy_repository(dest: Path, root: Path = ROOT) -> Path:
    """Copy the working tree into `dest` (created); returns `dest`."""
    for name in working_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return dest


def run_generate(copy: Path, *, seed: str = "0", no_cache: bool = False):
    """`smdbgen generate` of the copy's own code, in the copy: the CompletedProcess."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SMDBGEN_NO_CACHE", None)
    if no_cache:
        env["SMDBGEN_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "codegen.cli", "generate"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def generated_files(copy: Path) -> dict[str, bytes]:
    """Every file generation owns in the copy: spec/canonical/ and generated/."""
    found = {}
    for folder in ("spec/canonical", "generated"):
        for path in sorted((copy / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[path.relative_to(copy).as_posix()] = path.read_bytes()
    return found
