"""Read a WSDL 1.1 document (our reconstruction or DST's real `?singlewsdl`) into the model.

Two passes. lxml first, hardened (no DTD, no entities, no network), so hostile input is
refused before anything else reads it, and syntax errors carry lxml's line number. Then
xmlschema's `Wsdl11Document` for the WSDL structure and the embedded XSD.

Element type convention (`Element.type`): XSD built-in types as "xs:<local>" ("xs:int",
"xs:anyType" for an element without a type); every other named type by its local name
alone, whatever its namespace ("Anmodning", or "ArrayOfstring" from the WCF Arrays
namespace). `ServiceVersion.types` holds every named complex type of the embedded schemas,
so such a name can be looked up there; local names must therefore be unique. Operations
must be document/literal wrapped: one message part, naming a wrapper element.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree
from xmlschema import XMLSchema10, XMLSchemaException
from xmlschema.extras.wsdl import WSDL_OPERATION, WSDL_PART, WSDL_TYPES, Wsdl11Document
from xmlschema.locations import SCHEMAS_DIR
from xmlschema.names import XSD_NAMESPACE, XSD_SCHEMA
from xmlschema.utils.qnames import get_namespace, local_name
from xmlschema.validators import XsdAnyElement, XsdElement, XsdGroup

from codegen.errors import SourceError
from codegen.importers.release import limits, read_bounded
from codegen.model import ComplexType, Element, Operation, ServiceVersion, SourceRef

DTD_REFUSED = "DTDs and entities are not allowed"
WSDL_DEFINITIONS = "{http://schemas.xmlsoap.org/wsdl/}definitions"
EXTERNAL_REFERENCES = (
    "{http://schemas.xmlsoap.org/wsdl/}import",
    *(f"{{{XSD_NAMESPACE}}}{tag}" for tag in ("import", "include", "redefine", "override")),
)
SOAP_OPERATIONS = (
    "{http://schemas.xmlsoap.org/wsdl/soap/}operation",
    "{http://schemas.xmlsoap.org/wsdl/soap12/}operation",
)


class _Reader:
    """One WSDL being read: its display name, and lxml's line for each xmlschema element."""

    def __init__(self, name: str):
        self.name = name
        self.checked = None  # the lxml root, once it has passed the safety checks
        self.lines: dict[int, int] = {}

    def pair_lines(self, root) -> None:
        # xmlschema parses with ElementTree, which has no line numbers. Both trees hold the
        # same elements in the same order, so lxml's lines can be paired up by position.
        theirs = (e for e in root.iter() if isinstance(e.tag, str))
        for mine, other in zip(self.checked.iter(etree.Element), theirs, strict=False):
            if mine.tag != other.tag:
                break
            self.lines[id(other)] = mine.sourceline

    def error(self, message: str, elem=None, *, line: int | None = None) -> SourceError:
        if line is None and elem is not None:
            line = self.lines.get(id(elem))
        return SourceError(message, file=self.name, line=line)


class _Wsdl(Wsdl11Document):
    def __init__(self, source, *, reader: _Reader | None = None, **kwargs):
        self._reader = reader
        super().__init__(source, **kwargs)

    def _parse_types(self):
        # Runs first thing after the document is parsed: pair the lines so that errors in
        # the schemas below can be located.
        if self._reader is not None:
            self._reader.pair_lines(self.root)
        # WCF's first schema imports namespaces (without schemaLocation) that later schemas
        # define; so load them all before resolving any reference, not one by one.
        for child in self.root.iterfind(f"{WSDL_TYPES}/{XSD_SCHEMA}"):
            self.schema.__class__(
                self.subresource(child), global_maps=self.schema.maps, build=False
            )
        self.schema.maps.build()


