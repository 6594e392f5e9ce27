"""Publish stage: the catalog → every generated file of the site, as text in memory.

``assemble`` returns ``{docs path: text}`` for the pages and data files and the chart specs
they show (rendered to SVG by the caller). It reads and writes nothing, so a build is a pure
function of the reports: the same inputs give byte-identical files. The pages of one agency
and the home page are made here; the listing pages and data files in :mod:`gongkai.listings`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, cast

from gongkai.check import series
from gongkai.site import (
    charts,
    dataset,
    figures,
    glossary,
    headline,
    listings,
    pages,
    source_text,
    standing,
)
from gongkai.site.catalog import Agency, AgencyYear, Catalog, year_doc
from gongkai.site.charts import Figure
from gongkai.site.figures import Share

LATEST = 12  # reports listed under 最新报告 on the home page


@dataclass
class Site:
    files: dict[str, str | bytes]  # docs path → content
    charts: dict[str, dict[str, Any]]  # chart hash → Vega-Lite spec
    # per agency slug, the files and chart hashes of its pages (for the build's page cache)
    agency_files: dict[str, list[str]] = field(default_factory=dict)
    agency_charts: dict[str, list[str]] = field(default_factory=dict)


class _Collector:
    def __init__(self, on_chart: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.specs: dict[str, dict[str, Any]] = {}
        self.on_chart = on_chart
        self.keys: list[str] = []  # of the agency being assembled

    def add(self, figs: list[Figure]) -> list[Figure]:
        for fig in figs:
            key = fig.key
            if fig.spec is not None and key is not None:
                self.keys.append(key)
                if key not in self.specs:
                    self.specs[key] = fig.spec
                    if self.on_chart is not None:
                        self.on_chart(key, fig.spec)
        return figs


def assemble(
    catalog: Catalog,
    build_report: list[dict[str, Any]],
    on_chart: Callable[[str, dict[str, Any]], None] | None = None,
    reuse: Collection[str] = (),
    emit: Callable[[str, str | bytes], None] | None = None,
    parts: dataset.Parts | None = None,
    report_text: str | None = None,
) -> Site:
    """Every generated file, in ``Site.files`` or, given ``emit(path, content)``, handed over
    one by one as soon as it is made (at 10,000 reports they do not all fit in memory at once).

    ``on_chart(key, spec)`` is called once per chart as soon as a page needs it (so it can be
    drawn meanwhile); the pages of agencies whose slug is in ``reuse`` are left out (the
    caller still has them from an earlier build with the same input), and so are the browse
    pages of each group in it (``listings.browse_fingerprints``); ``parts`` keeps each report's share of the data files
    across builds; ``report_text`` is build-report.json when the caller has made it.
    """
    files: dict[str, str | bytes] = {}
    put = emit or files.__setitem__
    collect = _Collector(on_chart)
    common = {"format_names": pages.FORMAT_NAMES}
    agency_files: dict[str, list[str]] = {}
    agency_charts: dict[str, list[str]] = {}
    for agency in catalog.agencies:
        if agency.slug in reuse:
            continue
        own: dict[str, str | bytes] = {}
        collect.keys = []
        for ay in agency.sorted_years():
            own.update(_agency_year(ay, collect, common))
        own[agency_csv_doc(agency)] = _agency_csv(agency)
        own[agency.doc_path] = _agency(agency, collect, common)
        for rel, content in own.items():
            put(rel, content)
        agency_files[agency.slug] = list(own)
        agency_charts[agency.slug] = list(dict.fromkeys(collect.keys))
    key_figs = listings.key_figures(catalog)
    for group, listing in listings.browse_groups(catalog, common, reuse, key_figs).items():
        collect.keys = []
        collect.add(listing.figures)
        for rel, content in listing.files.items():
            put(rel, content)
        agency_files[group] = list(listing.files)
        agency_charts[group] = list(dict.fromkeys(collect.keys))
    collect.keys = []
    lists: dict[str, str | bytes] = {}
    lists["index.md"] = _home(catalog, collect, common, key_figs)
    lists[glossary.PAGE] = pages.render("glossary.md.j2", glossary.PAGE, terms=glossary.TERMS)
    lists["data/terms.json"] = pages.terms_json()
    lists.update(listings.compare(catalog, key_figs))
    lists.update(listings.quality(catalog, build_report, report_text))
    indicator_files, indicator_figs = standing.outputs(catalog)
    collect.add(indicator_figs)
    lists.update(indicator_files)
    lists.update(listings.data(catalog, lists, parts))
    for rel, content in lists.items():
        put(rel, content)
    return Site(files, collect.specs, agency_files, agency_charts)


def _agency_year(
    ay: AgencyYear, collect: _Collector, common: dict[str, Any]
) -> dict[str, str | bytes]:
    if any(r.light is not None for r in ay.reports):
        # a summary has no narrative or line numbers: the page would be missing them
        raise ValueError(f"{ay.doc_path}: 报告只有摘要记录（应先调用 inputs.complete）")
    out: dict[str, str | bytes] = {}
    docs = ay.json_docs
    checking = _checking(ay, out)
    shown = []
    for n, report in enumerate(ay.shown, 1):
        rec = report.record
        key = figures.key_figures(rec)
        shown.append(
            {
                "n": n,
                "report": report,
                "rec": rec,
                "figs": collect.add(charts.report_figures(rec)),
                "key": key,
                "headline": headline.headline(rec.year, key),
                "flags": pages.flags_for([*rec.problems, *ay.series_problems]),
                "table_pages": pages.table_pages(rec),
                "problems": list(rec.problems),
                "json_doc": docs[ay.reports.index(report)],
                **checking[ay.reports.index(report)],
            }
        )
    if len(ay.reports) > len(shown):  # identical duplicates: still list every file's problems
        shown[0]["problems"] = [p for r in ay.reports for p in r.problems]
    out[ay.doc_path] = pages.render(
        "agency_year.md.j2",
        ay.doc_path,
        ay=ay,
        agency=ay.agency,
        versions=shown,
        region_doc=ay.agency.region_doc,
        type_doc=ay.agency.type_doc,
        year_doc=year_doc(ay.year) if ay.year is not None else None,
        json_doc=docs[0],
        decoded=sum(how == "decoded" for r in ay.shown for how in r.record.reading.values()),
        ocr_confirmed=sum(
            how == "ocr-confirmed" for r in ay.shown for how in r.record.reading.values()
        ),
        ocr_table2=any(how == "ocr" for r in ay.shown for how in r.record.reading.values()),
        jsons=list(zip(ay.reports, docs, strict=True)),
        checks=checking,
        indicator_block=standing.agency_year_block(ay),
        **common,
    )
    return out


def search_meta(ay: AgencyYear) -> source_text.SearchMeta:
    """What the report's 原文 page gives the search index: it stands for the agency-year
    page there (the report's words are on the 原文 page only), under the page's title and
    with the agency's place names."""
    region = ay.agency.region
    year = f"{ay.year} 年" if ay.year is not None else "（年度不详）"
    return source_text.SearchMeta(
        title=f"{ay.name} {year}",
        region=pages.region_text(region) if region else "",
        places=pages.places_text(region) if region else "",
    )


def _checking(ay: AgencyYear, out: dict[str, str | bytes]) -> list[dict[str, Any]]:
    """What lets a reader check the numbers of each report of ``ay``: its record as JSON and
    its tables as CSV (data/records/), its text as read (the 原文 page), every cell's link to
    the line it was read from, and the maintainer's corrections. Adds the files to ``out``;
    returns per report what its part of the page needs."""
    page_url = pages.url_of(ay.doc_path)
    texts = source_text.source_docs(ay.doc_path, len(ay.reports))
    found = []
    for report, doc, text_doc in zip(ay.reports, ay.json_docs, texts, strict=True):
        csv_doc = doc[: -len(".json")] + ".csv"
        text_url = pages.url_of(text_doc)
        out[doc] = dataset.compact_json(dataset.report_json(report, page_url, text_url))
        out[csv_doc] = dataset.report_csv(report, page_url)
        out[text_doc] = source_text.page_html(report, text_doc, ay.doc_path, search_meta(ay))
        found.append(
            {
                "csv_doc": csv_doc,
                "text_doc": text_doc,
                "links": source_text.cell_links(report.record, text_doc),
                "outline": source_text.outline(report.record, text_doc),
                "corrections": {c.cell: c for c in report.corrections},
            }
        )
    return found


def _agency(agency: Agency, collect: _Collector, common: dict[str, Any]) -> str:
    years = agency.sorted_years()
    series = [(str(ay.year), ay.record) for ay in agency.trend_years()]
    trend = collect.add(
        [
            charts.trend_received(series),
            charts.trend_outcomes(series),
            charts.trend_review_litigation(series),
        ]
    )
    return pages.render(
        "agency.md.j2",
        agency.doc_path,
        agency=agency,
        years=years,
        years_with_keys=[(ay, figures.key_figures(ay.record)) for ay in years],
        ind_trend=standing.agency_trend(agency),
        trend=trend,
        carry=carry_rows(agency),
        series_problems=[p for ay in years for p in ay.series_problems],
        region_doc=agency.region_doc,
        type_doc=agency.type_doc,
        csv_doc=agency_csv_doc(agency),
        **common,
    )


def agency_csv_doc(agency: Agency) -> str:
    return f"data/agencies/{agency.slug}.csv"


def _agency_csv(agency: Agency) -> bytes:
    """The agency's years side by side (dataset.agency_csv); a year with several reports
    whose numbers differ has a column for each."""
    columns = []
    for ay in agency.sorted_years():
        year = str(ay.year) if ay.year is not None else "年度不详"
        for n, report in enumerate(ay.shown, 1):
            columns.append((year if len(ay.shown) == 1 else f"{year}（第 {n} 份）", report))
    return dataset.agency_csv(agency.name, columns)


def carry_rows(agency: Agency) -> list[dict[str, Any]]:
    """上一年 结转下年度 (总计) against 本年 上年结转 (总计), for each pair of adjacent years:
    the comparison :mod:`gongkai.check.series` makes (XY-1), in words."""
    rows = []
    for ay in agency.sorted_years():
        if ay.year is None or (prev := agency.years.get(ay.year - 1)) is None:
            continue
        c = series.carry_over(prev.record, ay.record, "total")
        if ay.conflicting or prev.conflicting:
            status, text = "unknown", "无法核对：该年度的多份报告数字不一致"
        elif c.status == "unknown":
            status, text = "unknown", "无法核对：有一项未填写或无法读取"
        elif c.status == "ok":
            status, text = "ok", "一致"
        else:
            status, text = "bad", f"不一致：相差 {c.difference:+}"
        rows.append(
            {
                "prev": ay.year - 1,
                "year": ay.year,
                "before": c.before,
                "now": c.now,
                "status": status,
                "text": text,
            }
        )
    return rows


@dataclass
class Overview:
    reports: int
    agencies: int
    years_text: str
    received: int | float | None
    received_missing: int
    conflicts: int
    outcomes: dict[str, int | float]
    processed: int | float
    shares: dict[str, Share]
    outcome_reports: int


def overview(
    catalog: Catalog, key_figs: dict[str, figures.KeyFigures] | None = None
) -> tuple[Overview, dict[str, list]]:
    """National figures: sums of printed numbers only, and the same reports in every share.
    ``key_figs``: the key figures of every shown report by path, when already made."""
    ays = catalog.agency_years()
    usable = [ay for ay in ays if not ay.conflicting]
    received = [figures.cell(ay.record, "table3", "new_received", "total") for ay in usable]
    complete = []  # reports whose outcomes are all printed and add up to their own total
    for ay in usable:
        first = ay.reports[0]
        k = key_figs[first.path] if key_figs is not None else figures.key_figures(first.record)
        if k.processed is not None and figures.sum_known(k.outcomes.values()) == k.processed:
            complete.append(k)
    # every outcome and total of a complete report is printed (sum_known saw them all)
    outcomes: dict[str, figures.Number] = {
        g: sum(cast(figures.Number, k.outcomes[g]) for k in complete)
        for g, _ in figures.OUTCOME_GROUPS
    }
    processed = sum(cast(figures.Number, k.processed) for k in complete)
    years = sorted(ay.year for ay in ays if ay.year is not None)
    by_year: dict[str, list] = {"reports": [], "received": []}
    for year, items in catalog.years().items():
        if year is None:
            continue
        by_year["reports"].append((str(year), sum(len(ay.reports) for ay in items)))
        values = [
            figures.cell(ay.record, "table3", "new_received", "total")
            for ay in items
            if not ay.conflicting
        ]
        by_year["received"].append((str(year), sum(v for v in values if v is not None)))
    ov = Overview(
        reports=len(catalog.reports()),
        agencies=len(catalog.agencies),
        years_text=(f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0]))
        if years
        else "—",
        received=sum(v for v in received if v is not None),
        received_missing=sum(1 for v in received if v is None),
        conflicts=len(ays) - len(usable),
        outcomes=outcomes,
        processed=processed,
        shares={g: figures.share(v, processed) for g, v in outcomes.items()},
        outcome_reports=len(complete),
    )
    return ov, by_year


def _home(
    catalog: Catalog,
    collect: _Collector,
    common: dict[str, Any],
    key_figs: dict[str, figures.KeyFigures],
) -> str:
    ov, by_year = overview(catalog, key_figs)
    figs = collect.add(
        [
            charts.national_by_year("各年度报告数", "national_reports", "份", by_year["reports"]),
            charts.national_by_year(
                "各年度本年新收申请合计（只加已填写的报告）",
                "national_received",
                "件",
                by_year["received"],
            ),
            charts.national_outcomes(
                [(label, ov.outcomes[key]) for key, label in figures.OUTCOME_GROUPS]
            ),
        ]
    )

    def recency(ay: AgencyYear) -> tuple:
        published = max((r.published or "" for r in ay.reports), default="")
        return (-(ay.year or 0), _invert(published), ay.agency.key)

    latest = sorted(catalog.agency_years(), key=recency)[:LATEST]
    return pages.render("home.md.j2", "index.md", overview=ov, charts=figs, latest=latest, **common)


def _invert(text: str) -> tuple[int, ...]:
    """Sort key that orders strings descending."""
    return tuple(-ord(c) for c in text) + (0,)
