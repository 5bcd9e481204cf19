"""The vendor package's frame: pyproject.toml, README, `smdb/__init__.py`, `py.typed`, and
`smdb/_facts.py` (the release, its municipality codes and the elements that hold a CPR number,
for the plain runtime modules)."""

from __future__ import annotations

from codegen.emitters import xml
from codegen.emitters.context import PACKAGE, EmitContext

# Submodules `import smdb` makes reachable; each loads on first use, so `import smdb` stays
# cheap (pydantic and lxml load only with the modules that need them).
SUBMODULES = ("codelists", "models", "security", "soap", "spec", "validation", "xml")
# What `pip install smdb` brings: enough to validate (codelists, models, xml, validation, spec,
# `smdb validate`). Each optional part is an extra: (its requirements, the modules it imports,
# by import name); a part used without its extra names the extra in one line (`smdb._extras`).
# xmlsec's wheels must be built against the libxml2 of lxml's: pin both together
# (requirements.lock of smdb-kontrakt has a pair that matches).
BASE = ("pydantic>=2.7", "lxml>=5")
EXTRAS = {
    # smdb.soap, `smdb send`, `smdb fetch`: the clients over HTTP(S)
    "soap": (("httpx>=0.27", "certifi"), ("httpx", "certifi")),
    # smdb.security, `--credentials`, `--dev-credentials`: WS-Security in libxmlsec1
    "security": (("smdb[soap]", "xmlsec>=1.3.14", "cryptography>=42"), ("xmlsec", "cryptography")),
    # smdb.emulator, `smdb emulator`; httptools and uvloop: the emulator's HTTP in C (uvicorn
    # picks them up), parsing and scheduling off the GIL
    "emulator": (
        (
            "smdb[soap]",
            "starlette>=0.37",
            "uvicorn>=0.29",
            "httptools>=0.6",
            "uvloop>=0.19; sys_platform != 'win32'",
        ),
        ("starlette", "uvicorn"),
    ),
}


def extras() -> dict[str, dict[str, list[str]]]:
    """Per extra: its requirements, and the modules to find (those of extras it includes too)."""
    found = {}
    for name, (requirements, modules) in EXTRAS.items():
        included = [
            r.removeprefix("smdb[").removesuffix("]") for r in requirements if r.startswith("smdb[")
        ]
        needed = [m for extra in included for m in EXTRAS[extra][1]] + list(modules)
        found[name] = {"requirements": list(requirements), "modules": needed}
    return found


def emit(context: EmitContext) -> dict[str, str]:
    values = {
        "package": PACKAGE,
        "submodules": SUBMODULES,
        "spec": context.spec,
        "releases": context.history.releases,
        "base": BASE,
        "extras": extras(),
    }
    return {
        context.module_path("_extras"): context.render("python/_extras.py.j2", **values),
        context.package_path("pyproject.toml"): context.render(
            "python/pyproject.toml.j2", **values
        ),
        context.package_path("README.md"): context.render("python/README.md.j2", **values),
        context.module_path("__init__"): context.render("python/__init__.py.j2", **values),
        context.package_path(PACKAGE, "py.typed"): "",
        context.module_path("_facts"): context.render(
            "python/_facts.py.j2",
            municipalities=sorted(m.code for m in context.spec.municipalities),
            cpr_elements=xml.cpr_elements(context.spec),
        ),
    }
