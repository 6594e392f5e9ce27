"""Generated pages: the seeds' numbers in the right cells, nulls never as 0, hostile text as text.

Expected values are read by hand from the seed reports in reports/.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from gongkai import layout
from gongkai.model import Problem, Record, Region, Report
from gongkai.site import assemble, figures, pages, source_text
from gongkai.site.catalog import agency_key, build_catalog, safe_title, slug

EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition"]
NULL_MARK = "gk-null"


def split_page(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def to_html(text: str):
    """The page as MkDocs would render it (same Markdown extensions), parsed."""
    _, body = split_page(text)
    return lxml_html.fromstring(f"<div>{markdown.markdown(body, extensions=EXTENSIONS)}</div>")


def site_files(records: list[Record]) -> dict[str, str]:
    catalog = build_catalog(
        [
            Report(r.source.path if r.source else f"reports/{i}.txt", r)
            for i, r in enumerate(records)
        ]
    )
    return assemble.assemble(catalog, []).files


def agency_year_page(record: Record, files: dict[str, str] | None = None):
    files = files or site_files([record])
    catalog = build_catalog([Report("reports/x.txt", record)])
    doc = catalog.agency_years()[0].doc_path
    return to_html(files[doc])


def row_cells(tree, table_class: str, label: str) -> list:
    """The <td> cells of the row whose header is ``label`` in the table with ``table_class``.
    In 表三 a group's item ("（四）无法提供 › 1.本机关不掌握相关政府信息") is the row "1.…" in
    the <tbody> headed by its group's row."""
    group, _, item = label.rpartition(" › ")
    table = f'.//table[contains(@class, "{table_class}")]'
    if group and table_class == "gk-t3":
        rows = tree.xpath(
            f'{table}//tbody[tr[@class="gk-block"]/th[@scope="rowgroup"][normalize-space()="{group}"]]'
            f'/tr[th[normalize-space()="{item}"]]'
        )
    else:
        rows = tree.xpath(f'{table}//tr[th[normalize-space()="{label}"]]')
    assert rows, f"no row {label!r} in {table_class}"
    return rows[0].xpath("./td")


def texts(cells) -> list[str]:
    return [c.text_content().strip() for c in cells]


# -- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "url"),
    [("index.md", ""), ("a/index.md", "a/"), ("a/b.md", "a/b/"), ("data/x.csv", "data/x.csv")],
)
def test_url_of(doc, url):
    assert pages.url_of(doc) == url


@pytest.mark.parametrize(
    ("src", "target", "rel"),
    [
        ("agencies/x/2023.md", "agencies/x/index.md", "../"),
        ("agencies/x/2023.md", "data/gongkai.zip", "../../../data/gongkai.zip"),
        ("agencies/x/2023.md", "index.md", "../../../"),
        ("index.md", "generated/regions/index.md", "generated/regions/"),
        ("index.md", "index.md", "./"),
        ("generated/compare.md", "data/compare.json", "../../data/compare.json"),
    ],
)
def test_relative_links(src, target, rel):
    assert pages.relative(src, target) == rel


# -- the seeds --------------------------------------------------------------------------------


def test_panzhihua_table2(seeds):
    tree = agency_year_page(seeds["panzhihua"])
    assert texts(row_cells(tree, "gk-t2", "行政许可"))[0] == "14"
    assert texts(row_cells(tree, "gk-t2", "行政规范性文件")) == ["0", "0", "7"]
    assert tree.xpath("//h1")[0].text_content().split() == ["攀枝花市科学技术局", "2023", "年"]
    assert tree.xpath('//*[@class="gk-ok"]'), "攀枝花 2023 passes every check"


def test_yanchi_one_application_not_held(seeds):
    tree = agency_year_page(seeds["yanchi"])
    new = texts(row_cells(tree, "gk-t3", layout.table3_label("F2021", "new_received")))
    assert new == ["1", "0", "0", "0", "0", "0", "1"]
    not_held = texts(row_cells(tree, "gk-t3", layout.table3_label("F2021", "unable.not_held")))
    assert not_held[0] == "1" and not_held[-1] == "1"
    # key figures: the one application is 100 % of the year's outcomes, under 无法提供
    assert texts(row_cells(tree, "gk-shares", "（四）无法提供")) == ["1", "100.0%"]
    assert texts(row_cells(tree, "gk-shares", "（一）予以公开")) == ["0", "0.0%"]
    # its arithmetic holds, but its text says 未收到政府信息公开申请: a NARR warning
    panel = tree.xpath('//div[@id="check"]')[0].text_content()
    assert "正文说“我局未收到政府信息公开申请”" in panel and "NARR" in panel


