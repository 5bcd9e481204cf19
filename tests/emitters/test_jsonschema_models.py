"""The JSON Schema of the data and the pydantic models generated from it (`smdb.models`)."""

from __future__ import annotations

import copy
import json
import typing

import pytest
from conftest import ROOT, generated_module
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

PACKAGE = ROOT / "generated" / "python"
CANONICAL = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text("utf-8"))
SCHEMA_PATH = ROOT / "generated" / "schema" / "smdb-2026-01-01.schema.json"
FORM_CLASSES = {
    "Anmodning": "AnmodningSkema",
    "Ivaerksaettelse": "IvaerksaettelseSkema",
    "Tilbudstilknytning": "TilbudstilknytningSkema",
    "Afslutning": "AfslutningSkema",
}


@pytest.fixture(scope="module")
def models():
    return generated_module("smdb.models")


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FormatChecker())


def spec_forms() -> list[dict]:
    return [form for form in CANONICAL["forms"] if form["fields"]]


def codes(codelist: str) -> list[str]:
    (found,) = [c for c in CANONICAL["codelists"] if c["name"] == codelist]
    return [code["code"] for code in found["codes"]]


def full_case() -> dict:
    """A realistic case in its JSON form: every form, two offers, real codes from the spec."""
    assert {"01", "02", "99"} <= set(codes("BehandlingTidligereKode"))
    return {
        "Anmodning": {
            "Id": 4711,
            "PersonIdentifikator": "0101901234",
            "KommuneKode": 101,
            "BehandlingAnmodningDato": "2026-02-02",
            "BehandlingTidligereKode": "01",
            "PersonEllerPartnerGravidKode": "02",
            "PersonPsykiskFunktionsnedsættelseKode": "99",
        },
        "Ivaerksaettelse": {
            "Id": 815,
            "AnmodningId": 4711,
            "OenskerBorgerTilbudLaegesamtaleKode": "01",
            "LaegesamtaleAfholdtIndikator": True,
            "LaegesamtaleAfholdtDato": "2026-02-10",
            "IvaerksatBehandlingDato": "2026-02-20",
            "IvaerksatBehandlingDageSidenAnmodningKvantitet": 18,
            "PersonIvaerksatBehandlingAlderKvantitet": 36,
            "BehandlingGarantiOverskredeAarsagKode": "08",
            "ScreeningsvaerktoejAnvendtIvaerksaetKode": "05",
            "ScreeningsvaerktoejAnvendtIvaerksaetTekst": "Lokalt spørgeskema",
            "BehandlingFormaalKode": "02",
            "HenvisningPaaOpfordringAfListe": ["01", "04", "18"],
            "PersonBoligsituationKode": "11",
            "PersonEllerPartnerHarBoernUnder18Indikator": True,
            "BoernErTilknyttetHusstandenIndikator": False,
            "PersonTagetIkkeOrdineredeStofferSenesteMaanedIndikator": True,
            "CannabisDageIndtagetSenesteMaanedKvantitet": 20,
            "KokainPulverDageIndtagetSenesteMaanedKvantitet": 3,
            "PersonHovedstofAngivelseIkkeMuligIndikator": False,
            "PersonAktueltHovedstofKode": "13",
            "HovedstofDageIndtagetSenesteMaanedKvantitet": 20,
            "HovedstofFoersteBrugAlderKvantitet": 15,
            "HovedstofIndtagelseshyppighedKode": "03",
            "HovedstofTypiskIndtagelsesmaadeKode": "02",
            "PersonNogensindeInjiceretEllerInjicererForTidenKode": "01",
            "PersonNogensindeDeltEllerDelerVaerktoejForTidenKode": "01",
            "PersonNogensindeTestetHCVKode": "02",
            "PersonNogensindeTestetHIVKode": "02",
            "PersonNogensindeSubstitutionsbehandlingKode": "01",
        },
        "Tilbudstilknytninger": [
            {
                "Id": 1,
                "IvaerksaettelseId": 815,
                "TilbudId": 3301,
                "PersonBehandlingFritValgIndikator": False,
                "TilbudTilknyttetBehandlingStartDato": "2026-02-20",
                "TilbudTilknyttetBehandlingSlutDato": "2026-05-31",
                "BehandlingIntensitetKode": "01",
                "BehandlingTypeKode": "04",
            },
            {
                "Id": 2,
                "IvaerksaettelseId": 815,
                "TilbudId": 3302,
                "PersonBehandlingFritValgIndikator": True,
                "TilbudTilknyttetBehandlingStartDato": "2026-06-01",
                "BehandlingIntensitetKode": "02",
                "BehandlingTypeKode": "01",
                "AutorisationKodeTekst": "AUT-12345",
            },
        ],
        "Afslutning": {
            "Id": 99,
            "AnmodningId": 4711,
            "BehandlingAfsluttetDato": "2026-09-30",
            "BehandlingAfsluttetStatusKode": "02",
            "BehandlingAfsluttetAarsagKode": "06",
            "BehandlingAfsluttetHvemHarOvertagetBehandling": "03",
        },
    }


