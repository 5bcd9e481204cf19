"""The fused runner and the rules' own functions on the dates where the rules in force or their
severity change, by example (tests/rules/test_validate_never_raises.py leaves it to chance).

Hypothesis once found the two disagreeing at 2-ANM 0001-01-01 (warning against error): the
engine it compared with was built without the release's rules-change date, so it took an older
case for one under this release's rules. `Engine` now requires that date. Here 2-ANM and the
day of reporting each take the first and last day a date can hold and the day before, of and
after every date-control point of the canonical spec and every end of a rule's window.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json

import pytest
from conftest import ROOT, generated_module

CANONICAL = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text("utf-8"))
BASE = json.loads((ROOT / "spec" / "rules" / "examples" / "base-case.json").read_text("utf-8"))
DAY = dt.timedelta(days=1)
REPORTED = dt.date(2026, 11, 1)
# From this 2-ANM on, this release's rules govern a case for certain (README, "Rules, and how
# sure we are"): read from the spec, not from the generated RULES_CHANGE under test.
RULES_CHANGE = max(
    dt.date.fromisoformat(p["date"])
    for p in CANONICAL["date_control"]
    if p["effect"] == "rules-change" and p["basis"] == "2-ANM" and p["date"]
)


def _boundaries() -> list[dt.date]:
    engine = importlib.import_module("smdb._engine")
    validation = generated_module("smdb.validation")
    points = {dt.date.fromisoformat(p["date"]) for p in CANONICAL["date_control"] if p["date"]}
    points |= set(engine.segment_bounds(validation.RULES))
    days = {point + offset * DAY for point in points for offset in (-1, 0, 1)}
    return sorted(days | {dt.date.min, dt.date.max})


DAYS = _boundaries()


@pytest.fixture(scope="module")
def validation():
    return generated_module("smdb.validation")


@pytest.fixture(scope="module")
def one_by_one(validation):
    engine = importlib.import_module("smdb._engine")
    return engine.Engine(validation.RULES, validation.LAYOUT, rules_change=validation.RULES_CHANGE)


def _case(anm: dt.date) -> dict:
    case = copy.deepcopy(BASE)
    case["Anmodning"]["BehandlingAnmodningDato"] = anm.isoformat()
    return case


def _expected_severity(rule, anm: dt.date) -> str:
    """The README's table: stated rules give errors, inferred ones warnings; before the rules
    change every rule warns except those that hold for older cases too."""
    if rule.severity != "error":
        return rule.severity
    if rule.basis == "inferred" or (anm < RULES_CHANGE and not rule.older_cases):
        return "warning"
    return "error"


def test_the_boundaries_include_the_extremes_and_the_rules_change():
    assert RULES_CHANGE - DAY in DAYS and RULES_CHANGE in DAYS and RULES_CHANGE + DAY in DAYS
    assert DAYS[0] == dt.date.min and DAYS[-1] == dt.date.max


@pytest.mark.parametrize("anm", DAYS, ids=str)
def test_fused_runner_agrees_on_every_boundary(validation, one_by_one, anm):
    case = _case(anm)
    for today in DAYS:
        for strict in (False, True):
            fused = validation.validate(case, today=today, strict=strict)
            rule_by_rule = one_by_one.validate(case, today=today, strict=strict)
            assert fused == rule_by_rule, f"2-ANM {anm}, today {today}, strict {strict}"


@pytest.mark.parametrize("anm", DAYS, ids=str)
def test_severity_follows_the_case_date(validation, one_by_one, anm):
    case = _case(anm)
    fused = validation.validate(case, today=REPORTED)
    assert fused == one_by_one.validate(case, today=REPORTED)
    for violation in fused:
        rule = validation.rule(violation.rule)
        assert violation.severity == _expected_severity(rule, anm), (anm, violation)
    # The base case breaks a stated rule that is no older-cases rule on every such date, so
    # each date shows the difference between an older case and a current one.
    certain = [v for v in fused if validation.rule(v.rule).basis == "stated"]
    certain = [v for v in certain if not validation.rule(v.rule).older_cases]
    assert certain, anm
    assert {v.severity for v in certain} == {"warning" if anm < RULES_CHANGE else "error"}


def test_an_engine_needs_its_release_rules_change(validation):
    """Without it the engine would judge a case of 0001-01-01 as one under this release's rules
    and report errors where `validate` warns."""
    engine = importlib.import_module("smdb._engine")
    with pytest.raises(TypeError, match="rules_change"):
        engine.Engine(validation.RULES, validation.LAYOUT)
