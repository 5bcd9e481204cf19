"""XML values as DST's WSDL types write them, for `smdb.xml` and the SOAP codec.

Plain helpers that hold no fact of the spec: the hardened parser and `XmlError`, the writers
and readers of xs:int, xs:boolean, xs:string, dates (xs:dateTime at midnight), code lists and
string arrays, the general reader that goes by a tag table, the messages that say what is
wrong and where, and a request parameter's writer. `smdb.xml`'s generated writers and readers
call them; what they accept and write is described there.
"""

from __future__ import annotations

import copy as _copy
import datetime as _dt
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from lxml import etree
from pydantic import BaseModel, ValidationError

from ._facts import CPR_ELEMENTS as _CPR_ELEMENTS
from ._privacy import mask_text, shown

# A converter of the general reader: an element's value (None where nil), or _Bad.
Convert = Callable[[etree._Element], object]
# A type's tag table: child tag -> (model attribute, converter).
TagTable = dict[str, tuple[str, Convert]]
_Model = TypeVar("_Model", bound=BaseModel)

_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_DTD_REFUSED = "DTDs and entities are not allowed (the document has a DOCTYPE)"

# One parser for every document: no entities, no DTD, no network, no comments or PIs.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class XmlError(ValueError):
    """A document that cannot be read: malformed, hostile, or not what the WSDL describes.

    `line` is the document's line (None where unknown); the message starts with it.
    """

    __module__ = "smdb.xml"  # where vendors import it from: tracebacks and pickles name it so

    def __init__(self, message: str, line: int | None = None):
        message = shown(message)  # whatever a message was made of: CPR masked, controls escaped
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}" if line else message)


# --- writing values -----------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CLEAN = re.compile("[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")
_clean = _CLEAN.fullmatch  # the writers' test: a string that needs no escaping
# The common xs:int values, 0 to 999: the writers look their text up (cheaper than "%d" % value).
# %-formatting here and below as the generated writers do: "%d" also writes an int-valued float.
_INT_TEXTS = {n: "%d" % n for n in range(1000)}  # noqa: UP031


def _text(value: str, name: str) -> str:
    """A string as element content: escaped; characters XML cannot hold refused."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    if _NOT_XML.search(value) is not None:
        raise ValueError(f"{name}: holds a character that XML 1.0 cannot carry")
    # '>' too (for ']]>'), and CR, which a parser would otherwise turn into LF
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _all_clean(values: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Whether no string among `values[name]` needs escaping: one regex for all, not one each.

    `values` is a model's `__dict__`; a value that is not a str makes the join fail (False).
    """
    try:
        return (
            _clean("".join([value for value in map(values.get, names) if value is not None]))
            is not None
        )
    except TypeError:  # not a str: the writer finds it, element by element
        return False


def _int_text(value: int, name: str) -> str:
    if not _INT_MIN <= value <= _INT_MAX:
        raise ValueError(f"{name}: {mask_text(str(value))} is out of range for xs:int (32 bits)")
    return "%d" % value  # noqa: UP031


def _date_text(value: _dt.date) -> str:
    return "%04d-%02d-%02dT00:00:00" % (value.year, value.month, value.day)  # noqa: UP031


def _csv_text(values: list[str], name: str) -> str:
    for value in values:
        if "," in value:
            raise ValueError(
                f"{name}: {_show(name, value)} holds a comma, which separates codes here"
            )
    return _text(",".join(values), name)


# --- reading values -----------------------------------------------------------------------


class _Bad(Exception):
    """A value that does not convert (internal; `_read` turns it into an XmlError)."""

    def __init__(self, reason: str, *, show: bool = True, line: int | None = None):
        self.reason = reason
        self.show = show
        self.line = line


_HAS_CHILDREN = "has child elements where a value is expected"
# Keyed by str | None: the fast readers look up an element's text, None where it has none.
_BOOLEANS: dict[str | None, bool] = {"true": True, "false": False, "1": True, "0": False}
_XS_WHITESPACE = " \t\n\r"
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_DATE_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T00:00:00(?:\.0+)?)?")
_MIDNIGHT_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00")
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_date_fromisoformat = _dt.date.fromisoformat
# The fast readers look them up (by an element's text, None where it has none).
_INT_VALUES: dict[str | None, int] = {text: n for n, text in _INT_TEXTS.items()}


