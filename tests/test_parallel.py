"""Generation's helper process: same results as running alone, errors come back whole."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from codegen import parallel
from codegen.build import build_spec
from codegen.emitters import emit_all
from codegen.emitters.context import EmitContext
from codegen.errors import SourceError
from codegen.importers.wsdl_memo import prefetch_wsdls
from codegen.spec_json import spec_document

RELEASE = "2026-01-01"


def fail(message: str) -> None:
    raise SourceError(message, file="some.wsdl", line=7)


@pytest.fixture
def jobs(monkeypatch):
    """Force the helper on (or off), whatever the machine's core count."""

    def set_jobs(count: int) -> None:
        monkeypatch.setenv("SMDBGEN_JOBS", str(count))

    return set_jobs


def test_steps_run_in_another_process_inside_the_helper(jobs):
    jobs(2)
    assert parallel.submit(os.getpid).result() == os.getpid()  # no helper yet: here
    with parallel.helper():
        assert parallel.active()
        assert parallel.submit(os.getpid).result() != os.getpid()
    assert not parallel.active()
    assert parallel.submit(os.getpid).result() == os.getpid()


def test_one_job_means_no_helper(jobs):
    jobs(1)
    with parallel.helper():
        assert not parallel.active()
        assert parallel.submit(os.getpid).result() == os.getpid()


@pytest.mark.parametrize("count", [1, 2])
def test_an_error_comes_back_whole(jobs, count):
    jobs(count)
    with parallel.helper():
        future = parallel.submit(fail, "no such element")
        with pytest.raises(SourceError) as info:
            future.result()
    # the location survives the trip through pickle
    assert str(info.value) == "some.wsdl, line 7: no such element"


def test_waiting_for_the_helper_is_spent_importing(jobs):
    jobs(2)
    for name in ("colorsys", "wave"):
        sys.modules.pop(name, None)
    with parallel.helper():
        done = parallel.submit(os.getpid)
        done.result()
        parallel.import_while_waiting("colorsys")
        parallel.result(done)
        assert "colorsys" not in sys.modules  # nothing to wait for: nothing imported
        slow = parallel.submit(time.sleep, 0.5)
        assert parallel.result(slow) is None
        assert "colorsys" in sys.modules
        parallel.import_while_waiting("wave")
    assert parallel.result(parallel.submit(time.sleep, 0.1)) is None  # no helper: no waiting
    assert "wave" not in sys.modules


def test_generation_with_the_helper_equals_generation_alone(jobs, monkeypatch):
    monkeypatch.setenv("SMDBGEN_NO_CACHE", "1")  # compute everything, in both runs
    jobs(1)
    spec = build_spec(RELEASE)
    alone = emit_all(EmitContext(spec=spec, document=spec_document(spec)))
    jobs(2)
    with parallel.helper():
        prefetch_wsdls(RELEASE)  # as the CLI does: the helper reads the WSDLs
        shared_spec = build_spec(RELEASE)
        shared = emit_all(EmitContext(spec=shared_spec, document=spec_document(shared_spec)))
    assert shared_spec == spec
    assert shared.keys() == alone.keys()
    assert [path for path in alone if shared[path] != alone[path]] == []


@pytest.mark.parametrize("count", [1, 2])
def test_a_bad_wsdl_read_by_the_helper_fails_generation_cleanly(tmp_path, count):
    release = tmp_path / "sources" / RELEASE
    shutil.copytree(ROOT / "spec" / "sources" / RELEASE, release)
    path = release / "SecureIndsaetData-v0.wsdl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[9] += "<unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "generate", "--sources", str(tmp_path / "sources")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SMDBGEN_JOBS": str(count), "SMDBGEN_NO_CACHE": "1"},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("smdbgen: error: sources/2026-01-01/SecureIndsaetData-v0.wsdl")
    assert "line" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
