"""A release's `service-facts.json`: what the kravspec says about the web services beyond the
WSDLs (endpoints and `?singlewsdl` addresses §1.2, access: authentication and the STS,
the reporting unit §2, the start-date lock
§1.2.2, manual deletion §5.1) and the emulator's own server checks with their Danish messages
(PROVENANCE E1), checked against the rest of the spec.

Every error names the file and the key at fault; a fact that does not match the WSDLs (a
production endpoint other than the WSDL's address) stops the build.
"""

from __future__ import annotations

import json
from pathlib import Path

from codegen.errors import SourceError
from codegen.model import (
    Access,
    DateControlPoint,
    Endpoint,
    Form,
    ManualDeletion,
    ReportingSchedule,
    ReportingUnit,
    ServerCheck,
    ServerMessage,
    ServiceFacts,
    ServiceVersion,
    SourceRef,
    StartDateLock,
)
from codegen.rules.citations import Citations, basis_error, cite_error

OPTIONAL = {"$comment", "access"}  # keys a release's file may leave out
KEYS = {
    "": {
        "$comment",
        "access",
        "endpoints",
        "reporting_unit",
        "reporting_schedule",
        "start_date_lock",
        "manual_deletion",
        "server_checks",
    },
    "endpoints[]": {"service", "api_version", "prod", "preprod", "wsdl", "cites"},
    "access": {"authentication_da", "certificates_da", "sts", "sts_guide_da", "cites"},
    "reporting_unit": {"person", "unit_da", "cites"},
    "reporting_schedule": {"frequency_da", "deadline_da", "basis", "cites"},
    "start_date_lock": {
        "felt_ids",
        "date_control",
        "enforced_by",
        "description_da",
        "basis",
        "cites",
    },
    "manual_deletion": {"order", "flow", "description_da", "cites"},
    "server_checks[]": {"id", "description_da", "messages", "basis", "cites"},
    "messages[]": {"key", "text_da", "felt_id"},
}
SERVER_CHECK_PREFIX = "SMDB-SERVER-"
SINGLE_WSDL = "?singlewsdl"