def load_wsdl(path: Path, *, root: Path | None = None, limit: int | None = None) -> ServiceVersion:
    """Read one WSDL file of at most `limit` bytes (default: wsdl_bytes); bad input raises
    SourceError with the file and line."""
    name = path.relative_to(root) if root and path.is_relative_to(root) else path
    reader = _Reader(name.as_posix())
    # Bounded, not just stat-checked before: the file may grow or be swapped in between.
    data = read_bounded(
        path, limits()["wsdl_bytes"] if limit is None else limit, reader.name, "wsdl_bytes"
    )
    reader.checked = _parse_safely(data, reader)
    try:
        # The WSDL meta-schema comes from xmlschema's own files; the sandbox then keeps
        # every schema import inside that folder: no network, no other local file.
        meta = XMLSchema10(
            str(SCHEMAS_DIR / "WSDL" / "wsdl.xsd"),
            allow="sandbox",
            base_url=str(SCHEMAS_DIR),
            validation="skip",  # xmlschema's own, known-good file: checking it costs ~0.1 s
        )
        document = _Wsdl(
            io.BytesIO(data),
            reader=reader,
            schema=meta,
            validation="skip",
            allow="none",
            # These bytes passed _parse_safely: no DOCTYPE, so no entity can be declared.
            # xmlschema's own defusing pass would only read them once more (~20 ms a WSDL).
            defuse="never",
        )
    except XMLSchemaException as err:
        raise reader.error(_reason(err), getattr(err, "elem", None)) from None
    return _service_version(document, reader)


def _parse_safely(data: bytes, reader: _Reader):
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )
    # Entities can read local files or expand exponentially; a WSDL never needs them.
    # libxml2 itself rejects some entity tricks as syntax errors: report those as refused too.
    doctype = data.find(b"<!DOCTYPE")
    refused = reader.error(DTD_REFUSED, line=data.count(b"\n", 0, max(doctype, 0)) + 1)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as err:
        if doctype >= 0:
            raise refused from None
        message = re.sub(r", line \d+, column (\d+)$", r" (column \1)", err.msg)
        raise reader.error(f"malformed XML: {message}", line=err.lineno) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refused
    root = tree.getroot()
    if root.tag != WSDL_DEFINITIONS:
        raise reader.error(
            f"not a WSDL 1.1 document (root element is {root.tag})", line=root.sourceline
        )
    # Say plainly what the sandbox below would only block: one file is read, nothing else.
    for elem in root.iter(*EXTERNAL_REFERENCES):
        location = elem.get("schemaLocation") or elem.get("location")
        if location:
            message = f"refers to another file ({location}); only self-contained WSDLs are read"
            raise reader.error(f"{message} (use ?singlewsdl)", line=elem.sourceline)
    return root


def _reason(err: Exception) -> str:
    return getattr(err, "reason", None) or getattr(err, "message", None) or str(err)


def _service_version(document: Wsdl11Document, reader: _Reader) -> ServiceVersion:
    # Errors tied to an element first (the WSDL's own schema validation); the checks below
    # then locate what xmlschema reports without a place (e.g. an undefined element).
    for err in document.errors:
        if getattr(err, "elem", None) is not None:
            raise reader.error(_reason(err), err.elem)
    root = document.root
    namespace = document.target_namespace
    version = namespace.rstrip("/").rpartition("/")[2]
    if not re.fullmatch(r"v\d+", version):
        raise reader.error(f"targetNamespace {namespace!r} does not end in a version (v1)", root)
    service = next(iter(document.services.values()), None)
    if service is None:
        raise reader.error("no wsdl:service", root)
    port = next((p for p in service.ports.values() if p.soap_location), None)
    if port is None or port.binding is None or port.binding.port_type is None:
        raise reader.error(f"service {service.local_name} has no usable SOAP port", service.elem)
    binding, port_type = port.binding, port.binding.port_type
    operations = tuple(_operation(op, binding, reader) for op in port_type.operations.values())
    types = _complex_types(document, reader)
    if document.errors:
        raise reader.error(_reason(document.errors[0]))
    return ServiceVersion(
        service=service.local_name.removeprefix("Secure"),
        api_version=version,
        wsdl_name=root.get("name", ""),
        namespace=namespace,
        port_type=port_type.local_name,
        endpoint=port.soap_location,
        operations=operations,
        types=types,
        source=SourceRef(reader.name),
    )


