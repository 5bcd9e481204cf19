"""Which reference of a refused signature failed, so that the fault names it.

libxmlsec1 says only that verification failed. Once it has (never on the accepted path), each
reference's digest is computed again here, with lxml's exclusive C14N (and the
enveloped-signature transform where the reference has it); the first that differs from its
DigestValue is the part that changed after signing. When every digest matches, the signature
value itself is wrong.
"""

from __future__ import annotations

import base64
import copy
import hashlib

from lxml import etree
from smdb.security.names import DS, q

__all__ = ["failed_reference"]

ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
EXC_C14N_NS = "http://www.w3.org/2001/10/xml-exc-c14n#"


def failed_reference(signature: etree._Element, elements: dict[str, etree._Element]) -> str | None:
    """'<part> (#<ID>)' of the first reference whose digest does not match, or None."""
    for reference in signature.iterfind(f"{q(DS, 'SignedInfo')}/{q(DS, 'Reference')}"):
        identifier = (reference.get("URI") or "")[1:]
        element = elements.get(identifier)
        if element is None:
            return f"#{identifier} (no part has this ID)"
        expected = reference.findtext(q(DS, "DigestValue"))  # read raw: to name a part only
        if _digest(element, reference) != (expected or "").strip():
            return f"{etree.QName(element).localname} (#{identifier})"
    return None


def _digest(element: etree._Element, reference: etree._Element) -> str:
    prefixes: list[str] = []
    enveloped = False
    for transform in reference.iterfind(f"{q(DS, 'Transforms')}/{q(DS, 'Transform')}"):
        enveloped = enveloped or transform.get("Algorithm") == ENVELOPED
        inclusive = transform.find(q(EXC_C14N_NS, "InclusiveNamespaces"))
        if inclusive is not None:
            prefixes = (inclusive.get("PrefixList") or "").split()
    target = element
    if enveloped:
        target = copy.deepcopy(element)
        for signature in target.findall(q(DS, "Signature")):
            _remove_keeping_tail(signature)
    canonical = etree.tostring(
        target, method="c14n", exclusive=True, inclusive_ns_prefixes=prefixes or None
    )
    return base64.b64encode(hashlib.sha256(canonical).digest()).decode()


def _remove_keeping_tail(element: etree._Element) -> None:
    """Remove `element` but not the text after it (lxml's remove drops both)."""
    parent, tail = element.getparent(), element.tail or ""
    if parent is None:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail  # read raw: moves text, acts on none
    parent.remove(element)