def test_wuwei_own_arithmetic_error_is_shown_not_fixed(seeds):
    tree = agency_year_page(seeds["wuwei"])
    panel = tree.xpath('//div[@id="check"]')[0].text_content()
    assert "T3-B" in panel
    assert "报告印的办理结果总计是 0，但各项办理结果加起来是 1" in panel
    assert tree.xpath('//p[@class="gk-alert"]')
    # the printed numbers stay: 1 under 无法提供, 0 as 总计; the one wrong total is marked,
    # not the whole column of its parts
    label = layout.table3_label("F2021", "unable.not_held")
    not_held = row_cells(tree, "gk-t3", label)
    # (its 总计 cell is marked by NARR only: the text says 全年未收到依申请… against this 1)
    assert texts(not_held)[0] == "1" and "T3-B" not in not_held[-1].get("title", "")
    assert "NARR" in not_held[-1].get("title", "")
    total = row_cells(tree, "gk-t3", "（七）总计")
    assert texts(total)[-1] == "0" and "gk-flag" in total[-1].get("class", "")
    flagged = tree.xpath('//table[contains(@class,"gk-t3")]//td[contains(@class,"gk-flag")]')
    by_t3b = [td for td in flagged if "T3-B" in td.get("title", "")]
    assert len(by_t3b) == 2  # （七）总计 in the 自然人 and 总计 columns: the two T3-B errors
    assert len(flagged) == 4  # and NARR: its （四） 1 and the 上年结转 0 beside the text
    # shares cannot be taken of a printed total of 0
    assert texts(row_cells(tree, "gk-shares", "（四）无法提供")) == ["1", "不适用"]


def test_qingtongxia_f2019_and_blank_review_cells(seeds):
    rec = seeds["qingtongxia"]
    assert rec.format == "F2019"
    tree = agency_year_page(rec)
    assert texts(row_cells(tree, "gk-t2", "其他对外管理服务事项")) == ["0", "2", "2"]
    headers = [th.text_content() for th in tree.xpath('//table[contains(@class,"gk-t2")]//th')]
    assert "本年增/减" in headers and "处理决定数量" in headers and "第二十条第（九）项" in headers
    review = row_cells(tree, "gk-t4", "行政复议")
    assert len(review) == 5
    for cell in review:  # blank in the report: a distinct null mark, never 0
        assert cell.xpath(f'.//span[@class="{NULL_MARK}"]') and cell.text_content().strip() == "—"
    assert texts(row_cells(tree, "gk-t4", "行政诉讼 › 未经复议直接起诉")) == ["0"] * 5
    # F2019's （六）其他处理 is one row
    assert row_cells(tree, "gk-t3", "（六）其他处理")


def test_every_seed_page_has_all_parts(seeds):
    files = site_files(list(seeds.values()))
    for rec in seeds.values():
        tree = agency_year_page(rec, files)
        headings = [h.text_content() for h in tree.xpath("//h2")]
        for part in (
            "主要数据",
            "图表",
            "数据核验",
            "表二 主动公开政府信息情况",
            "表三 收到和处理政府信息公开申请情况",
            "表四 政府信息公开行政复议、行政诉讼情况",
            "报告正文",
            "来源",
        ):
            assert part in headings, (rec.agency, part)
        # the report's text is on the 原文 page; the page lists its sections, linked there
        sections = [li.text_content() for li in tree.xpath('//ol[@class="gk-outline"]/li')]
        labels = [label for _, label in layout.SECTIONS]
        assert [s for s in sections if not s.startswith("报告开头")] == [
            s for s in sections if any(s.startswith(label) for label in labels)
        ] and len(sections) >= len(labels), sections
        assert tree.xpath('//ol[@class="gk-outline"]/li/a[starts-with(@href, "原文.html#L")]')
        # every chart names the table of this page that prints its numbers
        for ref in tree.xpath("//figure[@class='gk-figure']//p[@class='gk-fig-data']/a[1]/@href"):
            # (an all-zero table is the one line that says so, with the table's id)
            target = tree.xpath(f'//*[@id="{ref[1:]}"]')
            assert ref.startswith("#") and len(target) == 1, ref
            assert target[0].tag == "table" or "各项均为 0" in target[0].text_content(), ref
        assert rec.source.path in tree.text_content()


