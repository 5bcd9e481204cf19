"""`smdb validate` and `validate()` by the basis of the rules and the date of the case: only
what the kravspec states for the case's date is an error; `--strict` / `strict=True` turn
what we believe into errors too (spec/rules/README.md, "Basis"; PROVENANCE.md D23-D30)."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import generated_module
from test_validate_cli import BASE_CASE, TODAY, smdb


@pytest.fixture(scope="module")
def validation():
    return generated_module("smdb.validation")


@pytest.fixture
def case() -> dict:
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


def found(validation, case, **kwargs) -> dict[str, str]:
    return {v.rule: v.severity for v in validation.validate(case, today=TODAY, **kwargs)}


def with_wrong_age(case: dict) -> dict:
    """23-IVÆR (read only, computed) sent wrong: an inferred rule (D27)."""
    wrong = copy.deepcopy(case)
    wrong["Ivaerksaettelse"]["PersonIvaerksatBehandlingAlderKvantitet"] = 40
    return wrong


def test_every_rule_has_a_basis_and_cites_what_it_rests_on(validation):
    for rule in validation.RULES:
        assert rule.basis in ("stated", "inferred"), rule.id
        assert rule.cites, rule.id
        if rule.basis == "inferred":
            assert any(c.startswith("D") for c in rule.cites), rule.id
        else:
            assert any(c[0].isdigit() for c in rule.cites), rule.id


def test_inferred_rule_warns_and_strict_makes_it_an_error(validation, case):
    wrong = with_wrong_age(case)
    assert found(validation, wrong) == {"SMDB-IVÆR-23": "warning"}
    assert found(validation, wrong, strict=True) == {"SMDB-IVÆR-23": "error"}
    violation = validation.validate(wrong, today=TODAY)[0]
    assert violation.basis == "inferred" and "D27" in violation.cites


def test_no_lægesamtale_held_needs_no_date(validation, case):
    case["Ivaerksaettelse"]["LaegesamtaleAfholdtIndikator"] = False
    case["Ivaerksaettelse"]["OenskerBorgerTilbudLaegesamtaleKode"] = "02"
    case["Ivaerksaettelse"]["LaegesamtaleAfholdtDato"] = None
    assert found(validation, case, strict=True) == {}


def test_41_ivaer_beyond_36_ivaer_02_is_only_a_warning(validation, case):
    case["Ivaerksaettelse"]["PersonNogensindeSubstitutionsbehandlingKode"] = "01"
    assert found(validation, case) == {"SMDB-IVÆR-41-IKKE-VIST": "warning"}
    case["Ivaerksaettelse"]["PersonNogensindeSubstitutionsbehandlingKode"] = "02"
    case["Ivaerksaettelse"]["PersonFoersteSubstitutionsbehandlingAlderKvantitet"] = None
    assert found(validation, case) == {"SMDB-IVÆR-41": "error"}


def test_18_ivaer_one_substance_is_enough_the_rest_is_a_warning(validation, case):
    ivaer = case["Ivaerksaettelse"]
    assert ivaer["PersonTagetIkkeOrdineredeStofferSenesteMaanedIndikator"] is True
    ivaer["IllegalHeroinDageIndtagetSenesteMaanedKvantitet"] = None
    assert found(validation, case) == {"SMDB-FELT-IVÆR-18": "warning"}
    for variable in list(ivaer):
        if variable.endswith("DageIndtagetSenesteMaanedKvantitet") and "Hovedstof" not in variable:
            ivaer[variable] = None
    assert found(validation, case)["SMDB-IVÆR-18"] == "error"


def test_same_day_switch_of_substitution_is_no_overlap(validation, case):
    ended = case["Tilbudstilknytninger"][0]  # Metadon (01), ends 2026-05-29
    switch = dict(ended, TilbudId=4799, BehandlingTypeKode="08")
    switch["TilbudTilknyttetBehandlingStartDato"] = ended["TilbudTilknyttetBehandlingSlutDato"]
    switch["TilbudTilknyttetBehandlingSlutDato"] = "2026-06-12"
    case["Tilbudstilknytninger"].append(switch)
    assert found(validation, case, strict=True) == {}
    switch["TilbudTilknyttetBehandlingStartDato"] = "2026-05-28"
    assert found(validation, case) == {"SMDB-TILB-SUBSTITUTION": "error"}


def shifted(case: dict, anm: str) -> dict:
    """The base case with its anmodningsdato moved (the other dates stay)."""
    older = copy.deepcopy(case)
    older["Anmodning"]["BehandlingAnmodningDato"] = anm
    return older


def test_case_from_2025_03_gets_one_notice_and_warnings_only(validation, case):
    older = shifted(case, "2025-03-03")
    older["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = True
    older["Ivaerksaettelse"]["PersonEllerPartnerHarBoernUnder18Indikator"] = False
    result = found(validation, older)
    assert result.pop("SMDB-DATO-REGLER-2025") == "notice"
    # 29-IVÆR and 4-IVÆR now fire (the dates moved) and 45-IVÆR was broken: all warnings.
    assert result and set(result.values()) == {"warning"}, result
    assert "SMDB-IVÆR-45-IKKE-VIST" in result
    strict = found(validation, older, strict=True)
    assert strict["SMDB-IVÆR-45-IKKE-VIST"] == "error"
    assert strict["SMDB-DATO-REGLER-2025"] == "notice"
    # From 2025-07-01 this release's rules govern: no notice, stated rules are errors.
    assert "SMDB-DATO-REGLER-2025" not in found(validation, shifted(case, "2025-07-01"))


def test_2018_case_may_use_an_old_4_ivaer_option(validation, case):
    older = shifted(case, "2018-05-02")
    older["Ivaerksaettelse"]["BehandlingGarantiOverskredeAarsagKode"] = "03"
    result = found(validation, older, strict=True)
    assert "SMDB-FELT-KODE" not in result and "SMDB-FELT-KODE-UKENDT" not in result
    # A code no list ever had: before the sanering only our inference (D28), a warning.
    older["Ivaerksaettelse"]["BehandlingGarantiOverskredeAarsagKode"] = "77"
    assert found(validation, older)["SMDB-FELT-KODE-UKENDT-FOER-2019"] == "warning"
    # The same old option in a case from the sanering on is not in force.
    newer = shifted(case, "2019-07-01")
    newer["Ivaerksaettelse"]["BehandlingGarantiOverskredeAarsagKode"] = "03"
    assert found(validation, newer, strict=True)["SMDB-FELT-KODE"] == "error"


def test_rules_change_comes_from_the_spec(validation):
    from codegen.build import build_spec

    points = [p for p in build_spec("2026-01-01").date_control if p.effect == "rules-change"]
    assert [p.id for p in points] == ["regler-2025-07-01", "regler-2026-01-01"]
    # The latest: before it an older kravspec governs, or this one by our reading (D5).
    assert max(p.date for p in points) == validation.RULES_CHANGE
    notice = validation.rule("SMDB-DATO-REGLER-2025")
    assert notice.applies_to == min(p.date for p in points) and notice.severity == "notice"
    between = validation.rule("SMDB-DATO-REGLER-2025-H2")
    assert (between.applies_from, between.applies_to) == (
        notice.applies_to,
        validation.RULES_CHANGE,
    )


def test_cli_warnings_alone_exit_0_and_strict_exits_1(tmp_path, case):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(with_wrong_age(case)), encoding="utf-8")
    lenient = smdb("validate", "--today", TODAY, str(path))
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert "WARNING" in lenient.stdout and "SMDB-IVÆR-23" in lenient.stdout
    assert "(inferred: 746, D27, D34)" in lenient.stdout
    strict = smdb("validate", "--today", TODAY, "--strict", "--format", "json", str(path))
    assert strict.returncode == 1, strict.stdout + strict.stderr
    (item,) = json.loads(strict.stdout)
    assert (item["severity"], item["basis"], item["cites"]) == (
        "error",
        "inferred",
        ["746", "D27", "D34"],
    )
