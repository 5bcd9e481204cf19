"""The built site as a vendor meets it: the everyday questions answered within two clicks of
the home page, every generated page in the navigation, unique titles, no page too large, a
filled sitemap, the version on every page, the downloads, and nothing fetched from elsewhere."""

from __future__ import annotations

import collections
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.docs.conftest import ROOT

SITE_JSON = ROOT / "docs" / "reference" / "site.json"


def article_links(site: Path, url: str) -> set[str]:
    """The pages the content of the page at `url` (a path like "/reference/") links to,
    without the navigation: "/path/" with any "#anchor"."""
    text = (site / url.strip("/") / "index.html").read_text("utf-8")
    article = text.split("<article", 1)[1].split("</article>", 1)[0]
    found = set()
    for href in re.findall(r'<a [^>]*href="([^"]+)"', article):
        target = urljoin(url, html.unescape(href))
        parts = urlsplit(target)
        if parts.scheme or not parts.path.endswith("/"):
            continue
        found.add(unquote(parts.path) + (f"#{unquote(parts.fragment)}" if parts.fragment else ""))
    return found


def clicks_from_home(site: Path, depth: int) -> dict[str, int]:
    """Every page and anchor reachable from the home page's content within `depth` clicks."""
    seen = {"/": 0}
    queue = collections.deque(["/"])
    while queue:
        url = queue.popleft()
        if seen[url] == depth:
            continue
        for target in article_links(site, url.split("#", 1)[0]):
            if target not in seen:
                seen[target] = seen[url] + 1
                queue.append(target)
    return seen


QUESTIONS = [
    # (question, the page that answers it, what that page must show)
    (
        "which 4-IVÆR options may a 17-year-old get on 2026-03-01, and a 2018 case",
        "/reference/codelists/BehandlingGarantiOverskredeAarsagKode/",
        ["≥ 18", "≤ 17", 'id="code-03"', "2019-07-01"],
    ),
    (
        "how do I send an iværksættelse from Python and read a rejection",
        "/reference/services/IndsaetData/IndsaetIvaerksaettelse/#python",
        ["IndsaetDataClient", "SoapFault", "beskeder", "FeltId="],
    ),
    (
        "where is PreProd and what do I need to call it",
        "/reference/environments/",
        ["smdbpreprodws.dst.dk", "--sts", "--credentials"],
    ),
    (
        "how is a case from 2018 judged",
        "/reference/judged-by-date/",
        ["smdb validate", "judged-2018.json [case 0]", "NOTICE"],
    ),
]


@pytest.mark.parametrize(("question", "page", "shows"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_each_question_is_answered_within_two_clicks_of_home(built_site, question, page, shows):
    reachable = clicks_from_home(built_site, depth=2)
    assert page in reachable, f"{question}: {page} is not within two clicks of the home page"
    text = html.unescape((built_site / page.split("#")[0].strip("/") / "index.html").read_text())
    for words in shows:
        assert words in text, (page, words)


def test_click_distance_counts_only_real_links(built_site):
    # A page the home page does not link to, nor any page it links to, is not found.
    reachable = clicks_from_home(built_site, depth=1)
    assert "/reference/judged-by-date/" in reachable
    assert "/reference/rules/SMDB-FELT-KODE/" not in reachable


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def test_every_page_is_in_the_navigation_with_a_unique_title(built_site):
    facts = json.loads(SITE_JSON.read_text("utf-8"))
    assert {"Reference", "Python API"} <= set(facts["nav"])
    titles = collections.Counter()
    for page in built_pages(built_site):
        text = page.read_text("utf-8")
        title = re.search(r"<title>(.*?)</title>", text, re.S)[1]
        titles[html.unescape(title)] += 1
        assert not title.startswith("Index"), page
        # The page's own nav entry is marked active (navigation.prune keeps its branch).
        if page != built_site / "index.html" and page.parent.name != "404":
            assert "md-nav__link--active" in text, page
    assert [t for t, n in titles.items() if n > 1] == []


def test_no_reference_page_of_the_catalogue_or_a_code_list_is_over_100_kb(built_site):
    pages = [*(built_site / "reference" / "rules").rglob("index.html")]
    pages += [*(built_site / "reference" / "codelists").rglob("index.html")]
    assert len(pages) > 80
    large = [(p, p.stat().st_size) for p in pages if p.stat().st_size > 100_000]
    assert not large


def test_the_sitemap_lists_every_page(built_site):
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    listed = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert len(listed) == len([p for p in built_pages(built_site) if p.parent.name != "404"])


def test_every_page_shows_the_release_and_the_package_version(built_site):
    facts = json.loads(SITE_JSON.read_text("utf-8"))
    stamp = f"SMDB release <strong>{facts['release']}</strong>"
    for page in built_pages(built_site):
        text = page.read_text("utf-8")
        assert stamp in text and facts["package_version"] in text, page


def test_the_downloads_are_in_the_site_as_in_the_repository(built_site):
    facts = json.loads(SITE_JSON.read_text("utf-8"))
    kinds = {item["path"].rsplit(".", 1)[-1] for item in facts["downloads"]}
    assert {"json", "wsdl"} <= kinds and len(facts["downloads"]) >= 10
    for item in facts["downloads"]:
        copied = built_site / "downloads" / item["path"]
        assert copied.read_bytes() == (ROOT / item["source"]).read_bytes(), item["path"]


def test_nothing_is_fetched_from_another_host(built_site):
    for page in built_pages(built_site):
        # The canonical link names the page's own address: nothing is fetched from it.
        text = re.sub(r'<link rel="canonical"[^>]*>', "", page.read_text("utf-8"))
        external = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(https?:)?//', text)
        assert not external, page
        assert "mermaid" not in text, page
