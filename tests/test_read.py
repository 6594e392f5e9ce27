"""The read stage: bytes → decoded text → lines of cells, for text files and saved web pages."""

from __future__ import annotations

import codecs
import random
import time
from pathlib import Path

import pytest

from gongkai.ingest.html import html_lines
from gongkai.ingest.read import read_document
from gongkai.ingest.text import decode
from gongkai.model import Line, NotAReport

HERE = Path(__file__).parent
PAGES = HERE / "fixtures" / "html"
SEEDS = HERE.parent / "reports"
PANZHIHUA = PAGES / "panzhihua_2023_gov_page.html"
PANZHIHUA_GBK = PAGES / "panzhihua_2023_gbk.html"
QINGTONGXIA = PAGES / "qingtongxia_2020_f2019.html"

T3_LABEL = "三、本年度办理结果"
ZEROS = ["0"] * 7
GROUPS = ("不予公开", "无法提供", "不予处理", "其他处理")


def rows(path: Path) -> list[list[str]]:
    return [list(line.cells) for line in read_document(path).lines if line.table]


def texts(path: Path) -> list[str]:
    return [line.text for line in read_document(path).lines if not line.table]


def row(path: Path, *labels: str) -> list[str]:
    """The one table row whose leading cells are the given labels."""
    found = [r for r in rows(path) if r[: len(labels)] == list(labels)]
    assert len(found) == 1, found
    return found[0]


def source_line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if needle in text)


# --- the saved government page (F2021) ----------------------------------------------------


def test_page_is_read_as_html_by_content() -> None:
    doc = read_document(PANZHIHUA)
    assert (doc.source.kind, doc.source.encoding) == ("html", "utf-8")


def test_table2_colspan_value_fills_only_the_first_column() -> None:
    assert row(PANZHIHUA, "行政许可") == ["行政许可", "14", "", ""]
    assert row(PANZHIHUA, "行政规范性文件") == ["行政规范性文件", "0", "0", "7"]
    assert row(PANZHIHUA, "第二十条第（五）项") == ["第二十条第（五）项", "", "", ""]
    # <br> inside the labels, <p><span> around them
    assert ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"] in rows(PANZHIHUA)
    assert ["信息内容", "本年收费金额（单位：万元）", "", ""] in rows(PANZHIHUA)


def test_table3_rowspan_labels_are_copied_into_every_row() -> None:
    assert row(PANZHIHUA, T3_LABEL, "（三）不予公开", "1.属于国家秘密") == [
        T3_LABEL, "（三）不予公开", "1.属于国家秘密", *ZEROS,
    ]  # fmt: skip
    table3 = rows(PANZHIHUA)
    assert sum(r[0] == T3_LABEL for r in table3) == 22
    groups = [r[1] for r in table3 if r[0] == T3_LABEL]
    per_group = [groups.count(f"（{n}）{g}") for n, g in zip("三四五六", GROUPS, strict=True)]
    assert per_group == [8, 3, 5, 3]
    assert row(PANZHIHUA, T3_LABEL, "（七）总计") == [T3_LABEL, "（七）总计", "", *ZEROS]
    assert row(PANZHIHUA, "四、结转下年度继续办理") == ["四、结转下年度继续办理", "", "", *ZEROS]


