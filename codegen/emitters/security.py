"""`smdb.security`: WS-Security, SAML tokens, the STS and credentials (OIO IDWS).

The modules hold no fact of the spec (the SOAP actions come from the callers, `smdb.soap` and
the emulator), so they are rendered from their templates as they are; each is compiled here so
that a template error stops generation instead of shipping.
"""

from __future__ import annotations

from codegen.emitters.context import PACKAGE, EmitContext

SUBPACKAGE = "security"
MODULES = (
    "__init__",
    "names",
    "clock",
    "errors",
    "xmlvalue",
    "credentials",
    "devcredentials",
    "digests",
    "xmldsig",
    "saml",
    "wssecurity",
    "sts",
    "client",
    "server",
)


def emit(context: EmitContext) -> dict[str, str]:
    files = {}
    for module in MODULES:
        text = context.render(f"python/{SUBPACKAGE}/{module}.py.j2")
        compile(text, f"{SUBPACKAGE}/{module}.py", "exec")
        files[context.package_path(PACKAGE, SUBPACKAGE, f"{module}.py")] = text
    return files
