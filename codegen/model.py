"""The canonical spec: one typed description of a release, built by the importers.

Every emitter reads this model and nothing else. It is plain data (frozen dataclasses);
`codegen.spec_json` turns it into the JSON written to `spec/canonical/`.

Validity intervals are half-open: `valid_from` is the first day in force and `valid_to` the
first day *no longer* in force (exclusive). Either end may be `None` (open) or `NOT_STATED`
(the kravspec does not say; never guess a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from codegen.rules.model import Overlap, Rule


class NotStated:
    """Marker for a date the sources do not state."""

    _instance: NotStated | None = None

    def __new__(cls) -> NotStated:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_STATED"


NOT_STATED = NotStated()

DateValue = dt.date | None | NotStated
Datatype = Literal["string", "integer", "date", "boolean"]
Required = Literal["always", "conditional", "never", "computed"]
ActionGroup = Literal["new-2026", "unchanged", "pre-2019", "not-stated"]


@dataclass(frozen=True, slots=True)
class Validity:
    valid_from: DateValue = NOT_STATED
    valid_to: DateValue = None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a piece of the spec came from: a file and a place in it (sheet!cell, line)."""

    file: str
    place: str = ""


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    text_da: str
    position: int  # display order within the list, from 1
    option_number: int | None  # the "1)", "2)" numbering as written; rules refer to it
    validity: Validity
    min_age: int | None = None  # inclusive; age at 1-IVÆR (23-IVÆR)
    max_age: int | None = None  # inclusive
    note_da: str = ""
    source: SourceRef | None = None
    unknown: tuple[str, ...] = ()  # attributes whose value in this release is not known


@dataclass(frozen=True, slots=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]
    missing_codes: tuple[str, ...] = ()  # gaps in the numeric sequence; texts not stated
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Constraints:
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class Field:
    felt_id: str | None  # e.g. "2-ANM"; None where the sources give no usable Felt-ID
    subfield_da: str  # label within a Felt-ID group (the 18-IVÆR substances), else ""
    variable: str
    question_da: str
    datatype: Datatype
    datatype_as_written: str
    multiple: bool  # a list of codes (31-IVÆR)
    read_only: bool
    constraints: Constraints
    codelist: str | None
    options_da: str  # the "Valgmuligheder" text, where not a code list
    values_da: str  # the "Værdier" text
    display_condition_da: str
    required: Required  # "conditional": required exactly when displayed (6.1.1)
    validity: Validity
    retired: bool  # "Udgået"
    note_da: str
    source: SourceRef | None = None
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Form:
    name: str  # e.g. "Anmodning": the name used in XML and models
    code: str | None  # the Felt-ID suffix, e.g. "ANM"; None where the sources give none
    title_da: str
    reporter: Literal["myndighed", "tilbud"]
    validity: Validity
    date_basis: str  # what decides validity: a Felt-ID such as "2-ANM", or "indberetningsdato"
    fields: tuple[Field, ...]
    fields_stated: bool  # False for retired forms whose fields the kravspec does not give
    note_da: str
    source: SourceRef | None = None
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateControlPoint:
    id: str
    date: dt.date | None
    basis: str  # "2-ANM", "1-INDS", "23-IVÆR" (age) or "indberetningsdato"
    applies_to: tuple[str, ...]  # Felt-IDs or form names
    effect: str  # short machine-readable kind, e.g. "form-ends", "options-change"
    description_da: str
    kravspec_section: str
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Element:
    """One child element of a request/response or data type in the WSDL's schema."""

    name: str
    type: str  # "xs:int", "xs:string", ... or the name of a complex type
    min_occurs: int
    max_occurs: int | None  # None = unbounded
    nillable: bool


@dataclass(frozen=True, slots=True)
class ComplexType:
    name: str
    namespace: str
    elements: tuple[Element, ...]
    open_content: bool  # has an xs:any wildcard (retired forms whose fields are not stated)


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    action: str
    group: ActionGroup
    request_element: str
    response_element: str
    request: tuple[Element, ...]
    response: tuple[Element, ...]
    group_heading: str = ""  # §1.2's heading of its group as written ("" where none is)
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceVersion:
    """One WSDL: a service in one API version (v1 or v0)."""

    service: str  # "HentData", "IndsaetData", "TokenTest"
    api_version: str  # "v1" or "v0"
    wsdl_name: str
    namespace: str
    port_type: str
    endpoint: str
    operations: tuple[Operation, ...]
    types: tuple[ComplexType, ...]
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Municipality:
    code: int  # KommuneKode (8-ANM), e.g. 101
    name: str


