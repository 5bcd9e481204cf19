"""`smdb changes --since RELEASE`: the vendor's changelog from data shipped in the package.

The package is the generated one, copied, with the changes emitter's output for a synthetic
earlier release (the real spec, with a code more and a rule's check of its own): what a
vendor's CI runs, `smdb changes --since 2025-07-01 --fail-on breaking`, exits 1 there, and
the report is the one `smdbgen diff` prints for the same two specs."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from codegen.build import build_spec
from codegen.diff import changelog, report
from codegen.emitters import changes
from codegen.emitters.context import EmitContext
from codegen.spec_json import spec_document

EARLIER = "2025-07-01"


def earlier(document: dict, *, breaking: bool) -> dict:
    old = copy.deepcopy(document)
    old["release"]["id"] = old["release"]["effective"] = EARLIER
    codelist = next(c for c in old["codelists"] if c["name"] == "BehandlingAfsluttetAarsagKode")
    if breaking:  # the old release had a code the new one has not
        codelist["codes"].append({**codelist["codes"][0], "code": "77"})
    codelist["codes"][0]["text_da"] = "Gammel tekst"  # cosmetic
    return old


@pytest.fixture(scope="module")
def spec():
    return build_spec("2026-01-01")


def package(tmp_path, spec, old: dict) -> tuple[str, dict]:
    """A copy of the generated package with the changelog from `old`; and the changelog."""
    shutil.copytree(ROOT / "generated" / "python" / "smdb", tmp_path / "smdb")
    document = spec_document(spec)
    files = changes.emit(EmitContext(spec=spec, document=document, earlier=(old,)))
    for path, text in files.items():
        (tmp_path / path.removeprefix("python/")).write_text(text, encoding="utf-8")
    return str(tmp_path), changelog(old, document)


def smdb(pythonpath: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smdb.cli", "changes", *args],
        capture_output=True,
        text=True,
        cwd=pythonpath,
        env={"PYTHONPATH": pythonpath},
        check=False,
    )


@pytest.mark.parametrize(
    "breaking, fail_on, status",
    [(True, None, 0), (True, "breaking", 1), (False, "breaking", 0), (False, "unknown", 0)],
)
def test_exit_status_for_a_vendors_ci(tmp_path, spec, breaking, fail_on, status):
    path, expected = package(tmp_path, spec, earlier(spec_document(spec), breaking=breaking))
    result = smdb(path, "--since", EARLIER, *(("--fail-on", fail_on) if fail_on else ()))
    assert result.returncode == status, result.stderr
    assert result.stdout == report.markdown(expected)  # what `smdbgen diff` prints
    assert ("- code `BehandlingAfsluttetAarsagKode/77`" in result.stdout) == breaking


def test_json_is_the_changelog(tmp_path, spec):
    path, expected = package(tmp_path, spec, earlier(spec_document(spec), breaking=True))
    result = smdb(path, "--since", EARLIER, "--format", "json")
    assert result.returncode == 0
    shipped = json.loads(result.stdout)
    assert shipped == expected
    assert [c["class"] for c in shipped["changes"]] == ["breaking", "cosmetic"]


def test_a_release_the_package_has_no_changelog_from(tmp_path, spec):
    path, _ = package(tmp_path, spec, earlier(spec_document(spec), breaking=True))
    result = smdb(path, "--since", "2024-01-01")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "smdb: error: no changelog from release 2024-01-01 in this package "
        "(release 2026-01-01; changelogs from: 2025-07-01)\n"
    )


def test_since_the_packages_own_release(tmp_path, spec):
    path, _ = package(tmp_path, spec, earlier(spec_document(spec), breaking=True))
    result = smdb(path, "--since", "2026-01-01", "--fail-on", "breaking")
    assert result.returncode == 0
    assert "nothing changed since it" in result.stdout


def test_the_shipped_package_names_what_it_has():
    """The generated package as committed: a changelog from every earlier canonical spec."""
    shipped = json.loads(
        (ROOT / "generated" / "python" / "smdb" / "changelog.json").read_text(encoding="utf-8")
    )
    releases = sorted(p.stem for p in (ROOT / "spec" / "canonical").glob("*.json"))
    assert shipped["release"] == releases[-1]
    assert sorted(shipped["since"]) == releases[:-1]
