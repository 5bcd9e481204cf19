"""SOAP 1.1 envelopes (WCF's BasicHttpBinding): building them, reading them, and faults.

Reading uses `smdb.xml`'s hardened parser (in `smdb._xml_values`: no entities, no DTD, no
network); a document with a DOCTYPE, more than one Body child, or no Envelope is refused with
`CodecError`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lxml import etree

from .. import _xml_values as _values
from .. import xml as _xml
from ._codec import RECORDS, CodecError, read, write

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=utf-8"
_ENVELOPE = "{" + SOAP_NS + "}Envelope"
_HEADER = "{" + SOAP_NS + "}Header"
_BODY = "{" + SOAP_NS + "}Body"
_FAULT = "{" + SOAP_NS + "}Fault"


class Parsed(NamedTuple):
    header: Any  # the Header element, or None
    body: Any  # the Body's one child element (a wrapper element or a Fault)


def envelope(body: str, header: str = "") -> bytes:
    head = f"<s:Header>{header}</s:Header>" if header else ""
    return (f'<s:Envelope xmlns:s="{SOAP_NS}">{head}<s:Body>{body}</s:Body></s:Envelope>').encode()


def parse(data: bytes) -> Parsed:
    try:
        root = _values._parse(data)
    except _xml.XmlError as err:
        raise CodecError(str(err)) from None
    if root.tag != _ENVELOPE:
        raise CodecError(
            f"line {root.sourceline}: not a SOAP 1.1 Envelope "
            f"(root element {_values._local(root.tag)})"
        )
    header = body = None
    for child in root:
        if child.tag == _HEADER and header is None and body is None:
            header = child
        elif child.tag == _BODY and body is None:
            body = child
        elif isinstance(child.tag, str):
            raise CodecError(
                f"line {child.sourceline}: unexpected element "
                f"{_values._local(child.tag)} in the Envelope"
            )
    if body is None:
        raise CodecError("the Envelope has no Body")
    elements = [c for c in body if isinstance(c.tag, str)]
    if len(elements) != 1:
        raise CodecError(
            f"line {body.sourceline}: the Body holds {len(elements)} elements, not one"
        )
    return Parsed(header, elements[0])


def is_fault(elem: etree._Element) -> bool:
    return bool(elem.tag == _FAULT)


def fault(code: str, message: str, *, svar: Any = None, version: str = "v1") -> bytes:
    """A Fault envelope; `svar` (a results.Svar) goes into the detail with DST's messages."""
    parts = [
        f"<s:Fault><faultcode>s:{code}</faultcode>",
        f'<faultstring xml:lang="da-DK">{_values._text(message, "faultstring")}</faultstring>',
    ]
    if svar is not None:
        namespace = _codec_namespace(version)
        parts.append(f'<detail><Svar xmlns="{namespace}">')
        write(parts.append, RECORDS["Svar"], svar, version, "Svar")
        parts.append("</Svar></detail>")
    parts.append("</s:Fault>")
    return envelope("".join(parts))


def read_fault(elem: etree._Element, version: str) -> tuple[str, str, Any]:
    """(faultcode, faultstring, Svar or None) of a Fault element."""
    from . import results

    code = message = ""
    svar = None
    namespace = _codec_namespace(version)
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        name = _values._local(child.tag)
        if name == "faultcode":
            code = (child.text or "").strip()
        elif name == "faultstring":
            message = child.text or ""
        elif name == "detail":
            for item in child:
                if item.tag == "{" + namespace + "}Svar":
                    svar = results.Svar(**read(item, RECORDS["Svar"], version, "Fault.detail.Svar"))
    return code, message, svar


def _codec_namespace(version: str) -> str:
    from ._codec import NAMESPACES

    return NAMESPACES[version]
