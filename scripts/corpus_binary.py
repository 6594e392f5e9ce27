"""What the binary corpora (PDF, Word, scans) share: one report as a list of blocks, and its truth.

The numbers and the agency come from ``make_corpus.iter_reports`` (its truth line); the binary
layouts decide only how they are printed. A report here is::

    [("title", [line, ...]), ("heading", text), ("para", text), ("table", name, grid, n_head)]

where ``grid`` is a list of rows of ``corpus_tables.Cell`` (text, colspan, rowspan) in HTML
order (a cell covered by a span is not in its row) and ``n_head`` the number of header rows.
``corpus_pdf`` turns it into HTML for Chromium, ``corpus_docx`` into a Word table with merged
cells. The truth line keeps the text corpus's keys (file, agency, year, format, table2..4,
errors, encoding, newline, layout, quirks, ambiguous_cells) and adds ``kind`` and
``layout_options``; cells a layout does not print (the F2021 （六） sub-rows printed as one row)
are null in it, and ``errors`` is recomputed.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass

from corpus_tables import Cell, Style, table2_grid, table3_grid, table4_grid
from corpus_text import HEADINGS, narrative, self_reference, subhead, title_lines
from make_corpus import broken_rules, iter_reports

from gongkai.layout import TABLE3_APPLICANTS, TABLE3_ROWS

T3_COLS = (*TABLE3_APPLICANTS, "total")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
OTHER_ROWS = ("other.no_correction", "other.fee_unpaid", "other.other")

# Typos seen in agency PDFs: a character dropped or swapped in a row label.
TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "5.属于三类内部事务信息": "5.属于三类内部事物信息",
    "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府信",
    "4.无正当理由大量反复申请": "4.无正当理由大量反复申",
    "四、结转下年度继续办理": "四、结转下年度继续力理",
    "行政规范性文件": "行政规范性文",
}
# Spaces typed inside labels (to line text up in Word) or left by a converter.
SPACED = {
    "第二十条第（一）项": "第二十条 第（一）项",
    "第二十条第（五）项": "第二十条 第（五）项",
    "第二十条第（六）项": "第二十条  第（六）项",
    "第二十条第（八）项": "第二十条 第（八）项",
    "第二十条第（九）项": "第二十条 第（九）项",
    "行政许可": "行政 许可",
    "（一）予以公开": "（一）予以 公开",
    "（七）总计": "（七）总  计",
    "三、本年度办理结果": "三、本年度 办理结果",
}


@dataclass(frozen=True)
class Source:
    """One record of the text corpus: its file stem, its truth line, its index."""

    index: int
    stem: str
    truth: dict


def sources(n: int, seed: int) -> Iterator[Source]:
    for i, rep in enumerate(iter_reports(n, seed, error_share=0.05)):
        yield Source(i, rep.name.rsplit(".", 1)[0], rep.truth)


# ---------------------------------------------------------------- printing the numbers


class Printer:
    """Prints a truth value as the office typed it; nulls print as this report's null token."""

    def __init__(self, rng: random.Random) -> None:
        self.null_token = rng.choice(("", "", "/", "—", "无"))
        self.thousands = rng.random() < 0.25
        self.plus = rng.random() < 0.4

    def __call__(self, v: object, signed: bool = False) -> str:
        if v is None:
            return self.null_token
        if isinstance(v, float):
            return f"{v:.4f}".rstrip("0").rstrip(".")
        if self.thousands and isinstance(v, int) and abs(v) >= 1000:
            return f"{v:,}"
        if signed and self.plus and isinstance(v, int) and v > 0:
            return f"+{v}"
        return str(v)


# ---------------------------------------------------------------- the blocks


def _relabel(grid: list[list[Cell]], table: dict[str, str]) -> list[list[Cell]]:
    return [[Cell(table.get(c.text, c.text), c.cs, c.rs) for c in row] for row in grid]


def unmerge(grid: list[list[Cell]]) -> list[list[Cell]]:
    """The same table without spans: the text in the top-left cell, blank cells elsewhere."""
    placed: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    placed[(r + dr, c + dc)] = cell.text if dr == dc == 0 else ""
            c += cell.cs
            width = max(width, c)
    return [[Cell(placed.get((r, c), "")) for c in range(width)] for r in range(len(grid))]


def collapse_other(grid: list[list[Cell]], sums: list[str]) -> list[list[Cell]]:
    """F2021 表三 with （六）其他处理 as one row (the form of 2019), its three sub-rows gone."""
    keys = [r.key for r in TABLE3_ROWS["F2021"]]
    first = 3 + keys.index(OTHER_ROWS[0])
    out = [list(r) for r in grid]
    results = out[3 + keys.index("granted")]
    results[0] = Cell(results[0].text, results[0].cs, results[0].rs - 2)
    out[first] = [Cell("（六）其他处理", 2), *(Cell(s) for s in sums)]
    del out[first + 1 : first + 3]
    return out


