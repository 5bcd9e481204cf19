"""`smdb.soap`: SOAP bindings for every action of every service, from the canonical spec.

Everything here is read off `spec.services` (the WSDLs: operations, action URIs, request and
response elements, complex types, endpoints) and `spec.service_facts.endpoints` (DST's prod and
preprod hosts). The emitter plans, per API version, every complex type as a list of children
with a kind (int, str, bool, date, strings, csv, form model, record, list of either, or raw
open content), and every operation as its request and response plans, into `soap/_facts.py`;
the plain runtime (`soap/_codec.py`) walks those plans. Form and case types are (de)serialised
by `smdb.xml`'s generated writers and readers, so the two never disagree. Nothing is parsed at
run time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from codegen.emitters import escape
from codegen.emitters.context import CASE_TYPE, FORM_CLASS_SUFFIX, EmitContext
from codegen.model import ComplexType, Element, ServiceVersion

SIMPLE = {"xs:int": "int", "xs:string": "str", "xs:boolean": "bool", "xs:dateTime": "date"}
ARRAYS_NS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
# Rendered with the plans; the rest of `smdb.soap` (`_codec`, `_transport`...) is plain code
# (codegen/runtime/smdb/soap/).
PACKAGE_FILES = ("__init__", "_facts", "client", "results")


def _model_class(context: EmitContext, type_name: str) -> str | None:
    forms = {f.name for f in context.spec.forms if f.fields_stated}
    if type_name in forms:
        return type_name + FORM_CLASS_SUFFIX
    if type_name == CASE_TYPE:
        return CASE_TYPE
    return None


def _child(context: EmitContext, element: Element, types: dict[str, ComplexType]) -> dict:
    """How one element is written and read: its kind and what it refers to."""
    if element.type in SIMPLE:
        kind = SIMPLE[element.type]
        return {
            "name": element.name,
            "kind": kind,
            "ref": "",
            "item": "",
            "list": False,
            "type": element.type,
        }
    if element.type not in types:
        raise ValueError(f"element {element.name}: type {element.type} is not in the WSDL")
    target = types[element.type]
    if element.type.startswith("ArrayOf"):
        item = target.elements[0]
        if item.type in SIMPLE:
            if target.namespace != ARRAYS_NS:
                raise ValueError(f"{element.type}: a simple array outside the WCF namespace")
            return {
                "name": element.name,
                "kind": "strings",
                "ref": "",
                "item": item.name,
                "list": False,
                "type": element.type,
            }
        inner = _child(context, item, types)
        return {**inner, "name": element.name, "item": item.name, "list": True}
    model = _model_class(context, element.type)
    if model is not None:
        return {
            "name": element.name,
            "kind": "model",
            "ref": model,
            "item": "",
            "list": False,
            "type": element.type,
        }
    kind = "raw" if target.open_content else "record"
    return {
        "name": element.name,
        "kind": kind,
        "ref": element.type,
        "item": "",
        "list": False,
        "type": element.type,
    }


def _records(context: EmitContext, service: ServiceVersion, types) -> dict[str, list[dict]]:
    """The record types (not forms, not arrays, not open content): Svar, Besked, Tilbud..."""
    records = {}
    for t in service.types:
        if t.name.startswith("ArrayOf") or t.open_content or _model_class(context, t.name):
            continue
        records[t.name] = [_child(context, e, types) for e in t.elements]
    return records


def _operation(context: EmitContext, service: ServiceVersion, op, types) -> dict:
    params = [_child(context, e, types) for e in op.request]
    result = [_child(context, e, types) for e in op.response]
    if len(result) > 1:
        raise ValueError(f"{op.name}: more than one response element")
    return {
        "name": op.name,
        "action": op.action,
        "group": op.group,
        "request": op.request_element,
        "response": op.response_element,
        "params": params,
        "result": result[0] if result else None,
        "read_only": op.name.startswith("Hent") or service.service == "TokenTest",
    }


def plans(context: EmitContext) -> dict:
    """Per service and version: path, namespace, records and operations."""
    services: dict[str, dict[str, dict]] = {}
    records: dict[str, dict] = {}
    for service in context.spec.services:
        types = {t.name: t for t in service.types}
        path = urlsplit(service.endpoint).path
        if not path.endswith(".svc"):
            raise ValueError(f"{service.wsdl_name}: endpoint {service.endpoint} is not a .svc")
        records.setdefault(service.api_version, {}).update(_records(context, service, types))
        services.setdefault(service.service, {})[service.api_version] = {
            "path": path,
            "namespace": service.namespace,
            "port_type": service.port_type,
            "wsdl_name": service.wsdl_name,
            "operations": [_operation(context, service, op, types) for op in service.operations],
        }
    v1 = records.get("v1", {})
    for version, found in records.items():
        if {k: [c["name"] for c in v] for k, v in found.items()} != {
            k: [c["name"] for c in v] for k, v in v1.items() if k in found
        }:
            raise ValueError(f"record types differ between v1 and {version}")
    return {"services": services, "records": dict(sorted(v1.items()))}


# The Python type of each kind of element (records and models by the class they refer to).
ANNOTATIONS = {
    "int": "int",
    "str": "str",
    "bool": "bool",
    "date": "dt.date",
    "strings": "list[str]",
}


def annotation(child: dict, qualified: bool) -> escape.Code:
    """`int | None`, `list[models.X] | None`...: code, built from checked identifiers only.
    Qualified: model and record classes named by their module (the clients' view)."""
    if child["kind"] == "raw":
        base = "Any"
    elif child["kind"] in ("model", "record"):
        module = {"model": "models.", "record": "results."}[child["kind"]] if qualified else ""
        base = module + escape.ident(child["ref"])
    else:
        base = ANNOTATIONS[child["kind"]]
    return escape.Code(f"list[{base}] | None" if child["list"] else f"{base} | None")


def environments(context: EmitContext) -> dict[str, str]:
    """DST's environments and their base URLs, from the service facts' endpoints (§1.2): each
    environment must serve every service version at one base, at the path of its WSDL."""
    endpoints = context.spec.service_facts.endpoints if context.spec.service_facts else ()
    paths = {(s.service, s.api_version): urlsplit(s.endpoint).path for s in context.spec.services}
    bases: dict[str, set[str]] = {"prod": set(), "preprod": set()}
    for endpoint in endpoints:
        for name, base in bases.items():
            url = urlsplit(getattr(endpoint, name))
            if url.path != paths.get((endpoint.service, endpoint.api_version)):
                raise ValueError(
                    f"{name} endpoint of {endpoint.service} {endpoint.api_version} is not at "
                    "its WSDL's path"
                )
            base.add(f"{url.scheme}://{url.netloc}")
    if any(len(base) != 1 for base in bases.values()):
        raise ValueError("the service facts must give one prod and one preprod base URL")
    return {name: base.pop() for name, base in bases.items()}


def emit(context: EmitContext) -> dict[str, str]:
    planned = plans(context)
    values = {
        "annotation": annotation,
        "services": planned["services"],
        "records": planned["records"],
        "environments": environments(context),
        "versions": sorted({s.api_version for s in context.spec.services}, reverse=True),
        "record_models": sorted(
            {c["ref"] for cs in planned["records"].values() for c in cs if c["kind"] == "model"}
        ),
    }
    return {
        context.package_path("smdb", "soap", f"{name}.py"): context.render(
            f"python/soap/{name}.py.j2", **values
        )
        for name in PACKAGE_FILES
    }
