"""The emulator is as strict as its WSDLs: a request's Body element is validated against the
schema embedded in the WSDL of the service it was sent to (element order, the lexical form of
`xs:dateTime` and the other types, nillability, cardinality) before any action runs.

DST's service is WCF, whose DataContractSerializer may drop an out-of-order member silently: a
vendor who passes against the emulator must not fail at DST, so nothing the contract refuses
is accepted here. The schemas are built once per WSDL when the emulator starts (libxml2's XML
Schema, through lxml); a refusal is one `Besked` of the server check SMDB-SERVER-SKEMA per
problem, naming the element (its path from the request element, and its line) and what the
schema expects. No value of the request is repeated: a value may be a CPR number.
"""

from __future__ import annotations

import copy
import re
import threading
from importlib import resources
from typing import Any

from lxml import etree

from ..soap.results import Besked
from ._facts import SERVER_CHECKS

CHECK = "SMDB-SERVER-SKEMA"
MAX_BESKEDER = 10  # a request wrong everywhere gets the first problems, not a flood
_XS = "http://www.w3.org/2001/XMLSchema"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_EMBEDDED = "smdb-wsdl-schema:"  # how one embedded schema imports another (by namespace)
# How a value of each XML Schema type the WSDLs use is written (the reader's hint).
_LEXICAL = {
    "xs:dateTime": "ÅÅÅÅ-MM-DDTtt:mm:ss, fx 2026-01-01T00:00:00",
    "xs:int": "et helt tal mellem -2147483648 og 2147483647",
    "xs:boolean": "true eller false",
}
_CLARK = re.compile(r"\{[^}]*\}")
_EXPECTED = re.compile(r"Expected is(?: one of)? \( ([^)]*) \)")
_ATOMIC = re.compile(r"is not a valid value of the (?:local )?atomic type '([^']+)'")
_QUOTED = re.compile(r"'[^']*'")


class _Embedded(etree.Resolver):
    """Resolves an `xs:import` of one embedded schema to the WSDL's other embedded schema."""

    def __init__(self, schemas: dict[str, bytes]):
        super().__init__()
        self.schemas = schemas

    # lxml calls resolve() with a context, which lxml-stubs' Resolver leaves out.
    def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:  # type: ignore[override]
        if url and url.startswith(_EMBEDDED):
            text = self.schemas.get(url[len(_EMBEDDED) :])
            if text is not None:
                return self.resolve_string(text, context, base_url=None)
        return None


def _standalone(schema: etree._Element, wsdl: etree._Element) -> etree._Element:
    """An embedded xs:schema as a document of its own, with the WSDL's namespace prefixes (its
    type references are QNames in attribute values) and its imports pointing at the others."""
    nsmap: dict[Any, str] = dict(wsdl.nsmap)  # the default namespace's key is None
    nsmap.update(schema.nsmap)
    alone = etree.Element(schema.tag, nsmap=nsmap)
    alone.attrib.update(schema.attrib)
    for child in schema:
        alone.append(copy.deepcopy(child))
    for imported in alone.iterfind(f"{{{_XS}}}import"):
        if imported.get("schemaLocation") is None:
            imported.set("schemaLocation", _EMBEDDED + (imported.get("namespace") or ""))
    return alone


class WsdlSchema:
    """The XML Schema of one WSDL's types, to validate request elements against."""

    def __init__(self, wsdl_text: str, name: str):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        wsdl = etree.fromstring(wsdl_text.encode("utf-8"), parser)
        embedded = wsdl.findall(f"{{{_WSDL}}}types/{{{_XS}}}schema")
        own = wsdl.get("targetNamespace")
        documents = {s.get("targetNamespace") or "": _standalone(s, wsdl) for s in embedded}
        if own not in documents:
            raise ValueError(f"{name}: no embedded schema for its targetNamespace {own}")
        resolving = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        resolving.resolvers.add(
            _Embedded({ns: etree.tostring(doc) for ns, doc in documents.items() if ns != own})
        )
        try:
            self._schema = etree.XMLSchema(
                etree.fromstring(etree.tostring(documents[own]), resolving)
            )
        except etree.XMLSchemaParseError as err:
            raise ValueError(f"{name}: its schema cannot be built ({err})") from None
        self._lock = threading.Lock()  # one error log per schema: one validation at a time

    def refusals(self, element: etree._Element) -> list[Besked]:
        """The schema's objections to `element` (a request's Body element), none if valid."""
        with self._lock:
            if self._schema.validate(element):
                return []
            errors: list[Any] = list(self._schema.error_log)[:MAX_BESKEDER]  # type: ignore[call-overload]  # lxml-stubs: the log iterates its entries
        return [_besked(error, element) for error in errors]


def load(files: set[str]) -> dict[str, WsdlSchema]:
    """The schema of each of the package's WSDL `files`, by file name (built once, at start)."""
    folder = resources.files(__package__).joinpath("wsdl")
    return {
        name: WsdlSchema(folder.joinpath(name).read_text(encoding="utf-8"), name)
        for name in sorted(files)
    }


def _path(error: Any, element: etree._Element) -> str:
    """`Request.Form.Element`: where the error is, from the request element down (libxml2
    gives the path with the validated element as the document's root: `/*/*[2]/*`)."""
    steps = (error.path or "").split("/")[2:]
    prefixes = {e.prefix: e.nsmap[e.prefix] for e in element.iter(etree.Element) if e.prefix}
    try:
        found: list[Any] = (
            list(element.xpath("/".join(steps), namespaces=prefixes))  # type: ignore[arg-type]
            if steps
            else [element]
        )
    except etree.XPathError:
        found = []
    node = found[0] if found and isinstance(found[0], etree._Element) else None
    names = []
    while node is not None:
        names.append(etree.QName(node).localname)
        if node is element:
            return ".".join(reversed(names))
        node = node.getparent()
    return etree.QName(element).localname


def _names(listed: str) -> str:
    """`{ns}A, {ns}B` as `A, B` (WCF's element names are unique within a type)."""
    return ", ".join(_CLARK.sub("", name.strip()) for name in listed.split(","))


def _besked(error: Any, element: etree._Element) -> Besked:
    values = {"element": _path(error, element), "line": error.line}
    message = error.message
    expected = _EXPECTED.search(message)
    atomic = _ATOMIC.search(message)
    if "Missing child element" in message and expected:
        key, values["expected"] = "missing", _names(expected.group(1))
    elif "This element is not expected" in message and expected:
        key, values["expected"] = "unexpected", _names(expected.group(1))
    elif "This element is not expected" in message:
        key = "not-allowed"
    elif atomic:
        key, values["type"] = "value", atomic.group(1)
        values["example"] = _LEXICAL.get(atomic.group(1), atomic.group(1))
    elif "nil" in message and "not" in message:
        key = "nil"
    else:  # libxml2's own words, without element namespaces or any quoted value
        reason = message.split("': ", 1)[-1] if message.startswith("Element '") else message
        key, values["reason"] = "other", _QUOTED.sub("…", _CLARK.sub("", reason)).rstrip(".")
    text, felt_id = SERVER_CHECKS[CHECK][key]
    return Besked(FeltId=felt_id, Kode=CHECK, Tekst=text.format(**values))
