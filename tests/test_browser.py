"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Every request is recorded and any URL off the local server fails the test; console errors
fail too. Screenshots are kept in tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import chromium, serve

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 375, "height": 812}
# a result's own title (sub-results of headings inside a page are nested deeper)
RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    with serve(built_site.site) as base:
        yield base


@dataclass
class Browser:
    base: str
    context: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str, wait: str = "networkidle"):
        page = self.context.new_page()
        page.on(
            "console",
            lambda m: self.errors.append(f"{path}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"{path}: {e}"))
        response = page.goto(self.base + path, wait_until=wait)
        assert response is not None and response.ok, path
        return page

    def check(self) -> None:
        outside = [
            u for u in self.requests if not u.startswith(self.base) and not u.startswith("data:")
        ]
        assert not outside, f"requests left the site: {outside}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory) -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium(
        tmp_path_factory.mktemp("chromium-profile"),
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    ) as context:
        b = Browser(server, context)
        context.on("request", lambda r: b.requests.append(r.url))
        yield b


@pytest.fixture
def clean(browser) -> Iterator[Browser]:
    browser.requests.clear()
    browser.errors.clear()
    yield browser
    browser.check()


def no_page_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 375 px ({width} px)"


def test_home(clean):
    page = clean.open("")
    assert "公开" in page.title()
    keys = page.locator(".gk-key > b")
    assert keys.first.is_visible() and keys.nth(0).inner_text() == "5"
    assert page.locator("a.md-header__button[href$='search/']").is_visible()
    no_page_overflow(page)
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)


def _agency_year_path(browser: Browser, name: str) -> str:
    page = browser.open("generated/years/2023/")
    href = page.locator("a", has_text=name).first.get_attribute("href")
    url = page.evaluate("h => new URL(h, location.href).href", href)
    page.close()
    return url[len(browser.base) :]


def test_agency_page_charts_visible(clean):
    page = clean.open(_agency_year_path(clean, "盐池县科学技术局"))
    assert page.locator("h1").inner_text().startswith("盐池县科学技术局")
    charts = page.locator("img.gk-chart")
    assert charts.count() >= 2  # applicants and outcomes (表四 is all 0: not drawn, said so)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # each chart names the table of the page that prints its numbers, and the link lands on it
    refs = page.locator("figure.gk-figure .gk-fig-data a[href^='#']")
    assert refs.count() == 3
    for i in range(3):
        target = page.locator(f"[id='{refs.nth(i).get_attribute('href')[1:]}']")
        if target.evaluate("e => e.tagName") == "TABLE":
            assert target.locator("tbody td").count() >= 3
        else:  # 表四 is all 0: the line that says so
            assert "各项均为 0" in target.inner_text()
    no_page_overflow(page)
    page.screenshot(path=ARTIFACTS / "agency-year-yanchi.png", full_page=True)


def test_every_cell_links_its_line_and_every_term_has_its_tooltip(clean):
    """The page links a row's line once and writes no definitions (gongkai/site/pages.py tds
    and terms_json): gongkai.js gives every cell its link, and every term, indicator and
    blank its tooltip from the site's one data/terms.json."""
    page = clean.open(_agency_year_path(clean, "盐池县科学技术局"))
    cells = page.evaluate(
        """() => Array.from(document.querySelectorAll("table.gk-t3 tbody td"))
            .map(td => { const a = td.querySelector("a[href]");
                         return a ? a.getAttribute("href") : null; })"""
    )
    assert len(cells) > 100 and all(h and h.startswith("原文.html#L") for h in cells), cells
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('a[href*="glossary/#"], .gk-ind-table th a'))
            .every(a => a.title)"""
    )
    terms = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href*="glossary/#"]')).map(a => a.title)"""
    )
    assert len(terms) > 10 and all(terms), terms
    assert "本年度收到的政府信息公开申请件数" in " ".join(terms)
    page.close()


def _search(browser: Browser, query: str, shot: str) -> list[str]:
    page = browser.open("search/?q=" + query)
    page.wait_for_selector(RESULT, timeout=15_000)
    titles = page.locator(RESULT).all_inner_texts()
    page.screenshot(path=ARTIFACTS / shot, full_page=True)
    page.close()
    return titles


def test_search_agency_name_ranks_it_first(clean):
    titles = _search(clean, "盐池县科学技术局", "search-yanchi.png")
    assert titles[0].startswith("盐池县科学技术局")


