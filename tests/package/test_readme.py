"""The vendor README's example runs as written, so it cannot drift from the package."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

PACKAGE = ROOT / "generated" / "python"


def test_readme_example_runs():
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) == 1
    example = blocks[0]
    assert len([line for line in example.splitlines() if line.strip()]) <= 10  # "ten lines"
    result = subprocess.run(
        [sys.executable, "-c", example],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(PACKAGE)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Borgeren, der er 18 år eller derover" in result.stdout
