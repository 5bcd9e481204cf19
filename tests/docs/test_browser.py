"""The built site in a real headless Chromium: every kind of page opens at 1280 and at 375 px
without a console error, a failed request or a page wider than the screen; the flow diagram
is an SVG with the network cut off; the IVÆR form page shows every Felt-ID, a code list its
timeline with hover titles, and search finds "hovedstof" and Danish words with æ/ø/å.
A screenshot of each is kept in build/test-artefacts/docs/ (untracked). `make test` opens
three kinds of page, `make test-slow` the others."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import pytest

from tests import processes
from tests.docs.browser import VIEWPORT, Site, launched, missing_browser
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
def chromium():
    browser_or_fail()
    with launched() as launched_chromium:
        yield launched_chromium


@pytest.fixture(scope="module")
def page(chromium):
    return chromium.page


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


def test_code_list_page_shows_its_timeline_inline_with_hover_titles(page, site):
    page.set_viewport_size(VIEWPORT)
    page.goto(site.url + "reference/codelists/BehandlingGarantiOverskredeAarsagKode/")
    found = page.wait_for_function(
        "(() => { const s = document.querySelector('article .timeline svg');"
        " if (!s) return null; const r = s.getBoundingClientRect();"
        " return [r.width, r.height, s.querySelectorAll('text > title, rect > title').length,"
        " [...s.querySelectorAll('text')].map(t => [...t.childNodes]"
        ".filter(n => n.nodeType === 3).map(n => n.textContent).join(''))]; })()"
    ).json_value()
    page.evaluate(
        "document.querySelector('article .timeline svg').scrollIntoView({block: 'center'})"
    )
    page.screenshot(path=ARTEFACTS / "codelist-timeline.png")
    width, height, titles, texts = found
    assert width > 300 and height > 100
    assert titles >= 9  # every code's label and bar says what it is when hovered
    assert "03" in texts and any("2019-07-01" in text for text in texts)


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


# One page of each kind, by its path under the site.
KINDS = {
    "home": "",
    "guide": "guides/quickstart/",
    "judged-by-date": "reference/judged-by-date/",
    "environments": "reference/environments/",
    "reference": "reference/",
    "flow": "reference/flow/",
    "forms": "reference/forms/",
    "form": "reference/forms/Ivaerksaettelse/",
    "codelist": "reference/codelists/BehandlingGarantiOverskredeAarsagKode/",
    "rules": "reference/rules/",
    "rule": "reference/rules/SMDB-IVÆR-4-FRIT-VALG/",
    "datostyring": "reference/datostyring/",
    "services": "reference/services/",
    "service": "reference/services/IndsaetData/",
    "action": "reference/services/IndsaetData/IndsaetIvaerksaettelse/",
    "provenance": "reference/provenance/",
    "downloads": "reference/downloads/",
    "api": "reference/api/",
    "api-module": "reference/api/smdb.codelists/",
}
WIDTHS = {1280: 900, 375: 800}
# The kinds `make test` opens, at both widths: the pages with the widest tables, the example
# envelopes and the most text; the other kinds are opened by `make test-slow`.
EVERY_TEST_RUN = ("form", "action", "api-module")


class Watched:
    """What went wrong while a page loaded: console errors, uncaught exceptions, requests
    that failed or were answered with an error status, and requests to any other host
    (aborted: the site must work with the network cut off)."""

    def __init__(self, page, site) -> None:
        self.problems: list[str] = []
        self.page, self.site = page, site
        page.on("console", self.console)
        page.on("pageerror", self.error)
        page.on("requestfailed", self.failed)
        page.on("response", self.response)
        page.route("**/*", self.route)

    def console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def error(self, exc) -> None:
        self.problems.append(f"page error: {exc}")

    def failed(self, request) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def route(self, route) -> None:
        if route.request.url.startswith(self.site.url):
            route.continue_()
        else:
            self.problems.append(f"another host asked for: {route.request.url}")
            route.abort("internetdisconnected")


@pytest.fixture
def watched(chromium, site):
    """A fresh page, watched from its start (no request of an earlier page counts)."""
    fresh = chromium.context.new_page()
    try:
        yield Watched(fresh, site)
    finally:
        fresh.close()


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(
    "kind",
    [
        kind if kind in EVERY_TEST_RUN else pytest.param(kind, marks=pytest.mark.slow)
        for kind in KINDS
    ],
)
def test_every_kind_of_page_opens_cleanly_at_1280_and_375_px(site, watched, kind, width):
    page = watched.page
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto(site.url + KINDS[kind], wait_until="networkidle")
    page.screenshot(path=ARTEFACTS / f"page-{kind}-{width}.png")
    assert watched.problems == []
    assert page.evaluate("document.querySelector('article h1') !== null")
    # Nothing wider than the screen: a wide table or picture scrolls inside its own box.
    assert page.evaluate(OVERFLOW) <= 0


# Per table: its first header, how much of it is scrolled out of its box, and how far its
# right edge lies beyond the article's.
TABLE_FITS = """
(() => [...document.querySelectorAll('article table')].map(t => [
  t.querySelector('th') ? t.querySelector('th').textContent.trim() : '',
  t.scrollWidth - t.clientWidth,
  t.getBoundingClientRect().right - document.querySelector('article').getBoundingClientRect().right,
]))()
"""


@pytest.mark.parametrize("kind", ["codelist", "form", "environments", "datostyring"])
def test_every_column_of_a_wide_table_is_in_view_at_1280_px(page, site, kind):
    page.set_viewport_size(VIEWPORT)
    page.goto(site.url + KINDS[kind])
    for header, hidden, beyond in page.evaluate(TABLE_FITS):
        assert hidden <= 1 and beyond <= 1, (kind, header, hidden, beyond)


def test_the_flow_diagram_is_an_svg_with_the_network_cut_off(site, watched):
    page = watched.page
    page.set_viewport_size(VIEWPORT)
    page.goto(site.url + KINDS["flow"], wait_until="networkidle")
    boxes = page.evaluate(
        "[...document.querySelectorAll('article .flow svg g.flow-step')].map(g => {"
        " const r = g.getBoundingClientRect(); return [g.id, r.width, r.height]; })"
    )
    page.locator("article .flow svg").screenshot(path=ARTEFACTS / "flow-offline.png")
    assert watched.problems == []
    assert [box[0] for box in boxes] == ["flow-ANM", "flow-IVÆR", "flow-TILB", "flow-AFSL"]
    assert all(width > 50 and height > 30 for _, width, height in boxes)
    assert page.evaluate("typeof mermaid") == "undefined"


def test_a_request_to_another_host_is_caught(site, watched):
    # The watch itself: a page that asks another host is reported, not silently passed.
    page = watched.page
    page.goto(site.url)
    page.evaluate("fetch('https://cdn.invalid/mermaid.min.js').catch(() => null)")
    page.wait_for_timeout(200)
    assert any("cdn.invalid" in problem for problem in watched.problems)