def test_table3_header_rows() -> None:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    header = [r for r in rows(PANZHIHUA) if r[0] == note]
    assert header == [
        [note, "", "", "申请人情况", "", "", "", "", "", ""],
        [note, "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        [note, "", "", "自然人", *orgs, "总计"],
    ]


def test_table4_header_and_values() -> None:
    table4 = rows(PANZHIHUA)[-4:]
    assert table4[0] == ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9
    assert table4[1][5:] == ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]
    assert table4[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert table4[3] == ["0"] * 15


def test_chrome_and_scripts_are_left_out() -> None:
    text = "\n".join(line.text for line in read_document(PANZHIHUA).lines)
    for chrome in ("版权所有", "ICP备", "网站标识码", "当前位置", "首页", "搜索", "全站", "机构概况",
                   "无障碍", "2022年政府信息公开", "<td>", "document", "var x"):  # fmt: skip
        assert chrome not in text


def test_title_above_the_article_body_survives() -> None:
    lines = texts(PANZHIHUA)
    # the <h1>, with its <br>, before the copy of the title inside the body
    assert lines[:2] == ["攀枝花市科学技术局", "2023年政府信息公开工作年度报告"]
    assert lines.index("一、总体情况") > 2


def test_title_in_its_own_box_comes_without_the_chrome_around_it() -> None:
    page = PANZHIHUA.read_text(encoding="utf-8")
    h1 = page[page.index("<h1") : page.index("</h1>") + 5]
    moved = page.replace(h1, "").replace("<!-- main -->", f'<div class="titlebox">{h1}</div>')
    lines = [line.text for line in html_lines(moved)]
    assert lines[:3] == [
        "攀枝花市科学技术局",
        "2023年政府信息公开工作年度报告",
        "攀枝花市科学技术局",
    ]
    assert not any("当前位置" in t or "版权所有" in t for t in lines)


def test_page_without_report_marks_falls_back_to_body() -> None:
    assert cells("<div><a>首页</a></div><p>正文</p>") == [("首页",), ("正文",)]


def test_narrative_is_the_seed_text_verbatim() -> None:
    text = "\n".join(texts(PANZHIHUA))
    seed = (SEEDS / "003_f5e83598e54ab4ab.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = [p.strip() for p in seed if p.strip() and "\t" not in p]
    narrative = [p for p in paragraphs if len(p) > 30 or p.startswith(("（", "(", "一、", "六、"))]
    assert len(narrative) > 15
    for paragraph in narrative:
        if "勾稽关系" not in paragraph:  # the table note, a cell in the page
            assert paragraph in text


def test_line_numbers_are_the_source_lines_of_the_elements() -> None:
    lines = read_document(PANZHIHUA).lines
    secret = next(line for line in lines if "1.属于国家秘密" in line.cells)
    assert secret.number == source_line(PANZHIHUA, "1.属于国家秘密")
    heading = next(line for line in lines if line.text == "五、存在的主要问题及改进情况")
    assert heading.number == source_line(PANZHIHUA, "五、存在的主要问题及改进情况")
    numbers = [line.number for line in lines]
    assert numbers == sorted(numbers)


def test_gbk_page_reads_like_the_utf8_page() -> None:
    gbk = read_document(PANZHIHUA_GBK)
    assert (gbk.source.kind, gbk.source.encoding) == ("html", "gb18030")
    assert gbk.lines == read_document(PANZHIHUA).lines


def test_html_lines_of_200_kb_page_is_fast() -> None:
    page = PANZHIHUA.read_text(encoding="utf-8")
    body = page[
        page.index('<div class="article-content"') : page.index('<div class="article-tools"')
    ]
    big = page.replace(body, body * 7)
    assert len(big.encode()) > 190_000
    start = time.process_time()  # CPU time, not wall time: a busy machine does not inflate it
    lines = html_lines(big)
    cpu = time.process_time() - start
    # ~25 CPU-ms measured; the bound only catches blow-ups (a walk of the whole page per node)
    assert cpu < 0.5, f"{cpu:.2f} CPU-seconds"
    assert sum(line.cells[:1] == ("行政许可",) for line in lines) == 7


# --- a small F2019 page: blank 总计 cells, （六）其他处理 on one row ------------------------


def test_f2019_other_row_spans_two_label_columns() -> None:
    assert row(QINGTONGXIA, T3_LABEL, "（六）其他处理") == [T3_LABEL, "（六）其他处理", "", *ZEROS]
    assert sum(r[0] == T3_LABEL for r in rows(QINGTONGXIA)) == 20


def test_f2019_blank_total_cells_stay_blank() -> None:
    assert row(QINGTONGXIA, T3_LABEL, "（一）予以公开")[3:] == ["0"] * 6 + [""]
    assert row(QINGTONGXIA, T3_LABEL, "（三）不予公开", "7.属于行政执法案卷")[-1] == ""
    assert row(QINGTONGXIA, T3_LABEL, "（三）不予公开", "8.属于行政查询事项")[-1] == "0"
    assert row(QINGTONGXIA, "一、本年新收政府信息公开申请数量")[-1] == "0"
    assert rows(QINGTONGXIA)[-1] == [""] * 5 + ["0"] * 10


def test_f2019_table2_and_layout_table_page() -> None:
    assert row(QINGTONGXIA, "其他对外管理服务事项") == ["其他对外管理服务事项", "0", "2", "2"]
    assert row(QINGTONGXIA, "政府集中采购") == ["政府集中采购", "0", "0", ""]
    lines = texts(QINGTONGXIA)
    assert lines[0] == "青铜峡市科学技术局2020年政府信息公开工作年度报告"
    assert lines[-1] == "无"
    assert not any(
        chrome in t for t in lines for chrome in ("版权所有", "首页", "政府信息公开指南")
    )


# --- html_lines rules, on short inline pages --------------------------------------------


def cells(page: str) -> list[tuple[str, ...]]:
    return [line.cells for line in html_lines(page)]


def test_blocks_break_lines_and_inline_elements_do_not() -> None:
    page = "<div>一、<span>总体</span><b>情况</b></div><p>甲&nbsp;&nbsp;乙\n丙<br>丁</p><ul><li>戊</li></ul>"
    assert cells(page) == [("一、总体情况",), ("甲 乙 丙",), ("丁",), ("戊",)]
    assert all(not line.table for line in html_lines(page))


def test_spans_copy_labels_down_but_never_values() -> None:
    page = """<table>
<tr><td rowspan="2">组</td><td rowspan="2">5</td><td colspan="2">标签</td></tr>
<tr><td>a</td><td>—</td></tr>
<tr><td colspan="3">7</td><td>b</td></tr>
</table>"""
    assert cells(page) == [("组", "5", "标签", ""), ("组", "", "a", "—"), ("7", "", "", "b")]
    assert [line.number for line in html_lines(page)] == [2, 3, 4]


def test_break_inside_a_cell_joins_cjk_and_spaces_the_rest() -> None:
    page = "<table><tr><td>本年新<br>制作数量</td><td><p>社会公益</p><p>组织</p></td><td>Total<br>2</td></tr></table>"
    assert cells(page) == [("本年新制作数量", "社会公益组织", "Total 2")]


def test_nested_table_rows_follow_the_outer_row() -> None:
    page = (
        "<table><tr><td>外<table><tr><td>内</td><td>1</td></tr></table></td><td>2</td></tr></table>"
    )
    assert cells(page) == [("外", "2"), ("内", "1")]


@pytest.mark.parametrize(
    ("span", "filled"),
    [
        ('rowspan="10000"', [("标签", "1"), ("标签", "2")]),
        ('colspan="0"', [("标签", "1"), ("2",)]),
        ('colspan="abc" rowspan="-3"', [("标签", "1"), ("2",)]),
        ('colspan="100000"', [("标签", "1"), ("2",)]),  # capped: empty cells between
    ],
)
def test_absurd_spans_are_capped_or_ignored(span: str, filled: list[tuple[str, ...]]) -> None:
    page = f"<table><tr><td {span}>标签</td><td>1</td></tr><tr><td>2</td></tr></table>"
    got = cells(page)
    assert [tuple(c for c in r if c) for r in got] == filled
    assert got[0][0] == "标签"


def test_a_table_that_lays_out_the_page_is_read_as_text() -> None:
    story = "正文" * 200
    page = f"<table><tr><td><a>首页</a></td><td><p>{story}</p><p>第二段</p></td></tr></table>"
    assert cells(page) == [("首页",), (story,), ("第二段",)]


def test_asp_net_form_around_the_page_is_kept() -> None:
    page = '<form id="form1"><input value="搜索"><div><p>一、总体情况</p><p>正文</p></div></form>'
    assert cells(page) == [("一、总体情况",), ("正文",)]


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   ",
        "<",
        "<table><tr><td rowspan=3>x",
        "\x00\x01<p>a</p>",
        "<?xml version='1.0' encoding='gb2312'?><p>中</p>",
        "<div>" * 5000 + "深" + "</div>" * 5000,
        "<table><tr><td>" * 3000 + "深",
        "<p>" + "<span>x" * 3000 + "</p><p>后</p>",
        random.Random(1).randbytes(20_000).decode("latin-1"),
    ],
)
def test_garbage_never_raises(page: str) -> None:
    assert all(isinstance(line, Line) for line in html_lines(page))


