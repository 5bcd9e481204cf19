"""`smdb/_privacy.py`: how every output path of the package shows a value (CPR numbers
masked, control characters escaped). Standard library only; no spec data."""

from __future__ import annotations

from codegen.emitters.context import EmitContext

MODULE = "_privacy"


def emit(context: EmitContext) -> dict[str, str]:
    return {context.module_path(MODULE): context.render(f"python/{MODULE}.py.j2")}
