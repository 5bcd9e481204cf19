"""The changelog page of a release, from the same diff as `smdbgen diff`, and the links to it
from the pages of the fields, codes, rules and actions it names; the timelines mark every
release. Rendered from the real spec and a synthetic earlier release with one change of a
few kinds."""

from __future__ import annotations

import copy
import re

import pytest

from codegen.docs import site
from codegen.emitters.context import EmitContext
from tests.docs.conftest import ROOT

AARSAG = "BehandlingAfsluttetAarsagKode"


@pytest.fixture(scope="module")
def pages(spec, spec_model, envelope_examples) -> dict[str, str]:
    old = copy.deepcopy(spec)
    old["release"]["id"] = old["release"]["effective"] = "2025-07-01"
    codes = next(c for c in old["codelists"] if c["name"] == AARSAG)["codes"]
    codes[0]["text_da"] = "Gammel tekst"  # 01 re-labelled: cosmetic
    codes[1]["validity"]["valid_to"] = "2026-01-01"  # 03 no longer ends: additive
    rule = next(r for r in old["rules"] if r["id"] == "SMDB-IVÆR-43")
    rule["check"] = "True"  # changed, and it rejects: breaking
    hent = next(
        s for s in old["services"] if (s["service"], s["api_version"]) == ("HentData", "v1")
    )
    hent["operations"] = [o for o in hent["operations"] if o["name"] != "HentAnmodning"]
    anmodning = next(f for f in old["forms"] if f["name"] == "Anmodning")
    anmodning["fields"][1]["unknown"] = ["required"]  # 8-ANM KommuneKode
    anmodning["fields"][1]["required"] = None
    context = EmitContext(spec=spec_model, document=spec, earlier=(old,))
    return site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)


def anchors(page: str) -> set[str]:
    return set(re.findall(r'<span id="([^"]+)"></span>', page))


def links_to_changelog(page: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^\]]+)\]\(\.\./(?:\.\./)?changelog/2026-01-01\.md#([^)]+)\)", page)


def test_one_page_per_release_breaking_first(pages):
    assert {p for p in pages if p.startswith("reference/changelog/")} == {
        "reference/changelog/index.md",
        "reference/changelog/2025-07-01.md",
        "reference/changelog/2026-01-01.md",
    }
    index = pages["reference/changelog/index.md"]
    assert index.index("[2026-01-01](2026-01-01.md)") < index.index("[2025-07-01](2025-07-01.md)")
    assert "The first release this project holds" in pages["reference/changelog/2025-07-01.md"]
    page = pages["reference/changelog/2026-01-01.md"]
    headings = re.findall(r"^## (.+)$", page, flags=re.M)
    assert headings == [
        "Breaking (1)",
        "Unknown: not known on one side (1)",
        "Additive (2)",
        "Cosmetic (1)",
    ]
    breaking = next(line for line in page.splitlines() if 'id="rule-SMDB-IVÆR-43"' in line)
    assert "[SMDB-IVÆR-43](../rules/SMDB-IVÆR-43.md)" in breaking
    assert "check: True → " in breaking.replace("\\", "")


def test_every_element_named_links_to_its_entry(pages):
    """Code, rule, action and field pages link to the anchor of their entry, which exists."""
    entries = anchors(pages["reference/changelog/2026-01-01.md"])
    expected = {
        "reference/codelists/BehandlingAfsluttetAarsagKode.md": {
            ("01", f"code-{AARSAG}-01"),
            ("03", f"code-{AARSAG}-03"),
        },
        "reference/rules/SMDB-IVÆR-43.md": {("changed in 2026-01-01", "rule-SMDB-IVÆR-43")},
        "reference/services/HentData/HentAnmodning.md": {
            ("new in 2026-01-01", "action-HentData-v1-HentAnmodning")
        },
        "reference/forms/Anmodning.md": {
            (r"in 2025\-07\-01 \(its required there not known\)", "field-Anmodning-KommuneKode")
        },
    }
    for page, links in expected.items():
        found = set(links_to_changelog(pages[page]))
        assert found == links, page
        assert {anchor for _, anchor in links} <= entries
    assert not links_to_changelog(pages["reference/forms/Afslutning.md"])
    codelist = pages[f"reference/codelists/{AARSAG}.md"].replace("\\", "")
    assert "Releases: changed in 2026-01-01: [01](" in codelist


def test_releases_say_what_was_not_known_and_not_known_before_only_for_existence(
    spec, spec_model, envelope_examples
):
    """A code the old release holds with only its text unknown is "in 2025-07-01 (text
    there not known)"; "not known before" is kept for one whose existence is unknown."""
    old = copy.deepcopy(spec)
    old["release"]["id"] = old["release"]["effective"] = "2025-07-01"
    codes = next(c for c in old["codelists"] if c["name"] == AARSAG)["codes"]
    codes[0]["text_da"], codes[0]["unknown"] = None, ["text_da"]
    codes[1]["unknown"] = ["existence"]
    context = EmitContext(spec=spec_model, document=spec, earlier=(old,))
    page = site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)[
        f"reference/codelists/{AARSAG}.md"
    ]
    releases = next(line for line in page.splitlines() if line.startswith("Releases:"))
    said = re.sub(r"\((?:\.\./)+changelog/[^)]*\)", "", releases).replace("\\", "")
    assert said == (
        "Releases: in 2025-07-01 (text there not known): [01]; not known before 2026-01-01: [03]."
    )


def test_timelines_mark_every_release(pages):
    for picture in ("reference/codelists/BehandlingAfsluttetAarsagKode.svg",):
        assert ">release 2026-01-01</text>" in pages[picture]
        assert ">release 2025-07-01</text>" in pages[picture]
    assert ">release 2025-07-01</text>" in pages["reference/datostyring.svg"]
