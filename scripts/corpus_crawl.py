"""One synthetic report as an archive of government web pages saves it: crawled text.

Part of ``make_corpus`` (layout ``crawl``). The archive writes a header of ``key: value``
lines (标题, 发布时间, 文号, 发布机构, 栏目, 原文链接) and a separator, then the page's text:

* usually the whole page on ONE line, sometimes on a few long lines (a paragraph break the
  crawler kept);
* the site's chrome in front: breadcrumbs (当前位置：首页 > …), the title, 发布时间/来源,
  字号：大 中 小, 微信 微博 打印 关闭; and at the end 【打印本页】【关闭窗口】…;
* headings run into the text (一、总体情况2021年，…);
* tables flattened from the page's HTML: every cell's text in order with no separator, so
  headers fuse into one string and the digits of adjacent cells touch (规章000,
  一、本年新收政府信息公开申请数量640020470, 表四 as one run of 15 cells). A blank cell
  prints a null token (“/”, “—”): a crawl that dropped it would leave a run no one can
  split. Some pages put stray spaces (``&nbsp;`` in a cell) at some cell boundaries:
  ``（七）总计23 0 00 0 023``; a few come from a crawler that puts a space between every
  two cells (``spaced_cells``: ``规章 0 0 0``), where a blank cell prints nothing.

The truth's ``ambiguous_cells`` are the cells of rows whose printed characters (whitespace
ignored) can be read as the row's cells in more than one way that satisfies the row's own
arithmetic (表三 T3-C, 表四 T4-A/B/C; 表二 has none); on a ``spaced_cells`` page, the
cells of rows with a blank cell (left out, so that the others cannot be placed).
"""

from __future__ import annotations

import hashlib
import random
import re

from corpus_render import split_count
from corpus_tables import Cell, Style, table2_grid, table3_grid, table4_grid
from corpus_text import subhead

from gongkai.layout import TABLE2, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS

T3_COLUMNS = tuple(c.key for c in TABLE3_COLUMNS)
T4_COLUMNS = tuple(c.key for c in TABLE4_COLUMNS)
T4_GROUPS = tuple(g.key for g in TABLE4_GROUPS)

T3_WIDTH = 7
T4_GROUP = 5
_SEPARATORS = ("==== 正文 ====", "==== 正文 ====", "=" * 20, "-" * 30, "------ 正文 ------")
_COLUMNS = ("政府信息公开年报", "政府信息公开工作年度报告", "年度报告", "政务公开")
_NULL_CELL = re.compile(r"(?:/|／|—|无|-)")
# a printed cell: a count, a signed count, a decimal, with a unit; or a null token
_CELL = re.compile(r"[+\-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:元|万元)?|/|／|—|无|-")