def load_service_facts(
    path: Path,
    shown: str,
    services: tuple[ServiceVersion, ...],
    forms: tuple[Form, ...],
    date_control: tuple[DateControlPoint, ...],
    citations: Citations | None = None,
) -> ServiceFacts:
    def fail(message: str) -> SourceError:
        return SourceError(message, file=shown)

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(exc.msg, file=shown, line=exc.lineno) from None

    def mapping(value: object, where: str) -> dict:
        keys = KEYS[where]
        if not isinstance(value, dict) or set(value) - keys or (keys - OPTIONAL) - set(value):
            raise fail(f"{where or 'the file'}: an object with exactly the keys {sorted(keys)}")
        return value

    def cites(value: object, where: str, basis: str = "stated") -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise fail(f"{where}.cites: a list of kravspec lines and PROVENANCE decisions")
        for cite in value:
            if error := cite_error(cite, citations):
                raise fail(f"{where}.{error}")
        if error := basis_error(basis, value):
            raise fail(f"{where}: {error}")
        return tuple(value)

    def text(value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{where}: a non-empty string")
        return value

    top = mapping(data, "")
    wsdl_endpoints = {(s.service, s.api_version): s.endpoint for s in services}
    endpoints = []
    for index, item in enumerate(top["endpoints"] if isinstance(top["endpoints"], list) else []):
        where = f"endpoints[{index}]"
        item = mapping(item, "endpoints[]")
        key = (text(item["service"], where), text(item["api_version"], where))
        if key not in wsdl_endpoints:
            raise fail(f"{where}: no WSDL of service {key[0]} {key[1]}")
        if item["prod"] != wsdl_endpoints[key]:
            raise fail(f"{where}: prod {item['prod']!r} is not the WSDL's {wsdl_endpoints[key]!r}")
        preprod = text(item["preprod"], where)
        if item["wsdl"] != preprod + SINGLE_WSDL:
            raise fail(f"{where}: wsdl must be the PreProd endpoint + {SINGLE_WSDL}")
        endpoints.append(
            Endpoint(*key, item["prod"], preprod, item["wsdl"], cites(item["cites"], where))
        )
    missing = sorted(set(wsdl_endpoints) - {(e.service, e.api_version) for e in endpoints})
    if missing:
        raise fail(f"endpoints: none for {', '.join(' '.join(m) for m in missing)}")

    felt_ids = {f.felt_id for form in forms for f in form.fields if f.felt_id}
    unit = mapping(top["reporting_unit"], "reporting_unit")
    schedule = mapping(top["reporting_schedule"], "reporting_schedule")
    if unit["person"] not in felt_ids:
        raise fail(f"reporting_unit.person: {unit['person']!r} is not a Felt-ID of the spec")
    lock = mapping(top["start_date_lock"], "start_date_lock")
    if not isinstance(lock["felt_ids"], list) or not set(lock["felt_ids"]) <= felt_ids:
        raise fail("start_date_lock.felt_ids: Felt-IDs of the spec")
    if lock["basis"] not in ("stated", "inferred"):
        raise fail("start_date_lock.basis: stated or inferred")
    points = {p.id for p in date_control if p.date is not None}
    if lock["date_control"] not in points:
        raise fail(
            f"start_date_lock.date_control: no dated date-control point {lock['date_control']!r}"
        )
    deletion = mapping(top["manual_deletion"], "manual_deletion")
    names = {form.name for form in forms if form.fields}
    if not isinstance(deletion["flow"], list) or set(deletion["flow"]) != names:
        raise fail(
            f"manual_deletion.flow: the forms of a case in reporting order ({sorted(names)})"
        )
    if deletion["order"] not in ("latest-first",):
        raise fail("manual_deletion.order: latest-first")
    checks = []
    for index, item in enumerate(
        top["server_checks"] if isinstance(top["server_checks"], list) else []
    ):
        where = f"server_checks[{index}]"
        item = mapping(item, "server_checks[]")
        check_id = text(item["id"], where)
        if not check_id.startswith(SERVER_CHECK_PREFIX) or check_id in {c.id for c in checks}:
            raise fail(f"{where}.id: a new id starting with {SERVER_CHECK_PREFIX}")
        if item["basis"] != "inferred":
            raise fail(f"{where}.basis: inferred (the server's messages are ours, not DST's)")
        messages = []
        raw = item["messages"] if isinstance(item["messages"], list) else []
        for number, message in enumerate(raw):
            at = f"{where}.messages[{number}]"
            message = mapping(message, "messages[]")
            key = text(message["key"], at)
            if message["felt_id"] is not None and message["felt_id"] not in felt_ids:
                raise fail(f"{at}.felt_id: {message['felt_id']!r} is not a Felt-ID of the spec")
            if key in {m.key for m in messages}:
                raise fail(f"{at}.key: {key!r} twice")
            messages.append(ServerMessage(key, text(message["text_da"], at), message["felt_id"]))
        if not messages:
            raise fail(f"{where}.messages: a non-empty list")
        checks.append(
            ServerCheck(
                id=check_id,
                description_da=text(item["description_da"], where),
                messages=tuple(messages),
                basis=item["basis"],
                cites=cites(item["cites"], where, item["basis"]),
            )
        )
    access = None
    if "access" in top:
        given = mapping(top["access"], "access")
        if given["sts"] is not None and not str(given["sts"]).startswith("https://"):
            raise fail("access.sts: an https:// address, or null where the kravspec states none")
        access = Access(
            authentication_da=text(given["authentication_da"], "access"),
            certificates_da=text(given["certificates_da"], "access"),
            sts=given["sts"],
            sts_guide_da=text(given["sts_guide_da"], "access"),
            cites=cites(given["cites"], "access"),
        )
    return ServiceFacts(
        access=access,
        endpoints=tuple(endpoints),
        reporting_unit=ReportingUnit(
            unit["person"],
            text(unit["unit_da"], "reporting_unit"),
            cites(unit["cites"], "reporting_unit"),
        ),
        reporting_schedule=ReportingSchedule(
            frequency_da=text(schedule["frequency_da"], "reporting_schedule"),
            deadline_da=text(schedule["deadline_da"], "reporting_schedule"),
            basis=text(schedule["basis"], "reporting_schedule"),
            cites=cites(schedule["cites"], "reporting_schedule", schedule["basis"]),
        ),
        start_date_lock=StartDateLock(
            felt_ids=tuple(lock["felt_ids"]),
            date_control=lock["date_control"],
            enforced_by=text(lock["enforced_by"], "start_date_lock"),
            description_da=text(lock["description_da"], "start_date_lock"),
            basis=text(lock["basis"], "start_date_lock"),
            cites=cites(lock["cites"], "start_date_lock", lock["basis"]),
        ),
        manual_deletion=ManualDeletion(
            order=deletion["order"],
            flow=tuple(deletion["flow"]),
            description_da=text(deletion["description_da"], "manual_deletion"),
            cites=cites(deletion["cites"], "manual_deletion"),
        ),
        server_checks=tuple(checks),
        source=SourceRef(file=shown),
    )
