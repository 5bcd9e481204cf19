"""`smdb changes --since RELEASE`: what changed since the release a vendor's code was
written for, from data shipped in the package.

- `smdb/changelog.json`: per earlier release, the changelog from it to this one
  (codegen/diff), as `smdbgen diff --format json` gives it;
- `smdb/_changelog.py`: codegen/diff/report.py as it is (plain Python, standard library
  only), so that `smdb changes` prints what `smdbgen diff` prints;
- `smdb/changes.py`: the subcommand, plain code in codegen/runtime/smdb/ (the runtime emitter
  copies it).
"""

from __future__ import annotations

import json
from pathlib import Path

from codegen.diff import FORMAT, report
from codegen.emitters.context import PACKAGE, EmitContext


def emit(context: EmitContext) -> dict[str, str]:
    data = {"format": FORMAT, "release": context.release, "since": context.changelogs.since}
    reporter = Path(report.__file__).read_text(encoding="utf-8")
    return {
        context.package_path(PACKAGE, "changelog.json"): json.dumps(
            data, ensure_ascii=False, indent=1, sort_keys=True
        )
        + "\n",
        context.module_path("_changelog"): context.python_header() + reporter,
    }
