"""`mypy --strict` (settings in pyproject.toml) of the package's plain runtime modules
(codegen/runtime/smdb/), of the small modules of facts they import, and of the public API
rendered from templates, as generated into generated/python/smdb/."""

from __future__ import annotations

import subprocess
import sys

from conftest import GENERATED_PACKAGE, ROOT

from codegen.emitters.runtime import modules

FACTS = ("smdb/_facts.py", "smdb/_cli_facts.py", "smdb/emulator/_facts.py", "smdb/soap/_facts.py")
# Rendered or copied from the framework, imported by the runtime: the extras check and the
# changelog report `smdb changes` prints (codegen/diff/report.py).
SUPPORT = ("smdb/_extras.py", "smdb/_changelog.py")
# The vendor's public API rendered from templates (smdb.security and the rest of smdb.soap
# are plain modules above).
PUBLIC = (
    "smdb/__init__.py",
    "smdb/codelists.py",
    "smdb/models.py",
    "smdb/spec.py",
    "smdb/validation.py",
    "smdb/xml.py",
    "smdb/soap/__init__.py",
    "smdb/soap/client.py",
    "smdb/soap/results.py",
)


def checked() -> list[str]:
    return [*(module.as_posix() for module in modules()), *FACTS, *SUPPORT, *PUBLIC]


def test_runtime_modules_pass_mypy_strict():
    files = [str(GENERATED_PACKAGE / name) for name in checked()]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
