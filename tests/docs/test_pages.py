"""What the generated pages say: the question of the issue answered from the site alone, the
timeline picture, and the provenance decisions read from PROVENANCE.md."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest

from codegen.docs import provenance, site, timeline
from codegen.emitters.context import EmitContext
from tests.docs.conftest import ROOT

REFERENCE = ROOT / "docs" / "reference"


def text_of(page: str) -> str:
    """A generated page's Markdown with escape.py's backslash escapes taken out (the text
    the reader sees; tests/docs/test_escaping.py checks the escapes themselves)."""
    return re.sub(r"\\(.)", r"\1", (REFERENCE / page).read_text("utf-8"))


def row(page: str, anchor: str) -> str:
    """The Markdown table row holding an anchor."""
    text = text_of(page)
    found = [line for line in text.splitlines() if f'<span id="{anchor}"></span>' in line]
    assert len(found) == 1, (page, anchor)
    return found[0]


def test_the_site_answers_which_codes_a_17_year_old_may_get_in_4_ivaer():
    # The field links to its code list; the code list gives each code's age condition and
    # the rule that refuses it; the form names the action that sends it.
    field = row("forms/Ivaerksaettelse.md", "4-IVÆR")
    assert "../codelists/BehandlingGarantiOverskredeAarsagKode.md" in field
    page = "codelists/BehandlingGarantiOverskredeAarsagKode.md"
    code_05 = row(page, "code-05")
    assert "≥ 18" in code_05 and "in force" in code_05
    assert "(../rules/SMDB-IVÆR-4-FRIT-VALG.md)" in code_05
    assert "≤ 17" in row(page, "code-06")
    for code in ("01", "02", "08", "04", "09", "07"):
        assert "| in force |" in row(page, f"code-{code}").replace("|  |", "|")
    # 03: an old option until 2019-07-01 (§6.3), as smdb.codelists has it.
    code_03 = row(page, "code-03")
    assert "| not stated | 2019-07-01 |" in code_03 and "**retired**" in code_03
    entry = text_of("rules/SMDB-IVÆR-4-FRIT-VALG.md")
    assert "| Severity | **error** |" in entry
    assert "Svarmulighed Frit valg (05)" in entry
    form = text_of("forms/Ivaerksaettelse.md")
    assert re.search(
        r"\| Sent with \| \[IndsaetIvaerksaettelse\]\([^)]*/IndsaetIvaerksaettelse\.md\)", form
    )


def test_fields_codes_and_rules_link_to_the_decisions_that_concern_them():
    ivaer = text_of("forms/Ivaerksaettelse.md")
    injection = ivaer.split("{ #PersonNogensindeInjiceretEllerInjicererForTidenKode }", 1)[1]
    assert "[D2](../provenance.md#D2)" in injection.split("\n### ", 1)[0]
    codelist = text_of("codelists/BehandlingGarantiOverskredeAarsagKode.md")
    assert "[D7](../provenance.md#D7)" in codelist
    entry = text_of("rules/SMDB-IVÆR-4-IKKE-VIST.md")
    assert "[D9](../provenance.md#D9)" in entry
    decisions = text_of("provenance.md")
    d9 = decisions.split("{ #D9 }", 1)[1].split("\n### ", 1)[0]
    assert "rules/SMDB-IVÆR-4-IKKE-VIST.md" in d9


def test_provenance_decisions_are_read_from_the_table():
    text = (
        "# P\n\n## Gaps and contradictions\n\n| # | Where | Says | Decision | Why |\n"
        "|---|---|---|---|---|\n| D1 | §1 | a | b | c |\n| D2 | §2 | 4-IVÆR x | d | e |\n"
    )
    head, decisions = provenance.split_provenance(text)
    assert head == "# P\n\n"
    assert [d.id for d in decisions] == ["D1", "D2"]
    assert provenance.mentions(decisions[1].text, ["4-IVÆR", "14-IVÆR", "IVÆR"]) == ["4-IVÆR"]
    assert provenance.cited("see PROVENANCE.md D9 and (D7, D8); D9 again") == ["D9", "D7", "D8"]
    with pytest.raises(ValueError, match="no rows"):
        provenance.split_provenance("## Gaps and contradictions\n\nnone\n")


def test_timeline_marks_retired_and_missing_codes_and_draws_the_points():
    bars = [
        timeline.Bar("01", "Ja", dt.date(2015, 1, 1), None, "", "in-force"),
        timeline.Bar("02", "Gammel", None, dt.date(2019, 7, 1), "≥ 18", "retired"),
        timeline.Bar("03", "?", None, None, "", "missing"),
    ]
    points = [timeline.Point(dt.date(2019, 7, 1), "sanering-2019")]
    svg = timeline.render("Validity of X", bars, points, dt.date(2026, 1, 1))
    assert svg == timeline.render("Validity of X", bars, points, dt.date(2026, 1, 1))
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert svg.count(f'fill="{timeline.IN_FORCE}"') == 1
    assert svg.count(f'fill="{timeline.RETIRED}"') >= 2  # the bar and its "retired" label
    assert ">retired</text>" in svg and ">not stated</text>" in svg
    assert "02  ≥ 18" in svg
    assert "<title>sanering-2019</title>2019-07-01" in svg
    assert "release 2026-01-01" in svg
    # The retired bar ends where 2019-07-01's line is drawn.
    line_x = re.search(r'<line x1="(\d+)"[^>]*stroke-dasharray="4 3"', svg)[1]
    rects = re.findall(rf'<rect x="(\d+)"[^>]*width="(\d+)"[^>]*fill="{timeline.RETIRED}"', svg)
    assert max(int(x) + int(width) for x, width in rects) == int(line_x)


def test_a_retired_code_is_kept_and_marked_on_its_page_and_timeline(
    spec, spec_model, envelope_examples
):
    document = copy.deepcopy(spec)
    codelist = next(c for c in document["codelists"] if c["name"] == "BehandlingFormaalKode")
    codelist["codes"][0]["validity"] = {"valid_from": "2011-01-01", "valid_to": "2019-07-01"}
    retired = codelist["codes"][0]["code"]
    context = EmitContext(spec=spec_model, document=document)
    files = site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)
    page = files["reference/codelists/BehandlingFormaalKode.md"]
    line = next(line for line in page.splitlines() if f'id="code-{retired}"' in line)
    assert "| 2011-01-01 | 2019-07-01 |" in line and "**retired**" in line
    others = [line for line in page.splitlines() if "| in force |" in line]
    assert len(others) == len(codelist["codes"]) - 1
    picture = files["reference/codelists/BehandlingFormaalKode.svg"]
    # The retired code, and 03: an old option until 2019-07-01 (§6.3, smdb.codelists).
    assert picture.count(">retired</text>") == 2


def test_action_group_headings_come_from_the_spec(spec, spec_model, envelope_examples):
    # §1.2's headings are data (actions.csv's Gruppe, carried into the canonical spec):
    # the pages show whatever the spec says.
    headings = {op["group_heading"] for s in spec["services"] for op in s["operations"]}
    assert {"Nye actions 2026", "Uændrede actions", "For forløb før 1. juli 2019"} <= headings
    document = copy.deepcopy(spec)
    for service in document["services"]:
        for op in service["operations"]:
            if op["name"] == "HentAnmodning":
                op["group_heading"] = "Nye actions 2027"
    context = EmitContext(spec=spec_model, document=document)
    files = site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)
    assert (
        "Group (§1.2): **Nye actions 2027**."
        in files["reference/services/HentData/HentAnmodning.md"]
    )
    assert (
        "| [HentAnmodning](HentData/HentAnmodning.md) | Nye actions 2027 |"
        in files["reference/services/index.md"]
    )


def rule_entry(files: dict[str, str], rule_id: str) -> str:
    return re.sub(r"\\(.)", r"\1", files[f"reference/rules/{rule_id}.md"])  # as it reads


def test_a_rules_basis_and_citations_show_when_the_spec_has_them(
    spec, spec_model, envelope_examples
):
    document = copy.deepcopy(spec)
    stated, inferred = document["rules"][0], document["rules"][1]
    stated.update(basis="stated", cites=["2446-2452"])
    inferred.update(basis="inferred", cites=["D9", "1210"])
    context = EmitContext(spec=spec_model, document=document)
    files = site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)
    first = rule_entry(files, stated["id"])
    assert "| Basis | **stated** in the kravspec |" in first
    assert "| Kravspec lines | 2446-2452 (" in first
    second = rule_entry(files, inferred["id"])
    assert "| Basis | **inferred**: our reading" in second
    assert "| Kravspec lines | 1210 (" in second
    assert "[D9](../provenance.md#D9)" in second
    # Known keys, not shown again as unknown extras.
    assert "| basis |" not in first + second and "| cites |" not in first + second


def test_rules_without_basis_or_citations_render_without_those_rows(
    spec, spec_model, envelope_examples
):
    document = copy.deepcopy(spec)
    for rule in document["rules"]:
        rule.pop("basis", None)
        rule.pop("cites", None)
    context = EmitContext(spec=spec_model, document=document)
    files = site.emit(context, ROOT / "spec" / "sources" / "2026-01-01", envelope_examples)
    pages = [files[f"reference/rules/{rule['id']}.md"] for rule in document["rules"]]
    assert not any("| Basis |" in page or "| Kravspec lines |" in page for page in pages)
    assert all(page.count("| Severity |") == 1 for page in pages)