def test_full_case_uses_only_codes_of_the_spec():
    fields = {f["variable"]: f for form in spec_forms() for f in form["fields"]}
    for form in full_case().values():
        for record in form if isinstance(form, list) else [form]:
            for variable, value in record.items():
                if variable in fields and fields[variable]["codelist"]:
                    values = value if isinstance(value, list) else [value]
                    assert set(values) <= set(codes(fields[variable]["codelist"])), variable


# --- the JSON Schema ------------------------------------------------------------------------


def test_schema_is_valid_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "Do not edit by hand" in schema["$comment"]


def test_schema_file_is_sorted_and_pretty():
    text = SCHEMA_PATH.read_text("utf-8")
    expected = json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text == expected
    assert "PersonPsykiskFunktionsnedsættelseKode" in text  # not \u00e6


def test_schema_defs_and_properties_come_from_the_spec(schema):
    assert set(schema["$defs"]) == set(FORM_CLASSES.values())
    for form in spec_forms():
        definition = schema["$defs"][FORM_CLASSES[form["name"]]]
        assert definition["additionalProperties"] is False
        assert "required" not in definition
        assert form["title_da"] in definition["description"]
        assert form["code"] in definition["description"]
        for field in form["fields"]:
            prop = definition["properties"][field["variable"]]
            assert "anyOf" not in prop
            assert "null" in prop["type"]
            if field["felt_id"]:
                assert prop["description"] == f"{field['felt_id']}: {field['question_da']}"
            if field["codelist"] and not field["multiple"]:
                assert prop["enum"] == [*codes(field["codelist"]), None]
            if field["multiple"]:
                assert prop["items"]["enum"] == codes(field["codelist"])
    ivaer = schema["$defs"]["IvaerksaettelseSkema"]["properties"]
    assert ivaer["IllegalHeroinDageIndtagetSenesteMaanedKvantitet"]["minimum"] == 0
    assert ivaer["IllegalHeroinDageIndtagetSenesteMaanedKvantitet"]["maximum"] == 30
    assert ivaer["ScreeningsvaerktoejAnvendtIvaerksaetTekst"]["maxLength"] == 250
    assert ivaer["IvaerksatBehandlingDato"]["format"] == "date"
    assert ivaer["AnmodningId"] == {
        "description": "Technical identifier (WSDL)",
        "type": ["integer", "null"],
    }


def test_schema_root_is_the_case(schema):
    assert schema["title"] == "Kontaktforloeb"
    assert schema["required"] == ["Anmodning"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "Anmodning",
        "Ivaerksaettelse",
        "Tilbudstilknytninger",
        "Afslutning",
    }
    assert schema["properties"]["Tilbudstilknytninger"]["default"] == []


def test_schema_accepts_a_full_case(validator):
    validator.validate(full_case())


def test_schema_accepts_a_minimal_case(validator):
    validator.validate({"Anmodning": {}})
    validator.validate(
        {"Anmodning": {"KommuneKode": None}, "Ivaerksaettelse": None, "Afslutning": None}
    )
    validator.validate({"Anmodning": {}, "Tilbudstilknytninger": []})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("Anmodning", "BehandlingTidligereKode"), "03"),  # not in the list
        (("Anmodning", "BehandlingTidligereKode"), 1),  # a number, not a code string
        (("Anmodning", "KommuneKode"), "101"),  # a string, not an integer
        (("Anmodning", "BehandlingAnmodningDato"), "2. februar 2026"),  # not a date
        (("Ivaerksaettelse", "HenvisningPaaOpfordringAfListe"), ["01", "03"]),  # 03 is a gap
        (("Ivaerksaettelse", "HenvisningPaaOpfordringAfListe"), "01"),  # not a list
        (("Ivaerksaettelse", "CannabisDageIndtagetSenesteMaanedKvantitet"), 31),  # > maximum
        (("Ivaerksaettelse", "ScreeningsvaerktoejAnvendtIvaerksaetTekst"), "x" * 251),
        (("Afslutning", "Ukendt"), "01"),  # unknown key
        (("Ukendt",), {}),  # unknown key at the root
    ],
)
def test_schema_rejects(validator, path, value):
    case = full_case()
    target = case
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert not validator.is_valid(case)


