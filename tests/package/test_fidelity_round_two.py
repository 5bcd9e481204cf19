"""The findings of the second fidelity review (issue #22), one test each: no error that rests
on a reading the kravspec does not state (PROVENANCE.md D3, D5, D24, D28), and the missing
anmodning named by its Felt-ID."""

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


def test_a_code_no_list_had_is_only_a_warning_before_2019_07_01(validation, case):
    """§6.3 (line 2728) never lists the old options, and lines 478-484 send the reader to
    DST's workbook for the complete lists: before the sanering, "never a code" is our
    inference (D28), a warning; from it on, the list is stated and it stays an error."""
    case["Anmodning"]["BehandlingAnmodningDato"] = "2018-05-02"
    case["Ivaerksaettelse"]["BehandlingGarantiOverskredeAarsagKode"] = "10"
    old = [v for v in validation.validate(case, today=TODAY) if v.rule.startswith("SMDB-FELT-KODE")]
    assert old and {v.severity for v in old} == {"warning"}, old
    assert all(v.basis == "inferred" and "D28" in v.cites for v in old)
    case["Anmodning"]["BehandlingAnmodningDato"] = "2019-07-01"
    assert found(validation, case)["SMDB-FELT-KODE-UKENDT"] == "error"


def test_22_ivaer_left_empty_for_never_injected_is_an_inference(validation, case):
    """Lines 2511-2513 say when 22-IVÆR is required; "empty otherwise" is the
    reconstruction's display condition (felter.csv), not the kravspec: inferred (D3, D30)."""
    rule = validation.rule("SMDB-IVÆR-22-IKKE-VIST")
    assert rule.basis == "inferred" and "D3" in rule.cites
    case["Ivaerksaettelse"]["PersonNogensindeInjiceretEllerInjicererForTidenKode"] = "01"
    assert found(validation, case) == {"SMDB-IVÆR-22-IKKE-VIST": "warning"}


def tilbud(start: str, end: str | None, kind: str, tilbud_id: int) -> dict:
    return {"TilbudId": tilbud_id, "PersonBehandlingFritValgIndikator": False,
            "TilbudTilknyttetBehandlingStartDato": start,
            "TilbudTilknyttetBehandlingSlutDato": end, "BehandlingIntensitetKode": "01",
            "BehandlingTypeKode": kind, "AutorisationKodeTekst": "0K9T2"}  # fmt: skip


def test_a_one_day_substitution_switches_like_a_longer_one(validation, case):
    """D24: a switch of substitution on the day one ends and the next starts is no overlap,
    whatever the length of the first: one day (start = end) included."""
    case["Tilbudstilknytninger"] = [
        tilbud("2026-02-05", "2026-02-05", "01", 4711),  # Metadon on 2026-02-05 only
        tilbud("2026-02-05", "2026-05-29", "07", 4712),  # Buprenorphin+naloxon from then
    ]
    case["Afslutning"]["BehandlingAfsluttetDato"] = "2026-05-29"
    assert "SMDB-TILB-SUBSTITUTION" not in found(validation, case, strict=True)
    # A one-day tilbud inside another's period is an overlap.
    case["Tilbudstilknytninger"][0].update(
        TilbudTilknyttetBehandlingStartDato="2026-03-03",
        TilbudTilknyttetBehandlingSlutDato="2026-03-03",
    )
    case["Tilbudstilknytninger"][1]["TilbudTilknyttetBehandlingStartDato"] = "2026-02-05"
    assert found(validation, case)["SMDB-TILB-SUBSTITUTION"] == "error"


def test_a_case_of_the_second_half_of_2025_rests_on_d5(validation, case):
    """Line 2681 ("1. juli januar 20265") may mean 2025-07-01 or 2026-01-01: for 2-ANM in
    between, that this release's rules govern is our reading (D5), so what they find is a
    warning with a notice citing D5; from 2026-01-01 both readings agree."""
    case["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = None  # 45-IVÆR missing
    assert found(validation, case)["SMDB-IVÆR-45"] == "error"
    between = copy.deepcopy(case)
    between["Anmodning"]["BehandlingAnmodningDato"] = "2025-12-31"
    result = found(validation, between)
    assert result["SMDB-IVÆR-45"] == "warning"
    notices = [v for v in validation.validate(between, today=TODAY) if v.severity == "notice"]
    assert [(v.basis, "D5" in v.cites) for v in notices] == [("inferred", True)]
    assert found(validation, between, strict=True)["SMDB-IVÆR-45"] == "error"


def test_a_missing_anmodning_names_2_anm(validation, case):
    del case["Anmodning"]
    (missing,) = [v for v in validation.validate(case, today=TODAY) if v.path == "Anmodning"]
    assert missing.felt_ids == ("2-ANM",) or list(missing.felt_ids) == ["2-ANM"]


def test_cli_exit_status_follows_the_findings(tmp_path, case):
    case["Anmodning"]["BehandlingAnmodningDato"] = "2018-05-02"
    case["Ivaerksaettelse"]["BehandlingGarantiOverskredeAarsagKode"] = "10"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    lenient = smdb("validate", "--today", TODAY, str(path))
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert smdb("validate", "--today", TODAY, "--strict", str(path)).returncode == 1
