"""What a rule rests on, and the date control it is judged by (spec/rules/README.md, "Basis"
and "Date control"): the loader enforces `basis` and `cites`, `date_control()` takes its
dates from the spec, the overlap is one definition, and `smdb.codelists` knows the old
options of 4-IVÆR and 6-IVÆR without inventing their texts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml
from conftest import ROOT, generated_module
from test_language import BASE, TODAY, compile_module, load, refused, rule, write

from codegen.build import build_spec
from codegen.errors import SourceError
from codegen.rules.citations import Citations
from codegen.rules.examples import apply_changes
from codegen.rules.loader import load_rules
from codegen.rules.overlap import load_overlap

RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
CITATIONS = Citations.of(
    RELEASE / "kravspecifikation-smdb-2026-01-01.txt", RELEASE / "PROVENANCE.md"
)


@pytest.fixture(scope="module", autouse=True)
def generated_package():
    generated_module("smdb")


@pytest.fixture(scope="module")
def spec():
    return dataclasses.replace(build_spec("2026-01-01"), rules=())


def cited(tmp_path, spec, *needles: str, **values) -> SourceError:
    """Loading with the release's kravspec and PROVENANCE.md is refused, naming file and line."""
    with pytest.raises(SourceError) as info:
        load_rules(write(tmp_path, rule(**values)), spec, tmp_path, CITATIONS)
    for needle in needles:
        assert needle in str(info.value), str(info.value)
    assert isinstance(info.value.line, int)
    return info.value


def test_every_rule_says_how_sure_we_are(tmp_path, spec):
    refused(tmp_path, spec, "missing key(s): basis", basis=...)
    refused(tmp_path, spec, "missing key(s): cites", cites=...)
    refused(tmp_path, spec, "basis must be one of stated, inferred", basis="certain")
    refused(tmp_path, spec, "a stated rule cites the kravspec lines", cites=["D22"])
    refused(tmp_path, spec, "an inferred rule cites the PROVENANCE decision", basis="inferred")
    refused(tmp_path, spec, "neither kravspec lines", cites=["§6.1.3"])
    refused(tmp_path, spec, "not a range of lines", cites=["2452-2446"])
    refused(tmp_path, spec, "cites must list", cites=[])
    refused(tmp_path, spec, "older_cases must be true or false", older_cases="yes")


def test_citations_must_exist_in_the_release(tmp_path, spec):
    cited(
        tmp_path, spec, "'99999'", "not a range of lines of the kravspec text (1-", cites=["99999"]
    )
    cited(tmp_path, spec, "'D999': no such decision", basis="inferred", cites=["2399", "D999"])
    (loaded,) = load_rules(
        write(tmp_path, rule(basis="inferred", cites=["2399", "D22"])), spec, tmp_path, CITATIONS
    )
    assert (loaded.basis, loaded.cites, loaded.older_cases) == ("inferred", ("2399", "D22"), False)


def test_a_stated_rule_rests_on_kravspec_lines_not_on_our_readings(tmp_path, spec):
    """Decisions and reconstruction files are our readings: a rule citing only those is
    inferred, whatever it says (issue #22: SMDB-IVÆR-22-IKKE-VIST quoted felter.csv)."""
    for cites in (["D3"], ["reconstruction/felter.csv"], ["D3", "reconstruction/felter.csv"]):
        cited(tmp_path, spec, "a stated rule cites the kravspec lines", cites=cites)
    cited(
        tmp_path,
        spec,
        "'reconstruction/nope.csv': no such file",
        basis="inferred",
        cites=["D3", "reconstruction/nope.csv"],
    )
    cites = ["2511-2513", "D3", "reconstruction/felter.csv"]
    (loaded,) = load_rules(
        write(tmp_path, rule(basis="inferred", cites=cites)), spec, tmp_path, CITATIONS
    )
    assert loaded.cites == tuple(cites)


def test_the_spec_rules_cite_what_exists():
    rules = build_spec("2026-01-01").rules
    assert {r.basis for r in rules} == {"stated", "inferred"}
    inferred = {r.id for r in rules if r.basis == "inferred"}
    # The readings the issue names: each rests on a recorded decision.
    for rule_id in (
        "SMDB-IVÆR-41-IKKE-VIST",
        "SMDB-FELT-IVÆR-18",
        "SMDB-IVÆR-23",
        "SMDB-IVÆR-DAGE",
        "SMDB-IVÆR-22-IKKE-VIST",
        "SMDB-FELT-KODE-UKENDT-FOER-2019",
        "SMDB-DATO-REGLER-2025-H2",
    ):
        assert rule_id in inferred


def test_date_control_takes_its_dates_from_the_spec(tmp_path, spec):
    module = compile_module(
        spec,
        load(
            tmp_path,
            spec,
            rule(check='Anmodning.BehandlingAnmodningDato >= date_control("regler-2025-07-01")'),
        ),
    )
    assert module.validate(BASE, today=TODAY) == []
    older = apply_changes(BASE, [("Anmodning.BehandlingAnmodningDato", "2025-06-30")])
    assert [v.rule for v in module.validate(older, today=TODAY)] == ["SMDB-IVÆR-T"]
    refused(
        tmp_path,
        spec,
        "no date-control point with a date has that id",
        check='today < date_control("nope")',
    )
    refused(tmp_path, spec, "takes the id of a date-control point", check="today < date_control(1)")


