"""The built site in a real headless Chromium: the IVÆR form page shows every Felt-ID, a code
list shows its timeline picture, and search finds "hovedstof" and Danish words with æ/ø/å.
A screenshot of each is kept in build/test-artefacts/docs/ (untracked)."""

from __future__ import annotations

import os
from urllib.parse import quote, unquote, urlsplit

import pytest

from tests.docs.browser import Browser, Site, find_or_install_chromium
from tests.docs.conftest import ARTEFACTS


def chromium_or_stop(find=find_or_install_chromium) -> str:
    """The browser, installed where missing; without one the test fails in CI (CI=true) and
    is skipped elsewhere, saying why."""
    executable = find()
    if executable is None:
        message = "Debian's chromium is not installed and could not be installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + " (outside CI)")
    return executable


def test_without_chromium_ci_fails_rather_than_skips(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        chromium_or_stop(lambda: None)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        chromium_or_stop(lambda: None)


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(chromium_or_stop())
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def site(built_site):
    served = Site(built_site)
    yield served
    served.close()


FELT_ID_COLUMN = """
(() => {
  const table = [...document.querySelectorAll('article table')].find(
    t => t.querySelector('th') && t.querySelector('th').textContent.trim() === 'Felt-ID');
  if (!table || table.offsetHeight === 0) return null;
  return [...table.querySelectorAll('tbody tr')].map(r => r.cells[0].textContent.trim());
})()
"""


def test_ivaer_form_page_shows_every_felt_id(browser, site, spec):
    browser.open(site.url + "reference/forms/Ivaerksaettelse/")
    shown = browser.wait_for(FELT_ID_COLUMN)
    browser.evaluate("document.getElementById('fields').scrollIntoView()")
    browser.screenshot(ARTEFACTS / "form-ivaer.png")
    form = next(f for f in spec["forms"] if f["code"] == "IVÆR")
    expected = {field["felt_id"] for field in form["fields"] if field["felt_id"]}
    assert expected <= set(shown)
    assert len(shown) == len(form["fields"])  # one row per field


def test_code_list_page_shows_its_timeline(browser, site):
    browser.open(site.url + "reference/codelists/BehandlingGarantiOverskredeAarsagKode/")
    size = browser.wait_for(
        "(() => { const i = document.querySelector('article img[src$=\".svg\"]');"
        " return i && i.complete && i.naturalWidth > 0"
        " ? [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width] : null; })()"
    )
    browser.evaluate(
        "document.querySelector('article img[src$=\".svg\"]').scrollIntoView({block: 'center'})"
    )
    browser.screenshot(ARTEFACTS / "codelist-timeline.png")
    assert size[0] > 300 and size[1] > 100 and size[2] > 300


def search(browser, site, query: str) -> list[str]:
    """Where the site's search results for `query` lead: 'path#anchor', decoded."""
    browser.open(site.url + "?q=" + quote(query))
    links = browser.wait_for(
        "(() => { const links = [...document.querySelectorAll('.md-search-result__item a')]"
        ".map(a => a.getAttribute('href')); return links.length ? links : null; })()"
    )
    return [f"{urlsplit(link).path}#{unquote(urlsplit(link).fragment)}" for link in links]


def test_search_for_hovedstof_finds_the_field(browser, site):
    links = search(browser, site, "hovedstof")
    browser.screenshot(ARTEFACTS / "search-hovedstof.png")
    # 20-IVÆR, the hovedstof itself, by its variable's anchor.
    assert "/reference/forms/Ivaerksaettelse/#PersonAktueltHovedstofKode" in links, links


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("iværksættelse", "/reference/rules/#SMDB-IVÆR-4"),
        ("ønsker", "/reference/forms/Ivaerksaettelse/#OenskerBorgerTilbudLaegesamtaleKode"),
        ("førstegangsbrug", "/reference/forms/Ivaerksaettelse/#HovedstofFoersteBrugAlderKvantitet"),
    ],
)
def test_search_finds_danish_words_with_special_letters(browser, site, query, found):
    assert found in search(browser, site, query)


def test_search_finds_english_text(browser, site):
    # The rules' English messages: 4-IVÆR "why the treatment guarantee was exceeded".
    assert "/reference/rules/#SMDB-IVÆR-4" in search(browser, site, "guarantee")
