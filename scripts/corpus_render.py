"""One synthetic report → bytes: cell printing, layouts (tab, pipe, pdf, html), encodings.

Part of ``make_corpus``. The layouts follow the seeds in ``reports/``:

* ``tab``  — tab-separated rows with padding cells (seeds 002, 003);
* ``pipe`` — pipe Markdown tables with ``|---|`` rows and shifted columns (seed 001);
* ``pdf``  — text flattened from a PDF: lost, split and spaced labels, padding,
  booklet headings without numerals (seeds 000, 004);
* ``html`` — a saved government page: site chrome and ``<table>`` with the spans of
  content/format.md §3–5;
* ``crawl`` — the page as an archive of web pages saves it as text: a header, the site's
  chrome, the whole report on one line with its tables flattened (``corpus_crawl``).
"""

from __future__ import annotations

import hashlib
import random
import re

from corpus_tables import (
    Style,
    grid_to_html,
    rows_to_pipe,
    rows_to_tab,
    table2_grid,
    table2_text,
    table3_grid,
    table3_text,
    table4_grid,
    table4_text,
)
from corpus_text import BARE_HEADINGS, HEADINGS, narrative, self_reference, subhead, title_lines

from gongkai.layout import TABLE3_APPLICANTS, TABLE3_RESULT_ROWS

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_PROVINCE_ABBR = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "贵",
    "53": "云",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}
T3_COLS = (*TABLE3_APPLICANTS, "total")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")


def _consecutive(order: tuple[str, ...] | list[str], keys: list[str]) -> bool:
    first = list(order).index(keys[0])
    return list(order[first : first + len(keys)]) == keys


def choose_style(rng: random.Random, layout: str, fmt: str) -> tuple[Style, set[str]]:
    """How this report writes its tables, and the quirk names that go into the truth."""
    r = rng.random
    if layout == "crawl":
        layout = "html"  # a crawled page is a web page's tables read as text
    st = Style(
        halfwidth=r() < {"tab": 0.6, "pipe": 0.7, "pdf": 0.7, "html": 0.4}[layout],
        dot_space=r() < {"tab": 0.3, "pipe": 0.6, "pdf": 0.5, "html": 0.2}[layout],
        comma_variant=r() < 0.05,
        straight_quotes=r() < 0.05,
        other_label="其他组织" if r() < 0.1 else "其他",
        partial_short=r() < 0.1,
        total_first_row=r() < (0.15 if layout == "html" else 0.4),
        t3_mode="compact"
        if r() < {"tab": 0.5, "pipe": 0.8, "pdf": 0.5, "html": 0}[layout]
        else "exact",
        t4_spaced=r() < {"pipe": 0.5, "pdf": 0.3}.get(layout, 0.1),
    )
    st.shift_tail = st.t3_mode == "compact" and r() < 0.4
    if layout == "pdf":
        results = TABLE3_RESULT_ROWS[fmt]
        st.pdf = True
        st.lost = frozenset(rng.sample(results[2:], rng.choice((0, 0, 1, 2, 4))))
        st.shifted = frozenset(rng.sample(results[2:], rng.choice((0, 0, 1, 3))))
        st.extra_pad = rng.choice((0, 0, 0, 2, 3))
        st.spaced = r() < 0.5
        st.split_results = r() < 0.3
        st.wrap_long = r() < 0.3
        st.blank_after = frozenset(rng.sample(results, rng.choice((0, 0, 1, 2))))
        st.header_split = r() < 0.2
        if r() < 0.3:
            free = [k for k in results[2:] if k not in st.lost and k not in st.shifted]
            n = rng.choice((2, 3))
            runs = [free[i : i + n] for i in range(len(free) - n + 1)]
            runs = [g for g in runs if _consecutive(results, g)]
            st.detached = tuple(rng.choice(runs)) if runs else ()
    if layout == "html":
        st.html_br, st.html_nbsp, st.html_p = r() < 0.5, r() < 0.4, r() < 0.4
    flags = {
        "halfwidth_brackets": st.halfwidth,
        "compact_rows": st.t3_mode == "compact",
        "shifted_tail": st.shift_tail,
        "label_lost": bool(st.lost),
        "labels_detached": bool(st.detached),
        "row_shifted": bool(st.shifted),
        "extra_padding": st.extra_pad > 0,
        "spaced_labels": st.spaced,
        "split_label": st.split_results,
        "wrapped_label": st.wrap_long and fmt == "F2021",
        "blank_line_in_table": bool(st.blank_after),
        "header_split": st.header_split,
        "label_variant": st.comma_variant
        or st.straight_quotes
        or st.partial_short
        or st.other_label != "其他",
    }
    return st, {k for k, v in flags.items() if v}


