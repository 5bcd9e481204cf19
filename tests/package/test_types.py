"""`mypy --strict` (settings in pyproject.toml) of the package's plain runtime modules
(codegen/runtime/smdb/) and of the small modules of facts they import, as generated into
generated/python/smdb/ beside the package's other modules."""

from __future__ import annotations

import subprocess
import sys

from conftest import GENERATED_PACKAGE, ROOT

from codegen.emitters.runtime import modules

FACTS = ("smdb/_facts.py", "smdb/emulator/_facts.py", "smdb/soap/_facts.py")


def checked() -> list[str]:
    return [*(module.as_posix() for module in modules()), *FACTS]


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
