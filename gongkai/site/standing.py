"""Publish stage: the indicators across agencies — spreads, rankings and peers.

Every agency-year with one set of numbers (not two reports that disagree) and a known year
gets its indicators (:mod:`gongkai.check.indicators`). Only values above the sample-size
gate are ranked or counted in a spread. Per year:

- the spread of each indicator (median, P10, P90, linear interpolation between the sorted
  values, as Excel's PERCENTILE.INC) over the ranked agencies;
- regions (province, then its cities and counties) and agency types ranked by their median
  实质公开率, when at least :data:`MIN_GROUP` agencies of theirs are ranked;
- agencies ranked within their province; ties share a place (1, 2, 2, 4);
- peers: the agencies of one type in one province, written as a small data file per group
  (``data/peers/…json``) that each agency-year page reads in the reader's browser. A page
  thus depends on its own reports only: when a peer's report changes, one small file is
  written again, not every page of the group (``make update`` stays fast at 10,000 reports).
"""

from __future__ import annotations

import bisect
import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.check.indicators import BY_KEY, INDICATORS, Indicator, Value, indicators
from gongkai.site import charts, dataset, pages
from gongkai.site.catalog import UNKNOWN_REGION, Agency, AgencyYear, Catalog, slug
from gongkai.site.charts import Figure

MIN_GROUP = 3  # ranked agencies a region or type needs to be ranked itself
MAIN = "disclosure"  # the indicator regions, types and agencies are ranked by
INDEX_DOC = "generated/indicators/index.md"
CSV_DOC = "data/indicators.csv"
# The indicators shown in an agency's own trend and in the province rankings.
TREND_KEYS = ("disclosure", "denied", "unable", "carried", "review_corrected")
CHART_GROUPS = 6  # series in the applications charts; the rest go under 其他


def year_doc(year: int) -> str:
    return f"generated/indicators/{year}.md"


def province_doc(year: int, code: str | None) -> str:
    return f"generated/indicators/{year}/{code or 'unknown'}.md"


def peers_doc(ay: AgencyYear) -> str | None:
    """The data file of an agency-year's peers: same year, province and type."""
    if ay.year is None:
        return None
    a = ay.agency
    province = a.region.province_code if a.region and a.region.province_code else "unknown"
    kind = slug(a.agency_type) if a.agency_type else "unknown"
    return f"data/peers/{ay.year}/{province}/{kind}.json"


# -- numbers ------------------------------------------------------------------------------------


def quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, interpolated linearly (PERCENTILE.INC)."""
    if not ordered:
        raise ValueError("quantile of no values")
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True)
class Spread:
    n: int
    median: float
    p10: float
    p90: float

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "median": round(self.median, 6),
            "p10": round(self.p10, 6),
            "p90": round(self.p90, 6),
        }


def spread(values: Iterable[float]) -> Spread | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return Spread(
        len(ordered), quantile(ordered, 0.5), quantile(ordered, 0.1), quantile(ordered, 0.9)
    )


def ranks(items: Sequence[tuple[str, float]], higher_first: bool) -> dict[str, int]:
    """Standard competition ranking: equal values share a place, the next place skips
    (1, 2, 2, 4). ``items``: (key, value)."""
    ordered = sorted(v for _, v in items)
    out: dict[str, int] = {}
    for key, value in items:
        if higher_first:  # how many are higher
            better = len(ordered) - bisect.bisect_right(ordered, value)
        else:  # how many are lower
            better = bisect.bisect_left(ordered, value)
        out[key] = better + 1
    return out


def ranked_order(
    items: Sequence[tuple[str, float]], higher_first: bool
) -> list[tuple[int, str, float]]:
    """(place, key, value), best first; ties by key."""
    places = ranks(items, higher_first)
    return sorted(((places[k], k, v) for k, v in items), key=lambda t: (t[0], t[1]))


# -- what a value looks like ---------------------------------------------------------------------


def number_text(ind: Indicator, value: float) -> str:
    if ind.scale == 1:
        pct = value * 100
        return "<0.1%" if 0 < pct < 0.1 else f"{pct:.1f}%"
    return f"{value:.1f}"


def counts_text(v: Value) -> str:
    return f"{_n(v.numerator)}/{_n(v.denominator)}"


def _n(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return "—" if x is None else f"{x:,}"


@dataclass(frozen=True)
class Shown:
    """A value as a page shows it: ``text`` (a number, counts, 不适用 or —), and why."""

    text: str
    counts: str  # "31/50" when there are counts
    status: str
    reason: str | None


def shown(ind: Indicator, v: Value) -> Shown:
    if v.status == "ok" and v.value is not None:
        return Shown(number_text(ind, v.value), counts_text(v), v.status, None)
    if v.status == "small":
        return Shown(counts_text(v), "", v.status, v.reason)
    if v.status in ("zero", "none"):
        return Shown("不适用", "", v.status, v.reason)
    return Shown("—", "", v.status, v.reason)


# -- every agency-year ----------------------------------------------------------------------------


@dataclass
class Entry:
    ay: AgencyYear
    values: dict[str, Value]

    @property
    def year(self) -> int:
        assert self.ay.year is not None
        return self.ay.year

    def value(self, key: str) -> float | None:
        v = self.values[key]
        return v.value if v.ranked else None


def entries(catalog: Catalog) -> list[Entry]:
    """The agency-years with one set of numbers and a known year, in the catalog's order."""
    return [
        Entry(ay, indicators(ay.record))
        for ay in catalog.agency_years()
        if ay.year is not None and not ay.conflicting
    ]


