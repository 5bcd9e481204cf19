"""Fidelity: the canonical spec holds every field, option/code pair and SOAP action of the
kravspec, checked against an independent hand transcription (kravspec_expected.py) and, where
the text allows it, against the kravspec text itself."""

from __future__ import annotations

import re

import kravspec_expected as expected
import pytest
from conftest import ROOT

from codegen.build import build_spec

# The kravspec's text, kept with the release it describes (a copy of shared/kravspec/).
KRAVSPEC = ROOT / "spec" / "sources" / "2026-01-01" / "kravspecifikation-smdb-2026-01-01.txt"
FORM_CODES = {
    "ANM": "Anmodning",
    "IVÆR": "Ivaerksaettelse",
    "TILB": "Tilbudstilknytning",
    "AFSL": "Afslutning",
}
# Decided in PROVENANCE.md D2: the computed days field keeps no Felt-ID.
DAYS_FIELD = "IvaerksatBehandlingDageSidenAnmodningKvantitet"


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


@pytest.fixture(scope="module")
def fields(spec):
    return {f.variable: (form, f) for form in spec.forms for f in form.fields}


def squash(text: str) -> str:
    """The kravspec text without any whitespace: PDF line breaks split words anywhere."""
    return re.sub(r"\s+", "", text)


def test_every_field_with_felt_id_and_datatype(spec):
    actual = [
        (
            form.code,
            field.felt_id or "",
            field.variable,
            field.datatype_as_written.replace(" (read only)", ""),
        )
        for form in spec.forms
        if form.name in FORM_CODES.values()
        for field in form.fields
    ]
    wanted = [
        (form, "" if var == DAYS_FIELD else fid, var, dtype)
        for form, fid, var, dtype in expected.FIELDS
    ]
    assert actual == wanted


def test_days_field_felt_id_decision_is_recorded(fields):
    _, field = fields[DAYS_FIELD]
    assert field.felt_id is None and "32-IVÆR" in field.note_da
    felt_ids = [fid for _, fid, var, _ in expected.FIELDS if var == DAYS_FIELD]
    assert felt_ids == ["32-IVÆR"]  # what the kravspec writes, and why we decided


def test_every_option_code_pair_in_display_order(spec, fields):
    lists = {c.name: c for c in spec.codelists}
    assert set(lists) == set(expected.OPTIONS)
    for variable, options in expected.OPTIONS.items():
        _, field = fields[variable]
        assert field.codelist == variable
        actual = [(c.option_number, c.text_da, c.code) for c in lists[variable].codes]
        assert actual == list(options), variable


def test_read_only_ranges_and_lengths(fields):
    assert sorted(v for v, (_, f) in fields.items() if f.read_only) == sorted(expected.READ_ONLY)
    ranges = {
        v: (f.constraints.minimum, f.constraints.maximum)
        for v, (_, f) in fields.items()
        if f.constraints.minimum is not None
    }
    assert ranges == expected.RANGES
    lengths = {
        v: f.constraints.max_length
        for v, (_, f) in fields.items()
        if f.constraints.max_length is not None
    }
    assert lengths == expected.MAX_LENGTH


def test_every_soap_action_with_its_group(spec):
    actual = sorted(
        (s.service, op.group, op.action)
        for s in spec.services
        if s.api_version == "v1"
        for op in s.operations
    )
    wanted = sorted(
        (svc, "not-stated" if svc == "TokenTest" else grp, uri)
        for svc, grp, uri in expected.SOAP_ACTIONS
    )
    assert actual == wanted


def test_v0_offers_the_same_operations(spec):
    by_version = {}
    for s in spec.services:
        by_version.setdefault(s.api_version, set()).update(
            (s.service, op.name) for op in s.operations
        )
    assert by_version["v0"] == by_version["v1"]


def test_names_and_texts_occur_in_the_kravspec_text(spec):
    text = squash(KRAVSPEC.read_text(encoding="utf-8"))
    for form in spec.forms:
        for field in form.fields:
            assert squash(field.variable) in text, field.variable
            if field.felt_id:
                assert squash(field.felt_id) in text, field.felt_id
    for codelist in spec.codelists:
        for code in codelist.codes:
            assert squash(f"{code.option_number}){code.text_da}") in text, code.text_da
