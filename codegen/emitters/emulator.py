"""`smdb.emulator`: a local SMDB (ASGI app over SQLite) serving every action of the spec.

Its code is plain (codegen/runtime/smdb/emulator/); this emitter writes `emulator/_facts.py`
and the files it serves. From the canonical spec: the services' paths and operations (as
`smdb.soap` plans them), the WSDL files to serve (copied from the release's sources), the case
slots of the forms, the 2019 sanering date and the retired forms (date control), the server
checks with their Danish messages (`service_facts.server_checks`), §5.1's deletion order
(`service_facts.manual_deletion`) with the forms' titles, and the seed data of the
release (`seed/`: the tilbud register and the country list, replaceable at run time with
`--seed`).
"""

from __future__ import annotations

from pathlib import Path

from codegen.emitters import soap
from codegen.emitters.cli import case_slots
from codegen.emitters.context import EmitContext

# The facts the emulator's plain code (codegen/runtime/smdb/emulator/) imports.
FACTS = "_facts"
SEED_FILES = ("tilbud.csv", "lande.csv")
RETIRING = ("form-ends", "fields-end")


def _source(context: EmitContext, *parts: str) -> Path:
    path = context.sources_dir.joinpath(*parts)
    if not path.is_file():
        raise ValueError(f"the release has no source file {'/'.join(parts)}")
    return path


def _sanering(context: EmitContext) -> str:
    points = [
        p
        for p in context.spec.date_control
        if p.effect == "options-change"
        and p.basis == "2-ANM"
        and p.kravspec_section == "6.3"
        and p.date is not None
    ]
    if len(points) != 1:
        raise ValueError("expected one date-control point for the 2019 sanering on 2-ANM (6.3)")
    return points[0].date.isoformat()


def _retired(context: EmitContext) -> dict[str, str]:
    retired: dict[str, str] = {}
    for point in context.spec.date_control:
        if point.effect in RETIRING:
            for form in point.applies_to:
                retired.setdefault(form, point.description_da)
    return retired


def _server_checks(context: EmitContext) -> dict[str, dict[str, tuple[str, str | None]]]:
    facts = context.spec.service_facts
    if facts is None or not facts.server_checks:
        raise ValueError("the release's service facts name no server checks for the emulator")
    return {
        check.id: {m.key: (m.text_da, m.felt_id) for m in check.messages}
        for check in facts.server_checks
    }


def _deletion(context: EmitContext) -> tuple[list[str], dict[str, str]]:
    """§5.1's flow, the order in which a case's forms are deleted backwards ("slette bagfra"),
    and each form's title (the workbook's Skemaoversigt) for the emulator's messages."""
    facts = context.spec.service_facts
    if facts is None or facts.manual_deletion.order != "latest-first":
        raise ValueError("the emulator deletes latest first: service facts' manual_deletion")
    flow = list(facts.manual_deletion.flow)
    titles = {form.name: form.title_da for form in context.spec.forms if form.name in flow}
    missing = [form for form in flow if form not in case_slots(context) or form not in titles]
    if missing:
        raise ValueError(f"manual_deletion.flow: {', '.join(missing)} is no form of a case")
    return flow, titles


COLUMNS = {"AnmodningId": "anmodning_id", "IvaerksaettelseId": "ivaerksaettelse_id"}


def _references(context: EmitContext) -> dict[str, list[tuple[str, str]]]:
    """Per form type, its elements that hold another form's Id (the store keeps those in
    columns): `<Form>Id` where Form is another form of the case."""
    slots = case_slots(context)
    references = {}
    for service in context.spec.services:
        for t in service.types:
            if t.name in slots and service.api_version == "v1":
                found = [
                    (e.name, e.name.removesuffix("Id"))
                    for e in t.elements
                    if e.name.removesuffix("Id") in slots and e.name != "Id"
                ]
                for name, _ in found:
                    if name not in COLUMNS:
                        raise ValueError(f"{t.name}.{name}: a reference the emulator cannot store")
                references[t.name] = [(name, COLUMNS[name]) for name, _ in found]
    return dict(sorted(references.items()))


def emit(context: EmitContext) -> dict[str, str]:
    planned = soap.plans(context)
    by_name = {(s.service, s.api_version): s for s in context.spec.services}
    files: dict[str, str] = {}
    for service, versions in planned["services"].items():
        for version, plan in versions.items():
            source = by_name[(service, version)]
            wsdl_file = f"{source.wsdl_name}-{version}.wsdl"
            plan["wsdl_file"] = wsdl_file
            plan["endpoint"] = source.endpoint
            text = _source(context, Path(source.source.file).name).read_text(encoding="utf-8")
            if source.endpoint not in text:
                raise ValueError(f"{source.source.file}: its endpoint is not written in it")
            files[context.package_path("smdb", "emulator", "wsdl", wsdl_file)] = text
    for name in SEED_FILES:
        text = _source(context, "seed", name).read_text(encoding="utf-8")
        files[context.package_path("smdb", "emulator", "seed", name)] = text
    operations = sorted({op.name for s in context.spec.services for op in s.operations})
    flow, titles = _deletion(context)
    values = {
        "services": planned["services"],
        "slots": {form: slot for form, slot in case_slots(context).items()},
        "sanering": _sanering(context),
        "retired": _retired(context),
        "server_checks": _server_checks(context),
        "operations": operations,
        "references": _references(context),
        "deletion_flow": flow,
        "form_titles": titles,
    }
    files[context.package_path("smdb", "emulator", f"{FACTS}.py")] = context.render(
        f"python/emulator/{FACTS}.py.j2", **values
    )
    return files