def test_an_older_case_reports_this_releases_findings_as_warnings(tmp_path, spec):
    certain = rule(check="Ivaerksaettelse.PersonEllerPartnerHarBoernUnder18Indikator == False")
    always = rule(
        id="SMDB-IVÆR-U",
        check="Ivaerksaettelse.PersonEllerPartnerHarBoernUnder18Indikator == False",
        older_cases=True,
    )
    folder = write(tmp_path, certain, always)
    module = compile_module(spec, load_rules(folder, spec, tmp_path))
    older = apply_changes(BASE, [("Anmodning.BehandlingAnmodningDato", "2025-03-03")])
    found = {v.rule: v.severity for v in module.validate(older, today=TODAY)}
    assert found == {"SMDB-IVÆR-T": "warning", "SMDB-IVÆR-U": "error"}
    strict = {v.rule: v.severity for v in module.validate(older, today=TODAY, strict=True)}
    assert strict == {"SMDB-IVÆR-T": "error", "SMDB-IVÆR-U": "error"}
    found = {v.rule: v.severity for v in module.validate(BASE, today=TODAY)}
    assert found == {"SMDB-IVÆR-T": "error", "SMDB-IVÆR-U": "error"}


def test_overlap_is_one_checked_definition(tmp_path, spec):
    folder = tmp_path / "rules"
    (folder / "definitions").mkdir(parents=True)
    path = folder / "definitions" / "overlap.yaml"
    good = {"start": "3-TILB", "end": "4-TILB", "end_inclusive": False, "basis": "inferred",
            "cites": ["2573-2597", "D24"]}  # fmt: skip
    path.write_text(yaml.safe_dump(good), encoding="utf-8")
    overlap = load_overlap(folder, spec, tmp_path, CITATIONS)
    assert (overlap.start, overlap.end, overlap.end_inclusive) == ("3-TILB", "4-TILB", False)
    for change, needle in (
        ({"start": "8-TILB"}, "not the Felt-ID of a date field"),
        ({"end": "1-IVÆR"}, "same list form"),
        ({"end_inclusive": "no"}, "true or false"),
        ({"cites": ["2573-2597"]}, "an inferred rule cites the PROVENANCE decision"),
        ({"colour": "red"}, "exactly the keys"),
    ):
        path.write_text(yaml.safe_dump({**good, **change}), encoding="utf-8")
        with pytest.raises(SourceError, match=needle) as info:
            load_overlap(folder, spec, tmp_path, CITATIONS)
        assert info.value.file.endswith("overlap.yaml")
    assert load_overlap(tmp_path / "none", spec, tmp_path) is None


def test_max_parallel_follows_the_overlap_definition(tmp_path, spec):
    check = (
        "max_parallel([tk for tk in Tilbudstilknytninger"
        " if tk.BehandlingTypeKode in ('01', '08')]) <= 1"
    )
    switch = {"TilbudId": 4799, "PersonBehandlingFritValgIndikator": False,
              "TilbudTilknyttetBehandlingStartDato": "2026-05-29",
              "TilbudTilknyttetBehandlingSlutDato": "2026-06-12",
              "BehandlingIntensitetKode": "01", "BehandlingTypeKode": "08",
              "AutorisationKodeTekst": "0K9T2"}  # fmt: skip
    case = apply_changes(BASE, [("Tilbudstilknytninger+", switch)])
    for inclusive, expected in ((False, []), (True, ["SMDB-TILB-T"])):
        overlap = dataclasses.replace(spec.overlap, end_inclusive=inclusive)
        variant = dataclasses.replace(spec, overlap=overlap)
        loaded = load(tmp_path, variant, rule(id="SMDB-TILB-T", check=check))
        module = compile_module(variant, loaded)
        assert [v.rule for v in module.validate(case, today=TODAY)] == expected
    without = dataclasses.replace(spec, overlap=None)
    refused(tmp_path, without, "needs the overlap definition", id="SMDB-TILB-T", check=check)


def test_codelists_know_old_options_without_inventing_texts():
    codelists = generated_module("smdb.codelists")
    aarsag = codelists.BehandlingGarantiOverskredeAarsagKode  # 4-IVÆR
    old = aarsag.lookup("03", on=dt.date(2018, 5, 2))
    assert old.text_da is None and old.valid_to == dt.date(2019, 7, 1)
    assert not old.valid_from_stated
    assert old in aarsag.valid_on(dt.date(2019, 6, 30))
    assert old not in aarsag.valid_on(dt.date(2019, 7, 1))
    with pytest.raises(codelists.CodeNotInForceError):
        aarsag.lookup("03", on=dt.date(2026, 2, 2))
    with pytest.raises(codelists.UnknownCodeError):
        aarsag.lookup("77", on=dt.date(2018, 5, 2))
    # The current options' start is not stated: they serve old cases too.
    assert aarsag.lookup("01", on=dt.date(2018, 5, 2)).text_da
    assert codelists.BehandlingFormaalKode.lookup("03", on=dt.date(2018, 1, 1)).text_da is None
    # 31-IVÆR kept its codes (§6.3): its gaps are known, but no member.
    henvisning = codelists.HenvisningPaaOpfordringAfListe
    assert "03" in henvisning.MISSING_CODES
    with pytest.raises(codelists.UnknownCodeError, match="absent from the list's sequence"):
        henvisning.lookup("03", on=dt.date(2018, 1, 1))
