"""The built site in a real headless Chromium: the IVÆR form page shows every Felt-ID, a code
list shows its timeline picture, and search finds "hovedstof" and Danish words with æ/ø/å.
A screenshot of each is kept in build/test-artefacts/docs/ (untracked)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import pytest

from tests import processes
from tests.docs.browser import Site, launched, missing_browser
from tests.docs.conftest import ARTEFACTS


def browser_or_fail(missing=missing_browser) -> None:
    """Without the browser the test fails with one line naming what is missing (never a skip:
    `make test` installs it)."""
    if (what := missing()) is not None:
        pytest.fail(what, pytrace=False)


def test_without_the_browser_a_test_fails_with_one_line_naming_it(tmp_path):
    absent = tmp_path / "chromium"
    with pytest.raises(pytest.fail.Exception) as failure:
        browser_or_fail(lambda: missing_browser(absent))
    message = str(failure.value)
    assert len(message.splitlines()) == 1 and str(absent) in message and "make test" in message
    assert failure.value.pytrace is False


def test_the_browser_process_group_is_gone_after_close_even_when_the_test_raised():
    browser_or_fail()
    seen = []
    with pytest.raises(RuntimeError, match="the test body failed"), launched() as chromium:
        seen.append(chromium.process_group)
        assert processes.group(chromium.process_group), "chromium runs in its own group"
        chromium.page.goto("about:blank")
        raise RuntimeError("the test body failed")
    assert seen and processes.group(seen[0]) == []


@pytest.fixture(scope="module")
def page():
    browser_or_fail()
    with launched() as chromium:
        yield chromium.page


@pytest.fixture(scope="module")
def site(built_site):
    served = Site(built_site)
    try:
        yield served
    finally:
        served.close()


FELT_ID_COLUMN = """
(() => {
  const table = [...document.querySelectorAll('article table')].find(
    t => t.querySelector('th') && t.querySelector('th').textContent.trim() === 'Felt-ID');
  if (!table || table.offsetHeight === 0) return null;
  return [...table.querySelectorAll('tbody tr')].map(r => r.cells[0].textContent.trim());
})()
"""


def test_ivaer_form_page_shows_every_felt_id(page, site, spec):
    page.goto(site.url + "reference/forms/Ivaerksaettelse/")
    shown = page.wait_for_function(FELT_ID_COLUMN).json_value()
    page.evaluate("document.getElementById('fields').scrollIntoView()")
    page.screenshot(path=ARTEFACTS / "form-ivaer.png")
    form = next(f for f in spec["forms"] if f["code"] == "IVÆR")
    expected = {field["felt_id"] for field in form["fields"] if field["felt_id"]}
    assert expected <= set(shown)
    assert len(shown) == len(form["fields"])  # one row per field


def test_code_list_page_shows_its_timeline(page, site):
    page.goto(site.url + "reference/codelists/BehandlingGarantiOverskredeAarsagKode/")
    size = page.wait_for_function(
        "(() => { const i = document.querySelector('article img[src$=\".svg\"]');"
        " return i && i.complete && i.naturalWidth > 0"
        " ? [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width] : null; })()"
    ).json_value()
    page.evaluate(
        "document.querySelector('article img[src$=\".svg\"]').scrollIntoView({block: 'center'})"
    )
    page.screenshot(path=ARTEFACTS / "codelist-timeline.png")
    assert size[0] > 300 and size[1] > 100 and size[2] > 300


def search(page, site, query: str) -> list[str]:
    """Where the site's search results for `query` lead: 'path#anchor', decoded."""
    page.goto(site.url + "?q=" + quote(query))
    links = page.wait_for_function(
        "(() => { const links = [...document.querySelectorAll('.md-search-result__item a')]"
        ".map(a => a.getAttribute('href')); return links.length ? links : null; })()"
    ).json_value()
    return [f"{urlsplit(link).path}#{unquote(urlsplit(link).fragment)}" for link in links]


def test_search_for_hovedstof_finds_the_field(page, site):
    links = search(page, site, "hovedstof")
    page.screenshot(path=ARTEFACTS / "search-hovedstof.png")
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
def test_search_finds_danish_words_with_special_letters(page, site, query, found):
    assert found in search(page, site, query)


def test_search_finds_english_text(page, site):
    # The rules' English messages: 4-IVÆR "why the treatment guarantee was exceeded".
    assert "/reference/rules/#SMDB-IVÆR-4" in search(page, site, "guarantee")