def test_null_is_never_zero():
    rec = blank_record("某县测试局", 2023)
    tree = agency_year_page(rec)
    cells = tree.xpath('//table[contains(@class,"gk-t3")]//td')
    assert len(cells) == 25 * 7
    assert all(c.text_content().strip() == "—" for c in cells)
    assert all(c.xpath(f'.//span[@class="{NULL_MARK}"]') for c in cells)
    figs = tree.xpath('//figure[@class="gk-figure"]')
    assert figs and not tree.xpath("//img[@class='gk-chart']"), "nothing to draw from nulls"


# -- hostile input ------------------------------------------------------------------------------

HOSTILE = (
    '<script>alert(1)</script>{{ 7*7 }}{% include "x" %}--8<-- "mkdocs.yml"'
    "&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;`code`*em*[a](javascript:alert(2))"
)


def blank_record(agency: str, year: int, **changes) -> Record:
    tables = layout.empty_tables("F2021")
    return replace(Record(agency, year, "F2021", **tables), **changes)


def test_hostile_agency_name_and_text_stay_text():
    narrative = f"---\ntitle: hacked\n---\n{HOSTILE}\n# heading\n<img src=x onerror=alert(3)>\n\x02wzxhzdk:0\x03"
    rec = blank_record(
        HOSTILE,
        2023,
        sections={"s1_overview": narrative, "s6_other": HOSTILE},
        problems=(Problem("T3-A", "error", ("table3.new_received.total",), HOSTILE, 1, 2),),
        title=HOSTILE,
    )
    files = site_files([rec])
    for doc, text in files.items():
        if not doc.endswith(".md"):
            continue
        front, body = split_page(text)
        assert "<script>" not in body and "<img src=x" not in body
        rendered = markdown.markdown(body, extensions=EXTENSIONS)
        tree = lxml_html.fromstring(f"<div>{rendered}</div>")
        assert not tree.xpath(
            "//script | //img[@onerror] | //*[starts-with(@href, 'javascript')]"
        ), doc
        assert not tree.xpath("//strong | //em | //code[.='code']"), (
            f"Markdown ran inside report text: {doc}"
        )
        assert "\x02" not in body
        # MkDocs and Material print the title unescaped: it must hold no markup characters
        assert not set(str(front.get("title", ""))) & set("<>&\"'`"), doc
    page = files[build_catalog([Report("reports/x.txt", rec)]).agency_years()[0].doc_path]
    tree = to_html(page)
    assert HOSTILE in tree.xpath("//h1")[0].text_content()
    assert "{{ 7*7 }}" in tree.text_content()  # (the narrative is on the 原文 page:
    # tests/test_source_text.py keeps hostile text as text there)


def test_safe_title_has_no_markup():
    assert safe_title("<b>&x</b>") == "＜b＞＆x＜/b＞"


@given(st.text(max_size=200))
def test_slug_is_filesystem_safe(name):
    s = slug(agency_key(name))
    assert re.fullmatch(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff-]+", s)
    assert len(s) <= 41 and ".." not in s and "/" not in s and "\\" not in s


def test_agency_identity_ignores_spaces_and_width():
    assert (
        agency_key("盐池县 科学技术局")
        == agency_key("盐池县科学技术局")
        == agency_key(" 盐池县科学技术局\u3000")
    )
    assert agency_key("ＡＢＣ局") == agency_key("ABC局")
    assert slug(agency_key("a/b")) != slug(agency_key("a-b")), "different names, different folders"


def test_two_reports_same_agency_year_make_one_page_listing_both():
    a = blank_record("某县测试局", 2023)
    t3 = {k: dict(v) for k, v in a.table3.items()}
    t3["new_received"]["total"] = 3
    b = replace(a, agency="某县 测试局", table3=t3)
    catalog = build_catalog([Report("reports/a.txt", a), Report("reports/b.txt", b)])
    (ay,) = catalog.agency_years()
    assert ay.conflicting and len(ay.reports) == 2
    files = assemble.assemble(catalog, []).files
    tree = to_html(files[ay.doc_path])
    box = tree.xpath('//div[contains(@class, "gk-conflict")]')[0].text_content()
    assert "reports/a.txt" in box and "reports/b.txt" in box and "不一致" in box
    # both versions' numbers are shown, neither is picked
    received = [
        texts(row_cells(t, "gk-t3", layout.table3_label("F2021", "new_received")))[-1]
        for t in tree.xpath('//table[contains(@class,"gk-t3")]/..')
    ]
    assert received == ["—", "3"]


