"""Crawled web text (gongkai.ingest.crawl): an archive's header, the site's chrome, and a whole
report on one line, its headings run into the text and its tables flattened so that the
digits of adjacent cells touch. The structure must be found; a number is published only when
the row's digits split one way; the rest stays null, never wrong."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from make_corpus import generate
from test_pages import agency_year_page
from test_properties import assert_numbers_in_source

from gongkai import layout
from gongkai.ingest.crawl import LONG_LINE, cut_lines, split_header
from gongkai.ingest.read import read_document
from gongkai.model import Line, Meta, NotAReport, Report
from gongkai.parse.tables import find_rows
from gongkai.report import read_report
from gongkai.site import assemble
from gongkai.site.catalog import build_catalog

TITLE = "平潭综合实验区2021年政府信息公开工作年度报告"
URL = "https://www.pingtan.gov.cn/zwgk/ndbg/202202/t20220208_5804.htm"
HEADER = f"""标题: {TITLE}
发布时间: 2022-02-08 16:34
文号:
发布机构: 平潭综合实验区管委会办公室
栏目: 政府信息公开年报
原文链接: {URL}
==== 正文 ====
"""
CHROME = (
    f"当前位置： 首页 > 政务公开 > 政府信息公开年报 {TITLE} 发布时间：2022-02-08 16:34 "
    "来源：平潭综合实验区管委会办公室 字号：大 中 小 微信 微博 打印 关闭 "
)
INTRO = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布平潭综合实验区"
    "2021年政府信息公开工作年度报告。所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
)
S1 = (
    "2021年，我区认真贯彻落实《条例》，全面推进政务公开工作，坚持“以公开为常态、不公开为例外”"
    "原则，依法依规做好政府信息主动公开工作，切实保障人民群众的知情权、参与权和监督权。"
    "全年本年新收政府信息公开申请70件，其中予以公开33件，部分公开5件，本年新收政府信息公开申请"
    "数量较上年增加。进一步规范依申请公开工作流程，明确受理、审查、处理、答复等各环节要求。"
)
T2 = (
    "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665"
    "第二十条第（五）项信息内容本年处理决定数量行政许可1234"
    "第二十条第（六）项信息内容本年处理决定数量行政处罚56行政强制7"
    "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费12.5"
)
# 表三 with its digits touching; every row satisfies 总计 = the six applicants (T3-C), and
# the columns satisfy T3-A and T3-B.
T3_ROWS = {
    "new_received": (64, 0, 0, 2, 0, 4, 70),
    "carried_over": (0, 0, 0, 0, 0, 0, 0),
    "granted": (30, 0, 0, 1, 0, 2, 33),
    "partial": (5, 0, 0, 0, 0, 0, 5),
    "denied.process_info": (2, 0, 0, 0, 0, 0, 2),
    "unable.not_held": (20, 0, 0, 1, 0, 1, 22),
    "total_processed": (57, 0, 0, 2, 0, 3, 62),
    "carried_forward": (7, 0, 0, 0, 0, 1, 8),
}


def t3_text(fmt: str = "F2021", stray: dict[str, str] | None = None, sep: str = "") -> str:
    """表三 as a crawler flattens it: the header fused, each row's label then its digits."""
    out = [
        layout.TABLE3_NOTE,
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他",
    ]
    groups_seen: set[str] = set()
    for row in layout.TABLE3_ROWS[fmt]:
        if row.key == "granted":
            out.append(layout.TABLE3_RESULTS)
        group = row.key.split(".")[0]
        if "." in row.key and group not in groups_seen:
            groups_seen.add(group)
            out.append(layout.TABLE3_GROUPS[group])
        values = T3_ROWS.get(row.key, (0,) * 7)
        printed = sep + sep.join(map(str, values)) + sep
        out.append(row.label + (stray or {}).get(row.key, printed))
    return "".join(out)


T4 = (
    "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    + "结果维持结果纠正其他结果尚未审结总计" * 2
    + "1020012"  # 行政复议: 10 维持, 2 纠正, 0, 0, 总计 12
    + "0000000000"
)


def body(stray: dict[str, str] | None = None, sep: str = "") -> str:
    return (
        CHROME
        + TITLE
        + INTRO
        + "一、总体情况"
        + S1
        + "二、主动公开政府信息情况"
        + T2
        + "三、收到和处理政府信息公开申请情况本年度收到和处理政府信息公开申请情况如下表。"
        + t3_text(stray=stray, sep=sep)
        + "四、政府信息公开行政复议、行政诉讼情况2021年，我区因政府信息公开被申请行政复议12件。"
        + T4
        + "五、存在的主要问题及改进情况一是部分栏目更新不及时。下一步，我区将加强业务培训。"
        + "六、其他需要报告的事项本年度未收取信息处理费。 【打印本页】 【关闭窗口】"
    )


