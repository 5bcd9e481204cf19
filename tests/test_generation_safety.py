"""Generation is deterministic and its shortcuts are safe, tried in fresh copies of the
repository (tools/mutate/copies.py) so the worktree is never touched.

- With the memo off, under two hash seeds, every generated file (the docs' pages included) is
  the same, byte for byte, and the same as the one committed (the WSDLs really are parsed
  under both seeds).
- A change to a template, to codegen/ or to the rules regenerates: neither the up-to-date
  check nor the memo hands back the old output.
- A hand-edited generated file is put back by `smdbgen generate`, and `make check-fresh`
  (part of `make test`) fails on a committed one.

Each costs a whole generation: `make test` runs a second run being up to date and a
hand-edited file put back; `make test-slow` the rest (marked slow), the memo-off run under two
seeds included (in `make test`, tests/test_determinism.py builds the spec under two hash seeds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.mutate.copies import copy_repository, generated_files, run_generate

UP_TO_DATE = "up to date"


def _generate(copy: Path, **options) -> str:
    result = run_generate(copy, **options)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A copy of the repository, generated once with the memo on, from an empty memo."""
    copy = copy_repository(tmp_path_factory.mktemp("prepared"))
    _generate(copy)
    return copy


@pytest.fixture
def generated(prepared, tmp_path) -> Path:
    """A test's own copy of the prepared one (memo and up-to-date record included): each test
    changes its copy, none sees another's change, and the generation is done only once."""
    return Path(shutil.copytree(prepared, tmp_path / "repo", symlinks=True))


def test_the_copy_runs_its_own_code(tmp_path):
    copy = copy_repository(tmp_path)
    found = subprocess.run(
        [sys.executable, "-c", "import codegen; print(codegen.__file__)"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).resolve().is_relative_to(copy.resolve())


@pytest.mark.slow
def test_memo_off_under_two_hash_seeds_every_file_is_the_same(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    copy_repository(first)
    copy_repository(second)
    committed = _every_generated_file(first)
    for copy, seed in ((first, "1"), (second, "2")):
        for folder in ("generated", "spec/canonical", "docs/reference"):
            shutil.rmtree(copy / folder)  # nothing left over from the committed output
        out = _generate(copy, seed=seed, no_cache=True)
        assert UP_TO_DATE not in out
        assert not (copy / ".cache" / "memo").exists(), "the memo was used"
    one, two = _every_generated_file(first), _every_generated_file(second)
    assert any(name.startswith("docs/reference/") for name in one)
    assert one.keys() == two.keys() == committed.keys()
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"differ between hash seeds: {differing}"
    stale = [name for name in one if one[name] != committed[name]]
    assert not stale, f"differ from the committed output: {stale}"


def _every_generated_file(copy: Path) -> dict[str, bytes]:
    """generated/ and spec/canonical/, and the docs' generated pages (docs/reference/)."""
    pages = sorted(p for p in (copy / "docs" / "reference").rglob("*") if p.is_file())
    return {
        **generated_files(copy),
        **{p.relative_to(copy).as_posix(): p.read_bytes() for p in pages},
    }


def test_a_second_run_is_up_to_date(generated):
    assert UP_TO_DATE in _generate(generated)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_a_changed_template_regenerates(generated):
    """validation.py.j2: its emitter is memoised, so both shortcuts must notice."""
    template = generated / "codegen" / "templates" / "python" / "validation.py.j2"
    _edit(
        template,
        "from __future__ import annotations\n",
        "from __future__ import annotations\n# T13\n",
    )
    out = _generate(generated)
    assert UP_TO_DATE not in out
    assert "# T13\n" in (generated / "generated/python/smdb/validation.py").read_text()


@pytest.mark.slow
def test_a_changed_rule_regenerates(generated):
    rules = generated / "spec" / "rules" / "6.1.3-ivaerksaettelse.yaml"
    _edit(rules, "45-IVÆR must be answered.", "45-IVÆR must be answered (T13).")
    out = _generate(generated)
    assert UP_TO_DATE not in out
    assert "45-IVÆR must be answered (T13)." in (
        generated / "generated/python/smdb/validation.py"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_changed_codegen_module_recomputes_every_memo_entry(generated):
    """codegen/model.py shapes every memoised result (they hold its objects): after any change
    to it, no entry of the memo is reused."""
    memo = generated / ".cache" / "memo"
    before = {p.name for p in memo.iterdir()}  # one generation's, from an empty memo
    _edit(
        generated / "codegen" / "model.py",
        '"""',
        '"""(T13) ',
    )
    out = _generate(generated)
    assert UP_TO_DATE not in out
    after = {p.name for p in memo.iterdir()}
    new = after - before
    kinds = lambda names: sorted({n.split("-")[0] for n in names})  # noqa: E731
    assert kinds(new) == kinds(before), "some memo entries were reused"
    assert len(new) == len(before)


def test_a_hand_edited_generated_file_is_restored(generated):
    target = generated / "generated" / "python" / "smdb" / "xml.py"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"not len(elem) and _is_nil(elem)", b"not len(elem)"))
    assert target.read_bytes() != original
    out = _generate(generated)
    assert UP_TO_DATE not in out
    assert target.read_bytes() == original


def _git(copy: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=copy,
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_make_check_fresh_fails_on_a_committed_hand_edit(generated, tmp_path):
    """`make check-fresh`, the last step of `make test`, run in the copy with its own code."""
    assert UP_TO_DATE in _generate(generated)
    _git(generated, "init", "-q")
    _git(generated, "add", "-A")
    _git(generated, "commit", "-qm", "base")
    target = generated / "generated" / "python" / "smdb" / "xml.py"
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    _git(generated, "commit", "-qam", "a hand edit")
    # A bin/ whose smdbgen runs the copy's code (the .venv's runs the worktree's), and a
    # stamp newer than everything, so that make leaves every virtualenv alone.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "smdbgen"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} -m codegen.cli "$@"\n')
    script.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()
    env = {k: v for k, v in os.environ.items() if k != "MAKEFLAGS"}
    overrides = [f"VENV={tmp_path / 'no-venv'}", f"BIN={bin_dir}", f"STAMP={stamp}"]
    result = subprocess.run(
        ["make", "--no-print-directory", "check-fresh", *overrides],
        cwd=generated,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Generated output is stale" in result.stdout
    assert "# edited by hand" not in target.read_text(encoding="utf-8")  # and put back