def crawl_page(
    rng: random.Random,
    ag,
    year: int,
    fmt: str,
    st: Style,
    v2: dict[str, dict[str, str]],
    v3: dict[str, list[str]],
    v4: list[str],
    parts: dict,
    heads: dict[int, str],
    sub_style: str,
    sub_inline: bool,
) -> tuple[str, str, set[str], set[str]]:
    """→ (text, extension, quirks, ambiguous cells)."""
    quirks = {"crawl_header", "heading_run_in", "fused_headers"}
    blank = rng.choice(("/", "—"))
    stray = rng.random() < 0.5  # &nbsp; in some cells: stray spaces at some cell boundaries
    # a crawler that puts a space between every two cells: a blank cell prints nothing
    spaced = rng.random() < 0.1
    if spaced:
        quirks.add("spaced_cells")
        blank, stray = "", False
    elif stray:
        quirks.add("stray_spaces")
    title = f"{ag.name}{year}年政府信息公开工作年度报告"
    date = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    clock = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    source = ag.name if rng.random() < 0.7 else ag.place.name + "人民政府办公室"

    # -- the archive's header
    colon = rng.choice((": ", "：", ": "))
    serial = rng.randint(1, 40)
    number = f"{ag.place.name[:2]}政办〔{year + 1}〕{serial}号" if rng.random() < 0.2 else ""
    digest = hashlib.md5(f"{ag.name}{year}".encode()).hexdigest()
    link_key = "原文链接" if rng.random() < 0.9 else "原文地址"
    url = (
        f"https://www.{ag.place.code}.gov.cn/zwgk/ndbg/{date[:4]}{date[5:7]}/"
        f"t{date.replace('-', '')}_{int(digest[:6], 16) % 1000000}.html"
    )
    header = [
        ("标题", title),
        ("发布时间", f"{date} {clock}"),
        ("文号", number),
        ("发布机构", source),
        ("栏目", rng.choice(_COLUMNS)),
        (link_key, url),
    ]
    if rng.random() < 0.3:
        first, rest = header[0], header[1:]
        rng.shuffle(rest)
        header = [first, *rest]
    lines = [f"{k}{colon}{v}".rstrip() for k, v in header]
    separator = rng.choice(_SEPARATORS)
    lines.append(separator)
    if rng.random() < 0.3:
        lines.append("")

    # -- the page: chrome, title, the report's parts, the tables flattened
    segments: list[str] = []  # pieces of the body; the crawl may break lines between them
    chrome = []
    if rng.random() < 0.85:
        quirks.add("breadcrumb")
        crumb = rng.choice(("当前位置：", "当前位置： ", "您的位置：", "您现在的位置："))
        chrome.append(crumb + rng.choice(("首页 > 政务公开 > ", "首页>信息公开>", "首页 > ")))
        chrome.append(rng.choice(_COLUMNS))
    if rng.random() < 0.8:
        chrome.append(title)
    chrome.append(rng.choice((f"发布时间：{date} {clock}", f"发布日期：{date}")))
    if rng.random() < 0.7:
        chrome.append(f"来源：{source}")
    if rng.random() < 0.4:
        chrome.append(f"浏览次数：{rng.randint(10, 3000)}")
    chrome.append(rng.choice(("字号：大 中 小", "【字体：大 中 小】", "字号：大 中 小 微信 微博")))
    if rng.random() < 0.7:
        chrome.append(rng.choice(("微信 微博 打印 关闭", "分享到： 微信 微博", "打印 关闭")))
    segments.append(" ".join(chrome) + " ")
    run_in = rng.random() < 0.6  # the article's title run into its first sentence
    if run_in:
        quirks.add("title_run_in")
    intro = parts["intro"][0] if rng.random() < 0.8 else ""
    segments.append(title + ("" if run_in and intro else " ") + intro)
    body1 = []
    for i, text in enumerate(parts[1]):
        body1.append(subhead(i, sub_style) + ("。" if sub_inline else "") + text)
    segments.append(heads[1] + "".join(body1))
    segments.append(heads[2] + _flat(table2_grid(fmt, v2, st), blank, stray, rng, spaced))
    segments.append(
        heads[3] + "".join(parts[3]) + _flat(table3_grid(fmt, v3, st), blank, stray, rng, spaced)
    )
    segments.append(
        heads[4] + "".join(parts[4]) + _flat(table4_grid(v4, st), blank, stray, rng, spaced)
    )
    segments.append(heads[5] + "".join(parts[5]))
    tail = heads[6] + parts[6][0]
    if rng.random() < 0.4:
        tail += f"{ag.name} {year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"
    if rng.random() < 0.6:
        quirks.add("footer_chrome")
        tail += rng.choice(
            (" 【打印本页】 【关闭窗口】", " 扫一扫在手机打开当前页", " 【打印本页】【关闭窗口】")
        )
    segments.append(tail)
    if rng.random() < 0.15:  # the crawler kept a few paragraph breaks
        quirks.add("several_lines")
        breaks = set(rng.sample(range(1, len(segments)), rng.randint(1, 3)))
        body, current = [], ""
        for i, seg in enumerate(segments):
            if i in breaks:
                body.append(current.rstrip())
                current = ""
            current += seg
        body.append(current.rstrip())
    else:
        quirks.add("one_line")
        body = ["".join(segments).rstrip()]
    text = "\n".join(lines + body) + ("\n" if rng.random() < 0.8 else "")
    return text, ".txt", quirks, _ambiguous(fmt, v2, v3, v4, blank, spaced)


def _flat(
    grid: list[list[Cell]], blank: str, stray: bool, rng: random.Random, spaced: bool = False
) -> str:
    """The table as a crawler reads it: every cell's text in order, nothing between cells;
    a blank value prints ``blank``; stray spaces at some boundaries between values. With
    ``spaced``, a space between every two cells (a blank cell prints nothing)."""
    if spaced:
        return " ".join(c.text for row in grid for c in row if c.text) + " "
    out: list[str] = []
    previous_value = False
    for row in grid:
        for cell in row:
            value = _is_value(cell.text)
            text = cell.text if cell.text else blank
            if stray and previous_value and value and rng.random() < 0.2:
                out.append(rng.choice((" ", " ", "\u00a0", "\u3000")))
            elif stray and value and not previous_value and rng.random() < 0.1:
                out.append(" ")  # between a label and its first value
            out.append(text)
            previous_value = value
    return "".join(out)


