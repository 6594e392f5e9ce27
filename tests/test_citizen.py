"""Issue 12's bar in one walk: the site built from the default reports (the five seeds, as
CI builds it), opened in headless Chromium on a 390 px phone, as a citizen would use it.

On the 盐池 2023 page: no table cell is clipped and no row label scrolls away; the report's
text contradicting its own table (正文说未收到申请，表三却有 1 件新收) is among its check
results; the link to the original text works, and a table cell's link lands on the line the
number was read from; the per-report CSV downloads. And a place search for 宁夏 lists the
盐池 and 青铜峡 agencies.

The parts are tested in depth elsewhere (test_browser_phone, test_narrative, test_source_text,
test_dataset, test_find); this is the path a reader takes through them, end to end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from browser_support import phone as browser_phone
from test_browser_phone import CHECK_TABLES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def phone(built_site, tmp_path_factory) -> Iterator[tuple[str, object]]:
    with browser_phone(built_site.site, tmp_path_factory.mktemp("chromium-citizen")) as opened:
        yield opened


def _yanchi(site: Path) -> str:
    (page,) = site.glob("agencies/盐池县科学技术局-*/2023/index.html")
    return page.parent.relative_to(site).as_posix() + "/"


def test_a_citizen_on_a_phone_reads_checks_and_finds(built_site, phone):
    base, context = phone
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + _yanchi(built_site.site), wait_until="networkidle")

    # every table: no clipped cell, row labels in view when scrolled
    tables = page.evaluate(CHECK_TABLES)
    # (表三, 办理结果, 指标; 表二 and 表四 are all 0: each is the one line that says so)
    assert tables["tables"] >= 3 and not tables["fails"], tables["fails"][:10]

    # the narrative contradiction is among the check results, quoting the text, with its rule
    check = page.locator("#check")
    assert check.locator("a[href*='rule-NARR']").count() >= 1
    assert "未收到政府信息公开申请" in check.inner_text()

    # the per-report CSV downloads (UTF-8 with BOM, for Excel/WPS), with the tables in it
    csv_href = page.locator(".gk-check-links a", has_text="CSV").get_attribute("href")
    assert csv_href
    response = page.request.get(urljoin(page.url, csv_href))
    assert response.ok
    body = response.body()
    assert body.startswith(b"\xef\xbb\xbf") and "表三".encode() in body

    # a table cell links to the line of the original text it was read from
    cell = page.locator("table.gk-t3 td a[href*='原文']").first
    href = cell.get_attribute("href") or ""
    value = cell.inner_text().strip()
    assert "#L" in href and value.isdigit()
    cell.click()
    page.wait_for_load_state("networkidle")
    assert "原文" in unquote(page.url)
    target = page.locator(":target")
    assert target.count() == 1 and value in target.inner_text()

    # the 原文 page links back to the report page
    page.go_back(wait_until="networkidle")
    link = page.locator(".gk-check-links a", has_text="原文").first
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith(("盐池", "2023"))
    assert not errors, errors

    # a place search for 宁夏 lists the 盐池 and 青铜峡 agencies
    page.goto(base + "search/?q=宁夏", wait_until="networkidle")
    page.wait_for_function(
        "() => document.querySelector('.pagefind-ui__message').textContent !== ''",
        timeout=15_000,
    )
    titles = page.locator(".gk-find-result .pagefind-ui__result-link").all_inner_texts()
    agencies = {t.split()[0] for t in titles}
    assert agencies == {"盐池县科学技术局", "青铜峡市科学技术局"}, titles
    page.close()