class _Printer:
    """Prints cell values the way the report's author typed them."""

    def __init__(self, rng: random.Random, null: dict[str, str], fullwidth: set[str]) -> None:
        self.rng = rng
        self.null = null
        self.fullwidth = fullwidth
        self.thousands = rng.random() < 0.3
        self.plus = rng.random() < 0.4
        self.fixed2 = rng.random() < 0.5
        self.used: set[str] = set()

    def __call__(self, cell: str, v: object) -> str:
        if cell in self.null:
            return self.null[cell]
        if isinstance(v, float):
            s = (
                f"{v:.2f}"
                if self.fixed2 and round(v, 2) == v
                else f"{v:.4f}".rstrip("0").rstrip(".")
            )
        else:
            s = str(v)
            if self.thousands and abs(v) >= 1000 and self.rng.random() < 0.8:
                s = f"{v:,}"
                self.used.add("thousands_separator")
            if self.plus and cell.endswith(".delta_items") and v > 0:
                s = "+" + s
        if cell in self.fullwidth:
            s = s.translate(_FULLWIDTH)
            self.used.add("fullwidth_digits")
        return s


def split_count(digits: str, parts: int, row_sum: bool, cap: int = 2) -> int:
    """Splits of a run of digits into ``parts`` numbers without leading zeros, up to ``cap``.

    With ``row_sum`` the last number is the row's 总计 and must equal the sum of the
    others (T3-C), which is all a parser has to decode a run-together 表三 row.
    """

    def ok(s: str) -> bool:
        return s == "0" or not s.startswith("0")

    def count(s: str, left: int, target: int | None) -> int:
        if left == 0:
            return int(s == "" and (target is None or target == 0))
        found = 0
        for ln in range(1, len(s) - left + 2):
            piece = s[:ln]
            if not ok(piece) or (target is not None and int(piece) > target):
                break
            found += count(s[ln:], left - 1, None if target is None else target - int(piece))
            if found >= cap:
                break
        return found

    if not row_sum:
        return count(digits, parts, None)
    found = 0
    for tail_len in range(1, len(digits) - parts + 2):
        tail = digits[-tail_len:]
        if ok(tail):
            found += count(digits[:-tail_len], parts - 1, int(tail))
        if found >= cap:
            break
    return min(found, cap)


def _plain_digits(cells: list[str]) -> bool:
    return all(c.isascii() and c.isdigit() for c in cells)