def _operation(operation, binding, reader: _Reader) -> Operation:
    name = operation.local_name
    found = [c for c in binding.elem.iterfind(WSDL_OPERATION) if c.get("name") == name]
    if not found:
        message = f"operation {name} has no operation in binding {binding.local_name}"
        raise reader.error(message, operation.elem)
    soap = next((c for c in found[0] if c.tag in SOAP_OPERATIONS), None)
    action = soap.get("soapAction") if soap is not None else None
    if not action:
        where = soap if soap is not None else found[0]
        raise reader.error(f"binding operation {name} has no soapAction", where)
    request_element, request = _body(operation, "input", reader)
    response_element, response = _body(operation, "output", reader)
    return Operation(
        name=name,
        action=action,
        group="not-stated",
        request_element=request_element,
        response_element=response_element,
        request=request,
        response=response,
        group_heading="",  # both from the kravspec's action list (codegen/build.py)
    )


def _body(operation, direction: str, reader: _Reader) -> tuple[str, tuple[Element, ...]]:
    """The wrapper element of an operation's input or output, and its children."""
    ref, name = getattr(operation, direction), operation.local_name
    if ref is None or ref.message is None:
        where = operation.elem if ref is None else ref.elem
        raise reader.error(f"{direction} of operation {name} names no defined message", where)
    parts = list(ref.message.elem.iterfind(WSDL_PART))
    if len(parts) != 1 or parts[0].get("element") is None:
        message = f"message {ref.message.local_name} must have one part with an element"
        raise reader.error(message + " (document/literal wrapped)", ref.message.elem)
    wrapper = ref.message.parts.get(parts[0].get("name"))
    if not isinstance(wrapper, XsdElement):
        message = f"part of message {ref.message.local_name} names an undefined element"
        raise reader.error(f"{message} {parts[0].get('element')}", parts[0])
    return wrapper.local_name, _children(wrapper.type, reader)[0]


def _children(xsd_type, reader: _Reader) -> tuple[tuple[Element, ...], bool]:
    """A type's child elements in document order (base type's first), and any wildcard."""
    content = getattr(xsd_type, "content", None)
    if not isinstance(content, XsdGroup):
        return (), False  # simple content
    elements, wildcard = [], False
    for particle in content.iter_elements():
        if isinstance(particle, XsdAnyElement):
            wildcard = True
            continue
        type_name = _type_name(particle, reader)
        occurs = (particle.min_occurs, particle.max_occurs)  # max None = unbounded
        elements.append(Element(particle.local_name, type_name, *occurs, particle.nillable))
    return tuple(elements), wildcard


def _type_name(element: XsdElement, reader: _Reader) -> str:
    if element.type.name is None:
        message = f"element {element.local_name} has an anonymous type; only named types"
        raise reader.error(f"{message} are supported", element.elem)
    local = local_name(element.type.name)
    return f"xs:{local}" if get_namespace(element.type.name) == XSD_NAMESPACE else local


def _complex_types(document: Wsdl11Document, reader: _Reader) -> tuple[ComplexType, ...]:
    """Every named complex type the embedded schemas define, sorted by name."""
    path = f"{WSDL_TYPES}/{XSD_SCHEMA}"
    embedded = {s.get("targetNamespace", "") for s in document.root.iterfind(path)}
    found: dict[str, ComplexType] = {}
    for qname, xsd_type in document.schema.maps.types.items():
        namespace, local = get_namespace(qname), local_name(qname)
        if namespace not in embedded or namespace == XSD_NAMESPACE or not xsd_type.is_complex():
            continue
        if local in found:
            message = f"two complex types named {local}, in {found[local].namespace} and"
            raise reader.error(f"{message} {namespace}", xsd_type.elem)
        elements, wildcard = _children(xsd_type, reader)
        found[local] = ComplexType(local, namespace, elements, wildcard)
    return tuple(found[name] for name in sorted(found))
