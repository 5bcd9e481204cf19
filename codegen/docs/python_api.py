"""The Python side of each action as the docs show it: the client class, the method, its
keyword parameters with their types and the return type, read off the same plans the
`smdb.soap` emitter generates the clients from (codegen/emitters/soap.py), so the page and
the package cannot disagree."""

from __future__ import annotations

from codegen.emitters.context import FORM_CLASS_SUFFIX, EmitContext
from codegen.emitters.soap import annotation, plans

VERSION = "v1"  # the clients' default API version; v0 has the same methods


def soap_plans(context: EmitContext) -> dict[str, dict[str, dict]]:
    """{service: {action: {"client", "method", "params", "returns", "signature"}}}; each
    parameter {"name", "annotation", "form"} (`form`: the form a model parameter carries)."""
    out: dict[str, dict[str, dict]] = {}
    for service, versions in plans(context)["services"].items():
        client = f"{service}Client"
        for op in versions[VERSION]["operations"]:
            params = [
                {
                    "name": child["name"],
                    "annotation": str(annotation(child, qualified=True)),
                    "form": _form(child),
                }
                for child in op["params"]
            ]
            returns = str(annotation(op["result"], qualified=True)) if op["result"] else "None"
            out.setdefault(service, {})[op["name"]] = {
                "client": client,
                "method": op["name"],
                "params": params,
                "returns": returns,
                "signature": signature(client, op["name"], params, returns),
            }
    return out


def _form(child: dict) -> str | None:
    ref = child["ref"]
    if child["kind"] == "model" and ref.endswith(FORM_CLASS_SUFFIX):
        return ref.removesuffix(FORM_CLASS_SUFFIX)
    return None


def signature(client: str, method: str, params: list[dict], returns: str) -> str:
    """The method as Python declares it (keyword-only parameters, each defaulting to None)."""
    if not params:
        return f"{client}.{method}() -> {returns}"
    lines = [f"{client}.{method}(", "    *,"]
    lines += [f"    {p['name']}: {p['annotation']} = None," for p in params]
    return "\n".join([*lines, f") -> {returns}"])
