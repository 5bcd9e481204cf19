"""SOAP bodies in and out, by plans generated from the WSDLs (no schema is read at run time).

A plan is a tuple of children `(name, kind, ref, item, is_list, type)`: kind is int, str,
bool, date, strings (a WCF string array), model (a form or case, through `smdb.xml`), record
(a dataclass of `smdb.soap.results`) or raw (open content, kept as an lxml element). Writing
joins escaped text in WSDL order; reading matches children by name and refuses unknown or
repeated ones. Problems raise `CodecError` (a ValueError) saying where.
"""

from __future__ import annotations

import copy as _copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from lxml import etree

from .. import _xml_values as _values
from .. import models as _models
from .. import xml as _xml
from .._privacy import shown
from . import results as _results
from ._facts import NAMESPACES as NAMESPACES
from ._facts import RECORDS as RECORDS
from ._facts import SERVICES as SERVICES
from ._plan import Child as Child
from ._plan import Operation as Operation

ARRAYS_NS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


class CodecError(ValueError):
    """A body that does not fit its plan; the message says where (masked for CPR numbers)."""

    def __init__(self, message: str):
        super().__init__(shown(message))


# --- writing ------------------------------------------------------------------------------


def write(
    out: Callable[[str], Any], plan: tuple[Child, ...], values: Any, version: str, where: str
) -> None:
    """The children of `plan` taken from `values` (a dict or an object), None left out."""
    get: Callable[[str], Any] = (
        values.get if isinstance(values, dict) else (lambda n: getattr(values, n, None))
    )
    for child in plan:
        value = get(child.name)
        if value is None:
            continue
        here = f"{where}: {child.name}"
        if child.kind == "strings":
            if not isinstance(value, list | tuple):
                raise TypeError(f"{here} takes a list of str, not {type(value).__name__}")
            out(f'<{child.name} xmlns:a="{ARRAYS_NS}">')
            for item in value:
                _write_one(out, "a:" + child.item, "str", "", item, version, here)
            out(f"</{child.name}>")
        elif child.is_list:
            if not isinstance(value, list | tuple):
                raise TypeError(f"{here} takes a list, not {type(value).__name__}")
            out(f"<{child.name}>")
            for item in value:
                _write_one(out, child.item, child.kind, child.ref, item, version, here)
            out(f"</{child.name}>")
        else:
            _write_one(out, child.name, child.kind, child.ref, value, version, here)


def _write_one(
    out: Callable[[str], Any], name: str, kind: str, ref: str, value: Any, version: str, where: str
) -> None:
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{where} takes an int, not {type(value).__name__}")
        out(f"<{name}>{_values._int_text(value, where)}</{name}>")
    elif kind == "str":
        if not isinstance(value, str):
            raise TypeError(f"{where} takes a str, not {type(value).__name__}")
        out(f"<{name}>{_values._text(value, where)}</{name}>")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{where} takes a bool, not {type(value).__name__}")
        out(f"<{name}>{'true' if value else 'false'}</{name}>")
    elif kind == "date":
        if not isinstance(value, dt.date):
            raise TypeError(f"{where} takes a datetime.date, not {type(value).__name__}")
        out(f"<{name}>{_values._date_text(value)}</{name}>")
    elif kind == "model":
        cls = getattr(_models, ref)
        if not isinstance(value, cls):
            raise TypeError(f"{where} takes {ref}, not {type(value).__name__}")
        writer = _xml._WRITERS[version][cls][0]
        out(f"<{name}>{writer(value)}</{name}>")
    elif kind == "record":
        out(f"<{name}>")
        write(out, RECORDS[ref], value, version, where)
        out(f"</{name}>")
    elif kind == "raw":
        if not isinstance(value, etree._Element):
            raise TypeError(f"{where} takes an lxml element, not {type(value).__name__}")
        copy = _copy.copy(value)
        copy.tag = "{" + NAMESPACES[version] + "}" + name
        copy.tail = None
        out(etree.tostring(copy, encoding="unicode"))
    else:  # pragma: no cover - the emitter plans only the kinds above
        raise AssertionError(kind)


# --- reading ------------------------------------------------------------------------------


def read(
    elem: etree._Element,
    plan: tuple[Child, ...],
    version: str,
    where: str,
    *,
    lenient: bool = False,
) -> dict[str, Any]:
    """The children of `elem` by `plan`: a dict of the present, non-nil ones. `lenient`: forms
    come as JSON-ready dicts that the models have not checked (values the models refuse, e.g.
    a code outside its list, are kept for the business rules to word)."""
    namespace = NAMESPACES[version]
    table = {"{" + namespace + "}" + c.name: c for c in plan}
    found: dict[str, Any] = {}
    for sub in elem:
        if not isinstance(sub.tag, str):
            continue
        child = table.get(sub.tag)
        if child is None:
            raise CodecError(
                f"line {sub.sourceline}: {where}: unexpected element {_values._local(sub.tag)}"
            )
        if child.name in found:
            raise CodecError(f"line {sub.sourceline}: {where}: element {child.name} repeated")
        found[child.name] = _read_child(sub, child, version, f"{where}.{child.name}", lenient)
    return {k: v for k, v in found.items() if v is not None}


def _read_child(
    sub: etree._Element, child: Child, version: str, where: str, lenient: bool = False
) -> Any:
    if _values._is_nil(sub):
        return None
    if child.kind == "strings":
        return [
            _read_one(item, "str", "", "", version, where)
            for item in _items(sub, "{" + ARRAYS_NS + "}" + child.item, where)
        ]
    if child.is_list:
        tag = "{" + NAMESPACES[version] + "}" + child.item
        return [
            _read_one(item, child.kind, child.ref, child.type, version, where, lenient)
            for item in _items(sub, tag, where)
        ]
    return _read_one(sub, child.kind, child.ref, child.type, version, where, lenient)


def _items(sub: etree._Element, tag: str, where: str) -> list[etree._Element]:
    items = [item for item in sub if isinstance(item.tag, str)]
    for item in items:
        if item.tag != tag:
            raise CodecError(
                f"line {item.sourceline}: {where}: unexpected element {_values._local(item.tag)}"
            )
    return items


_SIMPLE = {"int": _values._int, "str": _values._str, "bool": _values._bool, "date": _values._date}


def _read_one(
    sub: etree._Element,
    kind: str,
    ref: str,
    type_name: str,
    version: str,
    where: str,
    lenient: bool = False,
) -> Any:
    simple = _SIMPLE.get(kind)
    try:
        if simple is not None:
            return simple(sub)
        if kind == "model" and lenient:
            values = _values._read(sub, getattr(_xml, f"_CHILDREN_{version}_{type_name}"))
            return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
        if kind == "model":
            parse = _xml._READERS[version]["{" + NAMESPACES[version] + "}" + type_name]
            return parse(sub)
        if kind == "record":
            return getattr(_results, ref)(**read(sub, RECORDS[ref], version, where))
        if kind == "raw":
            return sub
    except _values._Bad as bad:
        raise CodecError(f"line {sub.sourceline}: {where}: {bad.reason}") from None
    except _xml.XmlError as err:
        raise CodecError(f"{where}: {err}") from None
    raise AssertionError(kind)  # pragma: no cover
