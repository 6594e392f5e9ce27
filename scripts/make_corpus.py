"""Deterministic synthetic corpus of 政府信息公开工作年度报告, with the true records.

    python scripts/make_corpus.py OUT_DIR -n 1000 --seed 1 [--error-share 0.05] [--crawl-share 0.2]

writes N report files into OUT_DIR and ``truth.jsonl``: one line per file with the
record tables (content/format.md §9) a perfect parser should emit, the rules deliberately broken, the
encoding and the layout. The same seed gives byte-identical output, and the reports
of a smaller N are the first reports of a larger one.

Layouts: ``tab``, ``pipe``, ``pdf``, ``html`` (``corpus_render``) and, for the share of
agencies given by ``--crawl-share`` (0 by default, so the default corpus is unchanged),
``crawl``: the page as an archive of web pages saves it, the whole report on one line
(``corpus_crawl``). ``--crawl-share 1`` makes a corpus of crawled pages only.

Library use (the benchmark and the tests)::

    sys.path.insert(0, "scripts")
    from make_corpus import generate, iter_reports
    reports = generate(50, seed=1)  # [Report(name, data, truth)]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.layout import (
    TABLE3_APPLICANTS,
    TABLE3_RESULT_ROWS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    empty_tables,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_render import choose_style, render, split_count  # noqa: E402,F401
from corpus_tables import Style  # noqa: E402

YEARS = range(2019, 2026)
T3_COLS = (*TABLE3_APPLICANTS, "total")
T4_COLS = tuple(c.key for c in TABLE4_COLUMNS)
T4_RULES = {"review": "T4-A", "lit_direct": "T4-B", "lit_after_review": "T4-C"}
RULES = ("T3-A", "T3-B", "T3-C", "T4-A", "T4-B", "T4-C")

# (name under a province, name under a city or county, applications factor,
#  licensing decisions, penalty decisions, fee 万元, makes 规章)
AGENCY_TYPES: tuple[tuple[str, str, float, float, float, float, int], ...] = (
    ("人民政府", "人民政府", 12.0, 800, 300, 0, 1),
    ("人民政府办公厅", "人民政府办公室", 1.5, 0, 0, 0, 0),
    ("发展和改革委员会", "发展和改革委员会", 1.0, 60, 5, 0, 0),
    ("教育厅", "教育局", 0.8, 150, 3, 20, 0),
    ("科学技术厅", "科学技术局", 0.3, 10, 0, 0, 0),
    ("工业和信息化厅", "工业和信息化局", 0.4, 20, 5, 0, 0),
    ("公安厅", "公安局", 2.0, 6000, 4000, 300, 0),
    ("民政厅", "民政局", 0.8, 80, 2, 0, 0),
    ("司法厅", "司法局", 0.5, 30, 5, 0, 0),
    ("财政厅", "财政局", 0.8, 0, 5, 0, 0),
    ("人力资源和社会保障厅", "人力资源和社会保障局", 1.5, 200, 20, 5, 0),
    ("自然资源厅", "自然资源局", 6.0, 400, 60, 150, 0),
    ("生态环境厅", "生态环境局", 1.5, 60, 40, 0, 0),
    ("住房和城乡建设厅", "住房和城乡建设局", 4.0, 600, 50, 40, 0),
    ("交通运输厅", "交通运输局", 1.0, 2000, 800, 60, 0),
    ("水利厅", "水利局", 0.5, 40, 5, 30, 0),
    ("农业农村厅", "农业农村局", 0.8, 200, 30, 2, 0),
    ("商务厅", "商务局", 0.4, 50, 2, 0, 0),
    ("文化和旅游厅", "文化和旅游局", 0.4, 60, 20, 0, 0),
    ("卫生健康委员会", "卫生健康委员会", 1.0, 900, 80, 10, 0),
    ("退役军人事务厅", "退役军人事务局", 0.4, 0, 0, 0, 0),
    ("应急管理厅", "应急管理局", 0.5, 80, 30, 0, 0),
    ("审计厅", "审计局", 0.3, 0, 3, 0, 0),
    ("市场监督管理局", "市场监督管理局", 2.0, 9000, 600, 5, 0),
    ("统计局", "统计局", 0.2, 0, 2, 0, 0),
    ("医疗保障局", "医疗保障局", 0.6, 0, 10, 0, 0),
    ("林业局", "林业和草原局", 0.4, 100, 15, 0, 0),
    ("信访局", "信访局", 0.5, 0, 0, 0, 0),
)
LEVEL_WEIGHTS = (("province", 5), ("city", 25), ("county", 70))
LEVEL_FACTOR = {"province": 25.0, "city": 7.0, "county": 1.0}
_NO_REPORTS = ("71", "81", "82")  # 台湾, 香港, 澳门


# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    name: str  # as used in the agency name, parent-prefixed where ambiguous
    level: str  # province | city | county
    code: str


_PLACES: dict[str, list[Place]] | None = None


def places() -> dict[str, list[Place]]:
    """Provinces, cities and counties of the 2024 division table (gongkai.parse.region), by code."""
    global _PLACES
    if _PLACES is None:
        from gongkai.parse.region import all_divisions, division

        divs = [d for d in all_divisions() if not d.code.startswith(_NO_REPORTS)]
        seen = Counter(d.name for d in divs if d.level == "county")
        out: dict[str, list[Place]] = {"province": [], "city": [], "county": []}
        for d in divs:
            name = d.name
            if d.level == "county" and seen[name] > 1:  # 朝阳区 → 北京市朝阳区, 长春市朝阳区
                parent = division(d.code[:4] + "00")
                if parent is None:  # a municipality's district, a 省直辖县级市
                    parent = division(d.code[:2] + "0000")
                name = parent.name + name
            out[d.level].append(Place(name, d.level, d.code))
        _PLACES = out
    return _PLACES


# ---------------------------------------------------------------- numbers


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def multinomial(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """Split n into len(weights) counts; exact draws for small n, normal steps for large."""
    k = len(weights)
    if n <= 0:
        return [0] * k
    if n <= 60:
        out = [0] * k
        for i in rng.choices(range(k), weights=weights, k=n):
            out[i] += 1
        return out
    out, left, wleft = [], n, sum(weights)
    for w in weights[:-1]:
        p = w / wleft if wleft > 0 else 0.0
        mean = left * p
        x = round(rng.gauss(mean, math.sqrt(max(mean * (1 - p), 1e-9)))) if p > 0 else 0
        x = min(max(x, 0), left)
        out.append(x)
        left -= x
        wleft -= w
    out.append(left)
    return out


_APPLICANT_W = (0.86, 0.08, 0.005, 0.005, 0.02, 0.03)
_RESULT_W = {
    "granted": 0.42,
    "partial": 0.06,
    "denied.state_secret": 0.002,
    "denied.law_forbidden": 0.005,
    "denied.three_safety_one_stability": 0.003,
    "denied.third_party": 0.012,
    "denied.internal_affairs": 0.015,
    "denied.process_info": 0.02,
    "denied.enforcement_file": 0.008,
    "denied.admin_query": 0.02,
    "unable.not_held": 0.22,
    "unable.needs_creation": 0.03,
    "unable.unclear_after_correction": 0.02,
    "not_processed.petition_complaint": 0.04,
    "not_processed.repeat": 0.03,
    "not_processed.publication": 0.004,
    "not_processed.mass_repeat": 0.008,
    "not_processed.confirm_or_reissue": 0.01,
    "other.no_correction": 0.03,
    "other.fee_unpaid": 0.003,
    "other.other": 0.04,
    "other": 0.073,
}


@dataclass
class Agency:
    index: int
    name: str
    place: Place
    type_index: int
    years: tuple[int, ...]
    apps: float  # median yearly applications
    litigious: float
    layout: str
    encoding: str


class Series:
    """What carries over from one year to the next for one agency."""

    def __init__(self) -> None:
        self.carried: list[int] | None = None  # last year's 结转下年度, per applicant column
        self.valid: dict[str, int] = {}  # 现行有效件数 / 对外公开总数量
        self.items: dict[str, int] = {}  # F2019 上一年项目数量 + 本年增/减


def _table3(rng: random.Random, fmt: str, lam: float, series: Series) -> dict[str, list[int]]:
    rows = [r.key for r in TABLE3_ROWS[fmt]]
    results = TABLE3_RESULT_ROWS[fmt]
    aw = [w * rng.lognormvariate(0, 0.4) for w in _APPLICANT_W]
    rw = [_RESULT_W[k] * rng.lognormvariate(0, 0.6) for k in results]
    new = multinomial(rng, poisson(rng, lam), aw)
    if series.carried is None:
        co = multinomial(rng, poisson(rng, lam * 0.04), aw)
    else:
        co = list(series.carried)
    p_fwd = rng.choice((0.0, 0.0, 0.02, 0.04, 0.08))
    cf = [poisson(rng, (n + c) * p_fwd) if n + c else 0 for n, c in zip(new, co, strict=True)]
    cf = [min(f, n + c) for f, n, c in zip(cf, new, co, strict=True)]
    done = [n + c - f for n, c, f in zip(new, co, cf, strict=True)]
    by_col = [multinomial(rng, d, rw) for d in done]
    table = {k: [0] * 6 for k in rows}
    for c in range(6):
        table["new_received"][c] = new[c]
        table["carried_over"][c] = co[c]
        table["total_processed"][c] = done[c]
        table["carried_forward"][c] = cf[c]
        for i, key in enumerate(results):
            table[key][c] = by_col[c][i]
    series.carried = cf
    return {k: [*v, sum(v)] for k, v in table.items()}


def _table4(rng: random.Random, apps: int, litigious: float) -> dict[str, list[int]]:
    out = {}
    for key, rate in (("review", 0.03), ("lit_direct", 0.012), ("lit_after_review", 0.008)):
        n = poisson(rng, apps * rate * litigious + (0.05 if apps else 0.005))
        parts = multinomial(rng, n, [0.55, 0.12, 0.18, 0.15])
        out[key] = [*parts, n]
    return out


def _scaled(rng: random.Random, base: float, level: str) -> int:
    if base <= 0:
        return 0
    return poisson(rng, base * LEVEL_FACTOR[level] ** 0.8 * rng.lognormvariate(0, 0.9))


def _fee(rng: random.Random, base: float, level: str) -> float | int:
    if base <= 0 or rng.random() < 0.3:
        return 0
    amount = base * LEVEL_FACTOR[level] ** 0.7 * rng.lognormvariate(0, 1.0)
    return round(amount, rng.choice((2, 2, 2, 1, 4)))


def _table2(rng: random.Random, fmt: str, ag: Agency, series: Series) -> dict[str, dict]:
    _, _, _, lic, pen, fee, regs = AGENCY_TYPES[ag.type_index]
    level = ag.place.level
    makes_regs = regs and level in ("province", "city")
    gov = ag.type_index <= 1
    doc_rate = (12 if gov else 1.5) * (LEVEL_FACTOR[level] ** 0.5) * rng.lognormvariate(0, 0.5)
    t = empty_tables(fmt)["table2"]
    if fmt == "F2021":
        for key, rate, start in (
            ("regulations", 3 if makes_regs else 0, 60 if makes_regs else 0),
            ("normative_docs", doc_rate, int(doc_rate * 4)),
        ):
            issued = poisson(rng, rate)
            repealed = min(poisson(rng, rate / 3), series.valid.get(key, start) + issued)
            valid = series.valid.get(key, start + rng.randint(0, start // 2))
            valid = max(0, valid + issued - repealed)
            series.valid[key] = valid
            t[key] = {"issued": issued, "repealed": repealed, "valid": valid}
        t["licensing"]["decisions"] = _scaled(rng, lic, level)
        t["penalty"]["decisions"] = _scaled(rng, pen, level)
        t["coercion"]["decisions"] = _scaled(rng, pen * 0.08, level)
        t["admin_fees"]["fee_amount"] = _fee(rng, fee, level)
        return t
    for key, rate in (("regulations", 3 if makes_regs else 0), ("normative_docs", doc_rate)):
        made = poisson(rng, rate)
        published = made if rng.random() < 0.8 else poisson(rng, rate)
        total = series.valid.get("F2019" + key, poisson(rng, rate * 5)) + published
        series.valid["F2019" + key] = total
        t[key] = {"new_made": made, "new_published": published, "total_published": total}
    for key, item_base, dec_base in (
        ("licensing", lic / 40, lic),
        ("other_services", lic / 100 + 1, lic / 5),
        ("penalty", pen / 2, pen),
        ("coercion", pen / 50, pen * 0.08),
        ("admin_fees", fee / 20, 0),
    ):
        prev = series.items.get(key)
        if prev is None:
            prev = _scaled(rng, min(item_base, 400), level) if item_base else 0
        delta = rng.choice((0, 0, 0, 1, 2, -1, -2, 5)) if prev or item_base else 0
        delta = max(delta, -prev)
        if key == "admin_fees" and prev:
            delta = rng.choice((0, 0, -1, -1, -2, 1))
            delta = max(delta, -prev)
        series.items[key] = prev + delta
        row = {"prev_items": prev, "delta_items": delta}
        if key != "admin_fees":
            row["decisions"] = _scaled(rng, dec_base, level)
        t[key] = row
    count = poisson(rng, (8 if gov else 2) * LEVEL_FACTOR[level] ** 0.5)
    yuan = round(count * 60000 * rng.lognormvariate(0, 0.8), -2) if count else 0
    unit = rng.choice(("元", "元", "万元", None)) if count else rng.choice((None, "元"))
    amount: float | int = round(yuan / 10000, 2) if unit == "万元" else int(yuan)
    t["central_procurement"] = {
        "procurement_count": count,
        "procurement_amount": amount,
        "procurement_amount_unit": unit,
    }
    return t


# ---------------------------------------------------------------- checks and errors


def broken_rules(fmt: str, t3: dict, t4: dict) -> list[str]:
    """The arithmetic rules (content/format.md §6) the tables break; null cells are skipped."""
    broken: set[str] = set()
    results = TABLE3_RESULT_ROWS[fmt]

    def known(*vals: object) -> bool:
        return all(v is not None for v in vals)

    for c in T3_COLS:
        a = [
            t3[k][c] for k in ("new_received", "carried_over", "total_processed", "carried_forward")
        ]
        if known(*a) and a[0] + a[1] != a[2] + a[3]:
            broken.add("T3-A")
        parts = [t3[k][c] for k in results]
        if known(a[2], *parts) and a[2] != sum(parts):
            broken.add("T3-B")
    for row in t3.values():
        parts = [row[c] for c in TABLE3_APPLICANTS]
        if known(row["total"], *parts) and row["total"] != sum(parts):
            broken.add("T3-C")
    for g, rule in T4_RULES.items():
        v = [t4[g][c] for c in T4_COLS]
        if known(*v) and v[4] != sum(v[:4]):
            broken.add(rule)
    return sorted(broken)


def _inject(rng: random.Random, fmt: str, t3: dict, t4: dict, null: set[str]) -> str | None:
    """Break one rule by a plausible typo, touching only cells that stay printed.

    Tries a random rule first and the others after it, so small all-zero tables still
    get their share; returns the rule aimed at (the truth records what is broken).
    """
    first = rng.choice(RULES)
    for rule in (first, *rng.sample([r for r in RULES if r != first], len(RULES) - 1)):
        k = rng.choice((1, 1, 2, 3, 10))
        if rule in ("T3-A", "T3-B"):
            rows = ("new_received", "carried_forward") if rule == "T3-A" else ("granted", "partial")
            row = rng.choice(rows)
            col = rng.choice(TABLE3_APPLICANTS[:2])
            if f"table3.{row}.{col}" in null:
                continue
            t3[row][col] += k
            if f"table3.{row}.total" not in null:  # the 总计 typed in agreement
                t3[row]["total"] += k
            return rule
        if rule == "T3-C":
            # k moved between two result rows of one column: T3-A/B still hold, two row sums break
            movable = [
                (r, c)
                for r in TABLE3_RESULT_ROWS[fmt]
                for c in TABLE3_APPLICANTS
                if t3[r][c] > 0
                and f"table3.{r}.{c}" not in null
                and f"table3.{r}.total" not in null
            ]
            if not movable:
                continue
            src, col = rng.choice(movable)
            dst = rng.choice([r for r in TABLE3_RESULT_ROWS[fmt] if r != src])
            if f"table3.{dst}.{col}" in null or f"table3.{dst}.total" in null:
                continue
            k = min(k, t3[src][col])
            t3[src][col] -= k
            t3[dst][col] += k
            return rule
        group = {v: g for g, v in T4_RULES.items()}[rule]
        if any(f"table4.{group}.{c}" in null for c in T4_COLS):
            continue
        t4[group]["total"] += k
        return rule
    return None


# ---------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Report:
    name: str
    data: bytes
    truth: dict


def _agencies(seed: int, crawl_share: float = 0.0) -> Iterator[Agency]:
    pl = places()
    used: set[str] = set()
    for j in range(10**9):
        rng = random.Random(f"{seed}/agency/{j}")
        level = rng.choices([lv for lv, _ in LEVEL_WEIGHTS], [w for _, w in LEVEL_WEIGHTS])[0]
        place = rng.choice(pl[level])
        ti = rng.randrange(len(AGENCY_TYPES)) if rng.random() < 0.8 else rng.choice((0, 0, 1))
        name = place.name + AGENCY_TYPES[ti][0 if level == "province" else 1]
        if name in used:
            continue
        used.add(name)
        span = rng.choices(range(1, 8), (15, 20, 20, 15, 12, 8, 10))[0]
        start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
        apps = 1.2 * LEVEL_FACTOR[level] * AGENCY_TYPES[ti][2] * rng.lognormvariate(0, 1.0)
        layout = rng.choices(("tab", "pipe", "pdf", "html"), (30, 20, 25, 25))[0]
        if layout == "html":
            encoding = rng.choices(("utf-8", "gbk"), (80, 20))[0]
        else:
            encoding = rng.choices(("utf-8", "utf-8-sig", "gb18030"), (75, 10, 15))[0]
        years = tuple(range(start, start + span))
        litigious = rng.lognormvariate(0, 0.7)
        # drawn apart, so that a corpus with crawled pages has the others' bytes unchanged
        if crawl_share and random.Random(f"{seed}/crawl/{j}").random() < crawl_share:
            layout = "crawl"
        yield Agency(j, name, place, ti, years, apps, litigious, layout, encoding)


def iter_reports(
    n: int, seed: int = 0, error_share: float = 0.05, crawl_share: float = 0.0
) -> Iterator[Report]:
    """The first n reports of the corpus for this seed, one agency's years after another."""
    count = 0
    width = max(5, len(str(n - 1)))
    for ag in _agencies(seed, crawl_share):
        series = Series()
        for year in ag.years:
            if count >= n:
                return
            yield _report(count, width, seed, error_share, ag, year, series)
            count += 1