def test_unclosed_inline_tags_past_the_parser_depth_keep_the_rest_of_the_page() -> None:
    assert cells("<p>" + "<font>x" * 3000 + "</p><p>后</p>")[-1] == ("后",)


# --- decoding and text files ------------------------------------------------------------

REPORT = "攀枝花市科学技术局\n2023 年政府信息公开工作年度报告\n一、总体情况\n"


def test_utf8_with_bom() -> None:
    text, encoding = decode(codecs.BOM_UTF8 + REPORT.encode())
    assert (text, encoding) == (REPORT, "utf-8-sig")
    assert read_document("r.txt", codecs.BOM_UTF8 + REPORT.encode()).lines[0].cells == (
        "攀枝花市科学技术局",
    )


def test_gb18030_without_declaration_is_detected() -> None:
    text = REPORT + "𠀀 € 镕\n"  # beyond GBK: only GB18030 has them
    doc = read_document("r.txt", text.encode("gb18030"))
    assert doc.source.encoding == "gb18030"
    assert [line.text for line in doc.lines] == text.splitlines()


def test_gbk_html_with_meta_charset() -> None:
    page = '<html><head><meta charset="gbk"></head><body><p>一、总体情况</p><p>收到申请 3 件。</p></body></html>'
    doc = read_document("r.html", page.encode("gbk"))
    assert (doc.source.kind, doc.source.encoding) == ("html", "gb18030")
    assert [line.text for line in doc.lines] == ["一、总体情况", "收到申请 3 件。"]