def test_search_place_name(clean):
    titles = _search(clean, "攀枝花", "search-panzhihua.png")
    assert titles[0].startswith("攀枝花市科学技术局")
    assert all(t.startswith("攀枝花市科学技术局") for t in titles), titles


def test_search_narrative_term(clean):
    titles = _search(clean, "螺旋藻", "search-narrative.png")  # only in 盐池's section 六
    assert titles[0].startswith("盐池县科学技术局")


def test_search_merges_every_shard(clean, built_site):
    # the session's site is built with one page per shard (conftest.py): several shards
    text = (built_site.site / "pagefind" / "gongkai-shards.js").read_text(encoding="utf-8")
    parts = json.loads(text.split("window.gongkaiSearch = ", 1)[1].rstrip().rstrip(";"))["parts"]
    assert len(parts) >= 2
    titles = _search(clean, "攀枝花", "search-shards.png")
    assert titles[0].startswith("攀枝花市科学技术局")
    fetched = [u.split("?", 1)[0] for u in clean.requests if "/pagefind/" in u]
    entries = {u.split("/pagefind/", 1)[1] for u in fetched if u.endswith("pagefind-entry.json")}
    # the program's own index and every part's: each shard was asked
    assert entries == {"pagefind-entry.json", *(f"{p}pagefind-entry.json" for p in parts)}
    wasm = [u for u in fetched if u.endswith(".pagefind") and "/wasm." in u]
    assert len(wasm) == 1  # the search program is loaded once, not once per shard


def test_search_typed_into_the_box(clean):
    page = clean.open("search/")
    page.locator(".pagefind-ui__search-input").fill("青铜峡")
    page.wait_for_selector(RESULT, timeout=15_000)
    assert page.locator(RESULT).first.inner_text().startswith("青铜峡市科学技术局")


def test_downloads_reachable(clean):
    page = clean.open("data/")
    links = page.locator("table a[download]")
    assert links.count() == 6  # … with the change log (changes.json) and indicators.csv
    for i in range(links.count()):
        url = page.evaluate("a => a.href", links.nth(i).element_handle())
        response = page.request.get(url)
        assert response.ok and len(response.body()) > 50, url
    archive = zipfile.ZipFile(io.BytesIO(page.request.get(clean.base + "data/gongkai.zip").body()))
    assert archive.namelist() == ["fields.csv", "gongkai.csv", "gongkai.json", "version.json"]
    csv_text = archive.read("gongkai.csv").decode("utf-8")
    assert csv_text.lstrip("\ufeff").startswith(
        "agency,province_code,city_code,county_code,year,format,table,row,column,value"
    )
    assert "攀枝花市科学技术局,510000,510400,,2023,F2021,table2,licensing,decisions,14," in csv_text
    data = json.loads(archive.read("gongkai.json"))
    assert len(data["reports"]) == 5 and data["license"] == "CC BY 4.0"
    assert all(r["sections"] for r in data["reports"])  # the narrative is in the data
    agency = clean.open(_agency_year_path(clean, "攀枝花市科学技术局"))
    record = agency.locator("a", has_text="本报告数据（JSON）").first
    url = agency.evaluate("a => a.href", record.element_handle())
    assert page.request.get(url).json()["table2"]["licensing"]["decisions"] == 14


def test_compare_table_sorts_and_filters(clean):
    page = clean.open("generated/compare/")
    rows = page.locator("#gk-compare-table tbody tr")
    page.wait_for_function("document.querySelectorAll('#gk-compare-table tbody tr').length === 5")
    page.locator("#gk-compare-table th[data-key='received']").click()
    assert rows.first.locator("th").inner_text().startswith("盐池县科学技术局")
    page.locator("#gk-compare-filter").fill("攀枝花")
    assert rows.count() == 1 and rows.first.inner_text().startswith("攀枝花市科学技术局")
    page.locator("#gk-compare-filter").fill("")
    page.select_option("#gk-compare-year", "2020")
    assert rows.count() == 1 and rows.first.inner_text().startswith("青铜峡市科学技术局")
    page.screenshot(path=ARTIFACTS / "compare.png", full_page=True)


@pytest.mark.parametrize("path", ["generated/quality/", "generated/regions/", "data/", "about/"])
def test_phone_width_pages(clean, path):
    page = clean.open(path)
    no_page_overflow(page)
    page.close()
