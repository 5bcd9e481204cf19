"""`smdb/_privacy.py`: how every output path of the package shows a value (CPR numbers
masked, control characters escaped); `smdb/_tls.py`: the one TLS policy of every HTTPS call.
Small shared modules outside the subpackages (importing them loads nothing else); no spec
data."""

from __future__ import annotations

from codegen.emitters.context import EmitContext

MODULES = ("_privacy", "_tls")


def emit(context: EmitContext) -> dict[str, str]:
    return {
        context.module_path(module): context.render(f"python/{module}.py.j2") for module in MODULES
    }
