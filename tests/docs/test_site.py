"""The built site: strict build, and a stable anchor for every element of the spec."""

from __future__ import annotations

from codegen.docs.provenance import split_provenance
from tests.docs.conftest import ROOT, page_ids


def test_strict_build_succeeds(built_site):
    # built_site asserts mkdocs' exit status; the pages it must have are there.
    for page in ("", "reference/", "reference/rules/", "guides/quickstart/"):
        assert (built_site / page / "index.html").is_file(), page


def test_every_felt_id_and_variable_has_its_anchor_on_its_form_page(built_site, spec):
    for form in spec["forms"]:
        ids = page_ids(built_site, f"reference/forms/{form['name']}/")
        for field in form["fields"]:
            assert field["variable"] in ids, (form["name"], field["variable"])
            if field["felt_id"]:
                assert field["felt_id"] in ids, (form["name"], field["felt_id"])


def test_every_code_list_has_its_page_and_every_code_its_anchor(built_site, spec):
    for codelist in spec["codelists"]:
        ids = page_ids(built_site, f"reference/codelists/{codelist['name']}/")
        for code in codelist["codes"]:
            assert f"code-{code['code']}" in ids, (codelist["name"], code["code"])
        for code in codelist.get("missing_codes", []):
            assert f"code-{code}" in ids, (codelist["name"], code)
        assert (built_site / "reference" / "codelists" / f"{codelist['name']}.svg").is_file()


def test_every_rule_has_its_anchor_in_the_catalogue(built_site, spec):
    ids = page_ids(built_site, "reference/rules/")
    missing = [rule["id"] for rule in spec["rules"] if rule["id"] not in ids]
    assert not missing
    assert len(spec["rules"]) > 0


def test_every_action_has_its_page_and_its_anchor_on_its_service_page(built_site, spec):
    for service in spec["services"]:
        folder = f"reference/services/{service['service']}/"
        ids = page_ids(built_site, folder)
        for operation in service["operations"]:
            assert operation["name"] in ids, (service["service"], operation["name"])
            page = (built_site / folder / operation["name"] / "index.html").read_text("utf-8")
            assert operation["action"] in page  # the v1 and the v0 SOAP action URI


def test_every_date_control_point_and_decision_has_its_anchor(built_site, spec):
    points = page_ids(built_site, "reference/datostyring/")
    assert all(point["id"] in points for point in spec["date_control"])
    decisions = page_ids(built_site, "reference/provenance/")
    text = (ROOT / "spec" / "sources" / "2026-01-01" / "PROVENANCE.md").read_text("utf-8")
    _, listed = split_provenance(text)
    assert len(listed) >= 22
    assert all(decision.id in decisions for decision in listed)


def test_the_flow_diagram_is_an_inline_svg_with_the_actions_of_each_step(built_site):
    page = (built_site / "reference" / "flow" / "index.html").read_text("utf-8")
    assert "mermaid" not in page  # drawn when the site is built: no script, nothing fetched
    picture = page.split('<div class="flow">', 1)[1].split("</svg>", 1)[0]
    assert picture.lstrip().startswith("<svg ")
    for code in ("ANM", "IVÆR", "TILB", "AFSL"):
        assert f'id="flow-{code}"' in picture
    assert picture.count('marker-end="url(#flow-arrow)"') == 4  # three steps and one pair
    assert "AfslutBehandling: ANM with AFSL" in picture  # an anmodning closed without IVÆR
    for action in ("IndsaetIvaerksaettelse", "IndsaetTilbudstilknytning", "AfslutBehandling"):
        assert action in picture
