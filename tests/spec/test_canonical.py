"""The canonical spec's content beyond §3.1: date control, retired forms, gaps, schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import ROOT

from codegen.build import build_spec
from codegen.model import NOT_STATED
from codegen.spec_json import dumps, spec_document, validate

COMMITTED = ROOT / "spec" / "canonical" / "2026-01-01.json"


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


def test_committed_spec_is_fresh_and_valid(spec):
    document = spec_document(spec)
    validate(document)
    assert COMMITTED.read_text(encoding="utf-8") == dumps(document)


def test_schema_rejects_a_broken_document(spec):
    import jsonschema

    document = json.loads(dumps(spec_document(spec)))
    document["forms"][0]["fields"][0]["datatype"] = "decimal"
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def points(spec):
    return {p.id: p for p in spec.date_control}


def test_sanering_2019_keyed_on_anmodningsdato(spec):
    options = points(spec)["sanering-2019-myndighed"]
    texts = points(spec)["sanering-2019-tekster"]
    for point in (options, texts):
        assert (point.date, point.basis) == (dt.date(2019, 7, 1), "2-ANM")
    # §6.3: only 4-IVÆR and 6-IVÆR choose between old and new options; the others keep their
    # codes and take the new texts whatever the case's age.
    assert (options.effect, set(options.applies_to)) == ("options-change", {"4-IVÆR", "6-IVÆR"})
    assert (texts.effect, set(texts.applies_to)) == (
        "texts-change",
        {"31-IVÆR", "2-AFSL", "3-AFSL", "7-TILB"},
    )


def test_tilbud_forms_end_2025_even_backwards_in_time(spec):
    forms = {f.name: f for f in spec.forms}
    for name in ("Indskrivning", "Ydelse", "Udskrivning"):
        form = forms[name]
        assert form.validity.valid_to == dt.date(2025, 1, 1)
        assert form.date_basis == "indberetningsdato"  # not the case's dates
        assert not form.fields and not form.fields_stated
    assert points(spec)["tilbudsskemaer-udgaar"].date == dt.date(2025, 1, 1)


def test_kvalhep_ends_2025_07_01_and_asi_with_the_sanering(spec):
    forms = {f.name: f for f in spec.forms}
    assert forms["KvalHep"].validity.valid_to == dt.date(2025, 7, 1)
    assert (forms["Asi"].validity.valid_to, forms["Asi"].date_basis) == (
        dt.date(2019, 7, 1),
        "2-ANM",
    )


def test_age_dependent_options_of_4_ivaer(spec):
    codes = {
        c.code: c
        for c in next(
            c for c in spec.codelists if c.name == "BehandlingGarantiOverskredeAarsagKode"
        ).codes
    }
    assert (codes["05"].min_age, codes["05"].max_age) == (18, None)
    assert (codes["06"].min_age, codes["06"].max_age) == (None, 17)
    assert all(
        c.min_age is None and c.max_age is None
        for code, c in codes.items()
        if code not in {"05", "06"}
    )


def test_unstated_dates_are_not_invented(spec):
    for codelist in spec.codelists:
        for code in codelist.codes:
            assert code.validity.valid_from is NOT_STATED
            assert code.validity.valid_to is None


def test_missing_codes_recorded_not_invented(spec):
    lists = {c.name: c for c in spec.codelists}
    assert lists["BehandlingTypeKode"].missing_codes == ("02",)
    assert lists["BehandlingAfsluttetAarsagKode"].missing_codes == ("07", "09")
    assert "02" not in {c.code for c in lists["BehandlingTypeKode"].codes}


def test_31_ivaer_is_a_list_in_v1_and_a_string_in_v0(spec):
    for service in spec.services:
        ivaer = next((t for t in service.types if t.name == "Ivaerksaettelse"), None)
        if ivaer is None:
            continue
        element = next(e for e in ivaer.elements if e.name == "HenvisningPaaOpfordringAfListe")
        assert element.type == {"v1": "ArrayOfstring", "v0": "xs:string"}[service.api_version]