def render(rng, ag, year, fmt, layout, encoding, style, t2, t3, t4, plan, story):
    """→ (bytes, extension, {"encoding", "newline", "quirks", "ambiguous"})."""
    null = plan["null"]
    quirks = set(plan["quirks"])
    st, style_quirks = style
    quirks |= style_quirks
    cells = [f"table3.{r}.{c}" for r in t3 for c in T3_COLS] + [
        f"table4.{g}.{c}" for g in t4 for c in T4_COLS
    ]
    fullwidth = set(rng.sample(cells, rng.randint(1, 3))) if rng.random() < 0.03 else set()
    pr = _Printer(rng, null, fullwidth)
    if layout == "crawl":
        pr.thousands = False  # "1,2340" in a run of touching digits is no one's reading

    v2: dict[str, dict[str, str]] = {}
    for row, cols in t2.items():
        v2[row] = {
            c: pr(f"table2.{row}.{c}", v) for c, v in cols.items() if c != "procurement_amount_unit"
        }
        if row == "central_procurement" and cols["procurement_amount_unit"]:
            v2[row]["procurement_amount"] += cols["procurement_amount_unit"]
    v3 = {r: [pr(f"table3.{r}.{c}", v) for c, v in cols.items()] for r, cols in t3.items()}
    v4 = [pr(f"table4.{g}.{c}", t4[g][c]) for g in t4 for c in T4_COLS]
    quirks |= pr.used

    ambiguous: set[str] = set()
    joined2: dict[str, str] = {}
    joined3: set[str] = set()
    if layout in ("tab", "pdf") and rng.random() < 0.05:
        quirks.add("run_together")
        for row in ("regulations", "normative_docs"):
            printed = list(v2[row].values())
            if _plain_digits(printed):
                joined2[row] = "".join(printed)
                if split_count(joined2[row], len(printed), row_sum=False) > 1:
                    ambiguous |= {f"table2.{row}.{c}" for c in v2[row]}
        rows = [
            r
            for r in t3
            if _plain_digits(v3[r])
            and all(f"table3.{r}.{c}" not in null for c in T3_COLS)
            and t3[r]["total"] == sum(t3[r][c] for c in TABLE3_APPLICANTS)
        ]
        for r in rng.sample(rows, min(len(rows), rng.randint(1, 4))):
            joined3.add(r)
            if split_count("".join(v3[r]), 7, row_sum=True) > 1:
                ambiguous |= {f"table3.{r}.{c}" for c in T3_COLS}

    ctx = dict(story, year=year, prev=year - 1, next=year + 1, agency=ag.name, format=fmt)
    ctx["self"] = self_reference(ag.name, ag.place.name)
    story_parts = narrative(rng, ctx)
    heads = {k: v[0] for k, v in HEADINGS.items()}
    if rng.random() < 0.15:
        k = rng.choice((4, 5))
        heads[k] = rng.choice(HEADINGS[k][1:])
        quirks.add("heading_variant")
    title_style = rng.choices(("single", "two_lines", "spaced"), (40, 35, 25))[0]
    if title_style != "single" and layout not in ("html", "crawl"):
        quirks.add("title_" + title_style)
    sub_style = rng.choice(("full", "full", "halfwidth", "digits", "plain"))
    sub_inline = rng.random() < 0.4

    if layout == "html":
        text, ext = _html(
            rng, ag, year, fmt, st, v2, v3, v4, story_parts, heads, sub_style, sub_inline, encoding
        )
    elif layout == "crawl":
        from corpus_crawl import crawl_page  # it reads split_count from this module

        text, ext, crawl_quirks, ambiguous = crawl_page(
            rng, ag, year, fmt, st, v2, v3, v4, story_parts, heads, sub_style, sub_inline
        )
        quirks |= crawl_quirks
    else:
        text, ext = _text(
            rng,
            ag,
            year,
            fmt,
            layout,
            st,
            v2,
            v3,
            v4,
            joined2,
            joined3,
            story_parts,
            heads,
            title_style,
            sub_style,
            sub_inline,
            quirks,
        )
    newline = "crlf" if rng.random() < 0.12 else "lf"
    if newline == "crlf":
        text = text.replace("\n", "\r\n")
    data, encoding = _encode(text, encoding, layout)
    return (
        data,
        ext,
        {"encoding": encoding, "newline": newline, "quirks": quirks, "ambiguous": ambiguous},
    )


def _encode(text: str, encoding: str, layout: str) -> tuple[bytes, str]:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8"), encoding
    if encoding in ("gbk", "gb18030"):
        try:
            return text.encode(encoding), encoding
        except UnicodeEncodeError:  # a place name beyond GBK: the page was saved as UTF-8
            text = text.replace('charset="gb2312"', 'charset="utf-8"').replace(
                "charset=gb2312", "charset=utf-8"
            )
    return text.encode("utf-8"), "utf-8"


_DIGIT_GAP = (re.compile(r"(?<=[\u4e00-\u9fff])(\d+)"), re.compile(r"(\d+)(?=[\u4e00-\u9fff])"))