def generate(
    n: int, seed: int = 0, error_share: float = 0.05, crawl_share: float = 0.0
) -> list[Report]:
    return list(iter_reports(n, seed, error_share, crawl_share))


def _report(
    index: int, width: int, seed: int, error_share: float, ag: Agency, year: int, series: Series
) -> Report:
    rng = random.Random(f"{seed}/report/{ag.index}/{year}")
    fmt = "F2019" if year <= 2020 else "F2021"
    lam = ag.apps * rng.lognormvariate(0, 0.35) * 1.06 ** (year - 2019)
    t3 = _table3(rng, fmt, lam, series)
    t4 = _table4(rng, t3["new_received"][6], ag.litigious)
    t2 = _table2(rng, fmt, ag, series)
    t3d = {k: dict(zip(T3_COLS, v, strict=True)) for k, v in t3.items()}
    t4d = {g: dict(zip(T4_COLS, v, strict=True)) for g, v in t4.items()}
    layout = ag.layout if rng.random() < 0.8 else rng.choice(("tab", "pipe", "pdf", "html"))
    if ag.layout == "crawl":
        layout = "crawl"  # an archive saves every year's page the same way
    if (layout == "html") != (ag.layout == "html"):
        encoding = "utf-8"
    else:
        encoding = ag.encoding if rng.random() < 0.85 else "utf-8"
    # the narrative is written from the true counts, before any typo in the tables
    story = {
        "new": t3["new_received"][6],
        "co": t3["carried_over"][6],
        "done": t3["total_processed"][6],
        "cf": t3["carried_forward"][6],
        "np": t3["new_received"][0],
        "org": sum(t3["new_received"][1:6]),
        "granted": t3["granted"][6],
        "partial": t3["partial"][6],
        "denied": sum(v[6] for k, v in t3.items() if k.startswith("denied.")),
        "unable": sum(v[6] for k, v in t3.items() if k.startswith("unable.")),
        "notp": sum(v[6] for k, v in t3.items() if k.startswith("not_processed.")),
        "other": sum(v[6] for k, v in t3.items() if k.startswith("other")),
        "rv": t4["review"][4],
        "lit": t4["lit_direct"][4] + t4["lit_after_review"][4],
        "size": min(4, int(math.log10(ag.apps + 1))),
    }
    style = choose_style(rng, layout, fmt)
    plan = _plan(rng, fmt, layout, style[0], t2, t3d, t4d)
    if rng.random() < error_share:
        _inject(rng, fmt, t3d, t4d, plan["null"])
    name = f"{index:0{width}d}_{hashlib.sha1(f'{seed}:{ag.name}:{year}'.encode()).hexdigest()[:12]}"
    data, ext, meta = render(rng, ag, year, fmt, layout, encoding, style, t2, t3d, t4d, plan, story)
    truth_tables = empty_tables(fmt)
    for tname, src in (("table2", t2), ("table3", t3d), ("table4", t4d)):
        for row, cols in src.items():
            for col, v in cols.items():
                cell = f"{tname}.{row}.{col}"
                truth_tables[tname][row][col] = None if cell in plan["null"] else v
    truth = {
        "file": name + ext,
        "agency": ag.name,
        "year": year,
        "format": fmt,
        **truth_tables,
        "errors": broken_rules(fmt, truth_tables["table3"], truth_tables["table4"]),
        "encoding": meta["encoding"],
        "newline": meta["newline"],
        "layout": layout,
        "quirks": sorted(meta["quirks"]),
        "ambiguous_cells": sorted(meta["ambiguous"]),
    }
    return Report(name + ext, data, truth)


