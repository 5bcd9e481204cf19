"""`smdb.spec`: the spec's metadata at run time, generated from the canonical spec."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import ROOT, generated_module

PACKAGE = ROOT / "generated" / "python"
CANONICAL = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def spec():
    return generated_module("smdb.spec")


def test_release(spec):
    assert CANONICAL["release"]["id"] == spec.RELEASE


def test_all_forms_in_order_retired_ones_included(spec):
    assert [f.name for f in spec.FORMS] == [f["name"] for f in CANONICAL["forms"]]
    asi = spec.form("Asi")
    assert asi.fields == () and asi.fields_stated is False
    assert asi.valid_to == dt.date(2019, 7, 1) and asi.valid_to_stated
    assert asi.valid_from is None and asi.valid_from_stated is False
    kvalhep = spec.form("KvalHep")
    assert kvalhep.valid_from == dt.date(2011, 1, 1) and kvalhep.valid_from_stated
    assert kvalhep.code is None


def test_form_by_name_or_code(spec):
    anmodning = spec.form("Anmodning")
    assert spec.form("ANM") is anmodning
    assert anmodning.code == "ANM"
    assert anmodning.title_da == "Anmodning om behandling"
    assert anmodning.reporter == "myndighed"
    assert anmodning.valid_to is None and anmodning.valid_to_stated  # open
    assert spec.form("IVÆR") is spec.form("Ivaerksaettelse")
    with pytest.raises(KeyError, match="Ukendt"):
        spec.form("Ukendt")


def test_field_lookup(spec):
    field = spec.field("BehandlingAnmodningDato")
    assert field.felt_id == "2-ANM"
    assert field.question_da == "Anmodningsdato"
    assert field.datatype == "date"
    assert field in spec.form("ANM").fields
    psyk = spec.field("PersonPsykiskFunktionsnedsættelseKode")
    assert psyk.codelist == "PersonPsykiskFunktionsnedsættelseKode"
    assert spec.field("HenvisningPaaOpfordringAfListe").multiple is True
    computed = spec.field("IvaerksatBehandlingDageSidenAnmodningKvantitet")
    assert computed.felt_id is None and computed.read_only and computed.required == "computed"
    tekst = spec.field("ScreeningsvaerktoejAnvendtIvaerksaetTekst")
    assert tekst.max_length == 250 and tekst.required == "conditional"
    assert "05" in tekst.display_condition_da
    with pytest.raises(KeyError):
        spec.field("Ukendt")


def test_fields_by_felt_id(spec):
    substances = spec.fields_by_felt_id("18-IVÆR")
    assert len(substances) == 17
    assert substances[0].subfield_da == "Metadon"
    assert all((f.minimum, f.maximum) == (0, 30) for f in substances)
    assert [f.variable for f in spec.fields_by_felt_id("2-ANM")] == ["BehandlingAnmodningDato"]
    assert spec.fields_by_felt_id("99-XYZ") == ()


def test_every_field_of_the_canonical_spec(spec):
    for form in CANONICAL["forms"]:
        generated = spec.form(form["name"])
        assert [f.variable for f in generated.fields] == [f["variable"] for f in form["fields"]]
        for expected in form["fields"]:
            field = spec.field(expected["variable"])
            for name in (
                "felt_id",
                "subfield_da",
                "question_da",
                "datatype",
                "multiple",
                "read_only",
                "codelist",
                "display_condition_da",
                "required",
            ):
                assert getattr(field, name) == expected[name], (expected["variable"], name)
            for name in ("minimum", "maximum", "max_length"):
                assert getattr(field, name) == expected["constraints"][name]


def test_frozen_dataclasses(spec):
    field = spec.field("KommuneKode")
    with pytest.raises(dataclasses.FrozenInstanceError):
        field.variable = "x"
    assert [f.name for f in dataclasses.fields(spec.Field)] == [
        "felt_id",
        "subfield_da",
        "variable",
        "question_da",
        "datatype",
        "multiple",
        "read_only",
        "codelist",
        "display_condition_da",
        "required",
        "minimum",
        "maximum",
        "max_length",
    ]


def test_standard_library_only():
    probe = (
        "import sys, smdb.spec\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "assert not loaded & {'pydantic', 'lxml', 'codegen', 'json'}, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(PACKAGE)!r})\n{probe}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