def test_carry_over_between_years_on_the_agency_page():
    """2022 carries 2 applications forward; the 2023 report says it took over 3 (XY-1)."""

    def year(y: int, carried_over: int, carried_forward: int) -> Record:
        rec = blank_record("某县测试局", y)
        t3 = {k: dict(v) for k, v in rec.table3.items()}
        t3["carried_over"]["total"] = carried_over
        t3["carried_forward"]["total"] = carried_forward
        return replace(rec, table3=t3)

    catalog = build_catalog(
        [Report("reports/a.txt", year(2022, 0, 2)), Report("reports/b.txt", year(2023, 3, 0))]
    )
    (agency,) = catalog.agencies
    later = agency.years[2023]
    assert [p.rule for p in later.series_problems] == ["XY-1"]
    assert not agency.years[2022].series_problems
    files = assemble.assemble(catalog, []).files
    tree = to_html(files[agency.doc_path])
    carry = tree.xpath('//div[@class="gk-carry"]//tbody/tr')
    assert len(carry) == 1
    assert texts(carry[0].xpath("./td"))[:2] == ["2", "3"] and "不一致" in carry[0].text_content()
    assert "XY-1" in tree.xpath('//div[@class="gk-carry"]')[0].text_content()
    # the year page lists the cross-year problem in its 数据核验 panel too
    page = to_html(files[later.doc_path])
    assert "XY-1" in page.xpath('//div[@id="check"]')[0].text_content()
    links = [a.get("href") for a in tree.xpath('//table[contains(@class,"gk-years")]//a')]
    assert "2022/" in links and "2023/" in links
    # two trends name the 历年报告 columns that print their numbers, a year a row; the third
    # (办理结果 by kind, which 历年报告 does not print) keeps its table
    years = tree.xpath('//table[@id="years"]//tbody/tr')
    assert [texts(tr.xpath("./td"))[1] for tr in years] == [
        str(v) if (v := figures.key_figures(ay.record).received) is not None else "—"
        for ay in agency.sorted_years()
    ]
    for name, table in (
        ("trend_received", False),
        ("trend_review", False),
        ("trend_outcomes", True),
    ):
        (fig,) = tree.xpath(f'//figure[@id="chart-{name}"]')
        assert bool(fig.xpath(".//table")) == table, name
        assert bool(fig.xpath('.//a[@href="#years"]')) != table, name


# The listing rows as the templates made them before pages.agency_list / report_list.
OLD_LISTS = """{% import "_macros.md.j2" as m with context %}
{% macro agency_rows(agencies) -%}
<ul class="gk-list gk-agencies">
{% for a in agencies %}
<li><a href="{{ link(a.doc_path) }}">{{ a.name }}</a> <span class="gk-dim">{{ m.region_text(a.region) }}</span> <span class="gk-years">{% for ay in a.sorted_years() %}<a href="{{ link(ay.doc_path) }}">{{ ay.year if ay.year is not none else "年度不详" }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</span></li>
{% endfor %}
</ul>
{%- endmacro %}
{% macro report_rows(group) -%}
<ul class="gk-list">
{% for ay in group %}
<li><a href="{{ link(ay.doc_path) }}">{{ ay.agency.name }}</a> <span class="gk-dim">{{ m.region_text(ay.agency.region) }}</span>{% if ay.has_errors %} <span class="gk-badge gk-badge-error">核验有错误</span>{% endif %}</li>
{% endfor %}
</ul>
{%- endmacro %}
A{{ agency_rows(agencies) }}B{{ report_rows(group) }}C"""


