"""Service facts (service-facts.json: endpoints, the reporting unit, the start-date lock, the
order of manual deletion, the server's own checks), the municipalities, and the definition of
"at the same time" (overlap). Single facts are compared as one-element lists."""

from __future__ import annotations

from codegen.diff.walk import Kind


def _single(
    name: str, aspects: dict[str, str], felt_ids: str | None = None, added: str = "additive"
) -> Kind:
    return Kind(
        name=name,
        key=lambda _: name,
        label=lambda _: "",
        aspects=aspects,
        refs=(lambda e, refs, path: {"felt_ids": e.get(felt_ids) or []}) if felt_ids else None,
        added=added,
    )


ENDPOINT = Kind(
    name="endpoint",
    key=lambda e: f"{e['service']}/{e['api_version']}",
    label=lambda e: e.get("prod", ""),
    # A client configured with the old address calls one that is not there.
    aspects={"prod": "breaking", "preprod": "breaking", "wsdl": "breaking", "cites": "cosmetic"},
    ignored=frozenset({"service", "api_version"}),
)
REPORTING_UNIT = Kind(
    name="reporting unit",
    key=lambda _: "reporting unit",
    label=lambda e: e.get("unit_da", ""),
    aspects={"person": "breaking", "unit_da": "cosmetic", "cites": "cosmetic"},
    refs=lambda e, refs, path: {"felt_ids": [e.get("person")]},
)
START_DATE_LOCK = _single(
    "start-date lock",
    {
        "felt_ids": "breaking",
        "date_control": "breaking",
        "enforced_by": "breaking",
        "basis": "breaking",
        "description_da": "cosmetic",
        "cites": "cosmetic",
    },
    felt_ids="felt_ids",
    added="breaking",  # a start date that could be changed before is refused
)
MANUAL_DELETION = _single(
    "manual deletion",
    {"order": "breaking", "flow": "breaking", "description_da": "cosmetic", "cites": "cosmetic"},
)
SERVER_CHECK = Kind(
    name="server check",
    key=lambda c: c["id"],
    label=lambda c: c.get("description_da", ""),
    # What it checks is described in prose: a new description may mean a stricter check, but
    # only the messages' texts and citations are sure to be cosmetic.
    aspects={
        "description_da": "breaking",
        "messages": "cosmetic",
        "basis": "cosmetic",
        "cites": "cosmetic",
    },
    added="server_check",
    removed="additive",
)
MUNICIPALITY = Kind(
    name="municipality",
    key=lambda m: str(m["code"]),
    label=lambda m: m.get("name", ""),
    aspects={"name": "cosmetic"},
    added="additive",
    removed="breaking",  # a KommuneKode (8-ANM) valid before is rejected
)
OVERLAP = _single(
    "overlap",
    {
        "start": "breaking",
        "end": "breaking",
        "end_inclusive": "breaking",
        "basis": "cosmetic",
        "cites": "cosmetic",
    },
)


def facts_elements(document: dict) -> list[tuple[str, Kind, list[dict]]]:
    """(fact, kind, elements) per service fact: a release may not know some of them
    (knowledge "service_facts.<fact>")."""
    facts = document.get("service_facts") or {}
    return [
        ("endpoints", ENDPOINT, facts.get("endpoints") or []),
        *(
            (key, kind, [facts[key]] if facts.get(key) else [])
            for kind, key in (
                (REPORTING_UNIT, "reporting_unit"),
                (START_DATE_LOCK, "start_date_lock"),
                (MANUAL_DELETION, "manual_deletion"),
            )
        ),
        ("server_checks", SERVER_CHECK, facts.get("server_checks") or []),
    ]