# Past the last child, for the fast readers: an element of its own, which no document holds
# and whose tag is in no namespace, so it matches no child the readers expect.
_END = etree.Element("end")


def _is_nil(elem: etree._Element) -> bool:
    # xsi:nil is an xs:boolean: "true" or "1", whitespace collapsed (" true " is nil too).
    nil = elem.get(_XSI_NIL)
    return nil is not None and nil.strip(_XS_WHITESPACE) in ("true", "1")


def _empty(elem: etree._Element, reason: str) -> None:
    """An element without text: nil (None), or an error saying what was expected."""
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    if not _is_nil(elem):
        raise _Bad(reason, show=False)


def _str(elem: etree._Element) -> str | None:
    text = elem.text
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    if text is None:
        return None if _is_nil(elem) else ""
    return text


def _int(elem: etree._Element) -> int | None:
    text = elem.text
    if text is None:
        _empty(elem, "is empty; an integer is expected")
        return None
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    text = text.strip(_XS_WHITESPACE)  # xs:int collapses whitespace
    if _INT_TEXT.fullmatch(text) is None:
        raise _Bad("is not an integer")
    # More than 10 significant digits is out of range; don't let int() read thousands of them.
    if len(text.lstrip("+-").lstrip("0")) > 10:
        raise _Bad("is out of range for xs:int (32 bits)")
    value = int(text)
    if not _INT_MIN <= value <= _INT_MAX:
        raise _Bad("is out of range for xs:int (32 bits)")
    return value


def _bool(elem: etree._Element) -> bool | None:
    text = elem.text
    if text is None:
        _empty(elem, "is empty; true or false is expected")
        return None
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    value = _BOOLEANS.get(text.strip(_XS_WHITESPACE))
    if value is None:
        raise _Bad("is not a boolean (true, false, 1 or 0)")
    return value


def _date(elem: etree._Element) -> _dt.date | None:
    text = elem.text
    if text is None:
        _empty(elem, "is empty; a date is expected")
        return None
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    text = text.strip(_XS_WHITESPACE)
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise _Bad(_not_a_date(text))
    try:
        return _date_fromisoformat(match[1])
    except ValueError:
        raise _Bad("is not a date (no such day)") from None


def _not_a_date(text: str) -> str:
    match = _DATETIME_TEXT.fullmatch(text)
    if match is None:
        return "is not a date (YYYY-MM-DD or YYYY-MM-DDT00:00:00)"
    if match[2]:
        return "is not a date: a time zone is not allowed (an SMDB date is a calendar date)"
    return "is not a date: its time of day must be 00:00:00"


def _decimal(text: str | None) -> int | None:
    """The fast readers' integer: an xs:int as `dumps` writes one (no whitespace), else None."""
    if text is not None and len(text) <= 11 and _INT_TEXT.fullmatch(text) is not None:
        value = int(text)
        if _INT_MIN <= value <= _INT_MAX:
            return value
    return None


def _midnight(text: str) -> _dt.date | None:
    """The fast readers' date: exactly `YYYY-MM-DDT00:00:00` of a real day, else None."""
    if len(text) == 19 and _MIDNIGHT_TEXT.fullmatch(text) is not None:
        try:
            return _date_fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _csv(elem: etree._Element) -> list[str] | None:
    """A list of codes as one comma-separated string."""
    text = elem.text
    if len(elem):
        raise _Bad(_HAS_CHILDREN, show=False)
    if text is None:
        return None if _is_nil(elem) else []
    text = text.strip(_XS_WHITESPACE)
    return [code.strip(_XS_WHITESPACE) for code in text.split(",")] if text else []