def _is_value(text: str) -> bool:
    return text == "" or bool(_CELL.fullmatch(_normal(text)))


def _normal(text: str) -> str:
    return text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(",", "")


# ---------------------------------------------------------------- ambiguity


def _ambiguous(
    fmt: str, v2: dict, v3: dict, v4: list[str], blank: str, spaced: bool = False
) -> set[str]:
    if spaced:  # the cells are apart; a row with a blank cell left out cannot be placed
        return _unplaced(fmt, v2, v3, v4)
    out: set[str] = set()
    for block in TABLE2[fmt]:
        cols = [c.key for c in block.columns if c.kind != "unit"]
        for row in block.rows:
            printed = [v2[row.key][c] or blank for c in cols]
            if _readings(printed, None) > 1:
                out |= {f"table2.{row.key}.{c}" for c in cols}
    for key, printed in v3.items():
        if _readings([p or blank for p in printed], _t3_holds) > 1:
            out |= {f"table3.{key}.{c}" for c in T3_COLUMNS}
    if _readings([p or blank for p in v4], _t4_holds) > 1:
        out |= {f"table4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS}
    return out


def _unplaced(fmt: str, v2: dict, v3: dict, v4: list[str]) -> set[str]:
    out: set[str] = set()
    for block in TABLE2[fmt]:
        cols = [c.key for c in block.columns if c.kind != "unit"]
        for row in block.rows:
            if "" in [v2[row.key][c] for c in cols]:
                out |= {f"table2.{row.key}.{c}" for c in cols}
    for key, printed in v3.items():
        if "" in printed:
            out |= {f"table3.{key}.{c}" for c in T3_COLUMNS}
    if "" in v4:
        out |= {f"table4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS}
    return out


def _t3_holds(cells: tuple[str, ...]) -> bool:
    numbers = [_int(c) for c in cells]
    if any(n is None for n in numbers):
        return True  # a blank cell: the row's sum says nothing
    return numbers[-1] == sum(numbers[:-1])  # type: ignore[operator]


def _t4_holds(cells: tuple[str, ...]) -> bool:
    return all(_t3_holds(cells[g : g + T4_GROUP]) for g in range(0, len(cells), T4_GROUP))


def _int(cell: str) -> int | None:
    return int(cell) if re.fullmatch(r"0|[1-9]\d*", cell) else None


def _readings(printed: list[str], check, cap: int = 2) -> int:
    """Ways (up to ``cap``) to read the row's printed characters as its cells."""
    printed = [_normal(p) for p in printed]
    run = "".join(printed)
    width = len(printed)
    if run.isdigit():  # the common case, counted fast
        if check is _t3_holds:
            return split_count(run, width, row_sum=True, cap=cap)
        if check is None:
            return split_count(run, width, row_sum=False, cap=cap)
        return _t4_count(run, cap)
    found = 0

    def walk(rest: str, acc: tuple[str, ...]) -> None:
        nonlocal found
        if found >= cap:
            return
        if len(acc) == width:
            if not rest and (check is None or check(acc)):
                found += 1
            return
        for end in range(1, len(rest) + 1):
            piece = rest[:end]
            if _CELL.fullmatch(piece):
                walk(rest[end:], (*acc, piece))

    walk(run, ())
    return found


def _t4_count(run: str, cap: int) -> int:
    """Splits of 表四's run into three groups of five that each add up (T4-A/B/C)."""
    found = 0
    n = len(run)
    for a in range(T4_GROUP, n - 2 * T4_GROUP + 1):
        first = split_count(run[:a], T4_GROUP, row_sum=True, cap=cap)
        if not first:
            continue
        for b in range(a + T4_GROUP, n - T4_GROUP + 1):
            second = split_count(run[a:b], T4_GROUP, row_sum=True, cap=cap)
            if second:
                found += first * second * split_count(run[b:], T4_GROUP, row_sum=True, cap=cap)
            if found >= cap:
                return cap
    return min(found, cap)
