"""The vendor package installs with pip into a clean virtualenv and stands on its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
from conftest import ROOT

from codegen.generate import is_leftover

PACKAGE = ROOT / "generated" / "python"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"


# A fresh virtualenv: `make test-slow` (tests/docs/test_quickstart.py installs the package with
# every extra into one, as the guide says, in `make test`).
@pytest.mark.slow
def test_pip_install_into_a_clean_virtualenv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    source = tmp_path / "source"
    # pip leaves build/ and *.egg-info beside the sources: copied without any left before
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    install = subprocess.run(
        # every optional part (tests/package/test_extras.py: the base alone)
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{source}[all]",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    # What pip left beside the sources is ignored by git and is no output of generation, so
    # `make test`'s freshness check passes after `pip install ./generated/python`.
    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=PACKAGE, capture_output=True, text=True
        ).stdout.split()
    )
    left = [
        "generated/python/" + p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and p.relative_to(source).as_posix() not in tracked
    ]
    assert any("/build/" in p for p in left) and all(is_leftover(p[10:]) for p in left), left
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input="\n".join(left),
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(ignored.stdout.split()) == sorted(left)
    # Every module of the package, subpackages (smdb.soap, smdb.emulator, ...) included.
    modules = sorted(
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in (PACKAGE / "smdb").rglob("*.py")
    )
    assert {"smdb.cli", "smdb.validation", "smdb._engine", "smdb.xml"} <= set(modules)
    probe = (
        f"import importlib, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
        "import smdb, pkgutil\n"
        "found = ['smdb', *(m.name for m in pkgutil.walk_packages(smdb.__path__, 'smdb.'))]\n"
        f"assert sorted(found) == {modules!r}, found\n"
        "from smdb.emulator import Emulator, load_seed\n"
        "assert load_seed()['tilbud'] and Emulator(':memory:').app\n"
        "assert smdb.__version__ == '2026.1.0', smdb.__version__\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'codegen']\n"
        "import importlib.util\n"
        "assert importlib.util.find_spec('codegen') is None\n"
        "print(smdb.__file__)\n"
    )
    result = subprocess.run(
        [python, "-I", "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert str(env_dir) in result.stdout  # the installed copy, not the source tree
    _run_the_installed_command(env_dir / "bin" / "smdb", tmp_path)


def _run_the_installed_command(smdb: Path, tmp_path: Path) -> None:
    """The `smdb` console script of the installed package validates a case end to end."""
    base = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(base), encoding="utf-8")
    bad_case = {**base, "Anmodning": {**base["Anmodning"], "KommuneKode": 1}}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_case), encoding="utf-8")
    run = {"capture_output": True, "text": True, "cwd": tmp_path, "check": False}
    assert subprocess.run([smdb, "--help"], **run).returncode == 0
    clean = subprocess.run([smdb, "validate", "--today", "2026-11-01", str(good)], **run)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    found = subprocess.run(
        [smdb, "validate", "--today", "2026-11-01", "--format", "json", str(bad)], **run
    )
    assert found.returncode == 1, found.stdout + found.stderr
    assert "KommuneKode" in found.stdout


def test_generated_files_carry_the_header():
    for path in PACKAGE.rglob("*"):
        if path.suffix in {".py", ".toml"}:
            assert "Do not edit by hand" in path.read_text(encoding="utf-8")[:400], path