def _strings(elem: etree._Element, item_tag: str) -> list[str] | None:
    """A WCF string array: one element per item."""
    if elem.text and elem.text.strip(_XS_WHITESPACE):
        raise _Bad("has text where one element per item is expected")
    if not len(elem):
        return None if _is_nil(elem) else []
    items: list[str] = []
    for child in elem:
        if child.tag != item_tag:
            raise _unknown_child(child, elem)
        text = child.text
        if len(child):
            raise _Bad(_HAS_CHILDREN, show=False, line=_line(child))
        if text is None:
            if _is_nil(child):
                raise _Bad("has a nil item", show=False, line=_line(child))
            text = ""
        items.append(text)
    return items


def _models(
    elem: etree._Element, item_tag: str, parse: Callable[[etree._Element], _Model | None]
) -> list[_Model]:
    """An array of forms (e.g. ArrayOf<form>); nil is an empty list."""
    items: list[_Model] = []
    for child in elem:
        if child.tag != item_tag:
            raise _unknown_child(child, elem)
        item = parse(child)
        if item is None:
            raise XmlError(f"element {_local(child.tag)}: a nil item in a list", _line(child))
        items.append(item)
    return items


def _raw(elem: etree._Element) -> etree._Element | None:
    """An open-content type of a retired form: the element itself, unchecked."""
    if not len(elem) and elem.text is None and _is_nil(elem):
        return None
    return elem


def _read(elem: etree._Element, table: TagTable) -> dict[str, object]:
    """The general reader: `elem`'s children as {name: value}, through its tag table."""
    values: dict[str, object] = {}
    for child in elem:
        entry = table.get(child.tag)
        if entry is None:
            raise _unknown_child(child, elem)
        name, convert = entry
        if name in values:
            raise XmlError(f"element {name} appears more than once", _line(child))
        try:
            values[name] = convert(child)
        except _Bad as bad:
            raise _bad_value(child, name, bad) from None
    return values


def _validate(model: type[_Model], values: dict[str, object], elem: etree._Element) -> _Model:
    try:
        # What model_validate(values) does, without its keyword-argument handling on every call.
        validated: _Model = model.__pydantic_validator__.validate_python(values)
    except ValidationError as err:
        raise _invalid(err, elem) from None
    return validated


# --- error messages -----------------------------------------------------------------------


def _line(elem: etree._Element) -> int | None:
    """The element's line in its document, None where unknown."""
    line: int | None = elem.sourceline  # type: ignore[assignment]  # lxml-stubs 0.5 give `...`
    return line


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _named(tag: str, namespace: str) -> str:
    """A tag for a message: its local name where it is in the expected namespace."""
    return _local(tag) if tag.startswith("{" + namespace + "}") else tag


def _show(name: str, value: object) -> str | None:
    """A value for a message: CPR numbers masked, long texts cut."""
    if isinstance(value, str):
        if name in _CPR_ELEMENTS:
            value = value[:6] + "-****"
        value = mask_text(value)  # before repr, which writes invisible separators as escapes
        if len(value) > 40:
            value = value[:40] + "..."
        return repr(value)
    if isinstance(value, bool | int | _dt.date):
        return str(value)
    return None


def _unknown_child(child: etree._Element, parent: etree._Element) -> XmlError:
    namespace = parent.tag[1:].partition("}")[0] if parent.tag.startswith("{") else ""
    name = _named(child.tag, namespace) if isinstance(child.tag, str) else repr(child)
    return XmlError(f"unknown element {name} in {_local(parent.tag)}", _line(child))


def _bad_value(child: etree._Element, name: str, bad: _Bad) -> XmlError:
    line = bad.line or _line(child)
    if not bad.show:
        return XmlError(f"element {name} {bad.reason}", line)
    return XmlError(f"element {name}: {_show(name, child.text or '')} {bad.reason}", line)


def _invalid(err: ValidationError, elem: etree._Element) -> XmlError:
    """The first problem the model found, located in the document."""
    problems = err.errors(include_url=False, include_context=False)
    first = problems[0]
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    loc = first["loc"]
    owner = _local(elem.tag)
    if not loc:
        return XmlError(f"element {owner}: {first['msg']}{more}", _line(elem))
    name = str(loc[0])
    if first["type"] == "missing":
        return XmlError(f"element {owner}: required element {name} is missing{more}", _line(elem))
    child = next((c for c in elem if _local(c.tag) == name), None)
    line = _line(elem) if child is None else _line(child)
    where = name
    for part in loc[1:]:
        if isinstance(part, int):
            where += f" item {part + 1}"
            if child is not None and len(child) > part:
                line = _line(child[part])
        else:
            where += f".{part}"
    shown = _show(name, first.get("input"))
    value = "" if shown is None else f"{shown} is invalid: "
    return XmlError(f"element {where}: {value}{first['msg']}{more}", line)