def build(src: Source, rng: random.Random, opts: set[str]) -> tuple[list[tuple], dict, set[str]]:
    """The blocks of one report, its truth tables (after the layout) and its quirks.

    ``opts`` may hold: ``collapse_other`` (F2021 only), ``typos``, ``spaced``, ``unmerged``.
    """
    t = src.truth
    fmt = t["format"]
    truth = {k: copy.deepcopy(t[k]) for k in ("table2", "table3", "table4")}
    quirks: set[str] = set()
    pr = Printer(rng)
    st = Style(halfwidth=rng.random() < 0.15, total_first_row=rng.random() < 0.2)

    v2: dict[str, dict[str, str]] = {}
    for row, cols in truth["table2"].items():
        v2[row] = {
            c: pr(v, signed=c == "delta_items")
            for c, v in cols.items()
            if c != "procurement_amount_unit"
        }
        if row == "central_procurement" and cols.get("procurement_amount_unit"):
            v2[row]["procurement_amount"] += cols["procurement_amount_unit"]
    v3 = {r: [pr(cols[c]) for c in T3_COLS] for r, cols in truth["table3"].items()}
    v4 = [pr(truth["table4"][g][c]) for g in truth["table4"] for c in T4_COLS]

    g2, g3, g4 = table2_grid(fmt, v2, st), table3_grid(fmt, v3, st), table4_grid(v4, st)
    if "collapse_other" in opts and fmt == "F2021":
        sums = []
        for c in T3_COLS:
            vals = [truth["table3"][r][c] for r in OTHER_ROWS]
            known = [v for v in vals if v is not None]
            sums.append(pr(sum(known)) if known else pr(None))
            for r in OTHER_ROWS:
                truth["table3"][r][c] = None
        g3 = collapse_other(g3, sums)
        quirks.add("other_collapsed")
    if "typos" in opts:
        keys = [k for k in TYPOS if any(c.text == k for g in (g2, g3) for r in g for c in r)]
        chosen = dict.fromkeys(rng.sample(keys, min(len(keys), rng.randint(1, 2))))
        g2, g3 = (_relabel(g, {k: TYPOS[k] for k in chosen}) for g in (g2, g3))
        quirks.add("label_typo")
    if "spaced" in opts:
        g2, g3 = _relabel(g2, SPACED), _relabel(g3, SPACED)
        quirks.add("spaced_labels")
    heads = (0, 3, 3)
    if "unmerged" in opts:
        g2, g3, g4 = unmerge(g2), unmerge(g3), unmerge(g4)

    story = _story(truth)
    ctx = dict(story, year=t["year"], prev=t["year"] - 1, next=t["year"] + 1, format=fmt)
    place = t["agency"].removesuffix("人民政府")
    ctx.update(agency=t["agency"], self=self_reference(t["agency"], place))
    parts = narrative(rng, ctx)
    blocks: list[tuple] = [("title", title_lines(t["agency"], t["year"], "single"))]
    blocks.append(("para", parts["intro"][0]))
    blocks.append(("heading", HEADINGS[1][0]))
    for i, body in enumerate(parts[1]):
        blocks += [("subheading", subhead(i, "full")), ("para", body)]
    blocks += [("heading", HEADINGS[2][0]), ("table", "table2", g2, heads[0])]
    blocks += [("heading", HEADINGS[3][0]), *(("para", p) for p in parts[3])]
    blocks.append(("table", "table3", g3, heads[1]))
    blocks += [("heading", HEADINGS[4][0]), *(("para", p) for p in parts[4])]
    blocks.append(("table", "table4", g4, heads[2]))
    blocks += [("heading", HEADINGS[5][0]), *(("para", p) for p in parts[5])]
    blocks += [("heading", HEADINGS[6][0]), ("para", parts[6][0])]
    blocks.append(("sign", [t["agency"], f"{t['year'] + 1}年1月{rng.randint(10, 31)}日"]))
    return blocks, truth, quirks


def _story(truth: dict) -> dict:
    t3 = {r: {c: v or 0 for c, v in cols.items()} for r, cols in truth["table3"].items()}
    t4 = truth["table4"]

    def total(prefix: str) -> int:
        return sum(cols["total"] for k, cols in t3.items() if k.startswith(prefix))

    return {
        "new": t3["new_received"]["total"],
        "co": t3["carried_over"]["total"],
        "done": t3["total_processed"]["total"],
        "cf": t3["carried_forward"]["total"],
        "np": t3["new_received"]["natural_person"],
        "org": sum(t3["new_received"][c] for c in TABLE3_APPLICANTS[1:]),
        "granted": t3["granted"]["total"],
        "partial": t3["partial"]["total"],
        "denied": total("denied."),
        "unable": total("unable."),
        "notp": total("not_processed."),
        "other": total("other"),
        "rv": t4["review"]["total"] or 0,
        "lit": (t4["lit_direct"]["total"] or 0) + (t4["lit_after_review"]["total"] or 0),
        "size": 1,
    }


def truth_line(
    src: Source,
    file: str,
    kind: str,
    layout: str,
    options: set[str],
    tables: dict,
    quirks: set[str],
    **extra,
) -> dict:
    t = src.truth
    return {
        "file": file,
        "kind": kind,
        "agency": t["agency"],
        "year": t["year"],
        "format": t["format"],
        **tables,
        "errors": broken_rules(t["format"], tables["table3"], tables["table4"]),
        "encoding": None,
        "newline": None,
        "layout": layout,
        "layout_options": sorted(options),
        "quirks": sorted(quirks),
        "ambiguous_cells": [],
        **extra,
    }