@dataclass
class Group:
    """Agencies of a region or a type in one year, ranked by their median 实质公开率."""

    name: str
    code: str
    entries: list[Entry] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)
    place: int | None = None

    def values(self, key: str = MAIN) -> list[float]:
        return [v for e in self.entries if (v := e.value(key)) is not None]

    @property
    def spread(self) -> Spread | None:
        return spread(self.values())

    @property
    def ranked(self) -> bool:
        return len(self.values()) >= MIN_GROUP


def _rank_groups(groups: list[Group]) -> list[Group]:
    """Places by median (MIN_GROUP ranked agencies or more), best first, then the rest."""
    medians = [(g.code, s.median) for g in groups if g.ranked and (s := g.spread) is not None]
    places = ranks(medians, BY_KEY[MAIN].higher_first)
    for g in groups:
        g.place = places.get(g.code)
    return sorted(groups, key=lambda g: (g.place is None, g.place or 0, g.code))


def by_province(items: list[Entry]) -> list[Group]:
    provinces: dict[str, Group] = {}
    for e in items:
        r = e.ay.agency.region
        code = r.province_code if r and r.province_code else "unknown"
        name = r.province if r and r.province else UNKNOWN_REGION
        provinces.setdefault(code, Group(name or "", code)).entries.append(e)
    for p in provinces.values():
        below: dict[str, Group] = {}
        for e in p.entries:
            r = e.ay.agency.region
            if r is None:
                continue
            place = r.county_code or r.city_code
            if place:
                name = " › ".join(x for x in (r.city, r.county) if x)
                below.setdefault(place, Group(name, place)).entries.append(e)
        p.children = _rank_groups(list(below.values()))
    return _rank_groups(list(provinces.values()))


def by_type(items: list[Entry]) -> list[Group]:
    types: dict[str, Group] = {}
    for e in items:
        kind = e.ay.agency.agency_type or "未能识别类型"
        types.setdefault(kind, Group(kind, kind)).entries.append(e)
    return _rank_groups(list(types.values()))


def distribution(items: list[Entry]) -> list[dict[str, Any]]:
    """Per indicator: its spread over the ranked agencies and how many were left out why."""
    rows = []
    for ind in INDICATORS:
        statuses: dict[str, int] = {}
        for e in items:
            s = e.values[ind.key].status
            statuses[s] = statuses.get(s, 0) + 1
        sp = spread(v for e in items if (v := e.value(ind.key)) is not None)
        rows.append(
            {
                "ind": ind,
                "n": sp.n if sp else 0,
                "small": statuses.get("small", 0),
                "na": statuses.get("zero", 0) + statuses.get("none", 0),
                "missing": statuses.get("null", 0)
                + statuses.get("inconsistent", 0)
                + statuses.get("format", 0),
                "median": number_text(ind, sp.median) if sp else "—",
                "p10": number_text(ind, sp.p10) if sp else "—",
                "p90": number_text(ind, sp.p90) if sp else "—",
            }
        )
    return rows


# -- peers ---------------------------------------------------------------------------------------


