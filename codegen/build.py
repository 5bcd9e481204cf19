"""Build the canonical spec of one release from its sources, checking them against each other.

Order of passes: release manifest -> workbook (forms, fields, code lists) -> action list ->
WSDLs (services, operations, types) -> date control -> cross-checks. Any problem is a
SourceError naming the file and place; nothing is written by this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
from pathlib import Path

from codegen.cache import memo
from codegen.errors import SourceError
from codegen.importers.codelists import build_codelists
from codegen.importers.forms import build_forms
from codegen.importers.knowledge import apply_knowledge, load_knowledge, unknown_kinds
from codegen.importers.layout import layout_path, load_layout
from codegen.importers.release import (
    largest_file,
    locate,
    read_manifest,
    release_files,
    size_limit,
)
from codegen.importers.service_facts import load_service_facts
from codegen.importers.tables import (
    load_action_groups,
    load_date_control,
    load_municipalities,
)
from codegen.importers.workbook import read_tables
from codegen.importers.wsdl_memo import load_wsdls
from codegen.model import Form, Knowledge, Release, ServiceVersion, Spec
from codegen.rules.citations import Citations
from codegen.rules.loader import load_rules
from codegen.rules.overlap import load_overlap

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "spec"
LAYOUT = SPEC_DIR / "workbook-layout.json"
RULES = SPEC_DIR / "rules"  # the business rules, shared by all releases
PROVENANCE = "PROVENANCE.md"  # a release's decisions, which inferred rules cite

# How a field's datatype may appear in a WSDL. A list of codes (31-IVÆR) is an array in
# API v1 and a comma-separated string in v0.
XSD_TYPES = {
    "string": {"xs:string"},
    "integer": {"xs:int", "xs:integer", "xs:long", "xs:short"},
    "date": {"xs:dateTime", "xs:date"},
    "boolean": {"xs:boolean"},
    "multiple": {"ArrayOfstring", "xs:string"},
}


def workbook_source(release: str, sources_root: Path | None = None) -> tuple[Path, dict, str]:
    """The release's workbook, the layout it is read with (its own, or the shared one), and
    the workbook's name as errors show it."""
    release_dir, base = locate(release, sources_root)
    manifest = read_manifest(release_dir, base)
    chosen = layout_path(release_dir, LAYOUT)
    layout = load_layout(chosen, _relative(chosen, base))
    path = release_dir / manifest["workbook"]
    return path, layout, _relative(path, base)


def build_spec(release: str, sources_root: Path | None = None) -> Spec:
    release_dir, base = locate(release, sources_root)
    manifest = read_manifest(release_dir, base)
    # Every file of the folder is hashed into the spec: each checked before anything is read.
    files = release_files(release_dir, base, largest_file(manifest))

    def display(name: str) -> str:
        return str((release_dir / name).relative_to(base))

    _, layout, _ = workbook_source(release, sources_root)

    tables = read_tables(release_dir / manifest["workbook"], layout, display(manifest["workbook"]))
    codelists = build_codelists(tables["codes"], layout)
    forms = build_forms(tables["forms"], tables["fields"], codelists, layout)
    _check_lists_used(forms, codelists)
    groups = load_action_groups(
        release_dir / manifest["actions"], display(manifest["actions"]), layout["action_groups"]
    )
    loaded = load_wsdls(
        [release_dir / name for name in manifest["wsdls"]],
        base,
        size_limit(manifest, "wsdl_bytes"),
    )
    services = tuple(
        _with_groups(service, groups, display(name))
        for service, name in zip(loaded, manifest["wsdls"], strict=True)
    )
    _check_all_actions_present(services, groups, display(manifest["actions"]))
    for service, name in zip(services, manifest["wsdls"], strict=True):
        _check_form_types(service, forms, display(name), layout["wsdl_elements_not_in_workbook"])
    date_control = load_date_control(
        release_dir / manifest["date_control"], display(manifest["date_control"])
    )
    knowledge = (
        load_knowledge(release_dir / manifest["knowledge"], display(manifest["knowledge"]))
        if "knowledge" in manifest
        else Knowledge()
    )
    unknown = unknown_kinds(knowledge)
    _check_unknown_parts(manifest, unknown, display("release.json"))
    spec = Spec(
        release=Release(
            id=manifest["release"],
            effective=dt.date.fromisoformat(manifest["effective"]),
            kravspec=manifest["kravspec"],
            sources=tuple((str(p.relative_to(base)), _sha256(p)) for p in files),
        ),
        forms=forms,
        codelists=codelists,
        date_control=date_control,
        services=services,
        municipalities=load_municipalities(
            release_dir / manifest["municipalities"], display(manifest["municipalities"])
        )
        if "municipalities" in manifest
        else (),
    )
    # The business rules (spec/rules/, shared by the releases), checked against this release.
    # Rules and service facts cite the release's kravspec lines and PROVENANCE.md decisions.
    cited = (release_dir / str(manifest.get("kravspec_text", "")), release_dir / PROVENANCE)
    cited = cited if all(p.is_file() for p in cited) else ()
    citations = Citations.of(*cited) if cited else None
    if manifest.get("service_facts"):
        facts = load_service_facts(
            release_dir / manifest["service_facts"],
            display(manifest["service_facts"]),
            services,
            forms,
            date_control,
            citations,
        )
        spec = dataclasses.replace(spec, service_facts=facts)
    if "rules" not in unknown:
        spec = dataclasses.replace(spec, overlap=load_overlap(RULES, spec, ROOT, citations))
        spec = dataclasses.replace(spec, rules=_load_rules(spec, cited))
    return apply_knowledge(spec, knowledge)


