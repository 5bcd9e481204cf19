"""A vendor who only validates installs `smdb` with its base dependencies alone (issue #21,
item 8): a fresh virtualenv gets the package with `--no-deps` and only the base requirements
of its pyproject (and what they require), pinned and hashed from requirements.lock. Validation
works there; each optional part says in one line which extra installs it."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import tomllib
import venv

import pytest
from conftest import ROOT
from packaging.requirements import Requirement

PACKAGE = ROOT / "generated" / "python"
LOCK = ROOT / "requirements.lock"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
PYPROJECT = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
# What each extra's part is, and one module of its own that the base install must lack.
PARTS = {"soap": "smdb.soap", "security": "smdb.security", "emulator": "smdb.emulator"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", Requirement(requirement).name).lower()


def base_closure() -> set[str]:
    """The base requirements and everything they require (their own extras left out), as
    installed in this project's .venv."""
    found: set[str] = set()
    todo = [_name(r) for r in PYPROJECT["project"]["dependencies"]]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_name(text))
    return found


def locked(names: set[str]) -> str:
    """The lock's entries (pin and hashes) of `names`."""
    entries = re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8"))
    pins = [e for e in entries if re.match(r"[A-Za-z0-9]", e)]  # not options nor comments
    chosen = [e for e in pins if _name(e.split()[0]) in names]
    assert {_name(e.split()[0]) for e in chosen} == names
    return "\n".join(chosen) + "\n"


@pytest.fixture(scope="module")
def base_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("base")
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    (tmp / "base.txt").write_text(locked(base_closure()), encoding="utf-8")
    source = tmp / "source"
    shutil.copytree(PACKAGE, source)
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    for args in (["--require-hashes", "-r", str(tmp / "base.txt")], [str(source)]):
        done = subprocess.run([*pip, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    return env_dir, tmp


def _run(command, cwd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, check=False, timeout=120, **kwargs
    )


def test_the_base_install_holds_no_optional_part(base_env):
    env_dir, tmp = base_env
    optional = {
        m
        for extra in PYPROJECT["project"]["optional-dependencies"].values()
        for r in extra
        if not r.startswith("smdb[")
        for m in [_name(r)]
    }
    assert {"httpx", "starlette", "uvicorn", "xmlsec", "cryptography"} <= optional
    listed = _run([env_dir / "bin" / "python", "-m", "pip", "list", "--format", "json"], tmp)
    installed = {_name(p["name"]) for p in json.loads(listed.stdout)}
    assert not installed & optional, installed & optional
    assert {"pydantic", "lxml", "smdb"} <= installed


def test_validation_works_with_the_base_dependencies_alone(base_env):
    env_dir, tmp = base_env
    probe = (
        "import smdb, smdb.validation, smdb.codelists, smdb.models, smdb.xml, smdb.spec\n"
        "import sys\n"
        "assert not {'httpx', 'starlette', 'xmlsec'} & set(sys.modules)\n"
        "print(smdb.__file__)\n"
    )
    result = _run([env_dir / "bin" / "python", "-I", "-c", probe], tmp)
    assert result.returncode == 0, result.stderr
    assert str(env_dir) in result.stdout
    good = tmp / "good.json"
    good.write_text(BASE_CASE.read_text(encoding="utf-8"), encoding="utf-8")
    checked = _run([env_dir / "bin" / "smdb", "validate", "--today", "2026-11-01", str(good)], tmp)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 violation(s)" in checked.stdout


@pytest.mark.parametrize("extra", sorted(PARTS))
def test_importing_a_missing_part_names_its_extra_in_one_line(base_env, extra):
    env_dir, tmp = base_env
    probe = (
        f"try:\n    import {PARTS[extra]}\nexcept ImportError as exc:\n    print(exc)\n"
        "else:\n    raise SystemExit('imported')\n"
    )
    result = _run([env_dir / "bin" / "python", "-I", "-c", probe], tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and f"pip install 'smdb[{extra}]'" in lines[0], lines
    assert lines[0].startswith(f"{PARTS[extra]} needs smdb[{extra}]")


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["emulator", "--port", "1"], "emulator"),
        (["send", "--endpoint", "http://127.0.0.1:1", "good.json"], "soap"),
        (["fetch", "--endpoint", "http://127.0.0.1:1"], "soap"),
    ],
)
def test_a_command_of_a_missing_part_says_which_extra_in_one_line(base_env, command, extra):
    env_dir, tmp = base_env
    (tmp / "good.json").write_text(BASE_CASE.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run([env_dir / "bin" / "smdb", *command], tmp)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"pip install 'smdb[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr
