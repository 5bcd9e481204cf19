"""The documentation site, built once per test session with `mkdocs build --strict`."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.generate import is_leftover

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "canonical" / "2026-01-01.json"
MKDOCS = Path(sys.executable).parent / "mkdocs"
ARTEFACTS = ROOT / "build" / "test-artefacts" / "docs"  # screenshots (untracked: /build/)


@pytest.fixture(scope="session")
def spec() -> dict:
    return json.loads(SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def spec_model():
    """The release's spec as the emitters get it (codegen.model.Spec)."""
    from codegen.build import build_spec

    return build_spec("2026-01-01", ROOT / "spec" / "sources")


def package_files() -> dict[str, str]:
    """The generated package as on disk (path under generated/ -> text), as `emit_all` gives it."""
    generated = ROOT / "generated"
    return {
        path.relative_to(generated).as_posix(): path.read_text(encoding="utf-8")
        for path in (generated / "python").rglob("*")
        if path.is_file() and not is_leftover(path.relative_to(generated).as_posix())
    }


@pytest.fixture(scope="session")
def envelope_examples(spec) -> dict:
    """The actions' example envelopes, made by the generated package (once per session)."""
    from codegen.docs import envelopes

    return envelopes.examples(package_files(), envelopes.BASE_CASE, spec["release"]["effective"])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site as `make docs` builds it; strict: any warning (a broken link or anchor) fails."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def page_ids(site: Path, page: str) -> set[str]:
    """The element ids of a built page (`page`: its path under the site, e.g.
    'reference/rules/')."""
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return {html.unescape(value) for value in re.findall(r'\bid="([^"]*)"', text)}
