"""The 原文 page: the report's text as read, every line anchored, every table cell of the
agency-year page linked to the line its number was read from; text escaped, never run."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SEEDS, make_project, strict_build
from lxml import html as lxml_html
from make_corpus import iter_reports

from gongkai.model import Report, SourceLine
from gongkai.report import read_report
from gongkai.site import pages, search, source_text


def page_tree(report: Report):
    doc = "agencies/x/2023/原文.html"
    text = source_text.page_html(report, doc, "agencies/x/2023.md")
    return text, lxml_html.fromstring(text)


def line_text(tree, anchor: str) -> str:
    (p,) = tree.xpath(f'//p[@id="{anchor}"]')
    return p.text_content()


def value_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_number_links_to_a_line_that_prints_it(seeds, name):
    record = seeds[name]
    report = Report(record.source.path, record)
    _, tree = page_tree(report)
    anchors = source_text.cell_anchors(record)
    assert set(anchors) == set(record.lines)  # every number read has its line
    for ref, anchor in anchors.items():
        table, _, rest = ref.partition(".")
        row, _, col = rest.rpartition(".")
        value = getattr(record, table)[row][col]
        assert anchor == f"L{record.lines[ref]}"
        if value is not None:
            digits = re.sub(r"[\s,，]", "", line_text(tree, anchor))
            assert value_text(value) in digits, (ref, value, anchor)


def test_report_text_is_escaped_never_markup(tmp_path):
    hostile = (
        '<script>alert(1)</script> {{ 7*7 }} {% raw %} --8<-- "/etc/passwd" '
        "<img src=x onerror=alert(1)> &amp; ## 标题 [链接](javascript:alert(1))"
    )
    record = read_report(
        "reports/h.txt",
        (
            "测试局2023年政府信息公开工作年度报告\n"
            f"一、总体情况\n{hostile}\n"
            "三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        ).encode(),
    )
    text, tree = page_tree(Report("reports/h.txt", record))
    assert "<script>alert" not in text and "<img src=x" not in text
    assert not tree.xpath("//script[not(@src)]") and not tree.xpath("//img")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in text
    shown = "".join(p.text_content() for p in tree.xpath("//main//p"))
    assert hostile.replace("&amp;", "&") in shown.replace("&amp;", "&")


def test_a_one_line_crawled_page_links_each_row_to_its_piece():
    crawled = next(r for r in iter_reports(40, seed=3, crawl_share=1))
    record = read_report(crawled.name, crawled.data)
    numbers = [line.number for line in record.text]
    assert len(set(numbers)) < len(numbers), "the page was cut into pieces of one line"
    report = Report(crawled.name, record)
    _, tree = page_tree(report)
    anchors = source_text.cell_anchors(record)
    assert anchors
    ids = set(tree.xpath("//main//p/@id"))
    assert set(anchors.values()) <= ids
    assert any(re.fullmatch(r"L\d+-\d+", a) for a in anchors.values())
    # the piece of a 表三 row is the one holding that row's label and its numbers
    for ref in ("table3.granted.total", "table3.new_received.total"):
        if ref in anchors:
            text = line_text(tree, anchors[ref])
            assert ("予以公开" if "granted" in ref else "新收") in text, (ref, text)
    # every piece has its own anchor: L12, L12-2, L12-3 …
    assert len(ids) == len(record.text)


def test_a_pdf_or_scan_is_shown_page_by_page(seeds):
    record = seeds["wuwei"]
    lines = tuple(SourceLine(n, (f"第 {n} 行",), False, 1 if n < 5 else 2) for n in range(1, 9))
    record = replace(record, text=lines, lines={"table3.new_received.total": 6})
    record = replace(record, source=replace(record.source, kind="pdf"))
    text, tree = page_tree(Report("reports/x.pdf", record))
    assert [h.text_content() for h in tree.xpath("//h2")] == ["原文第 1 页", "原文第 2 页"]
    assert tree.xpath('//h2[@id="P2"]/following-sibling::p[1]/@id') == ["L5"]
    assert "PDF 文件：按页列出" in text


def test_a_very_long_text_keeps_the_lines_numbers_were_read_from(seeds, monkeypatch):
    monkeypatch.setattr(source_text, "SOURCE_MAX", 50)
    record = seeds["yanchi"]
    report = Report("reports/y.txt", record)
    _, tree = page_tree(report)
    ids = set(tree.xpath("//main//p/@id"))
    assert set(source_text.cell_anchors(record).values()) <= ids
    assert len(ids) < len(record.text)
    assert tree.xpath('//p[@class="gap"]')


def test_source_docs_sit_beside_the_agency_year_page():
    assert source_text.source_docs("agencies/a-1/2023.md", 2) == [
        "agencies/a-1/2023/原文.html",
        "agencies/a-1/2023/原文-2.html",
    ]


@pytest.mark.site
def test_built_site_cells_link_to_the_original_and_corrections_show(tmp_path):
    """The real build: every table cell's link on the agency-year page lands on an anchor of
    its 原文 page; a sidecar's correction is marked with what was read; a bad correction is
    a build-report entry, not a crash; the footer is Chinese and says where data comes from."""
    root = make_project(tmp_path / "p")
    reports = root / "reports"
    (reports / "002_5e0a10dac8f8a1dc.yml").write_text(
        "published: 2024-01-20\n"
        "corrections:\n"
        "  - cell: table3.new_received.natural_person\n"
        "    value: 2\n"
        "    reason: 测试：原文印为 2\n"
        "  - cell: table3.nonsense.total\n"
        "    value: 1\n"
        "    reason: 不存在的格\n"
        "  - cell: table3.granted.total\n"
        "    value: 1.5\n"
        "    reason: 不是整数\n",
        encoding="utf-8",
    )
    strict_build(root)
    site = root / "site"
    (folder,) = [p for p in (site / "agencies").iterdir() if p.name.startswith("盐池县")]
    page = lxml_html.fromstring((folder / "2023" / "index.html").read_text("utf-8"))
    source = lxml_html.fromstring((folder / "2023" / "原文.html").read_text("utf-8"))
    ids = set(source.xpath("//@id"))
    links = page.xpath("//table[contains(@class,'gk-t3')]//td//a/@href")
    assert len(links) >= 25  # a row read from one line links it once (gongkai.js: every cell)
    for href in links:
        name, _, anchor = href.partition("#")
        assert name == "原文.html" and anchor in ids, href
    cells = page.xpath("//table[contains(@class,'gk-t3')]//tbody//td")
    assert len(cells) > 100
    for cell in cells:  # each cell links its line, or its row's first cell does for all
        own = cell.xpath(".//a/@href")
        row = cell.xpath("../td[1]//a/@href") if "gk-nl" not in cell.get("class", "") else []
        assert own or row, lxml_html.tostring(cell.getparent(), encoding="unicode")
    (fixed,) = page.xpath("//td//span[@class='gk-corrected']")
    assert fixed.text_content().strip() == "2"
    assert "程序读出 1" in fixed.get("title") and "测试：原文印为 2" in fixed.get("title")
    report = (root / "build" / "build-report.json").read_text("utf-8")
    assert "table3.nonsense.total 不是本报告" in report and "不是整数" in report
    data = (site / "data" / "records").glob("盐池县*-2023.json")
    record = json.loads(next(data).read_text("utf-8"))
    assert record["table3"]["new_received"]["natural_person"] == 2
    assert record["corrections"] == [
        {
            "cell": "table3.new_received.natural_person",
            "value": 2,
            "read": 1,
            "reason": "测试：原文印为 2",
        }
    ]
    footer = page.xpath("//footer")[0].text_content()
    assert "数据更新于" in footer and "Made with" not in footer and "更正说明" in footer
    # the date comes from the data (the sidecar's date), with the dataset's version
    with zipfile.ZipFile(site / "data" / "gongkai.zip") as archive:
        dataset = json.loads(archive.read("gongkai.json"))
    assert (
        dataset["updated"] == "2024-01-20"
        and dataset["report_count"] == len(dataset["reports"]) == 5
    )
    script = (site / "data" / "version.js").read_text("utf-8")
    assert f"2024-01-20（数据版本 {dataset['version']}）" in script
    # the page names the original and links the text as read; never a bare repository path
    hrefs = page.xpath("//a/@href")
    assert "原文.html" in [h.split("/")[-1] for h in hrefs]
    assert not any(h.startswith("reports/") or "/reports/" in h for h in hrefs)
    assert Path(site / "data" / "agencies").is_dir()


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_outline_links_each_section_to_the_line_it_begins(seeds, name):
    """The agency-year page lists the report's sections and links each to its first line on
    the 原文 page, which holds the text (once on the site)."""
    record = seeds[name]
    _, tree = page_tree(Report(record.source.path, record))
    items = source_text.outline(record, "agencies/x/2023/原文.html")
    linked = [(key, href) for key, _, href, chars in items if href]
    assert len(linked) >= 3, items
    for key, href in linked:
        assert href.startswith("原文.html#L")
        first = pages.unmark(record.sections[key].strip().splitlines()[0].strip())[0]
        start = "".join(first.split())[:4]
        assert start in "".join(line_text(tree, href.split("#")[1]).split()), (key, href)
    for key, _, href, _chars in items:  # a section the parser kept is linked; one it lacks is not
        assert (href is not None) == bool(record.sections.get(key)), key


def test_the_source_page_is_the_report_s_search_document():
    """The 原文 page carries the search body (the text's lines, not the table lines, which
    gongkai.site.search.EXCLUDED leaves out) under its agency-year page's title and region."""
    record = read_report(
        "reports/s.txt",
        (
            "测试局2023年政府信息公开工作年度报告\n一、总体情况\n本年度我局坚持公开透明。\n"
            "三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        ).encode(),
    )
    meta = source_text.SearchMeta("测试局 2023 年", "宁夏回族自治区 › 吴忠市", "宁夏 吴忠市 吴忠")
    text = source_text.page_html(
        Report("reports/s.txt", record), "agencies/x/2023/原文.html", "agencies/x/2023.md", meta
    )
    tree = lxml_html.fromstring(text)
    (body,) = tree.xpath("//*[@data-pagefind-body]")
    assert body.xpath(".//main") and body.xpath(".//h1/@data-pagefind-meta") == [
        "title:测试局 2023 年"
    ]
    assert body.xpath(".//p[@data-pagefind-meta='region']/text()") == ["宁夏回族自治区 › 吴忠市"]
    assert body.xpath(".//p[@data-pagefind-meta='places']/text()") == ["宁夏 吴忠市 吴忠"]
    # the table line, in its run of table lines, which the index leaves out; its cells apart
    (row,) = body.xpath(".//main/div[@class='t']/p")
    assert row.text_content() == "一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1"
    assert ".t" in search.EXCLUDED.split(", ")
    plain = source_text.page_html(
        Report("reports/s.txt", record), "agencies/x/2023/原文.html", "agencies/x/2023.md"
    )
    assert "data-pagefind" not in plain
