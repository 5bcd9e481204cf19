"""Read the decisions of a release's PROVENANCE.md (its table "Gaps and contradictions"), and
find which fields, code lists and rules each one concerns, from the text of both sides."""

from __future__ import annotations

import re
from dataclasses import dataclass

DECISION = re.compile(r"\bD(\d+)\b")
TABLE_HEADING = "## Gaps and contradictions"


@dataclass(frozen=True)
class Decision:
    id: str  # "D5"
    where: str
    says: str
    decision: str
    why: str

    @property
    def text(self) -> str:
        return " ".join((self.where, self.says, self.decision, self.why))


def split_provenance(markdown: str) -> tuple[str, list[Decision]]:
    """(the text before the decisions table, the decisions in their order)."""
    head, _, rest = markdown.partition(TABLE_HEADING)
    decisions = []
    for line in rest.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"D\d+", cells[0]):
            decisions.append(Decision(*cells))
    if rest and not decisions:
        raise ValueError("PROVENANCE.md: the decisions table has no rows")
    return head, decisions


def cited(text: str) -> list[str]:
    """The decisions a text cites ("PROVENANCE.md D9", "(D7, D8)"), in order, once each."""
    return list(dict.fromkeys(f"D{number}" for number in DECISION.findall(text)))


def words(text: str) -> set[str]:
    """The whole words of a text, a Felt-ID ("4-IVÆR") being one word."""
    return set(re.findall(r"[\w-]+", text))


def mentions(text: str, names: list[str]) -> list[str]:
    """Which of `names` (Felt-IDs, variables) stand in `text` as whole words."""
    found = words(text)
    return [name for name in names if name in found]
