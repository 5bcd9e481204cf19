"""What the site needs beyond its pages, in docs/reference/site.json, read by the MkDocs hook
(codegen/docs/mkdocs_hook.py): the navigation of every generated page (so none is unreachable),
the release and package version shown on every page, and the downloads copied into the site
when it is built (files of the repository, never copied into docs/)."""

from __future__ import annotations

import json
from pathlib import Path

from codegen.docs.index import SpecIndex
from codegen.emitters.context import PACKAGE, PACKAGE_DIR, EmitContext
from codegen.emitters.jsonschema import schema_path

REFERENCE = "reference"


def downloads(context: EmitContext) -> list[dict[str, str]]:
    """[{"path" (under the site's downloads/), "source" (in the repository), "what"}]."""
    release = context.release
    found = [
        {
            "path": f"{release}.json",
            "source": f"spec/canonical/{release}.json",
            "what": "The canonical spec: every form, field, code list, rule, date-control "
            "point and service of the release",
        },
        {
            "path": "canonical-spec.schema.json",
            "source": "spec/canonical-spec.schema.json",
            "what": "JSON Schema of the canonical spec",
        },
        {
            "path": Path(schema_path(release)).name,
            "source": f"generated/{schema_path(release)}",
            "what": "JSON Schema of a case document (Kontaktforloeb), for other languages",
        },
        {
            "path": "base-case.json",
            "source": "spec/rules/examples/base-case.json",
            "what": "The rules' base case: one complete, valid case; every rule example changes it",
        },
        {
            "path": "rule-examples.json",
            "source": f"docs/{REFERENCE}/rule-examples.json",
            "what": "Every rule's valid and invalid examples (changes to the base case)",
        },
    ]
    for service in sorted(context.spec.services, key=lambda s: (s.service, s.api_version)):
        if service.source is None:
            raise ValueError(f"{service.wsdl_name} {service.api_version}: no source file")
        found.append(
            {
                "path": Path(service.source.file).name,
                "source": service.source.file,
                "what": f"WSDL of {service.service}, API {service.api_version}",
            }
        )
    return found


def public_modules(files: dict[str, str]) -> tuple[str, ...]:
    """The generated package's modules whose names hold no part starting with "_", from its
    files (path under generated/ -> text): "smdb", "smdb.codelists", "smdb.soap"..."""
    found = []
    for path in files:
        parts = Path(path).with_suffix("").parts
        if parts[:2] != (PACKAGE_DIR, PACKAGE) or not path.endswith(".py"):
            continue
        names = parts[1:-1] if parts[-1] == "__init__" else parts[1:]
        if not any(name.startswith("_") for name in names):
            found.append(".".join(names))
    return tuple(sorted(found))


def rule_examples(doc: dict) -> str:
    return json.dumps(
        {rule["id"]: rule["examples"] for rule in doc["rules"]},
        ensure_ascii=False,
        indent=2,
        sort_keys=True,
    )


def site_json(context: EmitContext, site: SpecIndex, files: dict[str, str], modules) -> str:
    ref = REFERENCE
    folder = f"{ref}/services"
    services = [
        {
            service["service"]: [
                {f"The {service['service']} service": f"{folder}/{service['service']}/index.md"},
                *(
                    {action: f"{ref}/services/{service['service']}/{action}.md"}
                    for action in service["actions"]
                ),
            ]
        }
        for service in site.services
    ]
    # Every page titled here: a generated page starts with its header comment, not its heading.
    reference = [
        {f"Reference: release {context.release}": f"{ref}/index.md"},
        {"Reporting flow": f"{ref}/flow.md"},
        {
            "Forms": [
                {"All forms": f"{ref}/forms/index.md"},
                *({f"{f['name']}": f"{ref}/forms/{f['name']}.md"} for f in site.forms),
            ]
        },
        {
            "Code lists": [
                {"All code lists": f"{ref}/codelists/index.md"},
                *({c["name"]: f"{ref}/codelists/{c['name']}.md"} for c in site.codelists),
            ]
        },
        {
            "Rule catalogue": [
                {"All rules by section": f"{ref}/rules/index.md"},
                *(
                    {f"§{section}": [{r["id"]: f"{ref}/rules/{r['id']}.md"} for r in rules]}
                    for section, rules in site.rules_by_section()
                ),
            ]
        },
        {"Date-control points": f"{ref}/datostyring.md"},
        {"Services": [{"All services and actions": f"{ref}/services/index.md"}, *services]},
        {"Environments": f"{ref}/environments.md"},
        {"Provenance": f"{ref}/provenance.md"},
        {"Downloads": f"{ref}/downloads.md"},
    ]
    python_api = [
        {"The package smdb, module by module": f"{ref}/api/index.md"},
        *({m: f"{ref}/api/{m}.md"} for m in modules),
    ]
    changelog = [
        {"All releases": f"{ref}/changelog/index.md"},
        *(
            {path.rsplit("/", 1)[1].removesuffix(".md"): path}
            for path in sorted(files, reverse=True)
            if path.startswith(f"{ref}/changelog/") and not path.endswith("/index.md")
        ),
    ]
    listed = _paths(reference) | _paths(python_api) | _paths(changelog)
    pages = {path for path in files if path.endswith(".md")}
    unlisted = sorted(pages - listed - {f"{ref}/judged-by-date.md"})
    if unlisted:
        raise ValueError(f"generated pages missing from the navigation: {unlisted}")
    value = {
        "release": context.release,
        "package_version": context.version,
        "nav": {"Reference": reference, "Python API": python_api, "Changelog": changelog},
        "downloads": downloads(context),
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _paths(nav: list) -> set[str]:
    found: set[str] = set()
    for item in nav:
        if isinstance(item, str):
            found.add(item)
        else:
            for value in item.values():
                found |= _paths(value) if isinstance(value, list) else {value}
    return found
