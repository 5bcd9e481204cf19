"""A code list's page dates its codes as the package does across releases (codegen.history):
a stated start stays as stated, a start DST does not state is "≥ R (in release R)" with why an
earlier release does not date it further back ("not in", "unknown in": never "unchanged"), a
code a later release dropped shows its end; the timeline draws the same. Rendered from the
two real releases with one change of each kind made in the test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types

import pytest

from codegen.build import build_spec
from codegen.diff.changelogs import changelogs
from codegen.docs import site
from codegen.docs.dating import Dating
from codegen.emitters import changes, codelists
from codegen.emitters.context import EmitContext
from codegen.history import History
from codegen.model import Validity
from codegen.spec_json import spec_document
from tests.docs import one_truth
from tests.docs.conftest import ROOT

LIST = "BehandlingTidligereKode"  # 01, 02, 99 in both releases
OLD, NEW = "2025-07-01", "2026-01-01"


def _edit(spec, code: str, change):
    lists = []
    for cl in spec.codelists:
        codes = tuple(change(c) if (cl.name, c.code) == (LIST, code) else c for c in cl.codes)
        lists.append(dataclasses.replace(cl, codes=tuple(c for c in codes if c is not None)))
    return dataclasses.replace(spec, codelists=tuple(lists))


@pytest.fixture(scope="module")
def context() -> EmitContext:
    old, new = build_spec(OLD), build_spec(NEW)
    # 01: 2025-07-01 does not know whether it listed it; 99: it did not list it.
    old = _edit(old, "01", lambda c: dataclasses.replace(c, unknown=(*c.unknown, "existence")))
    old = _edit(old, "99", lambda c: None)
    # 02: the newest release dropped it; 03 (new in both): its start stated.
    new = _edit(new, "02", lambda c: None)
    stated = Validity(valid_from=dt.date(2019, 7, 1), valid_to=None)
    new = _edit(new, "99", lambda c: dataclasses.replace(c, validity=stated))
    return EmitContext(
        spec=new,
        document=spec_document(new),
        releases=History.of([old, new]),
        earlier=(spec_document(old),),
    )


@pytest.fixture(scope="module")
def pages(context, envelope_examples) -> dict[str, str]:
    return site.emit(context, ROOT / "spec" / "sources" / NEW, envelope_examples)


def package(context) -> tuple[types.ModuleType, dict]:
    """`smdb.codelists` and the shipped changelog as the package built from `context` has
    them (the same emitters as `make generate`)."""
    files = {**codelists.emit(context), **changes.emit(context)}
    module = types.ModuleType("synthetic_codelists")
    exec(compile(files[context.module_path("codelists")], "codelists.py", "exec"), module.__dict__)
    return module, json.loads(files[context.package_path("smdb", "changelog.json")])


def rows(page: str) -> dict[str, list[str]]:
    """code -> its table cells, Markdown escapes removed."""
    found = {}
    for line in page.splitlines():
        match = re.match(r'\| <span id="code-([^"]+)"></span>', line)
        if match:
            found[match[1]] = [cell.strip().replace("\\", "") for cell in line.split("|")[1:-1]]
    return found


def test_each_code_is_dated_as_the_releases_know_it(pages):
    shown = rows(pages[f"reference/codelists/{LIST}.md"])
    # Known existence broke the run: the page says unknown, never dates it back.
    assert shown["01"][3:5] == [f"≥ {NEW} (in release {NEW}; unknown in {OLD})", "open"]
    # A start DST states stays as stated (no "≥").
    assert shown["99"][3:5] == ["2019-07-01", "open"]
    # Dropped by the newest release: its end, its start known from the older one, retired.
    assert shown["02"][2:7] == [
        "*dropped by a later release: its text is not known*",
        f"≥ {OLD} (in release {OLD})",
        NEW,
        "",
        "**retired**",
    ]


def test_a_code_the_older_release_did_not_list_is_dated_from_the_newer():
    old, new = build_spec(OLD), build_spec(NEW)
    old = _edit(old, "01", lambda c: None)
    history = History.of([old, new])
    per_release = changelogs((spec_document(old),), spec_document(new)).per_release
    dating = Dating(history, per_release)
    assert dating.since(LIST, "01") == f"≥ {NEW} (in release {NEW}; not in {OLD})"
    assert dating.since(LIST, "02") == f"≥ {OLD} (in release {OLD})"


def test_the_timeline_draws_the_same(pages):
    svg = pages[f"reference/codelists/{LIST}.svg"]
    titles = set(re.findall(r"<title>([^<]*)</title>", svg))
    assert any(
        t.startswith("02 ") and f"valid from ≥ {OLD} (in release {OLD}); before" in t
        for t in titles
    )
    assert any(f"≥ {NEW} (in release {NEW}; unknown in {OLD})" in t for t in titles)
    # The stated start has no faded part: its tip says nothing of releases.
    assert not any(t.startswith("99 ") and "release" in t for t in titles)


def test_the_page_dates_every_code_as_the_package_built_from_the_same_releases(context, pages):
    """One truth for the cases the real releases lack (a run broken by an unknown, a code
    the older release did not list, a dropped code, a stated start), and a mismatch when one
    side changes."""
    module, shipped = package(context)
    dating = one_truth.PackageDating(context.history.releases, shipped)  # smdb.spec.RELEASES
    shown = {
        code: {"periods": [tuple(cells[3:6])], "status": cells[6].strip("*")}
        for code, cells in rows(pages[f"reference/codelists/{LIST}.md"]).items()
    }
    known = one_truth.package_codes(getattr(module, LIST), dt.date(2026, 1, 1), dating)
    assert not one_truth.codelist_mismatches(shown, known)
    assert set(known) == {"01", "02", "99"}
    assert known["01"]["periods"][0][0] == f"≥ {NEW} (in release {NEW}; unknown in {OLD})"
    assert known["99"]["periods"][0][0] == "2019-07-01"
    assert known["02"]["periods"] == [(f"≥ {OLD} (in release {OLD})", NEW, "")]
    page_as_before = {**shown, "01": {**shown["01"], "periods": [("not stated", "open", "")]}}
    assert one_truth.codelist_mismatches(page_as_before, known)
