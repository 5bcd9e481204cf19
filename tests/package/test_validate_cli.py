"""`smdb validate`: exit status, both output formats, every input form, and cases checked
against each other."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from conftest import ROOT, generated_module

PACKAGE = ROOT / "generated" / "python"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"
TODAY = "2026-11-01"


def smdb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smdb.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(PACKAGE)},
        check=False,
    )


@pytest.fixture
def case() -> dict:
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


def broken(case: dict) -> dict:
    """The base case with 45-IVÆR left out although 44-IVÆR is yes."""
    bad = copy.deepcopy(case)
    bad["Ivaerksaettelse"]["PersonEllerPartnerHarBoernUnder18Indikator"] = True
    bad["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = None
    return bad


def test_clean_case_exits_0(tmp_path, case):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    result = smdb("validate", "--today", TODAY, str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 with violations" in result.stdout


def test_violation_exits_1_and_names_felt_ids(tmp_path, case):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([case, broken(case)]), encoding="utf-8")
    result = smdb("validate", "--today", TODAY, str(path))
    assert result.returncode == 1
    assert "[case 1]" in result.stdout and "[case 0]" not in result.stdout
    assert "45-IVÆR" in result.stdout


def test_json_format_is_one_array_with_file_and_index(tmp_path, case):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in [case, broken(case)]) + "\n", encoding="utf-8")
    result = smdb("validate", "--today", TODAY, "--format", "json", str(path))
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert items and all(item["file"] == str(path) and item["index"] == 1 for item in items)
    assert set(items[0]) == {
        "file",
        "index",
        "rule",
        "felt_ids",
        "severity",
        "message_da",
        "message_en",
        "path",
        "basis",
        "cites",
    }


def test_unreadable_input_exits_2_with_file_and_line(tmp_path, case):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(case) + "\n{not json\n", encoding="utf-8")
    result = smdb("validate", "--today", TODAY, str(path))
    assert result.returncode == 2
    assert f"{path}:2: invalid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = smdb("validate", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_xml_case_is_read(tmp_path, case):
    xml = generated_module("smdb.xml")
    Kontaktforloeb = generated_module("smdb.models").Kontaktforloeb
    for version in ("v1", "v0"):
        path = tmp_path / f"case-{version}.xml"
        path.write_bytes(xml.dumps(Kontaktforloeb.model_validate(broken(case)), version=version))
        result = smdb("validate", "--today", TODAY, str(path))
        assert result.returncode == 1 and "45-IVÆR" in result.stdout, result.stderr


def test_cases_in_one_run_are_checked_against_each_other(tmp_path, case):
    first = copy.deepcopy(case)
    first["Afslutning"] = None
    for tilbud in first["Tilbudstilknytninger"]:
        tilbud["TilbudTilknyttetBehandlingSlutDato"] = None
    second = copy.deepcopy(first)
    (tmp_path / "a.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(second), encoding="utf-8")
    alone = smdb("validate", "--today", TODAY, str(tmp_path / "a.json"))
    assert alone.returncode == 0, alone.stdout
    together = smdb(
        "validate",
        "--today",
        TODAY,
        "--format",
        "json",
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
    )
    assert together.returncode == 1
    rules = {item["rule"] for item in json.loads(together.stdout)}
    assert any(rule.startswith("SMDB-SAG-") for rule in rules)


def test_large_json_array_is_streamed(tmp_path, case):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([case] * 300), encoding="utf-8")  # > one read chunk
    result = smdb("validate", "--today", TODAY, str(path))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "300 case(s)" in result.stdout
