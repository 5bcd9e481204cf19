"""The services and actions as the docs show them: per action its v1 and v0 operations, the
forms its request and response carry (found through the WSDL types), and the reporting flow
(each form of a case with the actions that send, fetch and delete it)."""

from __future__ import annotations

import itertools


def services(doc: dict) -> list[dict]:
    """One entry per service: its versions, and per action the operations per version."""
    forms = {form["name"] for form in doc["forms"]}
    by_name: dict[str, dict] = {}
    for service in doc["services"]:
        entry = by_name.setdefault(
            service["service"], {"service": service["service"], "versions": {}, "actions": {}}
        )
        entry["versions"][service["api_version"]] = service
        for operation in service["operations"]:
            entry["actions"].setdefault(operation["name"], {})[service["api_version"]] = operation
    for entry in by_name.values():
        entry["version_names"] = sorted(entry["versions"], reverse=True)  # v1 before v0
        entry["types"] = _types(entry)
        first = entry["versions"][entry["version_names"][0]]
        entry["carries"] = {
            name: _forms_carried(first, versions[entry["version_names"][0]], forms)
            for name, versions in entry["actions"].items()
        }
    return [by_name[name] for name in sorted(by_name)]


def _types(entry: dict) -> list[dict]:
    """Each data type of the service with its elements' types per API version."""
    types: dict[str, dict] = {}
    for version, service in entry["versions"].items():
        for type_ in service["types"]:
            row = types.setdefault(type_["name"], {"name": type_["name"], "elements": {}})
            for element in type_["elements"]:
                row["elements"].setdefault(element["name"], {})[version] = element
    return [types[name] for name in sorted(types)]


def _forms_carried(service: dict, operation: dict, forms: set[str]) -> dict[str, list[str]]:
    """The forms an operation's request and response carry, through the service's types."""
    types = {t["name"]: t for t in service["types"]}

    def reach(type_name: str, seen: set[str]) -> list[str]:
        if type_name in forms:
            return [type_name]
        if type_name in seen or type_name not in types:
            return []
        seen.add(type_name)
        found: list[str] = []
        for element in types[type_name]["elements"]:
            found += [f for f in reach(element["type"], seen) if f not in found]
        return found

    def carried(parts: list[dict]) -> list[str]:
        found: list[str] = []
        for part in parts:
            found += [f for f in reach(part["type"], set()) if f not in found]
        return found

    return {"request": carried(operation["request"]), "response": carried(operation["response"])}


def flow_steps(doc: dict, entries: list[dict]) -> list[dict]:
    """The forms a case is reported with (those whose fields are stated), in the spec's
    order, each with the (service, action) pairs that send, fetch and delete it. An action
    sending a form does not count as fetching it; a delete action is named Slet + the form."""
    steps = []
    for form in doc["forms"]:
        if not form["fields_stated"]:
            continue
        step = {"form": form, "send": [], "fetch": [], "delete": []}
        for entry in entries:
            for action, carries in entry["carries"].items():
                ref = (entry["service"], action)
                if form["name"] in carries["request"]:
                    step["send"].append(ref)
                elif form["name"] in carries["response"]:
                    step["fetch"].append(ref)
                elif action.lower() == f"slet{form['name']}".lower():
                    step["delete"].append(ref)
        steps.append(step)
    return steps


def flow_edges(steps: list[dict], entries: list[dict]) -> list[tuple[str, str, str]]:
    """(from code, to code, label): the forms in order, and every pair of forms that one
    action sends together (e.g. an anmodning with its afslutning), labelled with the action."""
    code_of = {step["form"]["name"]: step["form"]["code"] for step in steps}
    codes = list(code_of.values())
    edges = [(a, b, "") for a, b in itertools.pairwise(codes)]
    for entry in entries:
        for action, carries in sorted(entry["carries"].items()):
            sent = [code_of[name] for name in carries["request"] if name in code_of]
            for a, b in itertools.pairwise(sent):
                if (a, b, "") not in edges and (a, b, action) not in edges:
                    edges.append((a, b, action))
    return edges