def test_listing_rows_are_what_the_macros_made(seeds):
    hostile = replace(
        seeds["wuwei"],
        agency="<b>&机关\"'</b>",
        region=None,
        year=None,
        problems=(Problem("T3-A", "error", (), "x"),),
    )
    records = [*seeds.values(), hostile, replace(seeds["yanchi"], year=2022)]
    catalog = build_catalog([Report(f"reports/{i}.txt", r) for i, r in enumerate(records)])
    group = catalog.agency_years()
    for page in ("generated/regions/640000.md", "generated/types/x.md", "index.md"):
        old = (
            pages._env()
            .from_string(OLD_LISTS)
            .render(page=page, agencies=catalog.agencies, group=group)
        )
        new = f"A{pages.agency_list(page, catalog.agencies)}B{pages.report_list(page, group)}C"
        assert new == old
    assert "&lt;b&gt;&amp;机关" in new and "未能识别地区" in new and "核验有错误" in new


def _browse(reports: list[Report]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """group → fingerprint, and group → its pages (docs path → text)."""
    from gongkai.site import listings

    catalog = build_catalog(reports)
    common = {"format_names": pages.FORMAT_NAMES}
    groups = listings.browse_groups(catalog, common)
    return listings.browse_fingerprints(catalog), {g: x.files for g, x in groups.items()}


def _table3(rec: Record, row: str, col: str, value) -> Record:
    return replace(rec, table3={**rec.table3, row: {**rec.table3.get(row, {}), col: value}})


BROWSE_MUTATIONS = {
    "number": lambda r: _table3(r, "new_received", "total", 12345),
    "carried over": lambda r: _table3(r, "carried_over", "total", 777),
    "table2": lambda r: replace(r, table2={}),
    "table4": lambda r: replace(r, table4={}),
    "an error": lambda r: replace(r, problems=(*r.problems, Problem("T3-A", "error", (), "x"))),
    "a warning": lambda r: replace(r, problems=(Problem("T2-W", "warning", (), "x"),)),
    "no problems": lambda r: replace(r, problems=()),
    "title": lambda r: replace(r, title="另一个标题"),
    "sections": lambda r: replace(r, sections={}),
    "lines": lambda r: replace(r, lines={}),
    "format": lambda r: replace(r, format="unknown"),
    "name, spacing": lambda r: replace(r, agency=" ".join(r.agency)),
    "name": lambda r: replace(r, agency="某某市某某局"),
    "no name": lambda r: replace(r, agency=None),
    "year": lambda r: replace(r, year=2019),
    "no year": lambda r: replace(r, year=None),
    "region": lambda r: replace(r, region=None),
    "county": lambda r: replace(
        r, region=replace(r.region or Region(), county="某县", county_code="640399")
    ),
    "type": lambda r: replace(r, agency_type="某某局"),
    "no type": lambda r: replace(r, agency_type=None),
}


def test_browse_pages_change_only_with_their_fingerprint(seeds):
    """The build reuses each group of browse pages (the index pages; each year, type and
    region page) while its fingerprint is the same: no change to a report may change a
    group's pages without changing that group's fingerprint."""
    from gongkai.site import listings

    base = [Report(f"reports/{n}.txt", r) for n, r in sorted(seeds.items())]
    fingerprints, listing = _browse(base)
    assert set(fingerprints) == set(listing)
    changed_pages = set()
    for what, mutate in BROWSE_MUTATIONS.items():
        for i in range(len(base)):
            reports = list(base)
            reports[i] = replace(reports[i], record=mutate(reports[i].record))
            new_fingerprints, new_listing = _browse(reports)
            for group in set(listing) | set(new_listing):
                if new_listing.get(group) != listing.get(group):
                    assert new_fingerprints.get(group) != fingerprints.get(group), (what, i)
                    changed_pages.add(what)
            if what == "number":  # the totals of its year, type and region pages only
                changed = {g for g in fingerprints if new_fingerprints[g] != fingerprints[g]}
                assert listings.BROWSE not in changed and 0 < len(changed) <= 5, changed
        moved = [replace(r, path=f"reports/z{r.path[8:]}") for r in base]  # another file name
        assert _browse(moved)[1] == listing
    assert {"an error", "name", "year", "region", "type", "number"} <= changed_pages


def test_pdf_report_page_names_the_source_page_of_each_table(seeds):
    from pathlib import Path

    from gongkai.report import read_report

    path = Path(__file__).parent / "fixtures" / "binary" / "fuxin_2025_f2021.pdf"
    tree = agency_year_page(read_report(path))
    notes = [p.text_content() for p in tree.xpath('//p[@class="gk-src"]')]
    assert notes == ["原文第 2 页", "原文第 3 页", "原文第 4 页"]  # 表二, 表三, 表四
    assert "PDF" in tree.xpath('//div[@class="gk-provenance"]')[0].text_content()
    # a text report has no pages: no such note
    text = agency_year_page(seeds["yanchi"])
    assert not [p for p in text.xpath('//p[@class="gk-src"]') if "原文第" in p.text_content()]


# -- understand: headline, plain checks, glossary, jump list, folded zeros, report text ---------


def test_headline_says_the_numbers_in_a_sentence(seeds):
    tree = agency_year_page(seeds["yanchi"])
    (line,) = tree.xpath('//p[@class="gk-headline"]')
    assert line.text_content() == (
        "2023 年收到 1 件政府信息公开申请，办结 1 件，其中无法提供 1 件；没有行政复议和行政诉讼。"
    )
    # it comes before the key figures
    (first,) = tree.xpath('(//p[@class="gk-headline"] | //div[@class="gk-keys"])[1]')
    assert first.get("class") == "gk-headline"


def test_headline_never_says_zero_for_a_blank():
    from gongkai.site.figures import key_figures
    from gongkai.site.headline import headline

    rec = blank_record("某局", 2023)  # every cell null
    text = headline(2023, key_figures(rec))
    assert "0" not in text.replace("2023", "")
    assert "新收政府信息公开申请的件数报告未填写" in text and "没有" not in text
    t4 = {g: dict(v) for g, v in rec.table4.items()}
    t4["review"]["total"] = 0
    t4["lit_direct"]["total"] = 2
    text = headline(2023, key_figures(replace(rec, table4=t4)))
    assert "没有行政复议" in text
    assert "未经复议直接起诉 2 件、复议后起诉的件数报告未填写" in text


def test_warnings_only_get_no_red_banner(seeds):
    tree = agency_year_page(seeds["qingtongxia"])  # five READ warnings, no error
    assert not tree.xpath('//p[@class="gk-alert"]')
    (caution,) = tree.xpath('//p[@class="gk-caution"]')
    assert "5 个警告" in caution.text_content() and "不是错误" in caution.text_content()


def test_jump_list_links_to_the_headings_markdown_makes(seeds):
    from pymdownx.slugs import slugify

    catalog = build_catalog([Report("reports/x.txt", seeds["yanchi"])])
    doc = catalog.agency_years()[0].doc_path
    _, body = split_page(assemble.assemble(catalog, []).files[doc])
    # the toc options of mkdocs.yml
    configs = {"toc": {"slugify": slugify(case="lower")}}
    rendered = markdown.markdown(body, extensions=EXTENSIONS, extension_configs=configs)
    tree = lxml_html.fromstring(f"<div>{rendered}</div>")
    (nav,) = tree.xpath('//nav[@class="gk-jump"]')
    ids = {e.get("id") for e in tree.xpath("//*[@id]")}
    targets = [a.get("href") for a in nav.xpath(".//a")]
    inside = [t[1:] for t in targets if t.startswith("#")]
    assert len(inside) == 8 and set(inside) <= ids, set(inside) - ids
    assert "表三-收到和处理政府信息公开申请情况" in inside
    assert targets[-1].endswith("generated/glossary/")


def test_glossary_terms_link_to_their_entries(seeds):
    from gongkai.site import glossary

    files = site_files([seeds["yanchi"]])
    page = to_html(files[glossary.PAGE])
    entries = {dt.get("id"): dt.text_content() for dt in page.xpath("//dl//dt")}
    for word in ("无法提供", "不予处理", "结转", "勾稽关系", "部分公开", "其他处理", "行政复议"):
        assert any(text.startswith(word) for text in entries.values()), word
    tree = agency_year_page(seeds["yanchi"])
    links = tree.xpath('//a[contains(@href, "glossary/#")]')
    words = {a.text_content() for a in links}
    assert {"无法提供", "不予处理", "结转", "勾稽关系", "部分公开", "行政复议"} <= words
    tips = json.loads(files["data/terms.json"])["terms"]
    for a in links:
        href = a.get("href")
        assert href.startswith("../../../generated/glossary/#") and href.split("#")[1] in entries
        # the definition is not repeated on the page: gongkai.js gives it from data/terms.json
        term = next(t for t in glossary.TERMS if t.id == href.split("#")[1])
        assert a.get("title") is None and tips[term.id] == glossary.tooltip(term)
        assert term.text.startswith(tips[term.id].rstrip("。"))
    # the label reads the same with its link
    assert texts(row_cells(tree, "gk-shares", "（四）无法提供")) == ["1", "100.0%"]


def test_all_zero_tables_fold_into_one_line(seeds):
    tree = agency_year_page(seeds["panzhihua"])  # 表三 and 表四 all 0
    lines = [p.text_content() for p in tree.xpath('//p[@class="gk-zero-line"]')]
    assert any("表四各项均为 0" in line for line in lines)
    assert any("表三各项均为 0" in line for line in lines)
    # no table of zeros: the line links the lines of the 原文 page the table was read from,
    # and takes the table's id (the charts link it)
    assert not tree.xpath('//table[contains(@class,"gk-t3") or contains(@class,"gk-t4")]')
    t4 = tree.xpath('//p[@id="t4-1"]')[0]
    (link,) = t4.xpath("./a")
    links = source_text.cell_links(seeds["panzhihua"], "x/原文.html")
    lines = [int(h.split("#L")[1].split("-")[0]) for r, h in links.items() if r[:7] == "table4."]
    first, last = min(lines), max(lines)
    assert link.get("href").split("-")[0] == f"原文.html#L{first}"
    assert link.text_content() == (
        f"原文第 {first} 行" if first == last else f"原文第 {first}–{last} 行"
    )
    assert tree.xpath('//p[@id="t3-1"]')
    # a table with a check's mark or a blank is drawn: 武威's 表三 (T3-B), 表四 (null)
    wuwei = agency_year_page(seeds["wuwei"])
    assert wuwei.xpath('//table[contains(@class,"gk-t3")]')
    assert wuwei.xpath('//table[contains(@class,"gk-t4")]')


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            "# 武威市科学技术局 2023年政府信息公开工作年度报告",
            "武威市科学技术局 2023年政府信息公开工作年度报告",
        ),
        ("## 主动公开情况", "主动公开情况"),
        ("- 01 总体情况", "01 总体情况"),
        ("**收到和处理政府信息", "收到和处理政府信息"),
        ("共 **3** 件", "共 3 件"),
        ("- 3 -", "- 3 -"),  # a printed page number, not a list item
        ("#5 号文件", "#5 号文件"),  # not a heading mark
        ("-1 件", "-1 件"),
        ("a * b", "a * b"),
    ],
)
def test_report_text_without_markdown_marks(line, shown):
    assert pages.unmark(line)[0] == shown