def _check_unknown_parts(manifest: dict, unknown: set[str], display_name: str) -> None:
    """A part declared unknown has no file; the municipality list, once required, is given
    or declared unknown; the rules and the overlap definition (both spec/rules/) are known
    or unknown together."""
    parts = {kind.split(".")[0] for kind in unknown}  # service_facts.endpoints: a part
    for kind in ("service_facts", "municipalities"):
        if kind in manifest and kind in parts:
            raise SourceError(
                f"{kind!r} names a file, but the knowledge file declares it unknown",
                file=display_name,
            )
    if "municipalities" not in manifest and "municipalities" not in unknown:
        raise SourceError(
            "missing key 'municipalities' (or declare them unknown in the knowledge file)",
            file=display_name,
        )
    if ("rules" in unknown) != ("overlap" in unknown):
        raise SourceError(
            "the knowledge file must declare 'rules' and 'overlap' unknown together "
            "(both are spec/rules/)",
            file=display_name,
        )


def _relative(path: Path, base: Path) -> str:
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def _load_rules(spec: Spec, cited: tuple[Path, ...]) -> tuple:
    """Loading and type-checking the rules takes ~0.5 s: memoised on the rule files, the spec
    they are checked against, what they cite, and the rules code."""
    import codegen.rules as rules_package

    files = sorted(p for p in RULES.rglob("*") if p.is_file())
    code = sorted(Path(rules_package.__file__).parent.glob("*.py"))
    parts = (
        *(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() for p in files),
        *(p.read_bytes() for p in (*code, *cited)),
        pickle.dumps(spec),
    )
    citations = Citations.of(*cited) if cited else None
    return memo("rules", parts, lambda: load_rules(RULES, spec, ROOT, citations))


def _with_groups(service: ServiceVersion, groups: dict, display_name: str) -> ServiceVersion:
    """Each operation takes its group (new in 2026, unchanged, pre-2019) and the group's
    heading from the action list."""
    operations = []
    for op in service.operations:
        listed = groups.get((service.service, op.name))
        if listed is None:
            raise SourceError(
                f"operation {op.name!r} of {service.wsdl_name} is not in the "
                "kravspec's action list",
                file=display_name,
            )
        action, group, heading = listed
        if service.api_version == "v1" and action != op.action:
            raise SourceError(
                f"operation {op.name!r} has soapAction {op.action!r}, but the "
                f"kravspec lists {action!r}",
                file=display_name,
            )
        operations.append(dataclasses.replace(op, group=group, group_heading=heading))
    return dataclasses.replace(service, operations=tuple(operations))


def _check_all_actions_present(
    services: tuple[ServiceVersion, ...], groups: dict, display_name: str
) -> None:
    present = {(s.service, op.name) for s in services for op in s.operations}
    missing = sorted(set(groups) - present)
    if missing:
        names = ", ".join(f"{svc}/{op}" for svc, op in missing)
        raise SourceError(
            f"action(s) listed in the kravspec but in no WSDL: {names}", file=display_name
        )


def _check_form_types(
    service: ServiceVersion, forms: tuple[Form, ...], display_name: str, keys: list[str]
):
    """Both ways: every field of a form is an element of the form's type, with a fitting
    type, and every element of the type is a field. Reported at the workbook's cell."""
    types = {t.name: t for t in service.types}
    for form in forms:
        xsd_type = types.get(form.name)
        if xsd_type is None or not form.fields:
            continue
        elements = {e.name: e for e in xsd_type.elements}
        for field in form.fields:
            element = elements.get(field.variable)
            if element is None:
                raise _at(
                    field.source,
                    f"field {field.variable!r} ({field.felt_id or 'no Felt-ID'}) is not an "
                    f"element of type {form.name!r} in {display_name}",
                )
            allowed = XSD_TYPES["multiple" if field.multiple else field.datatype]
            if element.type not in allowed:
                raise _at(
                    field.source,
                    f"{form.name}.{field.variable} has type {element.type!r} in {display_name}; "
                    f"a {field.datatype_as_written} field needs one of "
                    f"{', '.join(sorted(allowed))}",
                )
        variables = {field.variable for field in form.fields}
        extra = [e.name for e in xsd_type.elements if e.name not in variables | set(keys)]
        if extra:
            raise _at(
                form.source,
                f"type {form.name!r} in {display_name} has element(s) "
                f"{', '.join(extra)} that are no field of the form in the workbook (nor "
                "in the layout's wsdl_elements_not_in_workbook)",
            )


def _check_lists_used(forms: tuple[Form, ...], codelists) -> None:
    used = {field.codelist for form in forms for field in form.fields}
    for codelist in codelists:
        if codelist.name not in used:
            raise _at(
                codelist.codes[0].source,
                f"code list {codelist.name!r} is used by no field (a misspelt 'Kodeliste'?)",
            )


def _at(source, message: str) -> SourceError:
    """An error at the workbook cell a piece of the spec came from ('sheet!cell')."""
    sheet, _, cell = source.place.rpartition("!")
    return SourceError(message, file=source.file, sheet=sheet, cell=cell)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
