"""The SOAP services per service and API version: the operations (SOAP actions) with their
request and response shapes, and the types (message shapes) of the WSDL's schema."""

from __future__ import annotations

from codegen.diff.walk import Child, Kind

_PART_ASPECTS = {
    "type": "breaking",
    "min_occurs": "lower_bound",
    "max_occurs": "upper_bound",  # None: unbounded
    "nillable": "flag_off_breaking",
}


def _type_actions(element: dict, refs, path: tuple[str, ...]) -> dict:
    """A type's, or its element's: the actions of its service version that carry it."""
    service, version = path[0].split("/")  # (service version, "types", type, element)
    return {"actions": refs.actions_of_type.get((service, version, path[2]), set())}


def _part(name: str, added: str, removed: str, refs) -> Kind:
    return Kind(
        name=name,
        key=lambda e: e["name"],
        label=lambda e: f"{e['name']}: {e.get('type')}",
        aspects=_PART_ASPECTS,
        added=added,
        removed=removed,
        refs=refs,
    )


def _operation_actions(element: dict, refs, path: tuple[str, ...]) -> dict:
    return {"actions": [path[1]]}  # (service version, operation, "request", element)


REQUEST_PART = _part("request element", "part", "breaking", _operation_actions)
# A new element of an answer breaks no client that ignores what it does not know; one that
# goes breaks a client reading it.
RESPONSE_PART = _part("response element", "additive", "breaking", _operation_actions)
TYPE_ELEMENT = _part("type element", "part", "breaking", _type_actions)

OPERATION = Kind(
    name="action",
    knowledge=("operation", lambda path: f"{path[0].split('/')[0]}.{path[1]}"),
    key=lambda o: o["name"],
    label=lambda o: o.get("action", ""),
    aspects={
        "action": "breaking",  # the SOAPAction header a client sends
        "request_element": "breaking",
        "response_element": "breaking",
        "group": "cosmetic",
        "group_heading": "cosmetic",
    },
    children=(
        Child("request", REQUEST_PART, segment="request"),
        Child("response", RESPONSE_PART, segment="response"),
    ),
    refs=lambda o, refs, path: {"actions": [o["name"]]},
)

TYPE = Kind(
    name="type",
    key=lambda t: t["name"],
    label=lambda t: t["name"],
    aspects={"namespace": "breaking", "open_content": "flag_off_breaking"},
    children=(Child("elements", TYPE_ELEMENT),),
    refs=_type_actions,
)

SERVICE = Kind(
    name="service",
    key=lambda s: f"{s['service']}/{s['api_version']}",
    label=lambda s: s.get("wsdl_name", ""),
    aspects={
        "namespace": "breaking",
        "port_type": "breaking",
        "wsdl_name": "breaking",
        "endpoint": "breaking",
    },
    ignored=frozenset({"service", "api_version"}),  # its key
    children=(Child("operations", OPERATION), Child("types", TYPE, segment="types")),
    refs=lambda s, refs, path: {"actions": [o["name"] for o in s.get("operations") or []]},
)

KINDS = {"services": SERVICE}
