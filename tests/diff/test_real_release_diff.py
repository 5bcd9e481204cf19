"""The real changelog, 2025-07-01 -> 2026-01-01, against the kravspec's own statements of what
changed (kravspec-smdb-2026-01-01.txt, lines cited), and as a golden file reviewed by hand.

The golden file is `smdbgen diff 2025-07-01 2026-01-01` as reviewed; when a release's sources
change, regenerate it with that command and review the difference before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from codegen.diff import changelog, report
from codegen.diff.load import load

CANONICAL = ROOT / "spec" / "canonical"
GOLDEN = Path(__file__).parent / "golden" / "2025-07-01..2026-01-01.md"

# Transcribed by hand from the kravspec, §1.2 "Nye actions 2026".
NEW_HENTDATA = {
    "HentAnmodning",  # line 185
    "HentIvaerksaettelse",  # 187
    "HentIvaerksaettelseForAnmodning",  # 189
    "HentTilbudstilknytning",  # 191
    "HentTilbudstilknytningForIvaerksaettelse",  # 193
    "HentKvalHepMedId",  # 195
    "HentAktiveKontaktForloebIMyndighed",  # 199-201: "tilføjet en action ... overførsel"
}
NEW_INDSAETDATA = {
    "SletAnmodning",  # line 280
    "SletIvaerksaettelse",  # 282
    "SletTilbudsTilknytning",  # 284
    "SletHeltForloeb",  # 286
    "SletKvalHep",  # 288
}
# §1.2 "Uændrede actions".
UNCHANGED = {
    "HentAlleTilbud", "HentAnmodninger", "HentIndskrivninger", "HentIvaerksaettelser",
    "HentKvalHep", "HentLandeliste", "HentTilbudstilknytninger", "HentYdelser",
    "HentYdelsespakker",  # lines 205-243
    "AfslutBehandling", "AfslutIndskrivning", "IndsaetIndskrivning", "IndsaetIvaerksaettelse",
    "IndsaetKvalHep", "IndsaetTilbudstilknytning", "IndsaetYdelse",  # lines 292-306
}  # fmt: skip


@pytest.fixture(scope="module")
def real() -> dict:
    return changelog(load("2025-07-01", CANONICAL), load("2026-01-01", CANONICAL))


def of(real: dict, cls: str | None = None, kind: str | None = None) -> list[dict]:
    return [
        c
        for c in real["changes"]
        if (cls is None or c["class"] == cls) and (kind is None or c["kind"] == kind)
    ]


def test_the_golden_file(real):
    assert report.markdown(real) == GOLDEN.read_text(encoding="utf-8")


def test_the_new_actions_of_2026_are_added_in_both_api_versions(real):
    """§1.2 lines 175-201 and 274-288: twelve new actions; nothing else added or removed."""
    added = {c["id"] for c in of(real, kind="action") if c["change"] == "added"}
    expected = {
        f"{service}/{version}/{action}"
        for service, actions in (("HentData", NEW_HENTDATA), ("IndsaetData", NEW_INDSAETDATA))
        for action in actions
        for version in ("v1", "v0")
    }
    assert added == expected
    assert {c["class"] for c in of(real, kind="action") if c["change"] == "added"} == {"additive"}
    assert not [c for c in real["changes"] if c["change"] == "removed"]


def test_the_svar_objekt_is_new(real):
    """Line 181: the new actions "introducerer et svar-objekt": its types are added, in the
    services whose new actions answer with it."""
    added = {c["id"] for c in of(real, "additive", "type")}
    for service in ("HentData", "IndsaetData"):
        for version in ("v1", "v0"):
            assert {f"{service}/{version}/types/{t}" for t in ("Svar", "Besked")} <= added


def test_the_unchanged_actions_show_no_change_only_what_is_not_known(real):
    """Lines 205 and 292, "Uændrede actions": nothing breaking or additive about them; what
    the 2025 release does not know of them (their §1.2 group) is unknown, not unchanged."""
    for change in real["changes"]:
        if change["kind"] in ("action", "request element", "response element"):
            action = change["id"].split("/")[2]
            if action in UNCHANGED:
                assert change["class"] == "unknown", change
                assert change["attributes"] == ["group", "group_heading"], change


def test_what_ended_before_2025_07_01_did_not_change_between_the_two(real):
    """§1.1 lines 100-101 (the tilbud forms ended 2025-01-01) and 106-107 (KvalHep ended
    2025-07-01), §3 lines 478-480 (the code values in force from 1 July 2025 are 2026's):
    both releases state them alike, so no validity and no code is reported changed."""
    for change in real["changes"]:
        if change["kind"] in ("form", "code", "code list", "field"):
            assert change["class"] == "unknown", change
            assert not (change["aspect"] or "").startswith("validity"), change


def test_what_the_2025_release_does_not_know_is_unknown_never_unchanged(real):
    """§6.2 lines 2679-2681: other rules held before 1 July 2025, and the 2026 text shows
    changes it does not spell out. The 2025 release does not know its rules or its service
    facts but one: one unknown entry each, nothing reported as unchanged, and a CI that fails
    on unknown fails."""
    sections = {c["id"] for c in of(real, "unknown", "section")}
    facts = {f"service_facts.{f}" for f in ("endpoints", "reporting_unit", "manual_deletion")}
    facts.add("service_facts.server_checks")
    assert sections == {"rules", "overlap", "municipalities", *facts}
    assert not of(real, "cosmetic")
    # Breaking: D5's date-control point regler-2026-01-01 is our own reading, not a kravspec
    # statement (from it both readings of line 2681 agree that this kravspec's rules govern);
    # it is new in 2026, and a new rules-change point is breaking by the classifier, which
    # cannot tell whether new rules are stricter. And line 276, "Der forhindres fremover at
    # ændre startdatoer på tværs af saneringsdatoer": the start-date lock is new (K2), and a
    # start date that could be changed before no longer can.
    assert [(c["kind"], c["id"]) for c in of(real, "breaking")] == [
        ("date-control point", "regler-2026-01-01"),
        ("start-date lock", "start-date lock"),
    ]
    assert report.failing(real, "unknown")
    assert "unchanged" not in {c["class"] for c in real["changes"]}
