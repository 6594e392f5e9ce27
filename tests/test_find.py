"""Finding things on the built site, on a 390 px phone, and the site as it is deployed.

Search by place (宁夏, 吴忠市, 甘肃), a query with no match that says so, fuzzy names (盐池科技局)
in search and on the 比较 page, totals and a chart on the year and type pages, the coverage
of 全国概览, the build report naming agency and year; and the deploy: a sitemap of every page,
canonical links and meta descriptions, and the 404 page served under a project sub-path as
GitHub Pages serves it (conftest builds the session's site with SITE_URL for that sub-path).
"""

from __future__ import annotations

import http.server
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from browser_support import phone as browser_phone
from browser_support import serve
from conftest import SITE_URL
from lxml import html as lxml_html

from gongkai.parse.region import resolve
from gongkai.site import places

PHONE = {"width": 390, "height": 844}
RESULT = ".gk-find-result .pagefind-ui__result-link"
SUB_PATH = urlsplit(SITE_URL).path  # "/gongkai/"
YANCHI, QINGTONGXIA = "盐池县科学技术局", "青铜峡市科学技术局"


# -- place names (no browser) ---------------------------------------------------------------


def test_place_names_full_and_short():
    region, _ = resolve("盐池县科学技术局")
    names = places.place_names(region)
    assert names[:2] == ["宁夏回族自治区", "宁夏"]
    assert {"吴忠市", "吴忠", "盐池县", "盐池"} <= set(names)
    region, _ = resolve("黔东南苗族侗族自治州财政局")
    assert {"贵州省", "贵州", "黔东南苗族侗族自治州", "黔东南州", "黔东南"} <= set(
        places.place_names(region)
    )
    assert places.stem("吴忠市") == "吴忠" and places.stem("县") is None
    assert places.place_names(None) == [] and places.places_text(None) == ""
    # the administrative words on their own, for a query split as 吴忠 + 市
    assert places.places_text(resolve("武威市科学技术局")[0]).split()[-2:] == ["省", "市"]