def crawl_bytes(stray: dict[str, str] | None = None, header: str = HEADER) -> bytes:
    return (header + body(stray) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def record():
    return read_report("pingtan.txt", crawl_bytes())


# -- the header -----------------------------------------------------------------------------


def test_header_is_taken_off_and_kept():
    doc = read_document("pingtan.txt", crawl_bytes())
    assert doc.header["标题"] == TITLE
    assert doc.header["原文链接"] == URL
    assert doc.header["发布时间"] == "2022-02-08 16:34"
    assert doc.header["文号"] == ""
    assert not any("标题" in line.text or "====" in line.text for line in doc.lines)
    # the body keeps its own line number (the 8th line of the file)
    assert {line.number for line in doc.lines} == {8}


def test_record_title_agency_year_and_provenance(record):
    assert record.title == TITLE
    assert (record.agency, record.year, record.format) == ("平潭综合实验区", 2021, "F2021")
    assert record.url == URL
    assert record.published == "2022-02-08 16:34"
    data = record.to_json()
    assert (data["url"], data["published"]) == (URL, "2022-02-08 16:34")
    assert not record.agency.startswith("标题")


@pytest.mark.parametrize(
    "text",
    [
        "标题：{t}\n原文链接：{u}\n\n{b}\n",  # full-width colons, no separator
        "标题:{t}\n发布时间:2022-02-08\n原文链接: {u}\n----------\n\n{b}\n",
        "\n\n标题: {t}\n\n原文链接: {u}\n{b}\n",  # blank lines around the header
    ],
)
def test_header_variants(text):
    data = text.format(t=TITLE, u=URL, b=body()).encode("utf-8")
    rec = read_report("p.txt", data)
    assert (rec.agency, rec.year, rec.url) == ("平潭综合实验区", 2021, URL)


def test_one_key_line_without_separator_is_not_a_header():
    lines = [Line(1, ("标题：某县2023年政府信息公开工作年度报告",)), Line(2, ("一、总体情况",))]
    assert split_header(lines) == ({}, lines)


def test_unsafe_link_is_not_kept():
    header = HEADER.replace(URL, "javascript:alert(1)")
    assert read_report("p.txt", crawl_bytes(header=header)).url is None
    header = HEADER.replace(URL, 'https://x.gov.cn/"><script>')
    assert read_report("p.txt", crawl_bytes(header=header)).url is None


def test_report_without_header_is_unchanged(seeds):
    doc = read_document("reports/002_5e0a10dac8f8a1dc.txt")
    assert doc.header == {}
    assert seeds["yanchi"].url is None and seeds["yanchi"].published is None


# -- chrome, headings, narrative ------------------------------------------------------------


def test_chrome_is_dropped(record):
    kept = "\n".join([record.title or "", record.agency or "", *record.sections.values()])
    for chrome in ("当前位置", "首页 >", "来源：", "字号", "微信", "微博", "打印", "关闭"):
        assert chrome not in kept, chrome
    assert record.sections["preamble"].startswith(TITLE)
    assert INTRO in record.sections["preamble"]


def test_title_found_in_the_chrome_without_header():
    rec = read_report("p.txt", (body() + "\n").encode("utf-8"))
    assert (rec.agency, rec.year, rec.format) == ("平潭综合实验区", 2021, "F2021")
    assert rec.title == TITLE
    assert rec.url is None


def test_six_sections_and_headings_apart_from_text(record):
    assert list(record.sections) == [
        "preamble",
        "s1_overview",
        "s3_requests",
        "s4_review_lit",
        "s5_problems",
        "s6_other",
    ]  # 二 is tables only; 三 and 四 keep their sentences
    assert record.sections["s1_overview"] == S1  # the heading run into it is gone, S1 whole
    assert record.sections["s3_requests"] == "本年度收到和处理政府信息公开申请情况如下表。"
    assert record.sections["s4_review_lit"].startswith("2021年，我区因政府信息公开")
    assert "行政复议行政诉讼" not in record.sections["s4_review_lit"]  # 表四's header
    assert record.sections["s6_other"] == "本年度未收取信息处理费。"


def test_narrative_naming_a_label_is_not_cut():
    """S1 says 本年新收政府信息公开申请, 予以公开33件, 部分公开5件 … in sentences."""
    doc = read_document("pingtan.txt", crawl_bytes())
    assert any(line.text == S1 for line in doc.lines)


# -- the tables -------------------------------------------------------------------------------


def test_every_table_row_is_found_with_its_digits():
    doc = read_document("pingtan.txt", crawl_bytes())
    rows = find_rows(tuple(doc.lines))
    assert [k for k, _ in rows.t2] == [r.key for b in layout.TABLE2["F2021"] for r in b.rows]
    assert [k for k, _ in rows.t3] == [r.key for r in layout.TABLE3_ROWS["F2021"]]
    for key, row in rows.t3:
        printed = "".join(map(str, T3_ROWS.get(key, (0,) * 7)))
        assert "".join(row.cells) == printed, key  # the digits belong to their own label
    assert [r.cells for r in rows.t4] == [["1020012" + "0" * 10]]


def test_rows_are_read_where_their_digits_split_one_way(record):
    for key, values in T3_ROWS.items():
        cols = [c.key for c in layout.TABLE3_COLUMNS]
        assert [record.table3[key][c] for c in cols] == list(values), key
    assert record.table2["regulations"] == {"issued": 0, "repealed": 0, "valid": 0}
    assert record.table2["licensing"]["decisions"] == 1234
    assert record.table2["admin_fees"]["fee_amount"] == 12.5
    # 表四 "1020012…": only its own group total picks 10,2,0,0,12 — a misprinted total could
    # pick another split, so the whole table's rule (every split the same even with any one
    # identity left out) publishes none of the cells that needed the choice
    assert set(record.table4["review"].values()) == {None}
    assert record.table4["lit_direct"] == dict.fromkeys(record.table4["lit_direct"], 0)
    # 693665 splits as 6|9|3665, 69|3|665, …: no arithmetic holds in 表二; null, never a guess
    assert record.table2["normative_docs"] == {"issued": None, "repealed": None, "valid": None}
    assert any("693665" in p.message for p in record.problems if p.rule == "READ")
    assert not [p for p in record.problems if p.severity == "error"]


def test_stray_spaces_are_not_separators():
    stray = {"total_processed": "57 0 02 0 362", "granted": "30 0 0 1 0 2 33"}
    rec = read_report("p.txt", crawl_bytes(stray))
    cols = [c.key for c in layout.TABLE3_COLUMNS]
    assert [rec.table3["total_processed"][c] for c in cols] == [57, 0, 0, 2, 0, 3, 62]
    # seven printed numbers with a space between each two: read as printed
    assert [rec.table3["granted"][c] for c in cols] == [30, 0, 0, 1, 0, 2, 33]


def test_a_row_whose_split_is_unsure_stays_null():
    # 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 both add up: the cells they disagree on are not
    # published (those every split gives 0 may be)
    rec = read_report("p.txt", crawl_bytes({"partial": "11000011"}))
    partial = rec.table3["partial"]
    assert [partial[c] for c in ("natural_person", "commercial", "total")] == [None] * 3
    assert all(v in (None, 0) for v in partial.values())
    # a blank printed as a null token between runs: the cells cannot be placed
    rec = read_report("p.txt", crawl_bytes({"granted": "300/10233"}))
    assert all(v is None for v in rec.table3["granted"].values())


def test_cells_apart_are_never_run_together():
    """A crawler that puts a space between every two cells: a blank cell prints nothing, so
    a row printing fewer numbers than its columns stays null (12 3 is not 1|2|3)."""
    spaced = (
        body(sep=" ")
        .replace("规章000", "规章 12 3 ")
        .replace("行政规范性文件693665", "行政规范性文件 6 9 36 ")
        .replace("行政许可1234", "行政许可 1234 ")
        .replace("1020012" + "0" * 10, " 10 2 0 0 12 " + "0 " * 10)
    )
    rec = read_report("p.txt", (HEADER + spaced + "\n").encode("utf-8"))
    assert rec.table2["regulations"] == {"issued": None, "repealed": None, "valid": None}
    assert rec.table2["normative_docs"] == {"issued": 6, "repealed": 9, "valid": 36}
    assert rec.table3["new_received"]["natural_person"] == 64
    assert rec.table4["review"]["total"] == 12


def test_line_numbers_and_a_body_on_several_lines():
    text = HEADER + body().replace("二、主动公开", "\n二、主动公开").replace(
        "五、存在", "\n五、存在"
    )
    doc = read_document("p.txt", text.encode("utf-8"))
    numbers = {line.cells[0]: line.number for line in doc.lines}
    assert numbers["一、总体情况"] == 8
    assert numbers["二、主动公开政府信息情况"] == numbers["（七）总计"] == 9
    assert numbers["五、存在的主要问题及改进情况"] == 10
    rec = read_report("p.txt", text.encode("utf-8"))
    assert rec.table3["new_received"]["total"] == 70
    assert rec.lines["table3.new_received.total"] == 9
    assert rec.sections["s5_problems"].startswith("一是")


def test_a_long_line_without_header_is_cut_too():
    line = Line(5, (body(),))
    assert len(body()) > LONG_LINE
    cut = cut_lines([line])
    assert len(cut) > 50 and {c.number for c in cut} == {5}
    short = [Line(1, ("一、总体情况2021年，我区……",))]
    assert cut_lines(short) is short  # short lines of a plain text file are never touched


# -- the page -------------------------------------------------------------------------------------


def test_link_to_the_original_is_on_the_page(record):
    tree = agency_year_page(record)
    links = tree.xpath(f'.//div[contains(@class, "gk-provenance")]//a[@href="{URL}"]')
    assert links and links[0].text_content() == URL
    assert "2022-02-08 16:34" in tree.xpath('string(.//div[contains(@class, "gk-provenance")])')


def test_a_sidecar_link_wins(record):
    other = "https://archive.example.org/pingtan-2021.html"
    report = Report("reports/p.txt", record, Meta(url=other, published="2022-02-09"))
    assert (report.url, report.published) == (other, "2022-02-09")
    catalog = build_catalog([report])
    page = assemble.assemble(catalog, []).files[catalog.agency_years()[0].doc_path]
    assert f'href="{other}"' in page and URL not in page
    no_sidecar = Report("reports/p.txt", record)
    assert (no_sidecar.url, no_sidecar.published) == (URL, "2022-02-08 16:34")


def test_record_json_keeps_provenance(record):
    data = json.loads(json.dumps(record.to_json(), ensure_ascii=False))
    assert data["url"] == URL and data["published"] == "2022-02-08 16:34"
    assert replace(record, url=None).to_json()["url"] is None


# -- the synthetic crawled pages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled():
    return [(r, read_report(r.name, r.data)) for r in generate(200, seed=17, crawl_share=1.0)]


def test_crawled_corpus_no_wrong_number(crawled):
    wrong, printed, recovered, structure = [], 0, 0, 0
    for report, rec in crawled:
        truth = report.truth
        assert truth["layout"] == "crawl"
        assert (rec.agency, rec.year, rec.format) == (
            truth["agency"],
            truth["year"],
            truth["format"],
        ), report.name
        assert rec.url and rec.url.startswith("https://") and rec.published
        ambiguous = set(truth["ambiguous_cells"])
        for table in ("table2", "table3", "table4"):
            for row, cells in truth[table].items():
                for col, true in cells.items():
                    got = getattr(rec, table)[row].get(col)
                    path = f"{table}.{row}.{col}"
                    if got is not None and got != true:
                        wrong.append((report.name, path, true, got))
                    if true is not None and path not in ambiguous:
                        printed += 1
                        recovered += got == true
        doc = read_document(report.name, report.data)
        rows = find_rows(tuple(doc.lines))
        fmt = truth["format"]
        structure += (
            [k for k, _ in rows.t2] == [r.key for b in layout.TABLE2[fmt] for r in b.rows]
            and [k for k, _ in rows.t3] == [r.key for r in layout.TABLE3_ROWS[fmt]]
            and all(row.cells for _, row in rows.t2 + rows.t3)
            and len(rows.t4) == 1
        )
    assert wrong == []
    share = recovered / printed
    print(
        f"\ncrawled pages: structure found {structure}/{len(crawled)}, "
        f"printed cells recovered {recovered}/{printed} = {share:.1%}"
    )
    assert structure >= 0.95 * len(crawled)
    assert share >= 0.9  # rises when the whole-table decoder splits what rows alone cannot


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_crawled_pages_never_invent_a_number(data):
    """Digits, spaces and characters inserted or deleted anywhere in a crawled page: every
    published number still appears in the page (whitespace there is stray, not a separator,
    unless the whole page separates its cells: then no number is read across it)."""
    report = data.draw(st.sampled_from(MUTABLE))
    text = report.data.decode("utf-8")
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["digit", "space", "delete", "null", "label"]))
        if op == "digit":
            text = text[:at] + data.draw(st.sampled_from("0123456789")) + text[at:]
        elif op == "space":
            text = text[:at] + data.draw(st.sampled_from([" ", "\u3000", "\u00a0"])) + text[at:]
        elif op == "null":
            text = text[:at] + data.draw(st.sampled_from(["/", "—", "-", "无", "+"])) + text[at:]
        elif op == "label":
            text = text[:at] + data.draw(st.sampled_from(LABELS)) + text[at:]
        else:
            text = text[:at] + text[at + data.draw(st.integers(1, 5)) :]
    try:
        rec = read_report("m.txt", text.encode("utf-8"))
    except NotAReport:
        return
    assert_numbers_in_source(rec, re.sub(r"\s+", "", text))
    json.dumps(rec.to_json(), allow_nan=False)


MUTABLE = [r for r in generate(40, seed=23, crawl_share=1.0) if r.truth["encoding"] == "utf-8"]
LABELS = [
    "规章",
    "（七）总计",
    "3.其他",
    "一、总体情况",
    "行政复议",
    "第二十条第（五）项",
    "信息内容",
]
