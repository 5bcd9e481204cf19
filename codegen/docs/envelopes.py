"""Example envelopes of every action, v1 and v0, made by the generated package itself: its
clients write each request and its emulator answers it (envelope_probe.py, run in a child
process on the package as just generated), so the examples cannot drift from the code."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from codegen.emitters.context import PACKAGE_DIR
from codegen.rules.examples import apply_changes

PROBE = Path(__file__).with_name("envelope_probe.py")
# The base case of the rule examples: one complete, valid case (spec/rules/README.md).
BASE_CASE = Path(__file__).resolve().parents[2] / "spec" / "rules" / "examples" / "base-case.json"
# The docs' worked cases, as changes to the base case, beside it.
WORKED_CASES = BASE_CASE.with_name("worked-cases.json")
TIMEOUT = 300  # seconds; the probe takes ~2 s
FAILED = "example envelopes: the generated package failed"
# For the mutation sweep only (tools/mutate, README "Mutation testing"): a generated package
# folder the probe runs instead of the one just generated, so that a mutant which breaks the
# probe is still generated and its tests still run. Nothing else sets it.
STAND_IN = "SMDBGEN_PROBE_STAND_IN"


def today_of(effective: str) -> dt.date:
    """The emulator's "today": one year after the release takes effect (the base case's
    dates must not lie in the future)."""
    day = dt.date.fromisoformat(effective)
    return day.replace(year=day.year + 1)


def examples(package: dict[str, str], base_case: Path, effective: str) -> dict:
    """{"envelopes": {service: {action: {version: {"request": xml, "response": xml}}}},
    "python", "cli", "validate": what a vendor sees (usage_probe.py)}. `package`: the
    generated files (path under generated/ -> text), of which the package is used. The
    worked cases are read from beside the base case."""
    if not base_case.is_file():
        raise ValueError(f"{base_case}: missing (the example envelopes send it)")
    base = json.loads(base_case.read_text(encoding="utf-8"))
    worked = base_case.with_name(WORKED_CASES.name)
    try:
        described = {
            name: case
            for name, case in json.loads(worked.read_text(encoding="utf-8")).items()
            if not name.startswith("$")
        }
        cases = {
            name: apply_changes(base, [(c["path"], c["value"]) for c in case["changes"]])
            for name, case in described.items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{worked}: not usable worked cases ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="smdb-docs-") as folder:
        for path, text in package.items():
            if path.startswith(f"{PACKAGE_DIR}/"):
                target = Path(folder, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        package_dir = os.environ.get(STAND_IN) or str(Path(folder, PACKAGE_DIR))
        result = subprocess.run(
            [sys.executable, "-I", str(PROBE), today_of(effective).isoformat(), package_dir],
            input=json.dumps({"base": base, "cases": cases}, ensure_ascii=False),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise ValueError(f"{FAILED}: {last}")
    return {**json.loads(result.stdout), "worked": described}
