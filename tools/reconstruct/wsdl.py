"""Write the reconstructed SMDB WSDLs from their CSV transcription.

DST's real WSDLs are not public. These stand-ins imitate WCF `?singlewsdl` output
(document/literal wrapped, types in an embedded XSD, data contract members in alphabetical
order, a global element per type) so the WSDL importer meets what it will meet in the real
files. Output is byte-deterministic.

Inputs, in `<release>/reconstruction/`: felter.csv (form fields), skemaer.csv (forms),
operationer.csv (operations: `Name:type` request parameters and a result written as
`Svar`, `Svar+X?`, `Svar+X*`, `X*`, `int`, `string` or empty). The v1 soapActions are
checked against `<release>/actions.csv`, the kravspec's list.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from codegen.errors import SourceError

SERVICES = ("HentData", "IndsaetData", "TokenTest")
VERSIONS = ("v1", "v0")
ARRAYS_NS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
NAMESPACE = "http://smdb.dst.dk/api/external/{version}"
ENDPOINT = "https://smdbws.dst.dk/smdbwebservice/api/external/{version}/secure{service}.svc"

FIELD_TYPES = {
    "String": "xs:string",
    "Integer": "xs:int",
    "Integer (read only)": "xs:int",
    "Datetime": "xs:dateTime",
    "Boolean": "xs:boolean",
}
# v1 sends a code list as a WCF string array; v0 as one comma-separated string.
LIST_TYPES = {"v1": "q1:ArrayOfstring", "v0": "xs:string"}
PARAM_TYPES = {"int": "xs:int", "string": "xs:string", "boolean": "xs:boolean"}
# .NET value types: WCF marks a plain (non-nullable) parameter or result of these not nillable.
VALUE_TYPES = {"xs:int", "xs:boolean", "xs:dateTime"}
# Ids a form carries besides its fields: its own Id and its parent's.
PARENT_IDS = {
    "Ivaerksaettelse": ("AnmodningId",),
    "Tilbudstilknytning": ("IvaerksaettelseId",),
    "Afslutning": ("AnmodningId",),
}


@dataclass(frozen=True)
class XsdElement:
    name: str
    type: str  # prefixed: "xs:int", "tns:Anmodning", "q1:ArrayOfstring"
    min_occurs: int | None = 0  # None: leave the attribute out (XSD default 1)
    max_occurs: str = ""  # "" (1) or "unbounded"
    nillable: bool = True


@dataclass(frozen=True)
class XsdType:
    name: str
    elements: tuple[XsdElement, ...]
    base: str = ""  # "tns:Svar" for a complexContent extension
    wildcard: bool = False  # retired forms: fields not stated, so accept anything


@dataclass(frozen=True)
class WsdlOperation:
    name: str
    action: str
    request: tuple[XsdElement, ...]
    response: tuple[XsdElement, ...]


def _member(name: str, type_: str) -> XsdElement:
    """A data contract member: WCF style optional and nillable."""
    return XsdElement(name, type_)


def _contract(name: str, members: dict[str, str]) -> XsdType:
    # DataContractSerializer orders members alphabetically (ordinal) by default.
    return XsdType(name, tuple(_member(n, t) for n, t in sorted(members.items())))


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their line number, for error messages."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def _form_types(source: Path, list_type: str) -> dict[str, XsdType]:
    forms: dict[str, str] = {}  # Kode -> Skema
    members: dict[str, dict[str, str]] = {}
    retired: list[str] = []
    for _, row in _read_csv(source / "skemaer.csv"):
        if row["Felter angivet"] == "Ja":
            forms[row["Kode"]] = row["Skema"]
            members[row["Skema"]] = {"Id": "xs:int"} | dict.fromkeys(
                PARENT_IDS.get(row["Skema"], ()), "xs:int"
            )
        else:
            retired.append(row["Skema"])
    felter = source / "felter.csv"
    for line, row in _read_csv(felter):
        form, name, datatype = forms.get(row["Skema"]), row["Variabelnavn"], row["Datatype"]
        if form is None:
            raise SourceError(f"unknown Skema {row['Skema']!r}", file=str(felter), line=line)
        if datatype == "List<string>":
            xsd_type = list_type
        elif datatype in FIELD_TYPES:
            xsd_type = FIELD_TYPES[datatype]
        else:
            raise SourceError(f"unknown Datatype {datatype!r}", file=str(felter), line=line)
        if name in members[form]:
            raise SourceError(f"{name!r} twice in {form}", file=str(felter), line=line)
        members[form][name] = xsd_type
    types = {name: _contract(name, fields) for name, fields in members.items()}
    # Id is required here: an optional Id before an ##any wildcard breaks the Unique
    # Particle Attribution rule (an <Id> could match either), and XSD 1.0 forbids that.
    retired_id = XsdElement("Id", "xs:int", min_occurs=None)
    for name in retired:
        types[name] = XsdType(name, (retired_id,), wildcard=True)
    return types


def _fixed_types() -> dict[str, XsdType]:
    """Types the kravspec names but does not specify; members are our reconstruction."""
    contracts = {
        "Kontaktforloeb": {
            "Afslutning": "tns:Afslutning",
            "Anmodning": "tns:Anmodning",
            "Ivaerksaettelse": "tns:Ivaerksaettelse",
            "Tilbudstilknytninger": "tns:ArrayOfTilbudstilknytning",
        },
        "Tilbud": {
            "KommuneKode": "xs:int",
            "Navn": "xs:string",
            "Postnummer": "xs:int",
            "TilbudId": "xs:int",
        },
        "Land": {"Kode": "xs:string", "Navn": "xs:string"},
        "Ydelsespakke": {"Id": "xs:int", "Navn": "xs:string"},
        "Besked": {"FeltId": "xs:string", "Kode": "xs:string", "Tekst": "xs:string"},
    }
    types = {name: _contract(name, members) for name, members in contracts.items()}
    succes = XsdElement("Succes", "xs:boolean", min_occurs=None, nillable=False)
    types["Svar"] = XsdType("Svar", (_member("Beskeder", "tns:ArrayOfBesked"), succes))
    return types


def _array_type(item: str) -> XsdType:
    element = XsdElement(item, f"tns:{item}", max_occurs="unbounded")
    return XsdType(f"ArrayOf{item}", (element,))


class _Catalog:
    """All types of one API version; list and Svar types are added on demand."""

    def __init__(self, source: Path, version: str):
        self.types = _form_types(source, LIST_TYPES[version]) | _fixed_types()
        for type_ in list(self.types.values()):
            for element in type_.elements:
                if element.type.startswith("tns:ArrayOf"):
                    self.array_of(element.type.removeprefix("tns:ArrayOf"))

    def array_of(self, item: str) -> str:
        self.types.setdefault(f"ArrayOf{item}", _array_type(item))
        return f"tns:ArrayOf{item}"

    def known(self, name: str) -> bool:
        return name in self.types

    def reachable(self, roots: Sequence[str]) -> list[XsdType]:
        """The types these prefixed names use, transitively, sorted by name."""
        seen: set[str] = set()
        todo = [r.removeprefix("tns:") for r in roots if r.startswith("tns:")]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                type_ = self.types[name]
                refs = [type_.base] + [e.type for e in type_.elements]
                todo += [r.removeprefix("tns:") for r in refs if r.startswith("tns:")]
        return [self.types[name] for name in sorted(seen)]


def _wrapper_child(name: str, type_: str) -> XsdElement:
    return XsdElement(name, type_, nillable=type_ not in VALUE_TYPES)


def _request(text: str, catalog: _Catalog, where: dict) -> tuple[XsdElement, ...]:
    params = []
    for param in text.split():
        name, _, type_name = param.partition(":")
        if type_name in PARAM_TYPES:
            params.append(_wrapper_child(name, PARAM_TYPES[type_name]))
        elif catalog.known(type_name):
            params.append(_wrapper_child(name, f"tns:{type_name}"))
        else:
            raise SourceError(f"unknown parameter type in {param!r}", **where)
    return tuple(params)


def _result(operation: str, text: str, catalog: _Catalog, where: dict) -> str:
    """The prefixed type of `<Operation>Result`, or "" for none (defining types it needs)."""
    if text in ("", "Svar"):
        return text and "tns:Svar"
    if text in PARAM_TYPES:
        return PARAM_TYPES[text]
    head, plus, item = text.rpartition("+")
    name, many = (item[:-1], item[-1]) if item.endswith(("?", "*")) else (item, "")
    if head not in ("", "Svar") or bool(head) != bool(plus) or not catalog.known(name):
        raise SourceError(f"cannot read Result {text!r}", **where)
    if many == "*":
        type_ = catalog.array_of(name)
        element_name = f"{name}Liste"
    else:
        type_ = f"tns:{name}"
        element_name = name
    if not head:
        return type_
    svar = XsdType(f"{operation}Svar", (_member(element_name, type_),), base="tns:Svar")
    catalog.types[svar.name] = svar
    return f"tns:{svar.name}"


def _operations(source: Path, service: str, version: str, catalog: _Catalog):
    namespace = NAMESPACE.format(version=version)
    path = source / "operationer.csv"
    operations = []
    for line, row in _read_csv(path):
        if row["Service"] != service:
            continue
        where = {"file": str(path), "line": line}
        name = row["Operation"]
        result = _result(name, row["Result"], catalog, where)
        response = (_wrapper_child(f"{name}Result", result),) if result else ()
        operations.append(
            WsdlOperation(
                name=name,
                action=f"{namespace}/ISecure{service}/{name}",
                request=_request(row["Request"], catalog, where),
                response=response,
            )
        )
    return operations


def _check_actions(release_dir: Path, service: str, operations: list[WsdlOperation]) -> None:
    """The v1 soapActions must be the kravspec's, in its order."""
    path = release_dir / "actions.csv"
    expected = [row["Action"] for _, row in _read_csv(path) if row["Service"] == service]
    actual = [operation.action for operation in operations]
    if actual != expected:
        missing = sorted(set(expected) ^ set(actual)) or ["(same actions, other order)"]
        raise SourceError(
            f"{service} operations in operationer.csv differ from actions.csv: {missing}",
            file=str(path),
        )


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def render_wsdl(release_dir: Path, service: str, version: str) -> str:
    source = release_dir / "reconstruction"
    catalog = _Catalog(source, version)
    operations = _operations(source, service, version, catalog)
    if version == "v1":
        _check_actions(release_dir, service, operations)
    roots = [e.type for op in operations for e in op.request + op.response]
    types = catalog.reachable(roots)
    return (
        _environment()
        .get_template("service.wsdl.j2")
        .render(
            release=release_dir.name,
            kravspec=_kravspec(release_dir),
            service=service,
            namespace=NAMESPACE.format(version=version),
            endpoint=ENDPOINT.format(version=version, service=service.lower()),
            arrays_ns=ARRAYS_NS,
            uses_arrays=any(e.type.startswith("q1:") for t in types for e in t.elements),
            operations=operations,
            types=types,
        )
    )


def _kravspec(release_dir: Path) -> str:
    """The kravspec the release was reconstructed from, as its text file is named (none: the
    release is reconstructed from what a later one states, 2025-07-01)."""
    manifest = json.loads((release_dir / "release.json").read_text(encoding="utf-8"))
    return Path(manifest.get("kravspec_text", "")).stem


def build_wsdls(release_dir: Path) -> list[Path]:
    """Write the six `Secure<Service>-<version>.wsdl` files into release_dir."""
    # Render all six before writing any, so a bad input leaves the old files in place.
    rendered = {
        release_dir / f"Secure{service}-{version}.wsdl": render_wsdl(release_dir, service, version)
        for service in SERVICES
        for version in VERSIONS
    }
    for path, text in rendered.items():
        path.write_bytes(text.encode("utf-8"))
    return list(rendered)