def _space_digits(s: str) -> str:
    """ "2023 年 1 月" as PDF converters print it (seeds 001–004)."""
    return _DIGIT_GAP[1].sub(r"\1 ", _DIGIT_GAP[0].sub(r" \1", s))


def _text(
    rng,
    ag,
    year,
    fmt,
    layout,
    st,
    v2,
    v3,
    v4,
    joined2,
    joined3,
    parts,
    heads,
    title_style,
    sub_style,
    sub_inline,
    quirks,
):
    booklet = layout == "pdf" and rng.random() < 0.4
    spaced_digits = rng.random() < (0.6 if layout == "pdf" else 0.3)
    if layout == "pipe":
        table = rows_to_pipe
        ext = ".md" if rng.random() < 0.8 else ".txt"
    else:
        table = rows_to_tab
        ext = ".md" if booklet and rng.random() < 0.5 else ".txt"

    def para(s: str) -> str:
        s = _space_digits(s) if spaced_digits else s
        if layout == "pdf" and len(s) > 60 and rng.random() < 0.25:
            cut = rng.randint(20, len(s) - 20)  # a paragraph broken by a page end (seed 002)
            s = s[:cut] + "\n\n" + s[cut:]
        return s

    lines: list[str] = [""] * rng.randint(0, 3)
    title = title_lines(ag.name, year, title_style)
    if booklet:
        quirks.add("booklet")
        lines += ["# " + " ".join(t for t in title if t), ""]
    else:
        lines += [*title, ""]
    if rng.random() < 0.7:
        lines += [para(parts["intro"][0]), ""]
    if booklet:
        lines += [f"{year + 1}年1月", "", "# 目录", "", "CONTENTS", ""]
        lines += [f"- 0{k} {BARE_HEADINGS[k]}" for k in range(1, 6)] + [""]

    def heading(k: int) -> list[str]:
        if booklet:
            out = [f"0{k}", ""] if k > 1 else [f"# 0{k}", ""]
            bare = BARE_HEADINGS[k]
            return out + [f"# {bare}", "", f"## 0{k} {bare}", ""]
        h = heads[k]
        return [h.replace("、", "、 ", 1) if layout == "pdf" and rng.random() < 0.2 else h, ""]

    lines += heading(1)
    for i, body in enumerate(parts[1]):
        if booklet:
            lines += [f"## {subhead(i, 'plain')}情况", "", para(body), ""]
        elif sub_inline:
            lines += [para(subhead(i, sub_style) + "。" + body), ""]
        else:
            lines += [subhead(i, sub_style), "", para(body), ""]
    lines += heading(2)
    lines += table(table2_text(fmt, v2, st, joined2, rng)) + [""]
    lines += heading(3)
    lines += [para(p) for p in parts[3]] + ([""] if parts[3] else [])
    lines += table(table3_text(fmt, v3, st, joined3, rng)) + [""]
    lines += heading(4)
    lines += [para(p) for p in parts[4]] + ([""] if parts[4] else [])
    lines += table(table4_text(v4, st)) + [""]
    lines += heading(5)
    for p in parts[5]:
        lines += [para(p), ""]
    lines += heading(6)
    lines += [para(parts[6][0])]
    if rng.random() < 0.3:
        lines += ["", ag.name, f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
    return "\n".join(lines) + ("\n" if rng.random() < 0.7 else ""), ext


_NAV = ("首页", "政务公开", "政务服务", "互动交流", "数据开放")


def _html(rng, ag, year, fmt, st, v2, v3, v4, parts, heads, sub_style, sub_inline, encoding):
    place = ag.place
    site = place.name + "人民政府"
    title = f"{ag.name}{year}年政府信息公开工作年度报告"
    if encoding == "gbk":
        meta = rng.choice(
            (
                '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
                '<meta charset="gb2312">',
            )
        )
    else:
        meta = rng.choice(
            (
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
            )
        )
    digest = hashlib.md5(f"{ag.name}{year}".encode()).hexdigest()
    date = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    h = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        meta,
        f"<title>{title}_{site}</title>",
        f'<meta name="ArticleTitle" content="{title}">',
        f'<meta name="PubDate" content="{date} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}">',
        f'<meta name="ContentSource" content="{ag.name}">',
        '<link rel="stylesheet" type="text/css" href="/images/style.css">',
        '<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>',
        "</head>",
        "<body>",
        f'<div class="top"><span>欢迎访问{site}门户网站</span><a href="javascript:;">无障碍浏览</a><a href="javascript:;">长者模式</a></div>',
        f'<div class="header"><img src="/images/logo.png" alt="{site}"></div>',
        '<div class="nav"><ul>'
        + "".join(f'<li><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(_NAV))
        + "</ul></div>",
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/ndbg/">政府信息公开年报</a></div>',
    ]
    if rng.random() < 0.4:  # the 政府信息公开 metadata box: a table that is not a report table
        h.append(
            '<table class="xxgk-info"><tr><td>索引号：</td>'
            f"<td>{place.code}00/{year + 1}-{rng.randint(10, 999):05d}</td><td>发布机构：</td><td>{ag.name}</td></tr>"
            f"<tr><td>公开方式：</td><td>主动公开</td><td>成文日期：</td><td>{date}</td></tr></table>"
        )
    h += [
        '<div class="article">',
        f'<h1 class="title">{title}</h1>',
        f'<div class="info">发布时间：{date}&nbsp;&nbsp;来源：{ag.name}&nbsp;&nbsp;浏览次数：<span id="hits"></span>'
        "&nbsp;&nbsp;【字体：<a>大</a> <a>中</a> <a>小</a>】</div>",
        '<div class="TRS_Editor" id="zoom">',
    ]
    indent = ' style="text-indent:2em;"' if rng.random() < 0.7 else ""
    strong_heads = rng.random() < 0.6

    def p(text: str) -> str:
        return f"<p{indent}>{text}</p>"

    def heading(k: int) -> str:
        return p(f"<strong>{heads[k]}</strong>") if strong_heads else f"<h3>{heads[k]}</h3>"

    if rng.random() < 0.7:
        h.append(p(parts["intro"][0]))
    h.append(heading(1))
    for i, body in enumerate(parts[1]):
        if sub_inline:
            h.append(p(f"<strong>{subhead(i, sub_style)}。</strong>{body}"))
        else:
            h += [p(f"<strong>{subhead(i, sub_style)}</strong>"), p(body)]
    h += [heading(2), grid_to_html(table2_grid(fmt, v2, st), st, rng)]
    h += [heading(3), *map(p, parts[3]), grid_to_html(table3_grid(fmt, v3, st), st, rng)]
    h += [heading(4), *map(p, parts[4]), grid_to_html(table4_grid(v4, st), st, rng)]
    h += [heading(5), *map(p, parts[5]), heading(6), p(parts[6][0])]
    if rng.random() < 0.4:
        h += [
            f'<p style="text-align:right">{ag.name}</p>',
            f'<p style="text-align:right">{year + 1}年1月{rng.randint(10, 31)}日</p>',
        ]
    abbr = _PROVINCE_ABBR.get(place.code[:2], "京")
    h += [
        "</div>",
        '<div class="share">分享到：<a class="wx"></a><a class="wb"></a></div>',
        '<div class="print"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>',
        "</div>",
        f'<div class="footer"><p>主办单位：{site}办公室&nbsp;&nbsp;网站标识码：{place.code}0001</p>'
        f'<p><a href="https://beian.miit.gov.cn/" target="_blank">{abbr}ICP备{int(digest[:6], 16) % 90000000 + 10000000}号</a>'
        f"&nbsp;&nbsp;{abbr}公网安备 {place.code}{int(digest[6:12], 16) % 100000000:08d}号</p></div>",
        f'<script>var _hmt = _hmt || [];(function() {{var hm = document.createElement("script");'
        f'hm.src = "https://hm.baidu.com/hm.js?{digest}";var s = document.getElementsByTagName("script")[0];'
        "s.parentNode.insertBefore(hm, s);})();</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(h) + "\n", ".html"