_NULL_TOKENS = ("/", "—", "无", "-", "／")


def _plan(
    rng: random.Random, fmt: str, layout: str, st: Style, t2: dict, t3: dict, t4: dict
) -> dict:
    """Which cells the report leaves blank or nulls (they become null in the truth)."""
    null: dict[str, str] = {}  # cell -> printed text
    quirks: set[str] = set()
    results = TABLE3_RESULT_ROWS[fmt]
    if rng.random() < 0.05:  # content/format.md §7: 总计 only for 一, 二, （七） and 四
        quirks.add("blank_total_column")
        # zeros left blank too (S5) only where the columns stay aligned: with shifted or
        # unlabelled rows a lone number could sit in either of two columns
        aligned = st.t3_mode == "exact" and not st.pdf
        also_zero = aligned and rng.random() < 0.5
        for r in results:
            null[f"table3.{r}.total"] = ""
            if also_zero:
                for c in TABLE3_APPLICANTS:
                    if t3[r][c] == 0:
                        null[f"table3.{r}.{c}"] = ""
    if rng.random() < 0.08:
        quirks.add("null_tokens")
        zero_cells = [
            f"table2.{r}.{c}"
            for r, cols in t2.items()
            for c, v in cols.items()
            if v == 0 and not c.startswith("procurement_amount")
        ]
        zero_cells += [f"table4.{g}.{c}" for g in t4 for c in T4_COLS if t4[g][c] == 0]
        for cell in rng.sample(zero_cells, min(len(zero_cells), rng.randint(1, 5))):
            null[cell] = rng.choice(_NULL_TOKENS)
    if rng.random() < 0.02 and layout != "html":
        quirks.add("blank_table4_group")  # seed 004: 行政复议 left empty
        for c in T4_COLS:
            null[f"table4.review.{c}"] = ""
    return {"null": null, "quirks": quirks}


def write_corpus(
    out_dir: Path, n: int, seed: int, error_share: float, crawl_share: float = 0.0
) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as truth:
        for rep in iter_reports(n, seed, error_share, crawl_share):
            (out_dir / rep.name).write_bytes(rep.data)
            truth.write(json.dumps(rep.truth, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, required=True, help="number of reports")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--error-share", type=float, default=0.05)
    ap.add_argument("--crawl-share", type=float, default=0.0, help="agencies saved as crawl text")
    args = ap.parse_args(argv)
    if args.n < 1 or not 0 <= args.error_share <= 1 or not 0 <= args.crawl_share <= 1:
        ap.error("-n must be >= 1, --error-share and --crawl-share within 0..1")
    t0 = time.perf_counter()
    count = write_corpus(args.out_dir, args.n, args.seed, args.error_share, args.crawl_share)
    print(f"{args.out_dir}: {count} reports in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
