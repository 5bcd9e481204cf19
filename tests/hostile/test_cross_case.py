"""The cross-case check of `smdb validate` compares each case with two witnesses of its group
instead of every other case: the same verdicts as all pairs, in linear time per group."""

from __future__ import annotations

import copy
import json
import os
import random
import types

import pytest
from bounded import ROOT, run_bounded
from conftest import generated_module

from codegen.emitters.cli import _exclusive_filter

PACKAGE = ROOT / "generated" / "python"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
TODAY = "2026-11-01"
FORMS = {"Anmodning", "Afslutning", "Ivaerksaettelse", "Tilbudstilknytninger"}
KEY = {("Anmodning", "KommuneKode"), ("Anmodning", "PersonIdentifikator")}


def test_the_cli_knows_its_witness_filter():
    cli = generated_module("smdb.cli")
    assert cli.WITNESS_FILTERS == (("Afslutning", "BehandlingAfsluttetDato"),)


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (
            "not any(sag.Anmodning.PersonIdentifikator == Anmodning.PersonIdentifikator "
            "and sag.Anmodning.KommuneKode == Anmodning.KommuneKode "
            "for sag in active_cases(other_cases))",
            "active",
        ),
        (
            "not any(Anmodning.KommuneKode == sag.Anmodning.KommuneKode for sag in other_cases)",
            None,
        ),
        # Anything more than group-key equalities needs every pair: no witnesses.
        (
            "not any(sag.Anmodning.KommuneKode == Anmodning.KommuneKode and "
            "sag.Anmodning.BehandlingAnmodningDato > Anmodning.BehandlingAnmodningDato "
            "for sag in other_cases)",
            False,
        ),
        ("len(other_cases) < 3", False),
        ("not any(sag.Anmodning.Id == Anmodning.Id for sag in other_cases)", False),
        ("any(sag.Anmodning.KommuneKode == Anmodning.KommuneKode for sag in other_cases)", False),
        (
            "not any(sag.Anmodning.KommuneKode == sag.Anmodning.KommuneKode "
            "for sag in other_cases)",
            False,
        ),
    ],
)
def test_only_rules_that_forbid_another_case_of_the_group_get_witnesses(check, expected):
    rule = types.SimpleNamespace(check=check)
    assert _exclusive_filter(rule, FORMS, KEY) == expected


def test_witnesses_give_the_verdicts_of_all_pairs(tmp_path):
    """Groups of several sizes, each case active or closed at random: the CLI's verdicts are
    those of validating each case against all the other cases of the run."""
    validation = generated_module("smdb.validation")
    rng = random.Random(10)
    base = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    cases = []
    for group, size in enumerate([1, 2, 2, 3, 5, 8]):
        for _ in range(size):
            case = copy.deepcopy(base)
            case["Anmodning"]["PersonIdentifikator"] = f"01019{group}1234"
            if rng.random() < 0.5:
                case["Afslutning"] = None
            cases.append(case)
    rng.shuffle(cases)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    result = run_bounded(
        "-m",
        "smdb.cli",
        "validate",
        "--today",
        TODAY,
        "--format",
        "json",
        str(path),
        env={**os.environ, "PYTHONPATH": str(PACKAGE)},
    )
    found = {
        entry["index"] for entry in json.loads(result.stdout) if entry["rule"] == "SMDB-SAG-AKTIV"
    }
    expected = {
        index
        for index, case in enumerate(cases)
        if any(
            v.rule == "SMDB-SAG-AKTIV"
            for v in validation.validate(
                case, today=TODAY, other_cases=cases[:index] + cases[index + 1 :]
            )
        )
    }
    assert expected  # the sample has conflicts
    assert found == expected
