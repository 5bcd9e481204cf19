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


REFERENCE = ROOT / "docs" / "reference"


def releases_said(page: str) -> list[str]:
    """The Releases lines and rows of a generated page, links and Markdown escapes removed."""
    lines = [line for line in page.splitlines() if re.match(r"(\| )?Releases", line)]
    return [re.sub(r"\]\([^)]*\)", "]", line).replace("\\", "") for line in lines]


def test_what_2025_does_not_know_at_all_is_said_on_every_page_of_it():
    """2025-07-01 does not know its rules, its service facts or whether it had the age
    limits of 4-IVÆR: the pages say "not known before", where silence would read as
    "unchanged" next to the pages that say what changed."""
    for rule in (REFERENCE / "rules").glob("SMDB-*.md"):
        said = releases_said(rule.read_text(encoding="utf-8"))
        assert said == [
            "| Releases | [not known before 2026-01-01 (2025-07-01 does not know its rules)] |"
        ], rule.name
    environments = releases_said((REFERENCE / "environments.md").read_text(encoding="utf-8"))
    assert environments == [
        "Releases: [not known before 2026-01-01 (2025-07-01 does not know its endpoints)]."
    ]
    points = (REFERENCE / "datostyring.md").read_text(encoding="utf-8").split("\n## ")
    said = {point.split(" ", 1)[0]: releases_said(point) for point in points[1:]}
    assert said["alder-4-ivaer"] == ["Releases: [not known before 2026-01-01]."]
    assert said["regler-2026-01-01"] == ["Releases: [new in 2026-01-01]."]
    assert said["kvalhep-udgaar"] == [
        "Releases: [in 2025-07-01 (its description and kravspec section there not known)]."
    ]
    form = releases_said((REFERENCE / "forms" / "KvalHep.md").read_text(encoding="utf-8"))
    assert (
        form[0] == "| Releases | [in 2025-07-01 (its date basis, note and title there not known)] |"
    )
    # Nothing on the site says "not known before" of an element 2025-07-01 holds.
    codes = releases_said((REFERENCE / "codelists" / f"{AARSAG}.md").read_text(encoding="utf-8"))
    unknown = "age limits, note, number, position and text there not known"
    assert codes[0].startswith(f"Releases: in 2025-07-01 ({unknown}): [01]")