def test_no_markdown_marks_in_the_text(seeds):
    """The 原文 page shows the report's words: the Markdown marks of a converted report are
    not among them (a heading line is shown as a heading)."""
    from gongkai.site import source_text

    record = seeds["wuwei"]  # its text came as Markdown
    page = source_text.page_html(
        Report(record.source.path, record), "agencies/x/2023/原文.html", "agencies/x/2023.md"
    )
    tree = lxml_html.fromstring(page)
    paras = [p.text_content() for p in tree.xpath("//main/p[not(@class='t')]")]
    assert paras and not [p for p in paras if re.match(r"\s*(#|\*\*|- )", p)]
    assert tree.xpath("//main/p[@class='h']")


def test_a_row_links_its_line_once_and_marks_cells_without_a_line(seeds):
    rec, cols = seeds["yanchi"], layout.TABLE4_COLUMNS
    one = {f"table4.review.{c.key}": "原文.html#L7" for c in cols}
    cells = lxml_html.fromstring(f"<table><tr>{pages.tds(rec, 'table4', 'review', cols, {}, one)}")
    # read from one line: the first cell links it for the row (gongkai.js links the rest)
    assert [td.xpath(".//a/@href") for td in cells.xpath("//td")] == [["原文.html#L7"]] + [[]] * 4
    assert not cells.xpath("//td[@class]")
    two = {"table4.review.upheld": "原文.html#L7", "table4.review.other": "原文.html#L8"}
    cells = lxml_html.fromstring(f"<table><tr>{pages.tds(rec, 'table4', 'review', cols, {}, two)}")
    tds = cells.xpath("//td")
    assert [td.xpath(".//a/@href") for td in tds] == [
        ["原文.html#L7"],
        [],
        ["原文.html#L8"],
        [],
        [],
    ]
    # the cells with no line are marked: the script does not give them the first cell's line
    assert [td.get("class") for td in tds] == [None, "gk-nl", None, "gk-nl", "gk-nl"]
