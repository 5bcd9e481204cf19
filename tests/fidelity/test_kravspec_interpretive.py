"""Fidelity of the interpretive columns: the canonical spec's required flags, display
conditions, ranges, lengths, read-only flags and age limits of options against an independent
transcription of the kravspec (kravspec_interpretive.py, with line numbers).

A disagreement the kravspec settles is a bug in the reconstruction; one where the spec took a
recorded decision (PROVENANCE.md) is listed in DECIDED with the decision's number.
"""

from __future__ import annotations

import kravspec_expected as fields_expected
import kravspec_interpretive as expected
import pytest

from codegen.build import build_spec

SPEC = build_spec("2026-01-01")
FIELDS = {f.variable: f for form in SPEC.forms for f in form.fields}
VARIABLES = [variable for _, _, variable, _ in fields_expected.FIELDS]
CODES = {
    (variable, code.code): code
    for variable, f in FIELDS.items()
    if f.codelist
    for codelist in SPEC.codelists
    if codelist.name == f.codelist
    for code in codelist.codes
}


def test_every_transcribed_variable_is_a_field_of_the_spec():
    named = {
        *expected.REQUIRED,
        *expected.AMBIGUOUS_REQUIRED,
        *expected.DISPLAY_CONDITION,
        *expected.RANGES,
        *expected.MAX_LENGTHS,
        *expected.READ_ONLY,
        *(variable for variable, _ in expected.AGE_LIMITS),
    }
    assert named <= set(FIELDS), sorted(named - set(FIELDS))
    assert set(VARIABLES) <= set(FIELDS)


@pytest.mark.parametrize("variable", [v for v in VARIABLES if v not in expected.AMBIGUOUS_REQUIRED])
def test_required(variable):
    """(Where the kravspec does not say, AMBIGUOUS_REQUIRED, the spec's decision stands.)"""
    want, lines = expected.REQUIRED.get(variable, (expected.ALWAYS, "2397-2398"))
    assert FIELDS[variable].required == want, f"{variable}: kravspec lines {lines}"


@pytest.mark.parametrize("variable", VARIABLES)
def test_display_condition(variable):
    written = " ".join(FIELDS[variable].display_condition_da.split())
    if variable in expected.DISPLAY_CONDITION:
        lines, word = expected.DISPLAY_CONDITION[variable]
        assert word in written, f"{variable}: kravspec lines {lines} ({word}): {written!r}"
    else:
        assert not written, f"{variable}: the kravspec shows it always: {written!r}"


def test_a_conditional_question_has_its_condition():
    """Required "conditional" means "exactly when shown" (§6.1.1): shown under a condition."""
    conditional = {v for v, (kind, _) in expected.REQUIRED.items() if kind == expected.CONDITIONAL}
    assert conditional <= set(expected.DISPLAY_CONDITION)


@pytest.mark.parametrize("variable", VARIABLES)
def test_range_and_length(variable):
    constraints = FIELDS[variable].constraints
    low, high, line = expected.RANGES.get(variable, (None, None, 0))
    assert (constraints.minimum, constraints.maximum) == (low, high), f"{variable}: line {line}"
    length, line = expected.MAX_LENGTHS.get(variable, (None, 0))
    assert constraints.max_length == length, f"{variable}: line {line}"


@pytest.mark.parametrize("variable", VARIABLES)
def test_read_only(variable):
    assert FIELDS[variable].read_only == (variable in expected.READ_ONLY), variable


def test_age_limits_of_options():
    found = {
        key: (code.min_age, code.max_age)
        for key, code in CODES.items()
        if code.min_age is not None or code.max_age is not None
    }
    want = {key: (low, high) for key, (low, high, _) in expected.AGE_LIMITS.items()}
    assert found == want


def _day(value) -> str | None:
    return None if value is None else str(value).lower().replace("_", "-")


def test_validity_of_forms():
    found = {
        form.name: (_day(form.validity.valid_from), _day(form.validity.valid_to))
        for form in SPEC.forms
    }
    want = {name: (start, end) for name, (start, end, _) in expected.FORM_VALIDITY.items()}
    assert found == want


def test_fields_and_options_of_todays_forms_do_not_end():
    open_forms = [n for n, (_, end, _) in expected.FORM_VALIDITY.items() if end is None]
    ending = [
        f"{form.name}.{f.variable}"
        for form in SPEC.forms
        if form.name in open_forms
        for f in form.fields
        if f.validity.valid_to is not None
    ]
    ending += [f"{variable} {code}" for (variable, code), c in CODES.items() if c.validity.valid_to]
    assert not ending


def test_date_control_points_on_the_anmodningsdato():
    found = {
        p.id: (_day(p.date), p.effect) for p in SPEC.date_control if p.basis == "2-ANM" and p.date
    }
    want = {k: (day, effect) for k, (day, effect, _) in expected.DATE_CONTROL_ON_2_ANM.items()}
    assert found == want
