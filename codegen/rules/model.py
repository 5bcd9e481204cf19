"""Business rules as typed, frozen data (spec/rules/*.yaml, described in spec/rules/README.md).

A `Rule` keeps its expressions as written (Python expression syntax, checked and translated by
`codegen.rules.expressions`); its examples are changes to the base case
(`spec/rules/examples/base-case.json`). The canonical spec carries the rules as they are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from codegen.model import SourceRef, Validity

Severity = Literal["error", "warning", "notice"]
Basis = Literal["stated", "inferred"]
Context = Literal["case", "tilbud", "field", "reading"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "notice")
BASES: tuple[str, ...] = ("stated", "inferred")
CONTEXTS: tuple[str, ...] = ("case", "tilbud", "field", "reading")


@dataclass(frozen=True, slots=True)
class Change:
    """One change of an example: a dotted path into the case (`Tilbudstilknytninger.1.X`,
    `Tilbudstilknytninger+`, `$today`, `$other_cases`) and the JSON value put there."""

    path: str
    value: object


@dataclass(frozen=True, slots=True)
class Example:
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Examples:
    valid: tuple[Example, ...]  # each gives no violation of the rule
    invalid: tuple[Example, ...]  # each gives at least one


@dataclass(frozen=True, slots=True)
class Rule:
    id: str  # "SMDB-IVÆR-45"
    title_en: str
    section: str  # kravspec section, "6.1.3"
    felt_ids: tuple[str, ...]
    severity: Severity  # when the rule is certain: stated, or made certain by `strict`
    basis: Basis  # stated: the kravspec says it in words; inferred: our reading fills a gap
    cites: tuple[str, ...]  # kravspec lines ("2446-2452") and PROVENANCE decisions ("D22")
    older_cases: bool  # also holds for cases before the last change of rules (§6.2, §6.3)
    applies: Validity  # window on the anmodningsdato (2-ANM); valid_to exclusive, None open
    context: Context
    select: str | None  # context "field" only: which fields, over their metadata
    when: str | None  # None: always
    check: str
    message_da: str
    message_en: str
    reading: str  # the reading taken where the kravspec is ambiguous
    examples: Examples
    source: SourceRef | None = None  # file and "line N" of the rule

    @property
    def function_name(self) -> str:
        """The generated check function's name: `SMDB-IVÆR-45` -> `SMDB_IVÆR_45`."""
        return self.id.replace("-", "_")


@dataclass(frozen=True, slots=True)
class Overlap:
    """When two tilbudstilknytninger are "på samme tid" (§6.1.4): their periods run from the
    field `start` to the field `end` (Felt-IDs), the end day included or not."""

    start: str  # "3-TILB"
    end: str  # "4-TILB"
    end_inclusive: (
        bool  # False: half-open, one ending on day X and one starting on X do not overlap
    )
    basis: Basis
    cites: tuple[str, ...]
    source: SourceRef | None = None