@dataclass(frozen=True, slots=True)
class Release:
    id: str  # "2026-01-01"
    effective: dt.date
    kravspec: str
    sources: tuple[tuple[str, str], ...]  # (file, sha256)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where one service version answers (§1.2): production, PreProd (DST's test environment,
    §2 "Testmuligheder") and the `?singlewsdl` address of its service contract."""

    service: str  # "HentData"
    api_version: str  # "v1"
    prod: str
    preprod: str
    wsdl: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportingUnit:
    """Who a report is about and who reports (§2 "Enheder")."""

    person: str  # the Felt-ID of the person's CPR number
    unit_da: str  # the reporting unit, as the kravspec words it (a CVR number)
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportingSchedule:
    """How often and by when reports are made (§2 "Indberetningsfrekvens", "Frist"), as the
    kravspec words them; nothing checks them (D36: the deadline's month is not defined)."""

    frequency_da: str
    deadline_da: str
    basis: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StartDateLock:
    """§1.2.2: a start date may not be changed across a sanering date on an update; a case
    is delete-marked and reported anew instead. Enforceable only where the previous version
    of a form is known (`enforced_by`: "update", i.e. the emulator on an update)."""

    felt_ids: tuple[str, ...]
    date_control: str  # the id of the date-control point whose date may not be crossed
    enforced_by: str
    description_da: str
    basis: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ManualDeletion:
    """§5.1: how a whole case is deleted in the web application ("slette bagfra")."""

    order: str  # "latest-first": the latest reported form first
    flow: tuple[str, ...]  # the forms in reporting order (§3)
    description_da: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Access:
    """§1.2, §7: how a caller is authenticated (a user created in SMDB, NemLog-in/MitID, a
    funktionscertifikat) and the STS that issues its tokens: `sts` None where the kravspec
    does not state its address (it refers to DST's STS guide, `sts_guide_da`)."""

    authentication_da: str
    certificates_da: str
    sts: str | None
    sts_guide_da: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServerMessage:
    """One Danish message of a server check; `{name}` fields are filled in by the emulator."""

    key: str
    text_da: str
    felt_id: str | None


@dataclass(frozen=True, slots=True)
class ServerCheck:
    """A check only a server can make (the emulator's), with its own id and messages (E1)."""

    id: str  # "SMDB-SERVER-..."
    description_da: str
    messages: tuple[ServerMessage, ...]
    basis: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    """What the kravspec says about the services beyond the WSDLs (service-facts.json)."""

    endpoints: tuple[Endpoint, ...]
    reporting_unit: ReportingUnit
    reporting_schedule: ReportingSchedule
    start_date_lock: StartDateLock
    manual_deletion: ManualDeletion
    server_checks: tuple[ServerCheck, ...] = ()
    source: SourceRef | None = None
    access: Access | None = None  # optional in service-facts.json


@dataclass(frozen=True, slots=True)
class UnknownKind:
    """A whole part of a release that is not known (its rules, its service facts): the spec
    holds none of it, and its absence says nothing."""

    kind: str  # one of knowledge.UNKNOWN_KINDS
    why: str


@dataclass(frozen=True, slots=True)
class UnknownAttributes:
    """Attributes of some items whose value in this release is not known (`items`: their
    keys, or "*" for every item of the kind); each such item lists them in `unknown`."""

    kind: str  # one of knowledge.UNKNOWABLE
    items: tuple[str, ...]
    attributes: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What a release does not know. A release reconstructed from a later one's statements
    knows only some facts; every other one is "unknown", never "unchanged"."""

    complete: bool = True
    unknown_kinds: tuple[UnknownKind, ...] = ()
    unknown_attributes: tuple[UnknownAttributes, ...] = ()
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Spec:
    release: Release
    forms: tuple[Form, ...]
    codelists: tuple[CodeList, ...]
    date_control: tuple[DateControlPoint, ...]
    services: tuple[ServiceVersion, ...]
    municipalities: tuple[Municipality, ...] = ()
    notes: tuple[str, ...] = field(default=())
    rules: tuple[Rule, ...] = ()  # spec/rules/*.yaml, checked against this release
    overlap: Overlap | None = None  # spec/rules/definitions/overlap.yaml (§6.1.4)
    service_facts: ServiceFacts | None = None  # the release's service-facts.json
    knowledge: Knowledge = Knowledge()  # what the release does not know (knowledge.json)