# -- the built site's files (no browser) ----------------------------------------------------


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def _url(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return SITE_URL + quote(rel.removesuffix("index.html"))


def test_sitemap_lists_every_page(built_site):
    site = built_site.site
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    pages = [p for p in _pages(site) if p.name != "404.html"]
    assert len(listed) == len(set(listed)) == len(pages) > 30
    assert set(listed) == {_url(site, p) for p in pages}
    # the pages left out of the menu are in it: agencies, listings, 性能测试
    assert any("/agencies/" in u for u in listed) and any("/generated/years/" in u for u in listed)
    assert SITE_URL + "benchmarks/" in listed
    # no date from the clock (a rebuild gives the same file)
    assert "lastmod" not in (site / "sitemap.xml").read_text("utf-8")


def test_every_page_has_its_canonical_link_and_a_description(built_site):
    site = built_site.site
    default = "各级行政机关政府信息公开工作年度报告的数据：逐格读出、自动核验、可搜索、可下载。"
    own = 0
    for page in _pages(site):
        if page.name == "404.html":
            continue
        tree = lxml_html.fromstring(page.read_bytes())
        if page.name.startswith("原文"):
            # the 原文 pages are finished HTML the build writes (no theme): in the sitemap,
            # with their own description, no canonical link (the build does not know the URL)
            (description,) = tree.xpath("//meta[@name='description']/@content")
            assert "原文" in description, page
            own += 1
            continue
        # the address, its Chinese written as itself (a third of the bytes of %-escapes)
        (canonical,) = tree.xpath("//link[@rel='canonical']/@href")
        assert canonical == unquote(_url(site, page)) and "%E" not in canonical, page
        (description,) = tree.xpath("//meta[@name='description']/@content")
        assert description.strip(), page
        own += description != default
        rel = page.relative_to(site).as_posix()
        if rel.startswith("agencies/"):
            title = tree.xpath("//h1")[0].text_content()
            assert title.split()[0] in description, (rel, description)
        if rel.startswith("agencies/") and rel.count("/") == 3:  # an agency-year page
            assert "本年新收申请" in description and "年" in description, description
    assert own == len(_pages(site)) - 1  # every page says what it is, not the site's default
    yanchi = next((site / "agencies").glob(YANCHI + "-*")) / "2023" / "index.html"
    (text,) = lxml_html.fromstring(yanchi.read_bytes()).xpath(
        "//meta[@name='description']/@content"
    )
    assert text.startswith(f"{YANCHI} 2023 年") and "宁夏回族自治区" in text
    assert "本年新收申请 1件" in text


def test_the_menu_leaves_out_the_benchmarks_which_the_data_page_links(built_site):
    site = built_site.site
    home = lxml_html.fromstring((site / "index.html").read_bytes())
    assert "性能测试" not in " ".join(home.xpath("//nav//text()"))
    assert "关于" in " ".join(home.xpath("//nav//text()"))
    assert (site / "benchmarks" / "index.html").is_file()
    data = lxml_html.fromstring((site / "data" / "index.html").read_bytes())
    assert data.xpath("//a[text()='性能测试']/@href") == ["../benchmarks/"]
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert "[性能测试](content/benchmarks.md)" in readme


# -- in the browser, at 390 px ------------------------------------------------------------------


@pytest.fixture(scope="module")
def phone(built_site, tmp_path_factory) -> Iterator[tuple[str, object]]:
    with browser_phone(
        built_site.site, tmp_path_factory.mktemp("chromium-find"), scale=2
    ) as opened:
        yield opened


@contextmanager
def opened(phone, path: str) -> Iterator:
    base, context = phone
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    response = page.goto(base + path, wait_until="networkidle")
    assert response is not None and response.ok, path
    try:
        yield page
    finally:
        page.close()
    assert not errors, errors
    assert not outside, outside


def _search(phone, query: str) -> tuple[list[str], str]:
    """The result titles and the message of the search page for ``query``."""
    with opened(phone, "search/?q=" + query) as page:
        page.wait_for_function(
            "() => document.querySelector('.pagefind-ui__message').textContent !== ''",
            timeout=15_000,
        )
        titles = page.locator(RESULT).all_inner_texts()
        message = page.locator(".pagefind-ui__message").inner_text()
        excerpts = page.locator(".gk-find-excerpt").all_inner_texts()
        assert all("#" not in e for e in excerpts), excerpts
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the search page scrolls sideways ({width} px)"
    return titles, message


def _agencies(titles: list[str]) -> set[str]:
    return {t.split()[0] for t in titles}


@pytest.mark.browser
def test_place_search_lists_the_agencies_there(phone):
    titles, message = _search(phone, "宁夏")
    assert _agencies(titles) == {YANCHI, QINGTONGXIA}, titles
    assert len(titles) == 4 and message.startswith("找到 4 个")  # their agency and year pages
    titles, _ = _search(phone, "甘肃")
    assert _agencies(titles) == {"武威市科学技术局"}, titles
    titles, _ = _search(phone, "宁夏回族自治区")
    assert _agencies(titles) == {YANCHI, QINGTONGXIA}, titles


@pytest.mark.browser
def test_a_report_found_by_its_words_opens_its_page_with_its_region(phone):
    """A report's words are indexed on its 原文 page (gongkai/site/source_text.py
    SearchMeta): the result is its agency-year page, titled and placed as that page."""
    with opened(phone, "search/?q=" + "政府信息公开") as page:
        page.wait_for_selector(RESULT, timeout=15_000)
        links = page.locator(RESULT)
        hrefs = [unquote(h or "") for h in links.evaluate_all("as => as.map(a => a.href)")]
        regions = page.locator(".gk-find-region").all_inner_texts()
        titles = links.all_inner_texts()
    years = [h for h in hrefs if re.search(r"/agencies/[^/]+/\d{4}/$", h)]
    assert years and not [h for h in hrefs if "原文" in h], hrefs
    assert any(t.startswith(YANCHI + " 2023 年") for t in titles), titles
    assert "宁夏回族自治区 › 吴忠市 › 盐池县" in regions, regions
    assert not [r for r in regions if "title" in r or "region:" in r], regions


@pytest.mark.browser
def test_a_city_search_returns_only_its_agencies(phone):
    # Pagefind alone answered 吴忠市 with 攀枝花市… (every page with 市)
    titles, _ = _search(phone, "吴忠市")
    assert _agencies(titles) == {YANCHI, QINGTONGXIA}, titles
    titles, _ = _search(phone, "盐池县")
    assert _agencies(titles) == {YANCHI}, titles


@pytest.mark.browser
@pytest.mark.parametrize("query", ["吴忠市教育局", "北京", "黄底"])  # 黄底: only in the legends
def test_a_query_with_no_match_says_so(phone, query):
    titles, message = _search(phone, query)
    assert titles == [] and message.startswith(f"没有找到与“{query}”相符的"), message


@pytest.mark.browser
def test_a_name_written_short_is_found(phone):
    titles, _ = _search(phone, "盐池科技局")
    assert titles and _agencies(titles) == {YANCHI}, titles
    titles, _ = _search(phone, "螺旋藻")  # a word of 盐池's report text
    assert _agencies(titles) == {YANCHI}, titles


@pytest.mark.browser
def test_compare_filter_accepts_what_search_accepts(phone):
    with opened(phone, "generated/compare/") as page:
        rows = page.locator("#gk-compare-table tbody tr")
        page.wait_for_function(
            "document.querySelectorAll('#gk-compare-table tbody tr').length === 5"
        )
        page.locator("#gk-compare-filter").fill("盐池科技局")
        assert rows.count() == 1 and rows.first.inner_text().startswith(YANCHI)
        page.locator("#gk-compare-filter").fill("宁夏")
        assert {rows.nth(i).locator("th").inner_text() for i in range(rows.count())} == {
            YANCHI,
            QINGTONGXIA,
        }
        page.locator("#gk-compare-filter").fill("吴忠 青铜峡")
        assert rows.count() == 1 and rows.first.inner_text().startswith(QINGTONGXIA)
        page.locator("#gk-compare-filter").fill("没有这个机关")
        assert rows.count() == 0
        assert page.locator("#gk-compare-count").inner_text() == "没有找到相符的报告"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "reports"), [("generated/years/2023/", 4), ("generated/types/", None)]
)
def test_year_and_type_pages_have_totals_and_a_chart(phone, path, reports):
    with opened(phone, path) as page:
        if reports is None:  # the types index: open the first type
            page.locator("table a").first.click()
            page.wait_for_load_state("networkidle")
        cards = page.locator(".gk-totals .gk-key")
        assert cards.first.is_visible()
        labels = page.locator(".gk-totals .gk-key > small").all_inner_texts()
        assert labels[:3] == ["报告", "机关", "本年新收申请（合计）"]
        if reports is not None:
            assert page.locator(".gk-totals .gk-key > b").first.inner_text() == str(reports)
        chart = page.locator("img.gk-chart").first
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
        box = chart.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page.locator("figure.gk-figure table").count() >= 1  # the chart's numbers


