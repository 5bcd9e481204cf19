"""`smdb.validation.validate` never raises on bad data, and never shows a CPR number.

Hypothesis throws malformed cases at it: random JSON-like values at every key of the base case,
wrong shapes (lists for forms, forms for lists, scalars for the case), unknown keys, bad dates,
strings where numbers belong, pydantic models built without validation, and garbage as other
cases. The answer is always a list of `Violation`s whose messages and paths hold no unmasked
CPR number, even where the garbage itself is full of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import re

import pytest
from conftest import ROOT, generated_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE = json.loads((ROOT / "spec" / "rules" / "examples" / "base-case.json").read_text("utf-8"))
TODAY = dt.date(2026, 11, 1)
# An unmasked CPR number: ten digits in a row, or six and four around a hyphen or space.
UNMASKED = re.compile(r"\d{10}|\d{6}[-\s]\d{4}")
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def smdb():
    return generated_module("smdb.validation"), generated_module("smdb.models")


cprs = st.builds(
    lambda day, serial, hyphen: day.strftime("%d%m%y") + ("-" if hyphen else "") + serial,
    st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)),
    st.from_regex(r"\A[0-9]{4}\Z"),
    st.booleans(),
)
dates = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
date_like = st.one_of(
    dates,
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.from_regex(r"\A[0-9]{2}-[0-9]{2}-[0-9]{4}\Z"),
    st.just("2026-02-30"),
    st.just("2026-W05-1"),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    cprs,
    date_like,
    st.sampled_from(["01", "02", "04", "05", "06", "99", "", "1", "101"]),
)
keys = st.one_of(
    st.text(max_size=12),
    cprs,
    st.sampled_from(["Anmodning", "Ivaerksaettelse", "Afslutning", "Tilbudstilknytninger", "Id"]),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every path (tuple of keys and indexes) inside the base case, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = list(_paths(BASE))


def _put(case, path, value):
    if not path:
        return value
    target = case
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return case


@st.composite
def malformed_cases(draw):
    case = copy.deepcopy(BASE)
    for path in draw(st.lists(st.sampled_from(PATHS), max_size=6)):
        try:
            case = _put(case, path, draw(json_like))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the way there
    if draw(st.booleans()) and isinstance(case, dict):
        case[draw(keys)] = draw(json_like)
    return case


def _check(result, smdb_validation):
    assert isinstance(result, list)
    for violation in result:
        assert isinstance(violation, smdb_validation.Violation)
        for text in (violation.message_da, violation.message_en, violation.path):
            assert isinstance(text, str)
            assert not UNMASKED.search(text), text
        assert violation.rule in {r.id for r in smdb_validation.RULES}


@SETTINGS
@given(case=malformed_cases())
def test_malformed_cases(smdb, case):
    validation, _ = smdb
    _check(validation.validate(case, today=TODAY), validation)


@SETTINGS
@given(case=malformed_cases())
def test_fused_runner_agrees_with_the_rules_own_functions(smdb, case):
    validation, _ = smdb
    engine = importlib.import_module("smdb._engine")
    one_by_one = engine.Engine(
        validation.RULES, validation.LAYOUT, rules_change=validation.RULES_CHANGE
    )
    assert validation.validate(case, today=TODAY) == one_by_one.validate(case, today=TODAY)


@SETTINGS
@given(case=json_like)
def test_anything_at_all(smdb, case):
    validation, _ = smdb
    _check(validation.validate(case, today=TODAY), validation)


@SETTINGS
@given(case=malformed_cases(), others=st.lists(st.one_of(malformed_cases(), json_like), max_size=3))
def test_garbage_among_other_cases(smdb, case, others):
    validation, _ = smdb
    _check(validation.validate(case, today=TODAY, other_cases=others), validation)


@SETTINGS
@given(
    form=st.sampled_from(["Anmodning", "Ivaerksaettelse", "Afslutning", "Tilbudstilknytninger"]),
    value=json_like,
)
def test_models_built_without_validation(smdb, form, value):
    validation, models = smdb
    case = models.Kontaktforloeb.model_validate(BASE)
    broken = case.model_copy(update={form: value})
    _check(validation.validate(broken, today=TODAY), validation)


@SETTINGS
@given(cpr=cprs, where=st.sampled_from(PATHS))
def test_cpr_numbers_are_masked_wherever_they_appear(smdb, cpr, where):
    validation, _ = smdb
    case = _put(copy.deepcopy(BASE), where, cpr)
    found = validation.validate(case, today=TODAY)
    _check(found, validation)
    digits = cpr.replace("-", "")
    for violation in found:
        for text in (violation.message_da, violation.message_en, violation.path):
            assert cpr not in text and digits not in text, text


def test_a_few_by_hand(smdb):
    validation, models = smdb
    for case in (None, [], "x", 5, {}, {"Anmodning": []}, {"Anmodning": {"KommuneKode": "x"}}):
        result = validation.validate(case, today=TODAY)
        _check(result, validation)
        assert result, case  # garbage in, violations out
    deep: list = []
    for _ in range(2000):
        deep = [deep]
    _check(validation.validate({"Anmodning": deep}, today=TODAY), validation)
    _check(validation.validate({"Anmodning": {"Id": deep}}, today=TODAY), validation)
    _check(validation.validate(BASE, today=TODAY, other_cases=None), validation)
    _check(validation.validate(BASE, today=TODAY, other_cases=5), validation)
    assert validation.validate(models.Kontaktforloeb.model_validate(BASE), today=TODAY) == []
