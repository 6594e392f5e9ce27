"""The three tables of a synthetic report, as text rows or as HTML.

Labels come from ``gongkai.layout``; only the header texts the layout does not carry
(the 表三 note, 申请人情况, 三、本年度办理结果, the 表四 headers) are typed here.
Text tables are lists of cell lists; the quirks reproduce the seeds:

* ``compact`` 表三 rows (seeds 001/002): a label spanning 3 columns gives 2 cells, one
  spanning 2 gives 1, so rows with three label cells carry one cell more;
* PDF damage (seeds 000/003/004): lost or split labels, spaces inside labels, rows
  shifted left, extra padding cells, wrapped long labels, blank lines inside the table.

Part of ``make_corpus``.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from gongkai.layout import TABLE2, TABLE3_COLUMNS, TABLE3_GROUPS, TABLE3_ROWS, TABLE4_COLUMNS

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORG = "法人或其他组织"
T3_RESULTS = "三、本年度办理结果"
T4_REVIEW = "行政复议"
T4_LITIGATION = "行政诉讼"
T4_SUBGROUPS = ("未经复议直接起诉", "复议后起诉")


@dataclass(frozen=True)
class Cell:
    text: str
    cs: int = 1
    rs: int = 1


@dataclass
class Style:
    """How one report writes its tables (chosen once per report)."""

    halfwidth: bool = False  # (一) instead of （一）
    dot_space: bool = False  # "1. 属于国家秘密"
    comma_variant: bool = False  # "，" instead of "、" in the （六） sub-items
    straight_quotes: bool = False  # 危及"三安全一稳定"
    other_label: str = "其他"
    partial_short: bool = False  # "（二）部分公开" without the parenthetical note
    total_first_row: bool = False  # 总计 header in the first header row (seed 002)
    t3_mode: str = "exact"  # exact | compact
    shift_tail: bool = False  # compact: the last result rows start at column 0 (seed 002)
    t4_spaced: bool = False  # "结果 维持" (seed 001)
    pdf: bool = False
    lost: frozenset = frozenset()  # 表三 row keys whose labels were lost
    # 表三 row keys (consecutive) whose labels come first on lines of their own, then their
    # numbers on lines without a label (PDF-to-Markdown converters)
    detached: tuple = ()
    shifted: frozenset = frozenset()  # 表三 row keys printed without their leading blanks
    extra_pad: int = 0  # blank cells between the labels and the numbers (seed 003)
    spaced: bool = False  # spaces inside labels ("商业 企业", "本 年 度 办 理 结 果")
    split_results: bool = False  # "三、本" / "年度办理结果" over two rows (seed 004)
    wrap_long: bool = False  # the long （六） labels wrapped onto a line of their own
    blank_after: frozenset = frozenset()  # 表三 row keys followed by an empty line
    header_split: bool = False  # 表二 column headers broken over two lines
    html_br: bool = False
    html_nbsp: bool = False
    html_p: bool = False  # cells wrapped in <p><span> as Word-made pages do


def label(text: str, st: Style, rng: random.Random | None = None) -> str:
    if st.halfwidth:
        text = text.replace("（", "(").replace("）", ")")
        if rng is None or rng.random() < 0.7:
            text = text.replace(")", ") ", 1) if text.startswith("(") else text
    if st.dot_space and len(text) > 2 and text[0].isdigit() and text[1] == ".":
        text = text[:2] + " " + text[2:]
    if st.comma_variant:
        text = text.replace("逾期不补正、", "逾期不补正，").replace("缴纳费用、", "缴纳费用，")
    if st.straight_quotes:
        text = text.replace("“", '"').replace("”", '"')
    return text


def _spaced(text: str, rng: random.Random) -> str:
    """PDF text with spaces inside a label: every character apart, or one break."""
    if len(text) < 4:
        return text
    if len(text) <= 10 and rng.random() < 0.3:
        return " ".join(text)
    cut = rng.randint(1, len(text) - 1)
    return text[:cut] + " " + text[cut:]


# ---------------------------------------------------------------- 表二


def table2_grid(fmt: str, vals: dict[str, dict[str, str]], st: Style) -> list[list[Cell]]:
    """表二 as one 4-column table of stacked blocks, with the spans of content/format.md §3."""
    rows: list[list[Cell]] = []
    for block in TABLE2[fmt]:
        cols = [c for c in block.columns if c.kind != "unit"]
        rows.append([Cell(label(block.header, st), cs=4)])
        head = [Cell("信息内容")] + [Cell(c.label) for c in cols]
        if len(cols) < 3:
            head[-1] = Cell(head[-1].text, cs=4 - len(cols))
        rows.append(head)
        for row in block.rows:
            cells = [Cell(row.label)] + [Cell(vals[row.key][c.key]) for c in cols]
            if len(cols) < 3:
                cells[-1] = Cell(cells[-1].text, cs=4 - len(cols))
            rows.append(cells)
    return rows


def table2_text(
    fmt: str,
    vals: dict[str, dict[str, str]],
    st: Style,
    joined: dict[str, str],
    rng: random.Random,
) -> list[list[str]]:
    """表二 flattened; ``joined`` rows print label and numbers in one cell ("规章000")."""
    out: list[list[str]] = []
    for block in TABLE2[fmt]:
        cols = [c for c in block.columns if c.kind != "unit"]
        header = label(block.header, st)
        out.append(
            [_spaced(header, rng) if st.spaced and rng.random() < 0.3 else header, "", "", ""]
        )
        heads = [c.label for c in cols]
        if st.header_split and len(cols) == 3:
            out.append(["信息内容"] + [h[:4] for h in heads])
            out.append([""] + [h[4:] for h in heads])
        else:
            out.append(["信息内容", *heads] + [""] * (3 - len(cols)))
        for row in block.rows:
            if row.key in joined:
                out.append([row.label + joined[row.key], "", "", ""])
                continue
            cells = [vals[row.key][c.key] for c in cols]
            out.append([row.label, *cells] + [""] * (3 - len(cols)))
    return out


# ---------------------------------------------------------------- 表三


def _t3_col_labels(st: Style) -> list[str]:
    labels = [c.label for c in TABLE3_COLUMNS]
    labels[5] = st.other_label
    return labels


def _t3_row_labels(fmt: str, st: Style) -> list[tuple[str, list[tuple[int, str, int, int]]]]:
    """Per data row: the label cells that start on it, as (column, text, colspan, rowspan)."""
    rows = TABLE3_ROWS[fmt]
    n_results = len(rows) - 3  # 三 spans （一） to （七）总计: 22 rows (F2021), 20 (F2019)
    out: list[tuple[str, list[tuple[int, str, int, int]]]] = []
    seen_groups: set[str] = set()
    for i, row in enumerate(rows):
        key = row.key
        text = label(row.label, st)
        if key == "partial" and st.partial_short:
            text = label("（二）部分公开", st)
        group = key.split(".")[0] if "." in key else None
        if key in ("new_received", "carried_over", "carried_forward"):
            cells = [(0, text, 3, 1)]
        elif group in TABLE3_GROUPS:
            cells = []
            if group not in seen_groups:
                seen_groups.add(group)
                size = sum(1 for r in rows if r.key.startswith(group + "."))
                cells.append((1, label(TABLE3_GROUPS[group], st), 1, size))
            cells.append((2, text, 1, 1))
        else:
            cells = [(1, text, 2, 1)]
        if i == 2:
            cells.insert(0, (0, label(T3_RESULTS, st), 1, n_results))
        out.append((key, cells))
    return out


def table3_grid(fmt: str, vals: dict[str, list[str]], st: Style) -> list[list[Cell]]:
    cols = _t3_col_labels(st)
    rows: list[list[Cell]] = []
    if st.total_first_row:
        rows.append([Cell(T3_NOTE, 3, 3), Cell(T3_APPLICANTS, 6), Cell(cols[6], 1, 3)])
        rows.append([Cell(cols[0], 1, 2), Cell(T3_ORG, 5)])
    else:
        rows.append([Cell(T3_NOTE, 3, 3), Cell(T3_APPLICANTS, 7)])
        rows.append([Cell(cols[0], 1, 2), Cell(T3_ORG, 5), Cell(cols[6], 1, 2)])
    rows.append([Cell(c) for c in cols[1:6]])
    for key, labels in _t3_row_labels(fmt, st):
        cells = [Cell(t, cs, rs) for _, t, cs, rs in labels]
        rows.append(cells + [Cell(v) for v in vals[key]])
    return rows


def table3_text(
    fmt: str,
    vals: dict[str, list[str]],
    st: Style,
    joined: set[str],
    rng: random.Random,
) -> list[list[str]]:
    """表三 flattened. A row in ``joined`` prints its seven numbers as one run of digits."""
    cols = _t3_col_labels(st)
    if st.spaced:
        cols = [_spaced(c, rng) if len(c) > 3 and rng.random() < 0.6 else c for c in cols]
    note = T3_NOTE.replace("（", "(").replace("）", ")") if st.halfwidth else T3_NOTE
    compact = st.t3_mode == "compact"
    lead = ["", ""] if compact else ["", "", ""]
    if st.total_first_row:
        head = [[note, *lead[1:], T3_APPLICANTS] + [""] * 5 + [cols[6]]]
        head.append([*lead, cols[0], T3_ORG] + [""] * 5)
    else:
        head = [[note, *lead[1:], T3_APPLICANTS] + [""] * 6]
        head.append([*lead, cols[0], T3_ORG] + [""] * 4 + [cols[6]])
    head.append([*lead, "", *cols[1:6], ""])
    width = 10
    out: list[list[str]] = [h + [""] * (width - len(h)) for h in head]
    labels = _t3_row_labels(fmt, st)
    tail = {r.key for r in TABLE3_ROWS[fmt][-4:-1]} if compact and st.shift_tail else set()
    held: list[tuple[list[str], list[str]]] = []
    for idx, (key, cells) in enumerate(labels):
        texts = {col: t for col, t, _, _ in cells}
        spans = {col: cs for col, _, cs, _ in cells}
        if st.spaced:
            texts = {c: _spaced(t, rng) if rng.random() < 0.25 else t for c, t in texts.items()}
        if st.split_results and key == "granted":
            texts[0] = texts[0][:3]
        if st.split_results and idx == 3:
            texts[0] = label(T3_RESULTS, st)[3:]
        if key in st.lost:
            texts = {c: "" for c in texts}
        if compact:
            first = min(spans) if spans else 2
            if first == 0 and spans.get(0) == 3:
                lab = [texts[0], ""]
            elif first <= 1 and 2 not in spans:
                lab = [texts.get(0, ""), texts.get(1, "")]
            else:
                lab = [texts.get(0, ""), texts.get(1, ""), texts.get(2, "")]
        else:
            lab = [texts.get(0, ""), texts.get(1, ""), texts.get(2, "")]
        if key in tail:
            lab = [t for t in lab if t][:1] + ([""] if rng.random() < 0.5 else [])
        if key in st.shifted:
            while lab and lab[0] == "":
                lab.pop(0)
        if st.wrap_long and lab and len(lab[-1]) > 24 and key not in st.detached:
            cut = len(lab[-1]) // 2
            out.append([*lab[:-1], lab[-1][:cut]])
            lab = ["" for _ in lab[:-1]] + [lab[-1][cut:]]
        nums = ["".join(vals[key])] if key in joined else list(vals[key])
        if key in st.detached:
            held.append((lab, nums))
            if key == st.detached[-1]:  # the labels, then the numbers, in the same order
                out.extend(lab + [""] * (width - len(lab)) for lab, _ in held)
                for lab, nums in held:
                    row = [""] * len(lab) + [""] * st.extra_pad + nums
                    out.append(row + [""] * (width - len(row)))
            continue
        row = lab + [""] * st.extra_pad + nums
        out.append(row + [""] * (width - len(row)))
        if key in st.blank_after:
            out.append([])
    return out


# ---------------------------------------------------------------- 表四


def _t4_labels(st: Style) -> list[str]:
    labels = [c.label for c in TABLE4_COLUMNS]
    if st.t4_spaced:
        labels = [t[:2] + " " + t[2:] if len(t) == 4 else t for t in labels]
    return labels


def table4_grid(vals: list[str], st: Style) -> list[list[Cell]]:
    labels = _t4_labels(st)
    rows = [[Cell(T4_REVIEW, 5), Cell(T4_LITIGATION, 10)]]
    rows.append([Cell(t, 1, 2) for t in labels] + [Cell(g, 5) for g in T4_SUBGROUPS])
    rows.append([Cell(t) for t in labels * 2])
    rows.append([Cell(v) for v in vals])
    return rows


def table4_text(vals: list[str], st: Style) -> list[list[str]]:
    labels = _t4_labels(st)
    return [
        [T4_REVIEW, "", "", "", "", T4_LITIGATION] + [""] * 9,
        [*labels, T4_SUBGROUPS[0], "", "", "", "", T4_SUBGROUPS[1], "", "", "", ""],
        [""] * 5 + labels * 2,
        list(vals),
    ]


# ---------------------------------------------------------------- rendering


def rows_to_tab(rows: list[list[str]]) -> list[str]:
    return ["\t".join(r) for r in rows]


def rows_to_pipe(rows: list[list[str]]) -> list[str]:
    """Pipe Markdown as seed 001 writes it: a rule row after the first row."""
    lines = []
    for i, r in enumerate(rows):
        if not r:
            continue
        lines.append("|" + "|".join(f" {c} " if c else " " for c in r) + "|")
        if i == 0:
            lines.append("|" + "|".join("-" * max(2, min(12, len(c) * 2)) for c in r) + "|")
    return lines


def _html_text(text: str, st: Style, rng: random.Random) -> str:
    out = html.escape(text, quote=False)
    if st.html_br and 4 <= len(text) <= 8 and not text[0].isdigit() and rng.random() < 0.5:
        cut = len(text) // 2
        out = html.escape(text[:cut], quote=False) + "<br>" + html.escape(text[cut:], quote=False)
    if st.html_nbsp and text and rng.random() < 0.3:
        out = "&nbsp;" + out
    if text == "":
        out = "&nbsp;" if st.html_nbsp else ""
    if st.html_p:
        out = f'<p style="text-align:center"><span style="font-size:14px">{out}</span></p>'
    return out


def grid_to_html(rows: list[list[Cell]], st: Style, rng: random.Random) -> str:
    parts = ['<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>']
    for r in rows:
        parts.append("<tr>")
        for c in r:
            attrs = (f' colspan="{c.cs}"' if c.cs > 1 else "") + (
                f' rowspan="{c.rs}"' if c.rs > 1 else ""
            )
            parts.append(f"<td{attrs}>{_html_text(c.text, st, rng)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)