@pytest.mark.browser
def test_home_says_how_many_reports_it_covers(phone):
    with opened(phone, "") as page:
        text = page.locator(".gk-coverage").inner_text()
        assert text.startswith("本站收录 5 份报告，来自 5 个机关，报告年度 2020–2023 年")


@pytest.mark.browser
def test_build_report_names_agency_and_year(phone):
    with opened(phone, "generated/build-report/") as page:
        row = page.locator("table.gk-build tbody tr", has_text="002_5e0a10dac8f8a1dc.txt")
        link = row.locator("th a")
        assert link.inner_text() == f"{YANCHI} 2023 年"
        href = link.get_attribute("href")
        assert href is not None and unquote(href).startswith(f"../../agencies/{YANCHI}-")
        assert row.locator("code").inner_text() == "reports/002_5e0a10dac8f8a1dc.txt"


# -- the 404 page under a project sub-path --------------------------------------------------


class _Pages(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages for a project site: the site under /gongkai/, and its 404.html (status 404)
    for any address that has no file."""

    def log_message(self, *args) -> None:
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(SUB_PATH):
            return None
        target = Path(self.directory) / path[len(SUB_PATH) :]
        target = target / "index.html" if path.endswith("/") else target
        return target if target.is_file() else None

    def do_GET(self) -> None:
        if self._file() is not None:
            self.path = self.path[len(SUB_PATH) - 1 :]
            super().do_GET()
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def project_site(site: Path) -> Iterator[str]:
    with serve(site, _Pages) as base:
        yield base.rstrip("/")


@pytest.mark.browser
def test_404_page_works_under_a_sub_path_and_offers_search(built_site, phone):
    _, context = phone
    with project_site(built_site.site) as host:
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        response = page.goto(host + SUB_PATH + "agencies/no-such-agency/2023/")
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "找不到这个页面"
        # only the page itself is missing: its styles, scripts and logo all load from /gongkai/
        assert failed == [host + SUB_PATH + "agencies/no-such-agency/2023/"], failed
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
            "sticky",
            "fixed",
        )
        home = page.locator("article a", has_text="首页")
        assert home.get_attribute("href") == SUB_PATH
        page.locator("article input[type=search]").fill("宁夏")
        page.locator("article button[type=submit]").click()
        page.wait_for_url(host + SUB_PATH + "search/?q=*")
        page.wait_for_selector(RESULT, timeout=15_000)
        assert _agencies(page.locator(RESULT).all_inner_texts()) == {YANCHI, QINGTONGXIA}
        page.close()


# -- make update: a listing page depends on its own reports -----------------------------------


def test_one_changed_report_remakes_only_its_own_listing_pages(tmp_path):
    from conftest import bump_first_count, make_project, tree

    from gongkai import build

    root = make_project(tmp_path / "p")
    build.run(root)
    before = tree(root / "content")
    bump_first_count(root / "reports" / "002_5e0a10dac8f8a1dc.txt")  # 盐池县, 2023
    build.run(root)
    after = tree(root / "content")
    changed = {
        k
        for k in after
        if before.get(k) != after[k]
        and k.startswith(("generated/years/", "generated/types/", "generated/regions/"))
    }
    own = {
        "generated/years/2023.md",
        "generated/regions/640000.md",  # 宁夏 › 吴忠市 › 盐池县
        "generated/regions/640300.md",
        "generated/regions/640323.md",
    }
    (type_page,) = [k for k in after if k.startswith("generated/types/科学技术局-")]
    indexes = {f"generated/{x}/index.md" for x in ("years", "types", "regions")}
    # the index pages only when the report's checks turned to errors (they show that)
    assert own | {type_page} <= changed <= own | {type_page} | indexes, changed
    # 青铜峡 (2020) is in 宁夏 and 吴忠市 but not in this year: its year page is as it was
    assert before["generated/years/2020.md"] == after["generated/years/2020.md"]
