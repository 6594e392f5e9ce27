"""A citizen on a phone (390 px) and on a desktop (1366 px), in headless Chromium.

Every table of every kind of page: no cell is cut off, a table wider than the screen scrolls
inside its own box and says so, and its first column (the row labels) stays in view when it
is scrolled; chart text is as large as the table text beside it. And a report page can be
understood: its headline, a contents list to jump to 表三 and 数据核验, glossary links, zero
tables folded, warnings not dressed as errors, report text without Markdown marks.

The page kinds are found by walking the built site, not listed here: the pages with a table,
grouped by URL pattern (a path segment with a digit or a Chinese character is a variable:
``agencies/*/*`` is the agency-year pages), so a kind of page added later is covered too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from browser_support import chromium, serve

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
PER_KIND = 5  # pages of each kind checked (those with the most table rows)
_VARIABLE = re.compile(r"[0-9]|[^\x00-\x7f]")


def page_kinds(site: Path) -> dict[str, list[str]]:
    """URL pattern → the served paths of its pages that have a table (most rows first)."""
    kinds: dict[str, list[tuple[int, str]]] = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site)
        if rel.parts[0] in ("assets", "pagefind", "search") or rel.name != "index.html":
            continue
        text = html.read_text(encoding="utf-8")
        if "<table" not in text:
            continue
        parts = rel.parent.parts
        path = "".join(p + "/" for p in parts)
        pattern = "/".join("*" if _VARIABLE.search(p) else p for p in parts) or "(home)"
        kinds.setdefault(pattern, []).append((-text.count("<tr"), path))
    return {k: [p for _, p in sorted(v)[:PER_KIND]] for k, v in sorted(kinds.items())}


@pytest.fixture(scope="module")
def kinds(built_site) -> dict[str, list[str]]:
    return page_kinds(built_site.site)


def test_page_kinds_are_found(kinds):
    # the walk finds the kinds we know of (and any added later, which the tests below cover)
    for kind in (
        "agencies/*/*",  # agency-year: 表二, 表三, 表四, key figures, figures' tables
        "agencies/*",  # agency: 历年报告 with 数据核验, trends, 结转
        "generated/compare",
        "generated/quality",
        "generated/build-report",
        "generated/regions",
        "data",
        "format",
        "(home)",
    ):
        assert kind in kinds, sorted(kinds)
    # the seeds' pages, both formats, but 瀍河's: its report is all 0, so each of its tables is
    # the one line that says so (tests/test_pages.py), and the page has no table to test here
    assert len(kinds["agencies/*/*"]) == 4
    assert not any("瀍河" in p for p in kinds["agencies/*/*"])


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    with serve(built_site.site) as base:
        yield base


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def screen(request, server, tmp_path_factory) -> Iterator[tuple[str, object, int]]:
    width, height = WIDTHS[request.param]
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium(
        tmp_path_factory.mktemp("chromium-tables"),
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        is_mobile=request.param == "phone",
        has_touch=request.param == "phone",
        locale="zh-CN",
    ) as context:
        yield request.param, context, server


# In the page: every table, every cell. Returns the failures, in words.
CHECK_TABLES = r"""
async () => {
  const fails = [];
  // folded tables (all-zero <details>) are opened: they must fit too
  document.querySelectorAll("article details").forEach((d) => { d.open = true; });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (window.gongkaiScrollHints) window.gongkaiScrollHints();
  const vw = document.documentElement.clientWidth;
  const text = (el) => el.textContent.replace(/\s+/g, " ").trim().slice(0, 24);
  const inside = (hit, el) => hit !== null && (hit === el || el.contains(hit));
  const contentRect = (cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) return null;
    return {
      left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
      top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)),
    };
  };
  const tables = [...document.querySelectorAll("article table")];
  tables.forEach((table, ti) => {
    const name = `table ${ti + 1} of ${tables.length} (${table.className || "Markdown"}: "${text(table.rows[0])}")`;
    // the box it scrolls in: the nearest ancestor that scrolls sideways (the one that has
    // something to scroll, when a nearer one could but has not); none that clips
    let box = null;
    for (let el = table; el && el !== document.body; el = el.parentElement) {
      const o = getComputedStyle(el).overflowX;
      if (o === "auto" || o === "scroll") {
        if (box === null) box = el;
        if (el.scrollWidth > el.clientWidth + 1) { box = el; break; }
      }
      if ((o === "hidden" || o === "clip") && el !== table) fails.push(`${name}: in a box that clips (overflow-x: ${o})`);
    }
    const boxRect = box ? box.getBoundingClientRect() : { left: 0, right: vw };
    if (box && (boxRect.left < -1 || boxRect.right > vw + 1)) {
      fails.push(`${name}: its box (${Math.round(boxRect.left)}–${Math.round(boxRect.right)} px) is wider than the screen`);
    }
    if (box && box !== table && getComputedStyle(table).overflowX !== "visible") {
      // a sticky cell sticks to its nearest box that could scroll: that must be the one that does
      const t = getComputedStyle(table).display;
      if (t !== "table") fails.push(`${name}: the table is itself a scroll box (display: ${t}) inside the one that scrolls`);
    }
    const visibleRight = Math.min(box ? boxRect.left + box.clientLeft + box.clientWidth : vw, vw);
    const overflows = box !== null && box.scrollWidth > box.clientWidth + 1;
    if (box !== table && table.getBoundingClientRect().right > visibleRight + 1 && !overflows) {
      fails.push(`${name}: wider than the screen and does not scroll`);
    }
    if (overflows) {
      const hint = box.previousElementSibling;
      if (!(hint && hint.classList.contains("gk-scroll-hint") && !hint.hidden && hint.getClientRects().length)) {
        fails.push(`${name}: scrolls sideways without a hint`);
      }
    }
    if (box) box.scrollLeft = 0;
    const left = table.getBoundingClientRect().left;
    const rows = [...table.rows];
    const firsts = rows.map((row) => row.cells[0]).filter((c) => c && Math.abs(c.getBoundingClientRect().left - left) < 1.5);
    const labels = firsts.filter((c) => c.colSpan === 1 && getComputedStyle(c).position === "sticky");
    // a cell right of the sticky first column must be seen past it
    const stickyRight = (cell) => firsts.includes(cell) || !labels.length
      ? boxRect.left : Math.max(...labels.map((c) => c.getBoundingClientRect().right));
    for (const row of rows) {
      row.scrollIntoView({ block: "center" });
      for (const cell of row.cells) {
        if (cell.scrollWidth > cell.clientWidth + 1) {
          fails.push(`${name}: cell "${text(cell)}" is cut inside itself (${cell.scrollWidth} px in ${cell.clientWidth} px)`);
          continue;
        }
        // scroll the box until the cell's words are in view, then see them whole and on top
        const words = () => contentRect(cell) || cell.getBoundingClientRect();
        let r = words();
        if (box && r.right > visibleRight) box.scrollLeft += r.right - visibleRight + 1;
        r = words();
        const from = stickyRight(cell);
        if (box && r.left < from) box.scrollLeft -= from - r.left;
        r = words();
        if (r.left < Math.max(from, 0) - 1.5 || r.right > visibleRight + 1.5) {
          fails.push(`${name}: cell "${text(cell)}" cannot be seen whole (${Math.round(r.left)}–${Math.round(r.right)} px, visible ${Math.round(Math.max(from, 0))}–${Math.round(visibleRight)} px)`);
          continue;
        }
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        if (!inside(hit, cell)) fails.push(`${name}: cell "${text(cell)}" is covered by ${hit ? hit.tagName + "." + hit.className : "nothing"}`);
      }
    }
    // scrolled to the far end, the row labels are still there, readable and on top
    if (box) box.scrollLeft = box.scrollWidth;
    for (const cell of firsts) {
      cell.scrollIntoView({ block: "center", inline: "nearest" });
      if (box) box.scrollLeft = box.scrollWidth;
      const c = contentRect(cell) || cell.getBoundingClientRect();
      const right = Math.min(c.right, cell.getBoundingClientRect().right);
      if (c.left < boxRect.left - 1.5 || right > visibleRight + 1.5 || c.right - c.left < 1) {
        fails.push(`${name}: row label "${text(cell)}" scrolls out of view (${Math.round(c.left)}–${Math.round(c.right)} px, box ${Math.round(boxRect.left)}–${Math.round(visibleRight)} px)`);
        continue;
      }
      const hit = document.elementFromPoint((c.left + right) / 2, (c.top + c.bottom) / 2);
      if (!inside(hit, cell)) fails.push(`${name}: row label "${text(cell)}" is covered when scrolled, by ${hit ? hit.tagName : "nothing"}`);
    }
    if (box) box.scrollLeft = 0;
  });
  return { tables: tables.length, fails };
}
"""


def _pages(kinds: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(kind, path) for kind, paths in kinds.items() for path in paths]


def test_every_table_fits_or_scrolls_with_its_labels(screen, kinds):
    name, context, base = screen
    failures: list[str] = []
    checked = 0
    for kind, path in _pages(kinds):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(base + path, wait_until="networkidle")
        if kind == "generated/compare":  # its rows are drawn from compare.json
            page.wait_for_function("document.querySelectorAll('#gk-compare-table tbody tr').length")
        result = page.evaluate(CHECK_TABLES)
        checked += result["tables"]
        failures += [f"{name} {path}: {f}" for f in result["fails"] + errors]
        if path == kinds[kind][0]:
            shot = kind.replace("/", "_").replace("*", "x")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=ARTIFACTS / f"tables-{name}-{shot}.png", full_page=True)
        page.close()
    assert checked >= 40, checked  # the walk found the tables
    assert not failures, "\n".join(failures[:40])


def test_wide_table_scrolls_with_its_row_labels_in_view(screen, kinds):
    """表三 on a phone is the wide table: it scrolls, says so, and its labels stay (the test
    above would pass vacuously if nothing ever scrolled)."""
    name, context, base = screen
    page = context.new_page()
    page.goto(base + kinds["agencies/*/*"][0], wait_until="networkidle")
    box = page.locator(".gk-scroll:has(table.gk-t3)").first
    box.scroll_into_view_if_needed()
    wide = box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
    if name == "desktop":
        assert not wide  # 表三 fits a desktop's column whole
        page.close()
        return
    assert wide
    assert page.locator(".gk-scroll-hint").first.is_visible()
    label = box.locator("tbody th").first
    before = label.bounding_box()
    number = box.locator("tbody td").first
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.dispatchEvent(new Event('scroll')); }")
    after = label.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1.5  # the label did not move
    moved = number.bounding_box()
    assert moved and moved["x"] < before["x"] + 1  # the numbers scrolled under it
    assert "gk-scrolled" in (box.get_attribute("class") or "")
    page.screenshot(path=ARTIFACTS / "tables-phone-t3-scrolled.png")
    page.close()


CHART_TEXT = r"""
async () => {
  const out = [];
  for (const img of document.querySelectorAll("article img.gk-chart")) {
    img.scrollIntoView();
    if (!img.complete || !img.naturalWidth) await new Promise((r) => img.addEventListener("load", r, { once: true }));
    const svg = await (await fetch(img.src)).text();
    const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => parseFloat(m[1]));
    // the figure's own table, or (agency-year pages) the page's tables, which print its numbers
    const table = img.closest("figure").querySelector("table") || document.querySelector("article table.gk-table");
    out.push({
      src: img.getAttribute("src"),
      smallest: Math.min(...sizes) * img.getBoundingClientRect().width / img.naturalWidth,
      table: parseFloat(getComputedStyle(table.querySelector("td")).fontSize),
      width: img.getBoundingClientRect().width,
      room: img.closest("figure").getBoundingClientRect().width,
    });
  }
  return out;
}
"""


def test_chart_text_is_as_large_as_the_table_beside_it(screen, kinds):
    name, context, base = screen
    charts = []
    for path in ["", *kinds["agencies/*/*"], *kinds["agencies/*"]]:
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        charts += [(path, c) for c in page.evaluate(CHART_TEXT)]
        page.close()
    assert len(charts) >= 4
    for path, c in charts:
        assert c["smallest"] >= c["table"] - 0.25, (name, path, c)
        assert c["width"] <= c["room"] + 0.5, (name, path, c)


def test_desktop_tables_are_not_squeezed_beside_charts(screen, kinds):
    """On a desktop a figure's table shows all its columns (it is not put in half a column).
    (An agency's page: 历年办理结果 has its table; the agency-year page's charts, and the
    agency page's other two trends, name the page's own tables instead.)"""
    name, context, base = screen
    page = context.new_page()
    page.goto(base + kinds["agencies/*"][0], wait_until="networkidle")
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    boxes = page.locator("figure.gk-figure .gk-scroll")
    assert boxes.count() >= 1  # 历年办理结果 (the other two trends' numbers: 历年报告's columns)
    for i in range(boxes.count()):
        assert boxes.nth(i).evaluate("b => b.scrollWidth <= b.clientWidth + 1") or name == "phone"
    page.close()


def _agency_year(context, base: str, kinds, name: str):
    path = next(p for p in kinds["agencies/*/*"] if name in p)
    page = context.new_page()
    page.goto(base + path, wait_until="networkidle")
    return page


def test_report_page_can_be_understood(screen, kinds):
    name, context, base = screen
    page = _agency_year(context, base, kinds, "盐池县科学技术局")
    headline = page.locator("p.gk-headline")
    assert headline.is_visible()
    assert headline.inner_text().startswith("2023 年收到 1 件政府信息公开申请")
    cards = page.locator(".gk-keys").first.bounding_box()
    assert cards and headline.bounding_box()["y"] < cards["y"]  # the sentence comes first
    assert not page.locator("p.gk-alert").count()  # no error: no red banner
    # the contents list near the top jumps to 表三 and to 数据核验
    jump = page.locator("nav.gk-jump")
    assert jump.is_visible() and jump.bounding_box()["y"] < 900
    for label, heading in (
        ("表三", "表三 收到和处理政府信息公开申请情况"),
        ("数据核验", "数据核验"),
    ):
        page.evaluate("window.scrollTo(0, 0)")
        jump.get_by_role("link", name=label, exact=True).click()
        target = page.get_by_role("heading", name=heading)
        page.wait_for_function(
            "h => Math.abs(h.getBoundingClientRect().top) < 120", arg=target.element_handle()
        )
    # 表四 is all 0: one line, not a table of zeros
    zero = page.locator("p#t4-1")
    assert "表四各项均为 0" in zero.inner_text() and not page.locator("table.gk-t4").count()
    page.screenshot(path=ARTIFACTS / f"reading-{name}-yanchi.png", full_page=True)
    # a term links to its entry in the glossary
    term = page.locator('a[href*="glossary/#"]', has_text="无法提供").first
    assert term.get_attribute("title")
    term.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("#")[1] == "unable"
    entry = page.locator("dt#unable")
    assert entry.is_visible() and entry.inner_text().startswith("无法提供")
    page.screenshot(path=ARTIFACTS / f"reading-{name}-glossary.png")
    page.go_back(wait_until="networkidle")
    # the line's link opens the report's text at the table's line, where the zeros are
    zero.locator("a").click()
    page.wait_for_load_state("networkidle")
    line = page.locator(":target")
    assert "原文.html#L" in unquote(page.url) and line.is_visible() and "0" in line.inner_text()
    # the report's text is text: no Markdown marks at the start of a line
    lines = page.evaluate("[...document.querySelectorAll('main p')].map(p => p.textContent)")
    assert len(lines) > 20, lines
    marks = [t for t in lines if re.match(r"\s*(#|\*\*|- )", t)]
    assert not marks, marks
    page.close()


def test_check_results_are_plain_and_mark_the_wrong_total(screen, kinds):
    name, context, base = screen
    page = _agency_year(context, base, kinds, "武威市科学技术局")  # T3-B twice: 总计 0, parts 1
    assert page.locator("p.gk-alert").is_visible()  # errors: the red banner
    items = page.locator("#check li.gk-sev-error")
    texts = items.all_inner_texts()
    assert any("报告印的办理结果总计是 0，但各项办理结果加起来是 1" in t for t in texts), texts
    rule = items.locator("a.gk-rule").first
    assert rule.inner_text().startswith("核验规则：") and "#rule-" in rule.get_attribute("href")
    # the wrong totals are marked, not the column of their parts
    # (and the cells NARR marks: 武威's text says 全年未收到依申请… against its （四） 1)
    marked = page.locator("table.gk-t3 td.gk-flag[title*='T3-B']")
    assert marked.count() == 2
    assert page.locator("table.gk-t3 td.gk-flag").count() == 4  # NARR: （四） and 上年结转
    page.locator("#check").screenshot(path=ARTIFACTS / f"reading-{name}-wuwei-check.png")
    page.close()
    quiet = _agency_year(context, base, kinds, "青铜峡市科学技术局")  # warnings only
    assert not quiet.locator("p.gk-alert").count()
    assert quiet.locator("p.gk-caution").is_visible()
    quiet.close()
