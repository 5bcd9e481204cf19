"""`smdbgen spec` end to end: output, --json, --check, and bad input (exit 2, one clear line,
no traceback, nothing written)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types

import pytest
from conftest import ROOT

RELEASE = "2026-01-01"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "codegen.cli", "spec", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


@pytest.fixture
def sources(tmp_path):
    """A scratch copy of the release sources, plus an output folder with a previous spec."""
    shutil.copytree(ROOT / "spec" / "sources" / RELEASE, tmp_path / "sources" / RELEASE)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{RELEASE}.json").write_text("previous output\n")
    return tmp_path


def run_on(sources, *extra):
    return run(
        "--release",
        RELEASE,
        "--sources",
        str(sources / "sources"),
        "--output",
        str(sources / "out"),
        *extra,
    )


def assert_clean_failure(result, sources, *needles):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("smdbgen: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert (sources / "out" / f"{RELEASE}.json").read_text() == "previous output\n"


def test_writes_the_spec(sources):
    result = run_on(sources)
    assert result.returncode == 0, result.stderr
    written = json.loads((sources / "out" / f"{RELEASE}.json").read_text(encoding="utf-8"))
    committed = json.loads(
        (ROOT / "spec" / "canonical" / f"{RELEASE}.json")
        .read_text(encoding="utf-8")
        .replace('"spec/sources/', '"sources/')  # paths are shown from the sources' parent
    )
    assert written == committed


def test_json_prints_and_writes_nothing(sources):
    result = run_on(sources, "--json")
    assert result.returncode == 0 and result.stdout.startswith("{")
    assert (sources / "out" / f"{RELEASE}.json").read_text() == "previous output\n"


def test_check_reports_stale_output(sources):
    assert run_on(sources, "--check").returncode == 1
    assert run_on(sources).returncode == 0
    assert run_on(sources, "--check").returncode == 0


def test_broken_workbook(sources):
    (sources / "sources" / RELEASE / "Skemaoversigt-og-Kodelister.xlsx").write_bytes(b"PK\x03\x04")
    result = run_on(sources)
    assert_clean_failure(result, sources, "Skemaoversigt-og-Kodelister.xlsx", "cannot open")


def test_bad_cell_is_named(sources):
    from openpyxl import load_workbook

    path = sources / "sources" / RELEASE / "Skemaoversigt-og-Kodelister.xlsx"
    workbook = load_workbook(path)
    workbook["Felter"]["F4"] = "Decimal"  # datatype of the first field
    workbook.save(path)
    result = run_on(sources)
    assert_clean_failure(result, sources, "sheet 'Felter', cell F4", "unknown datatype 'Decimal'")


def test_malformed_wsdl_names_the_line(sources):
    path = sources / "sources" / RELEASE / "SecureTokenTest-v1.wsdl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + "<unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_on(sources)
    assert_clean_failure(result, sources, "SecureTokenTest-v1.wsdl", "line")


def test_wsdl_missing_a_listed_action(sources):
    release = sources / "sources" / RELEASE
    actions = (release / "actions.csv").read_text(encoding="utf-8")
    (release / "actions.csv").write_text(
        actions + "TokenTest,http://smdb.dst.dk/api/external/v1/ISecureTokenTest/Ping,,1.2.3\n",
        encoding="utf-8",
    )
    result = run_on(sources)
    assert_clean_failure(result, sources, "actions.csv", "TokenTest/Ping")


def test_unknown_release():
    result = run("--release", "1999-01-01")
    assert result.returncode == 2 and "release.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_is_installed():
    script = ROOT / ".venv" / "bin" / "smdbgen"
    assert script.exists() and os.access(script, os.X_OK)


def test_an_emitter_refusing_the_spec_stops_generation_cleanly(monkeypatch, capsys):
    import codegen.cli as cli
    import codegen.emitters as emitters
    import codegen.generate as generate

    def emit(context):
        raise ValueError("the WSDL and the forms disagree")

    refusing = types.ModuleType("codegen.emitters.refusing")
    refusing.emit = emit

    def no_writing(*args, **kwargs):
        raise AssertionError("nothing may be written when an emitter fails")

    monkeypatch.setattr(emitters, "EMITTERS", (*emitters.EMITTERS[:1], refusing))
    monkeypatch.setattr(cli, "is_up_to_date", lambda *args: False)
    monkeypatch.setattr(cli, "write_if_changed", no_writing)
    monkeypatch.setattr(generate, "write_tree", no_writing)
    assert cli.main(["generate"]) == 2
    err = capsys.readouterr().err
    assert err == "smdbgen: error: emitter refusing: the WSDL and the forms disagree\n"