def test_schema_requires_anmodning(validator):
    case = full_case()
    del case["Anmodning"]
    assert not validator.is_valid(case)
    assert not validator.is_valid({"Anmodning": None})


# --- the models -----------------------------------------------------------------------------


def test_models_have_exactly_the_expected_classes(models):
    from pydantic import BaseModel, RootModel

    classes = {
        name
        for name, value in vars(models).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == models.__name__
    }
    assert classes == {*FORM_CLASSES.values(), "Kontaktforloeb"}
    for name in classes:
        assert not issubclass(getattr(models, name), RootModel)
        assert not name.endswith("1")


def test_every_field_is_a_model_field_with_its_verbatim_name(models, schema):
    for form in spec_forms():
        model = getattr(models, FORM_CLASSES[form["name"]])
        variables = [field["variable"] for field in form["fields"]]
        assert list(model.model_fields)[: len(variables)] == variables  # spec order
        assert set(model.model_fields) == set(
            schema["$defs"][FORM_CLASSES[form["name"]]]["properties"]
        )
        for name, info in model.model_fields.items():
            assert info.alias is None and info.validation_alias is None, name
            assert info.serialization_alias is None, name
            assert not info.is_required(), name
    assert "PersonPsykiskFunktionsnedsættelseKode" in models.AnmodningSkema.model_fields
    source = (PACKAGE / "smdb" / "models.py").read_text("utf-8")
    assert "alias" not in source


def test_case_model_round_trips_the_json_form(models):
    case_json = full_case()
    case = models.Kontaktforloeb.model_validate(case_json)
    assert case.Ivaerksaettelse.HenvisningPaaOpfordringAfListe == ["01", "04", "18"]
    assert case.Anmodning.BehandlingAnmodningDato.isoformat() == "2026-02-02"
    assert len(case.Tilbudstilknytninger) == 2
    assert case.model_dump(mode="json", exclude_none=True) == case_json
    assert models.Kontaktforloeb.model_validate_json(json.dumps(case_json)) == case


def test_case_model_optional_forms(models):
    minimal = {"Anmodning": {"PersonIdentifikator": "0101901234", "KommuneKode": 101}}
    case = models.Kontaktforloeb.model_validate(minimal)
    assert case.Ivaerksaettelse is None and case.Afslutning is None
    assert case.Tilbudstilknytninger == []
    explicit = {**minimal, "Ivaerksaettelse": None, "Afslutning": None, "Tilbudstilknytninger": []}
    assert models.Kontaktforloeb.model_validate(explicit) == case
    assert case.model_dump(mode="json", exclude_none=True) == {
        **minimal,
        "Tilbudstilknytninger": [],
    }
    with pytest.raises(ValidationError):
        models.Kontaktforloeb.model_validate({})


@pytest.mark.parametrize(
    ("form", "variable", "value"),
    [
        ("Anmodning", "BehandlingTidligereKode", "03"),
        ("Ivaerksaettelse", "HenvisningPaaOpfordringAfListe", ["01", "03"]),
        ("Ivaerksaettelse", "CannabisDageIndtagetSenesteMaanedKvantitet", 31),
        ("Afslutning", "BehandlingAfsluttetAarsagKode", "07"),  # a gap in the list
        ("Afslutning", "Ukendt", "01"),  # unknown field
    ],
)
def test_case_model_rejects(models, form, variable, value):
    case = copy.deepcopy(full_case())
    case[form][variable] = value
    with pytest.raises(ValidationError):
        models.Kontaktforloeb.model_validate(case)


def test_code_fields_are_literals_of_the_code_list(models):
    annotation = models.AnmodningSkema.model_fields["BehandlingTidligereKode"].annotation
    (literal,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    assert typing.get_args(literal) == tuple(codes("BehandlingTidligereKode"))


def test_models_do_not_import_codegen(models):
    source = (PACKAGE / "smdb" / "models.py").read_text("utf-8")
    assert "codegen" not in source
    assert source.startswith("# Generated by smdbgen")