def test_utf16_le_with_bom() -> None:
    doc = read_document("r.txt", codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"))
    assert doc.source.encoding == "utf-16"
    assert [line.text for line in doc.lines] == REPORT.splitlines()


@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"])
def test_line_endings(newline: str) -> None:
    parts = ["甲", "乙", "", "丙", "丁"]
    data = "甲\r\n乙\n\r丙\r丁" if newline == "mixed" else newline.join(parts)
    lines = read_document("r.txt", data.encode()).lines
    assert [(line.number, line.text) for line in lines] == list(enumerate(parts, 1))


def test_tab_and_pipe_tables() -> None:
    data = "二、主动公开政府信息情况\n规章\t0\t0\t0\n| 信息内容 | 本年处理决定数量 |\n| --- | :---: |\n| 行政许可 | 14 |\n"
    lines = read_document("r.txt", data.encode()).lines
    assert [(line.number, line.cells, line.table) for line in lines] == [
        (1, ("二、主动公开政府信息情况",), False),
        (2, ("规章", "0", "0", "0"), True),
        (3, ("信息内容", "本年处理决定数量"), True),
        (5, ("行政许可", "14"), True),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b" \r\n\t\n ",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
        random.Random(1).randbytes(4096),
    ],
    ids=["empty", "whitespace", "pdf", "docx", "junk"],
)
def test_not_a_report(data: bytes) -> None:
    with pytest.raises(NotAReport):
        read_document("r.bin", data)


# Decoding edge cases found while writing the HTML reader.


def test_utf16_web_page_is_read_as_html() -> None:
    page = "<html><body><p>一、总体情况</p></body></html>"
    doc = read_document("r.html", codecs.BOM_UTF16_LE + page.encode("utf-16-le"))
    assert doc.source.kind == "html"


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_a_lone_bom_is_an_empty_file(bom: bytes) -> None:
    with pytest.raises(NotAReport):
        read_document("r.txt", bom)


def test_gbk_page_mislabelled_latin1_is_still_read_as_chinese() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>一、总体情况</p></body></html>'
    doc = read_document("r.html", page.encode("gbk"))
    assert [line.text for line in doc.lines] == ["一、总体情况"]
