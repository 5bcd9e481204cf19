"""The package built from the newest release: it names the releases it was built from, dates
its codes across them, and takes its version from the release (and release.json's patch)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

import pytest
from conftest import ROOT, generated_module

from codegen.build import build_spec
from codegen.emitters import codelists as codelists_emitter
from codegen.emitters.context import EmitContext
from codegen.errors import SourceError
from codegen.history import History
from codegen.spec_json import spec_document


def test_the_package_names_its_releases_and_dates_codes_across_them():
    spec = generated_module("smdb.spec")
    codelists = generated_module("smdb.codelists")
    assert spec.RELEASES == ("2025-07-01", "2026-01-01")
    assert spec.RELEASES[-1] == spec.RELEASE
    member = codelists.BehandlingTidligereKode.KODE_99
    assert member.valid_from is None and member.valid_from_stated is False
    assert member.in_force_since == dt.date(2025, 7, 1)
    # Dating a code back informs; it does not make an older case's code invalid.
    assert member.in_force(dt.date(2020, 1, 1))


def test_the_version_follows_the_release_and_its_patch():
    spec = build_spec("2026-01-01")
    document = spec_document(spec)
    assert EmitContext(spec=spec, document=document).version == "2026.1.0"
    patched = History.of([spec], package_patch=1)
    assert EmitContext(spec=spec, document=document, releases=patched).version == "2026.1.1"


@pytest.mark.parametrize("patch", [-1, "1", 1.5, True])
def test_a_package_patch_that_is_no_count_is_refused(tmp_path, patch):
    shutil.copytree(ROOT / "spec" / "sources" / "2026-01-01", tmp_path / "2026-01-01")
    manifest = tmp_path / "2026-01-01" / "release.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(data | {"package_patch": patch}), encoding="utf-8")
    with pytest.raises(SourceError, match="'package_patch' must be a whole number"):
        build_spec("2026-01-01", tmp_path)


def test_a_dropped_code_stays_a_member_until_the_release_that_dropped_it():
    old, new = build_spec("2025-07-01"), build_spec("2026-01-01")
    lists = tuple(
        dataclasses.replace(cl, codes=tuple(c for c in cl.codes if c.code != "02"))
        if cl.name == "BehandlingTidligereKode"
        else cl
        for cl in new.codelists
    )
    new = dataclasses.replace(new, codelists=lists)
    context = EmitContext(spec=new, document=spec_document(new), releases=History.of([old, new]))
    (text,) = codelists_emitter.emit(context).values()
    namespace: dict = {}
    exec(compile(text, "codelists.py", "exec"), namespace)  # the generated module, as written
    member = namespace["BehandlingTidligereKode"]("02")
    assert member.valid_to == dt.date(2026, 1, 1) and member.text_da is None
    assert not member.in_force(dt.date(2026, 1, 1)) and member.in_force(dt.date(2025, 12, 31))


def test_no_package_from_a_release_that_does_not_know_all_it_holds(tmp_path, capsys):
    from codegen.cli import main

    shutil.copytree(ROOT / "spec" / "sources" / "2025-07-01", tmp_path / "2025-07-01")
    output = tmp_path / "canonical"
    args = ["generate", "--release", "2025-07-01", "--sources", str(tmp_path)]
    assert main([*args, "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not know all it holds" in err
    assert not output.exists()
