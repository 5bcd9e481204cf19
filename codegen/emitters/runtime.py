"""The package's plain-Python modules: `codegen/runtime/smdb/**.py`, copied as they are into
`generated/python/smdb/` with the generated-file header in front.

They hold no fact of the spec (WS-Security, the SOAP envelope, the TLS policy, masking...), so
they are ordinary source that editors, type checkers and tests see as Python; the spec's facts
reach them only through the modules rendered from templates. Each is compiled here so that a
syntax error stops generation instead of shipping.
"""

from __future__ import annotations

from pathlib import Path

from codegen.emitters import escape
from codegen.emitters.context import EmitContext

RUNTIME = Path(__file__).resolve().parents[1] / "runtime"


def modules() -> list[Path]:
    """Every runtime module, relative to codegen/runtime/ (`smdb/security/saml.py`...)."""
    return sorted(
        path.relative_to(RUNTIME)
        for path in RUNTIME.rglob("*.py")
        if "__pycache__" not in path.parts
    )


def emit(context: EmitContext) -> dict[str, str]:
    escape.date(context.release)  # the header names it raw, in a comment line
    header = context.python_header()
    files = {}
    for module in modules():
        text = (RUNTIME / module).read_text(encoding="utf-8")
        compile(text, module.as_posix(), "exec")
        files[context.package_path(*module.parts)] = header + text
    return files