def peer_groups(items: list[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in items:
        doc = peers_doc(e.ay)
        if doc is not None:
            out.setdefault(doc, []).append(e)
    return out


def peers_json(group: list[Entry]) -> dict[str, Any]:
    """One peer group's file, as ``gongkai-peers.js`` reads it (and nothing else: a file for
    every year, province and agency type). Per indicator, in the order of ``INDICATORS``
    (the script's ``KEYS``): ``n``, how many of the group are ranked, and ``median``, their
    median as the pages print it (None when none is ranked); ``places``: each agency's
    place in each indicator (0: not ranked). The group's names are on the page."""
    out: dict[str, Any] = {"n": [], "median": [], "places": {e.ay.agency.slug: [] for e in group}}
    for ind in INDICATORS:
        items = [(e.ay.agency.slug, v) for e in group if (v := e.value(ind.key)) is not None]
        sp = spread(v for _, v in items)
        out["n"].append(len(items))
        out["median"].append(number_text(ind, sp.median) if sp else None)
        places = ranks(items, ind.higher_first)
        for key, row in out["places"].items():
            row.append(places.get(key, 0))
    return out


# -- the pages and files ---------------------------------------------------------------------------


def outputs(catalog: Catalog) -> tuple[dict[str, str], list[Figure]]:
    """The 指标 pages, the peers' data files and the indicators CSV; and the charts the
    pages show (the caller draws them)."""
    items = entries(catalog)
    years = sorted({e.year for e in items})
    out: dict[str, str] = {}
    for doc, group in peer_groups(items).items():
        out[doc] = dataset.compact_json(peers_json(group))
    summary = []
    for year in years:
        of_year = [e for e in items if e.year == year]
        provinces = by_province(of_year)
        doc = year_doc(year)
        out[doc] = pages.render(
            "indicators_year.md.j2",
            doc,
            year=year,
            distribution=distribution(of_year),
            provinces=provinces,
            types=[t for t in by_type(of_year) if t.values()],
            main=BY_KEY[MAIN],
            number_text=number_text,
            province_doc=province_doc,
            min_group=MIN_GROUP,
            index_doc=INDEX_DOC,
        )
        for p in provinces:
            pdoc = province_doc(year, p.code)
            out[pdoc] = _province_page(pdoc, year, p)
        sp = spread(v for e in of_year if (v := e.value(MAIN)) is not None)
        summary.append((year, len(of_year), sp))
    figs = applications_charts(items)
    out[INDEX_DOC] = pages.render(
        "indicators.md.j2",
        INDEX_DOC,
        indicators=INDICATORS,
        summary=summary,
        main=BY_KEY[MAIN],
        number_text=number_text,
        year_doc=year_doc,
        charts=figs,
        min_group=MIN_GROUP,
        csv_doc=CSV_DOC,
    )
    out[CSV_DOC] = indicators_csv(items)
    return out, figs


def _province_page(doc: str, year: int, province: Group) -> str:
    main = BY_KEY[MAIN]
    ranked = [(e.ay.agency.slug, v) for e in province.entries if (v := e.value(MAIN)) is not None]
    by_slug = {e.ay.agency.slug: e for e in province.entries}
    rows = []
    for place, key, _ in ranked_order(ranked, main.higher_first):
        rows.append({"place": place, "entry": by_slug[key], "cells": _cells(by_slug[key])})
    rest = [
        {"entry": e, "cells": _cells(e)}
        for e in sorted(province.entries, key=lambda e: e.ay.agency.key)
        if e.value(MAIN) is None
    ]
    return pages.render(
        "indicators_province.md.j2",
        doc,
        year=year,
        province=province,
        rows=rows,
        rest=rest,
        trend=[BY_KEY[k] for k in TREND_KEYS],
        main=main,
        number_text=number_text,
        min_group=MIN_GROUP,
        year_doc=year_doc(year),
        index_doc=INDEX_DOC,
    )


def _cells(e: Entry) -> list[Shown]:
    return [shown(BY_KEY[k], e.values[k]) for k in TREND_KEYS]


# -- the agency-year page's block -----------------------------------------------------------------


def agency_year_block(ay: AgencyYear) -> dict[str, Any]:
    """What the agency-year page shows of its indicators: its values (with the formula's
    anchor on the 指标 page), whether its agency has a trend over years (on the agency's
    page: :func:`agency_trend`), and where its peers' file is."""
    if ay.conflicting:
        return {"state": "conflict", "index_doc": INDEX_DOC}
    values = indicators(ay.record)
    if all(v.status == "none" for k, v in values.items() if BY_KEY[k].applications) and all(
        values[k].status in ("zero", "none", "null") for k in values if not BY_KEY[k].applications
    ):
        return {"state": "none", "index_doc": INDEX_DOC}
    rows = [
        {"ind": ind, "shown": shown(ind, values[ind.key]), "value": values[ind.key]}
        for ind in INDICATORS
        if values[ind.key].status != "none"
    ]
    return {
        "state": "values",
        "no_applications": any(v.status == "none" for v in values.values()),
        "rows": rows,
        "trend": len(ay.agency.trend_years()) > 1,
        "peers": peers_doc(ay),
        "index_doc": INDEX_DOC,
        "year_doc": year_doc(ay.year) if ay.year is not None else None,
    }


def agency_trend(agency: Agency) -> dict[str, Any]:
    """The agency's main indicators over its years (``Agency.trend_years``), for its page:
    once there, rather than on each of its agency-year pages, which link it. Empty with
    fewer than two years."""
    years = agency.trend_years()
    if len(years) < 2:
        return {"rows": [], "heads": []}
    rows = []
    for y in years:
        values = indicators(y.record)
        rows.append((y, [shown(BY_KEY[k], values[k]) for k in TREND_KEYS]))
    return {"rows": rows, "heads": [BY_KEY[k] for k in TREND_KEYS], "index_doc": INDEX_DOC}


# -- the data ------------------------------------------------------------------------------------

CSV_HEAD: tuple[tuple[str, str], ...] = (
    ("agency", "机关名称（该年度报告所印）"),
    ("identity", "机关的身份：行政区划代码:名称（地名前缀可省），或无法确定地点时的名称"),
    ("province_code", "省级行政区划代码"),
    ("city_code", "地级行政区划代码"),
    ("county_code", "县级行政区划代码"),
    ("agency_type", "机关类型"),
    ("year", "报告所属年度"),
    ("format", "报告格式"),
    ("source", "报告文件路径"),
)
STATUS_NAMES = {
    "ok": "ok：已计算并参与排名",
    "small": "small：样本不足（分母少于门槛），只列件数，不排名",
    "zero": "zero：分母为 0，不适用",
    "none": "none：本年没有申请，不适用",
    "null": "null：某个输入格报告未填写或无法可靠读取",
    "inconsistent": "inconsistent：报告自身的数字在输入格上不一致",
    "format": "format：未能识别报告格式",
}


def csv_columns() -> list[str]:
    cols = [k for k, _ in CSV_HEAD]
    for ind in INDICATORS:
        cols += [ind.key, f"{ind.key}_numerator", f"{ind.key}_denominator", f"{ind.key}_status"]
    return cols


def indicators_csv(items: list[Entry]) -> str:
    """Wide: one row per agency-year, four columns per indicator (value, numerator,
    denominator, status); the formulas are in fields.csv."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(csv_columns())
    for e in items:
        r = e.ay.agency.region
        rec = e.ay.record
        row: list[Any] = [
            dataset.csv_text(e.ay.name),
            dataset.csv_text(e.ay.agency.key),
            (r.province_code if r else None) or "",
            (r.city_code if r else None) or "",
            (r.county_code if r else None) or "",
            dataset.csv_text(e.ay.agency.agency_type or ""),
            e.year,
            rec.format,
            dataset.csv_text(e.ay.reports[0].path),
        ]
        for ind in INDICATORS:
            v = e.values[ind.key]
            row += [
                "" if v.value is None else round(v.value, 6),
                "" if v.numerator is None else v.numerator,
                "" if v.denominator is None else v.denominator,
                v.status,
            ]
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()


# -- applications over time ----------------------------------------------------------------------


def applications_charts(items: list[Entry]) -> list[Figure]:
    """New applications (一、本年新收 · 总计, printed values only) per year, by province and
    by agency type: the largest groups, the rest as 其他."""
    out = []
    for name, title, key in (
        ("apps_by_province", "各年度新收申请：按省份（只加已填写的报告）", _province_of),
        ("apps_by_type", "各年度新收申请：按机关类型（只加已填写的报告）", _type_of),
    ):
        totals: dict[tuple[int, str], int | float] = {}
        for e in items:
            v = e.ay.record.table3.get("new_received", {}).get("total")
            if isinstance(v, int | float) and not isinstance(v, bool):
                k = (e.year, key(e))
                totals[k] = totals.get(k, 0) + v
        overall: dict[str, int | float] = {}
        for (_, g), v in totals.items():
            overall[g] = overall.get(g, 0) + v
        top = sorted(overall, key=lambda g: (-overall[g], g))[:CHART_GROUPS]
        series = [*top, "其他"] if len(overall) > len(top) else top
        years = sorted({y for y, _ in totals})
        table = []
        for y in years:
            vals: list[int | float | None] = []
            for g in top:
                vals.append(totals.get((y, g)))
            if len(series) > len(top):
                rest = [v for (yy, g), v in totals.items() if yy == y and g not in top]
                vals.append(sum(rest) if rest else None)
            table.append((str(y), vals))
        out.append(charts.groups_by_year(name, title, table, series))
    return out


def _province_of(e: Entry) -> str:
    r = e.ay.agency.region
    return r.province if r and r.province else UNKNOWN_REGION


def _type_of(e: Entry) -> str:
    return e.ay.agency.agency_type or "未能识别类型"
