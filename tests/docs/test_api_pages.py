"""The Python API pages (mkdocstrings, from the package's docstrings): every public module of
the generated package has its page, and every public name of it its entry there."""

from __future__ import annotations

import importlib
import inspect
import json

from tests.docs.conftest import ROOT, page_ids


def public_names(module) -> list[str]:
    """`__all__` but its submodules (each has its page) and dunder metadata (`__version__`),
    or else the classes and functions the module defines, not starting "_"."""
    if hasattr(module, "__all__"):
        return [
            name
            for name in module.__all__
            if not name.startswith("__") and not inspect.ismodule(getattr(module, name))
        ]
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
    ]


def test_every_public_name_of_every_module_has_its_entry(built_site):
    nav = json.loads((ROOT / "docs" / "reference" / "site.json").read_text("utf-8"))
    modules = [next(iter(entry)) for entry in nav["nav"]["Python API"][1:]]
    assert {"smdb.codelists", "smdb.validation", "smdb.soap", "smdb.models"} <= set(modules)
    missing = []
    for name in modules:
        ids = page_ids(built_site, f"reference/api/{name}/")
        module = importlib.import_module(name)
        missing += [f"{name}.{n}" for n in public_names(module) if f"{name}.{n}" not in ids]
    assert not missing, missing


def test_the_client_page_documents_each_action_method(built_site):
    ids = page_ids(built_site, "reference/api/smdb.soap.client/")
    assert "smdb.soap.client.IndsaetDataClient.IndsaetIvaerksaettelse" in ids
    assert "smdb.soap.client.AsyncHentDataClient.HentAnmodning" in ids
