"""The vendor package's frame: pyproject.toml, README, `smdb/__init__.py`, `py.typed`, and
`smdb/_facts.py` (the release and its municipality codes, for the plain runtime modules)."""

from __future__ import annotations

from codegen.emitters.context import PACKAGE, EmitContext

# Submodules `import smdb` makes reachable; each loads on first use, so `import smdb` stays
# cheap (pydantic and lxml load only with the modules that need them).
SUBMODULES = ("codelists", "models", "security", "soap", "spec", "validation", "xml")


def emit(context: EmitContext) -> dict[str, str]:
    values = {
        "package": PACKAGE,
        "submodules": SUBMODULES,
        "spec": context.spec,
        "releases": context.history.releases,
    }
    return {
        context.package_path("pyproject.toml"): context.render(
            "python/pyproject.toml.j2", **values
        ),
        context.package_path("README.md"): context.render("python/README.md.j2", **values),
        context.module_path("__init__"): context.render("python/__init__.py.j2", **values),
        context.package_path(PACKAGE, "py.typed"): "",
        context.module_path("_facts"): context.render(
            "python/_facts.py.j2",
            municipalities=sorted(m.code for m in context.spec.municipalities),
        ),
    }
