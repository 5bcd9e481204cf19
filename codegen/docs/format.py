"""Values into the docs' Markdown, each escaped for where it goes (on top of escape.py's
filters): links, code spans, fenced blocks, dates, types, ages. Whatever returns
`escape.Code` is built only from escaped parts or checked tokens."""

from __future__ import annotations

import re

from codegen.emitters import escape
from codegen.emitters.escape import Code, TemplateValueError

# A link target: a page path and an anchor made of names from the spec (Felt-IDs, variables,
# codes, rule ids), which are words; nothing that could end the link or start markup.
_TARGET = re.compile(r"[\w.\-/#]*\Z")


def link(text: object, target: str) -> Code:
    """A Markdown link: its text escaped (a plain token, which holds no markup, as it is),
    its target a checked path#anchor."""
    if not isinstance(target, str) or not _TARGET.match(target):
        raise TemplateValueError(f"not a link target: {target!r:.80}")
    plain = isinstance(text, str) and escape.PLAIN.match(text)
    return Code(f"[{text if plain else escape.md(text)}]({target})")


def code(value: object) -> Code:
    """An inline code span (Markdown shows its content as it is, HTML-escaped): the fence is
    longer than any run of backticks inside; a table's pipe cannot stand in it."""
    text = escape.comment(value)  # one line, no controls
    if "|" in text:
        raise TemplateValueError(f"a pipe cannot stand in a code span: {text!r:.80}")
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Code(f"{ticks}{pad}{text}{pad}{ticks}")


def fence(text: object, info: str) -> Code:
    """A fenced code block of `text`, its fence longer than any backtick run inside.
    `info` (language and title) comes from the template itself."""
    if not isinstance(text, str) or re.search("[\x00-\x08\x0b-\x1f\x7f]", text):
        raise TemplateValueError(f"not text for a code block: {text!r:.80}")
    ticks = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return Code(f"{ticks}{info}\n{text.rstrip()}\n{ticks}")


def markdown_source(text: str) -> Code:
    """Markdown written by the spec's maintainers (PROVENANCE.md): kept as Markdown, but
    with HTML's characters as entities, so it cannot carry markup or script into the site."""
    escape.comment(text.replace("\n", " ").replace("\t", " "))  # no control characters
    return Code(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def type_ref(type_name: str, page: str) -> Code:
    """An element's type: XML Schema's own as code, the service's as a link to it on the
    service's `page` ("" for the page itself)."""
    if type_name.startswith("xs:"):
        return code(type_name)
    return link(type_name, f"{page}#type-{type_name}")


def show_date(value: object) -> str:
    if value is None:
        return "open"
    if value == "not-stated":
        return "not stated"
    return escape.date(value)


def age_text(code: dict) -> str:
    parts = []
    if code["min_age"] is not None:
        parts.append(f"≥ {code['min_age']}")
    if code["max_age"] is not None:
        parts.append(f"≤ {code['max_age']}")
    return ", ".join(parts)
