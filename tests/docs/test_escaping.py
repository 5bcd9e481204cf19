"""Spec values reach the pages escaped for Markdown and HTML (codegen/emitters/escape.py),
and the built page shows them exactly once: no markup from the spec, no visible escapes."""

from __future__ import annotations

import copy
import html
import re

import markdown
import pytest
from mkdocs.config import load_config

from codegen.docs import site
from codegen.emitters.context import EmitContext
from codegen.emitters.escape import TemplateValueError
from tests.docs.conftest import ROOT

HOSTILE = 'Æble "ø" å <b>fed</b> *stjerne* _under_ a|b 1 & 2 ~t~ [l](u) #h 5-6 {x} `kode`'
SOURCES = ROOT / "spec" / "sources" / "2026-01-01"


@pytest.fixture(scope="module")
def render(spec_model):
    def emit(document: dict, examples: dict) -> dict[str, str]:
        return site.emit(EmitContext(spec=spec_model, document=document), SOURCES, examples)

    return emit


def to_html(page: str) -> str:
    """A page through the site's own Markdown extensions (mkdocs.yml)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.markdown(
        page, extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )


@pytest.fixture(scope="module")
def hostile_spec(spec) -> dict:
    document = copy.deepcopy(spec)
    codelist = document["codelists"][0]
    codelist["codes"][0]["text_da"] = HOSTILE
    form = next(f for f in document["forms"] if f["fields_stated"])
    form["fields"][0]["question_da"] = HOSTILE
    document["rules"][0]["message_da"] = HOSTILE
    return document


def cells(page_html: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", page_html, re.S)]


def test_a_hostile_code_text_shows_as_written_in_its_table_cell(
    hostile_spec, envelope_examples, render
):
    name = hostile_spec["codelists"][0]["name"]
    page = render(hostile_spec, envelope_examples)[f"reference/codelists/{name}.md"]
    page_html = to_html(page)
    # One cell holds the whole text, with its pipe: the row did not split.
    assert HOSTILE in cells(page_html)
    for markup in ("<b>fed", "<em>stjerne", "<em>under", "<del>t", '<a href="u"', '<h1 id="h"'):
        assert markup not in page_html
    assert "\\" not in re.sub(r"<code>.*?</code>", "", page_html)  # no escape left visible


def test_hostile_text_in_a_form_and_a_rule_shows_as_written(
    hostile_spec, envelope_examples, render
):
    files = render(hostile_spec, envelope_examples)
    form = next(f for f in hostile_spec["forms"] if f["fields_stated"])
    form_html = html.unescape(to_html(files[f"reference/forms/{form['name']}.md"]))
    assert form_html.count(HOSTILE) >= 2  # the fields table and the field's own section
    rule = hostile_spec["rules"][0]["id"]
    rules_html = to_html(files[f"reference/rules/{rule}.md"])
    assert HOSTILE in cells(rules_html)
    assert "<b>fed</b>" not in rules_html


def test_every_generated_page_renders_without_visible_escapes(built_site):
    for page in (built_site / "reference").rglob("index.html"):
        text = re.sub(r"<(code|pre|script)\b.*?</\1>", "", page.read_text("utf-8"), flags=re.S)
        assert not re.search(r"\\[-()*_|#+!~{}\[\]<>&`]", text), page


def test_a_value_that_cannot_be_a_link_target_stops_generation(spec, envelope_examples, render):
    document = copy.deepcopy(spec)
    document["forms"][0]["name"] = "Anmodning) [x](javascript:alert(1)"
    with pytest.raises(TemplateValueError, match="not a link target"):
        render(document, envelope_examples)
