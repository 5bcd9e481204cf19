"""The vendor package installs with pip into a clean virtualenv and stands on its own."""

from __future__ import annotations

import shutil
import subprocess
import venv

from conftest import ROOT

PACKAGE = ROOT / "generated" / "python"


def test_pip_install_into_a_clean_virtualenv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source)  # pip leaves build/ and *.egg-info beside the sources
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    probe = (
        "import sys, smdb, smdb.codelists, smdb.models, smdb.security, smdb.spec\n"
        "import smdb.xml, smdb.soap\n"
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


def test_generated_files_carry_the_header():
    for path in PACKAGE.rglob("*"):
        if path.suffix in {".py", ".toml"}:
            assert "Do not edit by hand" in path.read_text(encoding="utf-8")[:400], path
