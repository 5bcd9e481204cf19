"""What a rule rests on (spec/rules/README.md, "Basis"): the kravspec lines that state it, or
the PROVENANCE.md decision that fills a gap the kravspec leaves.

A citation is `"2446-2452"` (lines of the release's kravspec text, `"2446"` for one),
`"D22"` (a row of PROVENANCE.md's decision tables; `E…` rows are the emulator's) or
`"reconstruction/felter.csv"` (a file of the release's reconstruction, where a reading comes
from our transcription rather than the kravspec). A stated rule cites at least one range of
lines: decisions and reconstruction files are readings, not statements. An inferred one cites
at least one decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LINES = re.compile(r"^(\d+)(?:-(\d+))?$")
DECISION = re.compile(r"^[DE]\d+$")
DECISION_ROW = re.compile(r"^\|\s*([DE]\d+)\s*\|", re.MULTILINE)
RECONSTRUCTION = re.compile(r"^reconstruction/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Citations:
    """What may be cited: the number of lines of the release's kravspec text and the
    decisions of its PROVENANCE.md."""

    kravspec_lines: int
    decisions: frozenset[str]
    files: frozenset[str] = frozenset()  # "reconstruction/<name>" of the release folder

    @classmethod
    def of(cls, kravspec: Path, provenance: Path) -> Citations:
        lines = kravspec.read_text(encoding="utf-8").count("\n") + 1
        decisions = frozenset(DECISION_ROW.findall(provenance.read_text(encoding="utf-8")))
        folder = provenance.parent / "reconstruction"
        files = frozenset(
            f"reconstruction/{p.name}" for p in sorted(folder.glob("*")) if p.is_file()
        )
        return cls(kravspec_lines=lines, decisions=decisions, files=files)


def cite_error(cite: object, citations: Citations | None) -> str | None:
    """Why `cite` is no citation (None if it is one); without `citations`, only its form."""
    if not isinstance(cite, str):
        return f"cites {cite!r}: not a string"
    lines = LINES.match(cite)
    if lines:
        first, last = int(lines.group(1)), int(lines.group(2) or lines.group(1))
        known = citations.kravspec_lines if citations else None
        if first < 1 or last < first or (known is not None and last > known):
            limit = f" (1-{known})" if known is not None else ""
            return f"cites {cite!r}: not a range of lines of the kravspec text{limit}"
        return None
    if DECISION.match(cite):
        if citations is not None and cite not in citations.decisions:
            return f"cites {cite!r}: no such decision in PROVENANCE.md"
        return None
    if RECONSTRUCTION.match(cite):
        if citations is not None and cite not in citations.files:
            return f"cites {cite!r}: no such file in the release's reconstruction folder"
        return None
    return (
        f'cites {cite!r}: neither kravspec lines ("2446-2452"), a decision ("D22") nor a '
        'reconstruction file ("reconstruction/felter.csv")'
    )


def basis_error(basis: str, cites: list[str] | tuple[str, ...]) -> str | None:
    """Why the citations do not fit the basis (None if they do)."""
    if basis == "stated" and not any(LINES.match(c) for c in cites):
        return (
            "a stated rule cites the kravspec lines that state it (decisions and "
            "reconstruction files are our readings: such a rule is inferred)"
        )
    if basis == "inferred" and not any(DECISION.match(c) for c in cites):
        return "an inferred rule cites the PROVENANCE decision it rests on"
    return None
