"""The two sides of `smdbgen diff`: a release name (its spec/canonical/<release>.json) or the
path of a canonical spec file (e.g. the one a vendor built against), read and checked enough
that the diff can walk it; anything else is one SourceError naming the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from codegen.errors import SourceError

MAX_BYTES = 64 << 20  # a canonical spec is ~1 MB
_RELEASE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# Where the diff looks up keys: (list path, keys each item must have).
KEYED = (
    ("forms", ("name",)),
    ("forms.fields", ("variable",)),
    ("codelists", ("name",)),
    ("codelists.codes", ("code",)),
    ("date_control", ("id",)),
    ("rules", ("id",)),
    ("municipalities", ("code",)),
    ("services", ("service", "api_version")),
    ("services.operations", ("name",)),
    ("services.operations.request", ("name",)),
    ("services.operations.response", ("name",)),
    ("services.types", ("name",)),
    ("services.types.elements", ("name",)),
    ("service_facts.endpoints", ("service", "api_version")),
    ("service_facts.server_checks", ("id",)),
)


def load(argument: str, canonical: Path) -> dict:
    path = Path(argument)
    if not path.is_file() and _RELEASE.match(argument):
        path = canonical / f"{argument}.json"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in canonical.glob("*.json"))) or "none"
            raise SourceError(
                f"no canonical spec of release {argument} (known: {known})", file=str(path)
            )
    if not path.is_file():
        raise SourceError(
            "no such file (give a release, YYYY-MM-DD, or a canonical spec file)", file=argument
        )
    if path.stat().st_size > MAX_BYTES:
        raise SourceError(f"larger than {MAX_BYTES >> 20} MB: not a canonical spec", file=str(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    except RecursionError:
        raise SourceError("invalid JSON: nested too deeply", file=str(path)) from None
    check(document, str(path))
    return document


def check(document: object, file: str) -> None:
    """Enough of the canonical spec's shape for the diff: its sections are lists of objects
    with their keys. The rest is compared as found."""
    if not isinstance(document, dict) or not isinstance(document.get("release"), dict):
        raise SourceError("not a canonical spec: no release object", file=file)
    if not isinstance(document["release"].get("id"), str):
        raise SourceError("not a canonical spec: release.id is not a text", file=file)
    try:
        for dotted, keys in KEYED:
            for where, item in _items(document, dotted.split("."), dotted.split(".")[0]):
                if not isinstance(item, dict):
                    raise ValueError(f"{where} is not an object")
                for key in keys:
                    if not isinstance(item.get(key), str | int) or isinstance(item[key], bool):
                        raise ValueError(f"{where} has no {key!r} (a text)")
    except ValueError as exc:
        raise SourceError(f"not a canonical spec: {exc}", file=file) from None


def _items(node: object, parts: list[str], where: str):
    """(place, item) of every item of the lists at `parts` (a list of lists, walked)."""
    value = node.get(parts[0]) if isinstance(node, dict) else None
    if value is None:
        return
    if isinstance(value, dict) and len(parts) > 1:  # service_facts.endpoints
        yield from _items(value, parts[1:], f"{where}.{parts[1]}")
        return
    if not isinstance(value, list):
        raise ValueError(f"{where} is not a list")
    for index, item in enumerate(value):
        place = f"{where}[{index}]"
        if len(parts) == 1:
            yield place, item
        elif isinstance(item, dict):
            yield from _items(item, parts[1:], f"{place}.{parts[1]}")
        else:
            yield place, item
