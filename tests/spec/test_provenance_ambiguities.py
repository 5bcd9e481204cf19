"""Every ambiguity of the second fidelity review (issue #22) is a decision of PROVENANCE.md
with its reading, its reason and a question for DST, and whatever acts on the reading (a rule
or a service fact) cites it."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from codegen.build import build_spec

PROVENANCE = ROOT / "spec" / "sources" / "2026-01-01" / "PROVENANCE.md"

# (words of the ambiguity found in its row, the rules or service facts acting on the reading)
AMBIGUITIES = [
    ("1. juli januar 20265", ["SMDB-DATO-REGLER-2025-H2"]),
    ("aktiv sag på borgeren", ["SMDB-SAG-AKTIV"]),
    ("dags dato", ["SMDB-FELT-DATO", "SMDB-DATO-TILBUDSSKEMAER", "SMDB-DATO-KVALHEP"]),
    ("29 February", ["SMDB-IVÆR-4-FRIT-VALG", "SMDB-IVÆR-4-SAMTYKKE", "SMDB-IVÆR-23"]),
    ("No lower bound on 2-ANM", []),
    ("SletAfslutning", []),
    ("Senest den 15. i efterfølgende måned", ["reporting_schedule"]),
    ("systemskifte procedure", ["start_date_lock"]),
    ("02 covers 03 and 04", []),
    ('no "Uoplyst"', ["SMDB-IVÆR-22"]),
    ("KommuneKode", ["SMDB-ANM-8"]),
    ("Felt-ID numbers have gaps", []),
    ("Naxolon", ["SMDB-TILB-SUBSTITUTION"]),
    ("one-day", ["SMDB-TILB-SUBSTITUTION"]),
    ("de gamle … muligheder", ["SMDB-FELT-KODE-UKENDT-FOER-2019"]),
    ("felter.csv", ["SMDB-IVÆR-22-IKKE-VIST"]),
]


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


def decision_rows() -> dict[str, list[str]]:
    rows = {}
    for line in PROVENANCE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (D\d+) \|", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split(" | ")]
    return rows


@pytest.mark.parametrize(("words", "acting"), AMBIGUITIES, ids=[a[0][:30] for a in AMBIGUITIES])
def test_the_ambiguity_is_a_decision_that_what_acts_on_it_cites(spec, words, acting):
    found = [d for d, cells in decision_rows().items() if words in " ".join(cells)]
    assert found, f"no decision of PROVENANCE.md mentions {words!r}"
    decision = found[-1]
    cells = decision_rows()[decision]
    assert len(cells) == 5 and all(cells), cells  # where, what, decision, why
    rules = {r.id: r for r in spec.rules}
    facts = spec.service_facts
    for name in acting:
        thing = rules.get(name) or getattr(facts, name)
        assert decision in thing.cites, f"{name} does not cite {decision} ({words!r})"


def test_the_new_decisions_each_ask_dst_or_say_nothing_rests_on_them():
    rows = decision_rows()
    for number in range(32, 44):
        text = " ".join(rows[f"D{number}"])
        assert "Ask DST" in text or "Not a rule" in text, number
