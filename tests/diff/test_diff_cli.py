"""`smdbgen diff` end to end: exit codes (0, or 1 with --fail-on when there is such a change,
2 for input it cannot read), JSON and Markdown output, and determinism (the same report
whatever order the files list their elements in, run after run)."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys

import pytest
from conftest import ROOT

from codegen.diff import changelog, report

SPEC_PATH = ROOT / "spec" / "canonical" / "2026-01-01.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def diff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "codegen.cli", "diff", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def written(tmp_path, name: str, document: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def with_change(kind: str) -> dict:
    new = copy.deepcopy(SPEC)
    anmodning = next(f for f in new["forms"] if f["name"] == "Anmodning")
    if kind == "breaking":
        anmodning["fields"][1]["datatype"] = "string"
    elif kind == "additive":
        anmodning["fields"][1]["required"] = "never"
    elif kind == "unknown":
        anmodning["fields"][1]["unknown"] = ["existence"]
    return new


@pytest.mark.parametrize(
    "kind, fail_on, status",
    [
        ("none", "breaking", 0),
        ("breaking", None, 0),
        ("breaking", "breaking", 1),
        ("breaking", "unknown", 1),
        ("additive", "breaking", 0),
        ("unknown", "breaking", 0),
        ("unknown", "unknown", 1),
    ],
)
def test_exit_status(tmp_path, kind, fail_on, status):
    new = written(tmp_path, "new.json", with_change(kind))
    result = diff(SPEC_PATH, new, *(("--fail-on", fail_on) if fail_on else ()))
    assert result.returncode == status, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("# Changes from 2026-01-01 to 2026-01-01\n")


def test_release_names_and_json_output():
    result = diff("2026-01-01", "2026-01-01", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == changelog(SPEC, SPEC)


def test_markdown_lists_breaking_first_with_references(tmp_path):
    new = with_change("breaking")
    next(c for c in new["codelists"] if c["name"] == "BehandlingAfsluttetAarsagKode")["codes"][0][
        "text_da"
    ] = "Afsluttet"
    result = diff(SPEC_PATH, written(tmp_path, "new.json", new))
    lines = result.stdout.splitlines()
    assert "2 changes: 1 breaking, 0 unknown, 0 additive, 1 cosmetic." in lines
    breaking = lines.index("## Breaking (1)")
    cosmetic = lines.index("## Cosmetic (1)")
    assert breaking < cosmetic
    line = lines[breaking + 2]
    assert line.startswith("- field `Anmodning/KommuneKode` (8-ANM Opholdskommune ")
    assert "): datatype: integer → string. Messages or clients made for the old" in line
    assert "Felt-IDs: 8-ANM; actions: " in line and "HentAnmodning" in line


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "invalid JSON"),
        ("[]", "not a canonical spec: no release object"),
        ('{"release": {"id": "x"}, "forms": [{"title": 1}]}', "forms[0] has no 'name'"),
        ('{"release": {"id": "x"}, "forms": {}}', "forms is not a list"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = diff(bad, SPEC_PATH)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr and message in result.stderr


def test_an_unknown_release_names_the_known_ones():
    result = diff("2001-01-01", "2026-01-01")
    assert result.returncode == 2
    assert "no canonical spec of release 2001-01-01 (known: " in result.stderr
    assert "2026-01-01" in result.stderr


def shuffled(document: dict, seed: int) -> dict:
    """The same spec with every list of elements in another order."""
    shuffle = random.Random(seed).shuffle
    copied = copy.deepcopy(document)
    for key in ("forms", "codelists", "rules", "date_control", "services", "municipalities"):
        shuffle(copied[key])
    for form in copied["forms"]:
        shuffle(form["fields"])
    for codelist in copied["codelists"]:
        shuffle(codelist["codes"])
    for service in copied["services"]:
        shuffle(service["operations"])
        shuffle(service["types"])
    return copied


def test_the_report_does_not_depend_on_the_order_of_the_files():
    changed = with_change("breaking")
    changed["rules"].pop(3)
    changed["codelists"][0]["codes"].pop()
    expected = changelog(SPEC, changed)
    assert len(expected["changes"]) == 3
    for seed in range(3):
        result = changelog(shuffled(SPEC, seed), shuffled(changed, seed + 10))
        assert report.dumps(result) == report.dumps(expected)
        assert report.markdown(result) == report.markdown(expected)


def test_the_cli_output_is_the_same_run_after_run(tmp_path):
    new = written(tmp_path, "new.json", with_change("breaking"))
    first, second = (diff(SPEC_PATH, new, "--format", "json").stdout for _ in range(2))
    assert first == second and json.loads(first)["counts"]["breaking"] == 1
