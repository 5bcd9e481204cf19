"""`smdbgen release new`: a new release folder from the newest one, with its checklist; a date
not after the newest is refused. Generated from it, the package is the newest release's but
for the release's name (and the releases it names)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import main
from tools.mutate.copies import copy_repository, generated_files, run_generate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "spec" / "sources"


@pytest.fixture
def sources(tmp_path) -> Path:
    for release in ("2025-07-01", "2026-01-01"):
        shutil.copytree(SOURCES / release, tmp_path / release)
    return tmp_path


@pytest.mark.parametrize("date", ["2026-01-01", "2025-12-31", "2019-07-01"])
def test_a_date_not_after_the_newest_is_refused_in_one_line(sources, capsys, date):
    assert main(["release", "new", date, "--sources", str(sources)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "after the newest one, 2026-01-01" in err
    assert not (sources / date).exists() or date == "2026-01-01"


def test_not_a_date_is_refused(sources, capsys):
    assert main(["release", "new", "2026-13-01", "--sources", str(sources)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_new_folder_is_the_newest_renamed_with_a_checklist(sources, capsys):
    assert main(["release", "new", "2026-07-01", "--sources", str(sources)]) == 0
    folder = sources / "2026-07-01"
    manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    assert manifest["release"] == manifest["effective"] == "2026-07-01"
    checklist = (folder / "CHECKLIST.md").read_text(encoding="utf-8")
    for name in ("Skemaoversigt-og-Kodelister.xlsx", "actions.csv", "PROVENANCE.md"):
        assert name in checklist
    assert checklist.count("- [ ]") >= 10
    copied = {p.relative_to(folder) for p in folder.rglob("*")} - {Path("CHECKLIST.md")}
    assert copied == {
        p.relative_to(sources / "2026-01-01") for p in (sources / "2026-01-01").rglob("*")
    }


def _normalised(files: dict[str, bytes], release: str, version: str) -> dict[str, bytes]:
    """The package with its release name, version and list of releases written neutrally.

    Both releases' names are neutralised on both sides: 2026-01-01 is the old release's name
    and also a date of the spec's own (the date-control point regler-2026-01-01), which the
    new release keeps; the headers naming the new release are asserted apart."""
    out = {}
    for name, data in files.items():
        if not name.startswith("generated/"):
            continue
        text = data.decode("utf-8", errors="surrogateescape")
        text = re.sub(r"RELEASES = \([^)]*\)", "RELEASES = (...)", text)
        text = re.sub(r"built\n  from \([^)]*\)", "built from (...)", text)  # the README's
        text = text.replace("kravspecifikation-smdb-2026-01-01", "KRAVSPEC")  # copied as is
        for name_ in ("2026-01-01", "2026-07-01"):
            year, month, day = (int(part) for part in name_.split("-"))
            for written in (name_, name_.replace("-", "\\-")):  # as is, and Markdown-escaped
                text = text.replace(written, "RELEASE")
            text = text.replace(f"dt.date({year}, {month}, {day})", "dt.date(RELEASE)")
        text = text.replace(version, "VERSION")
        out[name.replace(release, "RELEASE")] = text.encode("utf-8", errors="surrogateescape")
    return out


@pytest.mark.slow  # a copy of the repository and a whole generation of it
def test_release_new_then_generate_gives_the_same_package_but_for_the_name(tmp_path):
    copy = copy_repository(tmp_path / "repo")
    before = generated_files(copy)
    created = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "release", "new", "2026-07-01"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    (copy / "spec" / "sources" / "2026-07-01" / "CHECKLIST.md").unlink()  # as when done
    result = run_generate(copy)
    assert result.returncode == 0, result.stderr
    after = generated_files(copy)
    assert "spec/canonical/2026-07-01.json" in after
    spec_py = after["generated/python/smdb/spec.py"].decode()
    assert 'RELEASES = ("2025-07-01", "2026-01-01", "2026-07-01")' in spec_py
    assert 'version = "2026.7.0"' in after["generated/python/pyproject.toml"].decode()
    header = after["generated/python/smdb/validation.py"].decode().splitlines()[0]
    assert "spec/canonical/2026-07-01.json (SMDB release 2026-07-01)" in header
    old = _normalised(before, "2026-01-01", "2026.1.0")
    new = _normalised(after, "2026-07-01", "2026.7.0")
    # The changelog (smdb changes) gains the release the new one follows, where nothing
    # changed; the one from 2025-07-01 is the same but for the name of its newer release.
    changelog = "generated/python/smdb/changelog.json"
    old.pop(changelog), new.pop(changelog)
    old_changes, new_changes = (json.loads(files[changelog]) for files in (before, after))
    assert new_changes["since"].pop("2026-01-01")["changes"] == []
    for changes in (old_changes, new_changes):
        changes.pop("release")
        changes["since"]["2025-07-01"].pop("new")
    assert new_changes == old_changes
    assert sorted(old) == sorted(new)
    differ = [name for name in old if old[name] != new[name]]
    assert differ == []
