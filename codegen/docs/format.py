"""Text filters of the docs templates: Markdown-safe cells, dates, types, ages."""

from __future__ import annotations

import re


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell and as Markdown text: no pipes, no newlines,
    no HTML."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\s*\n\s*", " ", text).replace("|", "\\|").replace("*", "\\*")


def type_ref(type_name: str, page: str) -> str:
    """An element's type: XML Schema's own as code, the service's as a link to it on the
    service's `page` ("" for the page itself)."""
    if type_name.startswith("xs:"):
        return f"`{type_name}`"
    return f"[{type_name}]({page}#type-{type_name})"


def show_date(value: object) -> str:
    if value is None:
        return "open"
    if value == "not-stated":
        return "not stated"
    return str(value)


def age_text(code: dict) -> str:
    parts = []
    if code["min_age"] is not None:
        parts.append(f"≥ {code['min_age']}")
    if code["max_age"] is not None:
        parts.append(f"≤ {code['max_age']}")
    return ", ".join(parts)
