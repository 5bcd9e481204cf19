"""Values into templates: each checked for its kind and escaped for the template's language.

Every template output (`{{ ... }}`) passes `finalize`, which lets through only
- `Code`: text an escaping filter below made (or an emitter built from such text), and
- plain tokens: numbers, booleans, and words of letters, digits, `_`, `.`, `-`, `,` and
  spaces (an identifier, a date, a Felt-ID, a separator), which can neither end a string,
  comment or docstring nor call anything in any target language.
Anything else (a string holding a quote, a space, a newline) stops generation with the
template's name: it must go through the filter of its target, so no field added later can
put raw text into generated code.

Filters, one per target: `py` (a Python literal), `ident` (a Python identifier), `pydoc`
(text inside a Python docstring), `comment` (a one-line comment), `json`, `toml` (a TOML
string), `md` (Markdown text) and `xml` (XML text or attribute value).
"""

from __future__ import annotations

import datetime as dt
import json as _json
import keyword
import re
import unicodedata

from jinja2 import Undefined, pass_context


class Code(str):
    """Text already escaped for the template's target language."""

    __slots__ = ()


class TemplateValueError(ValueError):
    """A value that cannot go into a template as it is (the emitters' ValueError)."""


PLAIN = re.compile(r"[\w.\-, ]*\Z")
# Characters that are never wanted raw in generated text: C0/C1 controls (but tab and
# newline, which `pydoc` handles itself), line and paragraph separators, bidi overrides.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _refuse(what: str, value: object) -> TemplateValueError:
    shown = repr(value)
    return TemplateValueError(f"{what}: {shown[:80]}{'…' if len(shown) > 80 else ''}")


def py(value: object) -> Code:
    """A Python literal of plain data: None, bool, int, str, date, and tuples, lists,
    frozensets and dicts of those. Anything else (an object whose repr is code) is refused."""
    if value is None or isinstance(value, bool | int):
        return Code(repr(value))
    if isinstance(value, str):
        return py_string(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return Code(f"dt.date({value.year}, {value.month}, {value.day})")
    if isinstance(value, tuple):
        items = [py(v) for v in value]
        return Code(f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})")
    if isinstance(value, list):
        return Code(f"[{', '.join(py(v) for v in value)}]")
    if isinstance(value, frozenset):
        items = sorted(py(v) for v in value)
        return Code(f"frozenset({{{', '.join(items)}}})" if items else "frozenset()")
    if isinstance(value, dict):
        return Code("{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}")
    raise _refuse("not plain data, cannot be a Python literal", value)


def py_string(value: object) -> Code:
    """A double-quoted Python string literal (JSON's string syntax is a subset of Python's)."""
    if not isinstance(value, str):
        raise _refuse("not a string", value)
    return Code(_json.dumps(str(value), ensure_ascii=False))


def ident(value: object) -> Code:
    """A Python identifier, as it is (NFKC-stable, not a keyword)."""
    if (
        not isinstance(value, str)
        or not value.isidentifier()
        or keyword.iskeyword(value)
        or unicodedata.normalize("NFKC", value) != value
    ):
        raise _refuse("not a Python identifier", value)
    return Code(value)


def pydoc(value: object) -> Code:
    """Text inside a docstring: no quote run that could end the docstring, no
    backslash escapes, no controls; a newline stays (the template indents what follows)."""
    text = _text(value)
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return Code(text)


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def date(value: object) -> Code:
    """A date as `YYYY-MM-DD` text (ASCII digits): the same in every target language."""
    if not isinstance(value, str) or not DATE.match(value):
        raise _refuse("not a date YYYY-MM-DD", value)
    return Code(value)


def comment(value: object) -> Code:
    """Text of a one-line Python comment: no line break (which would end the comment)."""
    text = _text(value)
    if "\n" in text or "\r" in text:
        raise _refuse("a comment is one line", value)
    return Code(text)


def json(value: object) -> Code:
    """A JSON value."""
    try:
        return Code(_json.dumps(value, ensure_ascii=False, sort_keys=True))
    except (TypeError, ValueError):
        raise _refuse("not JSON data", value) from None


def toml(value: object) -> Code:
    """A TOML basic string (its escapes are JSON's)."""
    if not isinstance(value, str):
        raise _refuse("not a string", value)
    return Code(_json.dumps(str(value), ensure_ascii=False))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&-])")


def md(value: object) -> Code:
    """Markdown text, one line: every character Markdown or HTML could read as markup is
    backslash-escaped; line breaks become spaces (a value cannot start a heading or a block)."""
    text = " ".join(_text(value).split())
    return Code(_MD_SPECIAL.sub(r"\\\1", text))


def xml(value: object) -> Code:
    """XML character data or an attribute value (either quote)."""
    text = _text(value)
    for raw, escaped in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&apos;"),
    ):
        text = text.replace(raw, escaped)
    return Code(text)


def _text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _refuse("not text", value)
    text = str(value)
    if _UNSAFE.search(text):
        raise _refuse("holds a control character", value)
    return text


def join(value, separator: str = "", attribute=None) -> str:
    """Jinja's `join`, keeping the mark of escaped text: items all escaped (or plain tokens)
    joined by the template's own separator are escaped text too."""
    items = list(value)
    if attribute is not None:
        items = [getattr(item, attribute) for item in items]
    text = separator.join(str(item) for item in items)
    escaped = all(
        isinstance(i, Code | int) or (isinstance(i, str) and PLAIN.match(i)) for i in items
    )
    return Code(text) if escaped else text


FILTERS = {
    "join": join,
    "py": py,
    "py_string": py_string,
    "ident": ident,
    "pydoc": pydoc,
    "comment": comment,
    "date": date,
    "json": json,
    "toml": toml,
    "md": md,
    "xml": xml,
}


@pass_context
def finalize(context, value: object) -> object:
    """Every `{{ }}` output: escaped text and plain tokens only (see the module docstring)."""
    if isinstance(value, Code | bool | int | Undefined):
        return value  # an Undefined renders "" (`x if c` without else) or raises (strict)
    if isinstance(value, str) and PLAIN.match(value):
        return value
    raise TemplateValueError(
        f"template {context.name}: {_refuse('unescaped value (use a filter of escape.py)', value)}"
    )
