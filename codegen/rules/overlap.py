"""spec/rules/definitions/overlap.yaml: when two tilbudstilknytninger are active "på samme tid"
(§6.1.4), defined once as data and used by `max_parallel` in every rule that counts them."""

from __future__ import annotations

from pathlib import Path

import yaml

from codegen.errors import SourceError
from codegen.model import SourceRef, Spec
from codegen.rules.citations import Citations, basis_error, cite_error
from codegen.rules.layout import case_layout
from codegen.rules.model import BASES, Overlap

OVERLAP = Path("definitions") / "overlap.yaml"
KEYS = ("start", "end", "end_inclusive", "basis", "cites")


def load_overlap(
    folder: Path, spec: Spec, base: Path, citations: Citations | None = None
) -> Overlap | None:
    """The definition in `folder/definitions/overlap.yaml`, checked against the spec; None
    without the file (then no rule may count parallel tilbudstilknytninger)."""
    path = folder / OVERLAP
    if not path.is_file():
        return None
    try:
        shown = str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        shown = str(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(
            f"not valid YAML: {exc}", file=shown, line=mark.line + 1 if mark else None
        ) from None
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {k.value: v.start_mark.line + 1 for k, v in node.value}

    def fail(message: str, key: str | None = None):
        raise SourceError(f"overlap: {message}", file=shown, line=lines.get(key, 1))

    if not isinstance(data, dict) or set(data) != set(KEYS):
        fail(f"the definition has exactly the keys {', '.join(KEYS)}")
    layout = case_layout(spec)
    found = []
    for key in ("start", "end"):
        place = layout.felt_id_field(data[key]) if isinstance(data[key], str) else None
        if place is None or place[1].datatype != "date":
            fail(f"{key} {data[key]!r} is not the Felt-ID of a date field of the case", key)
        found.append(place[0].name)
    if found[0] != found[1] or not layout.element(found[0]).is_list:
        fail("start and end are fields of the same list form (the tilbudstilknytninger)")
    if not isinstance(data["end_inclusive"], bool):
        fail("end_inclusive is true or false", "end_inclusive")
    if data["basis"] not in BASES:
        fail(f"basis must be one of {', '.join(BASES)}", "basis")
    cites = data["cites"]
    if not isinstance(cites, list) or not cites:
        fail("cites lists kravspec lines and/or PROVENANCE decisions", "cites")
    for cite in cites:
        error = cite_error(cite, citations)
        if error:
            fail(error, "cites")
    error = basis_error(data["basis"], cites)
    if error:
        fail(error, "cites")
    return Overlap(
        start=data["start"],
        end=data["end"],
        end_inclusive=data["end_inclusive"],
        basis=data["basis"],
        cites=tuple(cites),
        source=SourceRef(file=shown, place="line 1"),
    )
