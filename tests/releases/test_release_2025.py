"""Release 2025-07-01: what the 2026 kravspec states about it is there, the rest is unknown
(spec/sources/2025-07-01/PROVENANCE.md, knowledge.json), never a copy of 2026 passed off as
a fact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codegen.build import build_spec
from codegen.errors import SourceError
from codegen.spec_json import spec_document, validate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "spec" / "sources"
NEW_2026 = {
    ("HentData", name)
    for name in (
        "HentAnmodning",
        "HentIvaerksaettelse",
        "HentIvaerksaettelseForAnmodning",
        "HentTilbudstilknytning",
        "HentTilbudstilknytningForIvaerksaettelse",
        "HentKvalHepMedId",
        "HentAktiveKontaktForloebIMyndighed",
    )
} | {
    ("IndsaetData", name)
    for name in (
        "SletAnmodning",
        "SletIvaerksaettelse",
        "SletTilbudsTilknytning",
        "SletHeltForloeb",
        "SletKvalHep",
    )
}


@pytest.fixture(scope="module")
def both():
    return build_spec("2025-07-01"), build_spec("2026-01-01")


@pytest.fixture(scope="module")
def document(both):
    return spec_document(both[0])


def _operations(spec) -> set[tuple[str, str]]:
    return {(s.service, op.name) for s in spec.services for op in s.operations}


def test_the_twelve_new_actions_of_2026_are_absent_and_the_others_present(both):
    old, new = both
    assert len(NEW_2026) == 12
    assert _operations(new) >= NEW_2026
    assert not NEW_2026 & _operations(old)
    assert _operations(old) == _operations(new) - NEW_2026


def test_no_svar_objekt_in_2025(both):
    old, new = both
    names = {t.name for s in old.services for t in s.types}
    assert "Svar" in {t.name for s in new.services for t in s.types}
    assert not {n for n in names if n == "Svar" or n.endswith("Svar") or n == "Besked"}


def test_kvalhep_ended_on_2025_07_01(both):
    kvalhep = next(form for form in both[0].forms if form.name == "KvalHep")
    assert kvalhep.validity.valid_to.isoformat() == "2025-07-01"


def test_the_codes_of_section_3_are_known_their_texts_are_not(both, document):
    old, new = both
    codes = lambda spec: {(c.name, k.code) for c in spec.codelists for k in c.codes}  # noqa: E731
    assert codes(old) == codes(new)
    for codelist in document["codelists"]:
        for code in codelist["codes"]:
            assert code["text_da"] is None and "text_da" in code["unknown"]
            assert code["code"] and "existence" not in code["unknown"]


def test_unknown_parts_are_empty_and_said_to_be_unknown(document):
    knowledge = document["knowledge"]
    assert knowledge["complete"] is False
    kinds = {entry["kind"] for entry in knowledge["unknown_kinds"]}
    # Its service facts one by one: it knows that it had no start-date lock (line 276, K2).
    facts = {f"service_facts.{f}" for f in ("endpoints", "reporting_unit", "manual_deletion")}
    assert kinds == {"rules", "overlap", "municipalities", "service_facts.server_checks", *facts}
    assert document["rules"] == [] and document["overlap"] is None
    assert document["service_facts"] is None and document["municipalities"] == []
    validate(document)


def test_every_unknown_attribute_is_null_never_a_2026_value(document):
    for form in document["forms"]:
        for field in form["fields"]:
            assert field["question_da"] is None and field["required"] is None
            for name in field["unknown"]:
                assert field[name] is None, (field["variable"], name)
            assert field["variable"] and field["datatype"] in {
                "string",
                "integer",
                "date",
                "boolean",
            }
    age = next(p for p in document["date_control"] if p["id"] == "alder-4-ivaer")
    assert "existence" in age["unknown"]


def test_2026_knows_everything_it_holds(both):
    document = spec_document(both[1])
    assert document["knowledge"]["complete"] is True

    def keys(value):
        if isinstance(value, dict):
            yield from value
            for item in value.values():
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    assert "unknown" not in set(keys(document))


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(SOURCES / "2025-07-01", tmp_path / "sources" / "2025-07-01")
    return tmp_path / "sources"


def _edit_knowledge(sources: Path, change) -> None:
    path = sources / "2025-07-01" / "knowledge.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["unknown_attributes"][0].update(attributes=["colour"]),
            "not 'colour'",
        ),
        (
            lambda d: d["unknown_attributes"][0].update(items=["Bestilling"]),
            "no form 'Bestilling' in the release",
        ),
        (lambda d: d["unknown_kinds"].pop(-1), "missing key 'municipalities'"),
        (
            lambda d: d["unknown_kinds"].append({"kind": "service_facts.colour", "why": "K2"}),
            "is not one of",
        ),
        (lambda d: d["unknown_kinds"].pop(1), "'rules' and 'overlap' unknown together"),
        (lambda d: d["unknown_kinds"][0].update(why=""), "must say why"),
    ],
)
def test_a_wrong_knowledge_file_is_one_error_naming_it(tmp_path, change, message):
    sources = _copy(tmp_path)
    _edit_knowledge(sources, change)
    with pytest.raises(SourceError) as caught:
        build_spec("2025-07-01", sources)
    assert message in str(caught.value)


def test_a_service_fact_declared_unknown_beside_a_service_facts_file_is_an_error(tmp_path):
    """A release with a service-facts.json knows all its service facts (K2's parts are for a
    release without one)."""
    release = tmp_path / "sources" / "2026-01-01"
    shutil.copytree(SOURCES / "2026-01-01", release)
    (release / "knowledge.json").write_text(
        json.dumps({"unknown_kinds": [{"kind": "service_facts.endpoints", "why": "K2"}]}),
        encoding="utf-8",
    )
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    manifest["knowledge"] = "knowledge.json"
    (release / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        build_spec("2026-01-01", release.parent)
    assert "names a file, but the knowledge file declares it unknown" in str(caught.value)