# --- documents ----------------------------------------------------------------------------

_DOCTYPES = tuple(
    ("<!DOCTYPE".encode(c), "\n".encode(c)) for c in ("utf-8", "utf-16-le", "utf-16-be")
)


def _parse(data: bytes | str) -> etree._Element:
    """The root element of a document, parsed safely; a DOCTYPE is refused."""
    if isinstance(data, str):
        if data.startswith("<?xml"):
            end = data.find("?>")  # its encoding means nothing in a str: drop it, keep lines
            data = data[end + 2 :] if end > 0 else data
        data = data.encode("utf-8")
    elif isinstance(data, bytearray | memoryview):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise TypeError(f"XML must be bytes or str, not {type(data).__name__}")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as err:
        line = _doctype_line(data)
        if line is not None:  # libxml2 rejects some entity tricks as syntax errors
            raise XmlError(_DTD_REFUSED, line) from None
        message = re.sub(r", line \d+, column (\d+)$", r" (column \1)", err.msg or str(err))
        raise XmlError(f"malformed XML: {message}", err.lineno or None) from None
    info = root.getroottree().docinfo
    # lxml-stubs 0.5 lack DocInfo.doctype (lxml has had it since 2.0)
    if info.doctype or info.internalDTD is not None:  # type: ignore[union-attr]
        raise XmlError(_DTD_REFUSED, _doctype_line(data) or 1)
    return root


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE in the raw bytes, if there is one (UTF-8 or UTF-16)."""
    for marker, newline in _DOCTYPES:
        at = data.find(marker)
        if at >= 0:
            return data.count(newline, 0, at) + 1
    return None


# --- SOAP request bodies ------------------------------------------------------------------


class _Param(NamedTuple):
    name: str
    tag: str
    kind: str  # int | str | bool | date | model | raw
    model: type[BaseModel] | None
    write: Callable[..., str] | None  # kind model: the writer of `model`
    read: Convert


class _Operation(NamedTuple):
    name: str
    service: str
    tag: str  # the wrapper element
    start: str  # its start tag, declaring the namespace
    end: str
    params: tuple[_Param, ...]


def _write_param(
    out: Callable[[str], object], param: _Param, value: object, operation: str
) -> None:
    where = f"{operation}: parameter {param.name}"
    name = _local(param.tag)
    if param.kind == "model" and param.model is not None and param.write is not None:
        if not isinstance(value, param.model):
            raise TypeError(f"{where} takes {param.model.__name__}, not {type(value).__name__}")
        out(f"<{name}>{param.write(value)}</{name}>")
    elif param.kind == "raw":
        if not isinstance(value, etree._Element):
            raise TypeError(f"{where} takes an lxml element, not {type(value).__name__}")
        copy = _copy.copy(value)  # lxml's __copy__: the element and its subtree
        copy.tag = param.tag
        copy.tail = None
        out(etree.tostring(copy, encoding="unicode"))
    elif param.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{where} takes an int, not {type(value).__name__}")
        out(f"<{name}>{_int_text(value, where)}</{name}>")
    elif param.kind == "str":
        if not isinstance(value, str):
            raise TypeError(f"{where} takes a str, not {type(value).__name__}")
        out(f"<{name}>{_text(value, where)}</{name}>")
    elif param.kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{where} takes a bool, not {type(value).__name__}")
        out(f"<{name}>{'true' if value else 'false'}</{name}>")
    elif param.kind == "date":
        if not isinstance(value, _dt.date):
            raise TypeError(f"{where} takes a datetime.date, not {type(value).__name__}")
        out(f"<{name}>{_date_text(value)}</{name}>")
    else:  # pragma: no cover - the emitter plans only the kinds above
        raise AssertionError(param.kind)
