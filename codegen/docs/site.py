"""The documentation pages generated from the canonical spec (under docs/reference/).

`emit(context)` maps a path relative to docs/ to the page's text. Every page comes from one
template per kind of element (codegen/templates/docs/); this module only gathers, for each
element, what the templates show and how the elements link to each other. Anchors are names
from the spec (Felt-ID, variable, code, rule id, action name, decision), never positions.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment

from codegen.datecontrol import former_codes, rules_change
from codegen.diff.changelogs import changelogs as changelogs_of
from codegen.docs import changelog
from codegen.docs.format import age_text, code, fence, link, markdown_source, show_date, type_ref
from codegen.docs.index import SpecIndex
from codegen.docs.navigation import downloads, rule_examples, site_json
from codegen.docs.python_api import soap_plans
from codegen.emitters import escape
from codegen.emitters.context import EmitContext, template_environment
from codegen.emitters.soap import environments

REFERENCE = "reference"


def emit(
    context: EmitContext, sources: Path, examples: dict, modules: tuple[str, ...] = ()
) -> dict[str, str]:
    """`sources`: the release's source folder (for its PROVENANCE.md); `examples`: what the
    generated package made of the actions and the worked cases (codegen/docs/envelopes.py);
    `modules`: the package's public modules, one API page each (mkdocstrings)."""
    doc = context.document
    decisions = sources / "PROVENANCE.md"
    if not decisions.is_file():
        raise ValueError(f"{decisions}: missing (the provenance page is made from it)")
    # What each release changed (tests may render from a document alone: no changelogs).
    changes = getattr(context, "changelogs", None) or changelogs_of((), doc)
    site = SpecIndex(
        doc,
        decisions.read_text(encoding="utf-8"),
        changes.per_release,
        former=former_codes(context.spec),
        rules_change=rules_change(context.spec),
        history=context.history,
    )
    python_api = soap_plans(context)
    env = _environment(context)
    files: dict[str, str] = {}

    def page(path: str, template: str, **values) -> None:
        files[f"{REFERENCE}/{path}"] = env.get_template(f"docs/{template}").render(
            site=site, **values
        )

    page("index.md", "index.md.j2")
    page("flow.md", "flow.md.j2", steps=site.flow_steps)
    page("forms/index.md", "forms-index.md.j2")
    for form in doc["forms"]:
        page(f"forms/{form['name']}.md", "form.md.j2", form=form)
    page("codelists/index.md", "codelists-index.md.j2")
    for codelist in doc["codelists"]:
        name = codelist["name"]
        page(f"codelists/{name}.md", "codelist.md.j2", codelist=codelist)
        files[f"{REFERENCE}/codelists/{name}.svg"] = site.codelist_timeline(codelist)
    page("rules/index.md", "rules-index.md.j2")
    for rule in doc["rules"]:
        page(f"rules/{rule['id']}.md", "rule.md.j2", rule=rule)
    page("datostyring.md", "datostyring.md.j2")
    files[f"{REFERENCE}/datostyring.svg"] = site.forms_timeline()
    page("services/index.md", "services-index.md.j2")
    # The actions `smdb send` reports a case with: those that send the forms of the flow.
    sent_by_cli = {action for step in site.flow_steps for _, action in step["send"]}
    for service in site.services:
        folder = f"services/{service['service']}"
        page(f"{folder}/index.md", "service.md.j2", service=service)
        for action, versions in service["actions"].items():
            page(
                f"{folder}/{action}.md",
                "action.md.j2",
                service=service,
                action=action,
                versions=versions,
                examples=examples["envelopes"][service["service"]][action],
                python=python_api[service["service"]][action],
                used=examples["python"][service["service"]][action],
                cli=examples["cli"],
                cli_actions=sent_by_cli,
            )
    page("provenance.md", "provenance.md.j2")
    page(
        "changelog/index.md",
        "changelog.md.j2",
        page_release=None,
        releases=list(changes.per_release),
    )
    for release, changed in changes.per_release.items():
        page(
            f"changelog/{release}.md",
            "changelog.md.j2",
            page_release=release,
            changelog=changed,
            releases=list(changes.per_release),
        )
    page("environments.md", "environments.md.j2", environments=environments(context))
    page("judged-by-date.md", "judged-by-date.md.j2", examples=examples)
    page("downloads.md", "downloads.md.j2", downloads=downloads(context))
    files[f"{REFERENCE}/rule-examples.json"] = rule_examples(doc)
    for module in modules:
        page(f"api/{module}.md", "api-module.md.j2", module=module)
    page("api/index.md", "api-index.md.j2", modules=modules)
    files[f"{REFERENCE}/site.json"] = site_json(context, site, files, modules)
    return dict(sorted(files.items()))


def _environment(context: EmitContext) -> Environment:
    env = template_environment()  # its own: the docs' globals and filters stay here
    env.globals["release"] = context.release
    # Built from the release, a date (checked), and fixed text.
    env.globals["header"] = escape.Code(
        f"<!-- Generated by smdbgen from spec/canonical/{escape.date(context.release)}.json. "
        "Do not edit by hand: change the spec or codegen/templates/docs/ and run "
        "`make generate`. -->"
    )
    env.filters["as_json"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
    env.filters["day"] = show_date
    env.filters["code"] = code
    env.filters["markdown"] = markdown_source
    env.globals["fence"] = fence
    env.globals["link"] = link
    env.globals["age"] = age_text
    env.globals["type_ref"] = type_ref
    env.globals["changes"] = changelog
    return env
