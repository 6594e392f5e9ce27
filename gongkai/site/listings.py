"""Publish stage: the pages that list many reports, and the data files.

Browsing by region (province › city › county), by year and by agency type; the comparison
table of every agency-year (JSON for the sorting script, CSV for everyone); the data-quality
and build-report pages; the downloads and the 数据说明 page generated from the layout.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from gongkai import layout
from gongkai.cache import pages_version
from gongkai.site import charts, dataset, figures, pages, standing
from gongkai.site.catalog import (
    UNKNOWN_REGION,
    AgencyYear,
    Catalog,
    RegionNode,
    type_doc,
    year_doc,
)

STATUS_NAMES = {"ok": "正常", "problems": "有问题", "failed": "失败", "skipped": "跳过"}
RECORD_KEYS = (
    ("record_version", "记录格式版本"),
    ("agency", "机关名称（报告标题所印，去掉空白）"),
    ("year", "报告所属年度"),
    ("format", "报告格式：F2021、F2019 或 unknown"),
    ("table2 / table3 / table4", "三张表：行键 → 列键 → 数值或 null，见下方各表"),
    ("title", "报告标题"),
    ("region", "地区：province / city / county 及其行政区划代码（_code）"),
    ("agency_type", "机关类型（机关名称中地名之后的部分）"),
    (
        "sections",
        "报告正文各部分的文字（只在 gongkai.zip 的 gongkai.json 中；网页上见报告页面的“报告正文”）",
    ),
    (
        "problems",
        "核验发现的问题：rule 规则、severity 严重程度（error / warning / info）、cells 涉及的格、printed 报告所印数、expected 核对值、message 说明",
    ),
    (
        "lines",
        "每个数字在原文中的行号（只在每份报告的 JSON 中）：行键（如 table3.granted）给出这一行各格的行号，格键（如 table3.granted.total）只用于与之不同的格（另一行号，或 null 表示没有行号）。行号即报告“原文”页的行号（#L12；一行切成几段时为 #L12-2 等）",
    ),
    (
        "places",
        "每个数字在原文页面上的位置：PDF 或扫描件的页码 page 与方框 box，Word 文件的表格 table、行 row、列 col（只在每份报告的 JSON 中）",
    ),
    (
        "reading",
        "不是直接印出的数字是怎样读出的：decoded（原文数字连在一起，按本表的勾稽关系拆分）、ocr-confirmed（扫描件识别的数字，经本表的勾稽关系证实）、ocr（表二中识别置信度高的扫描数字）；未列出的格是直接印出的",
    ),
    (
        "source",
        "报告文件：path 路径、sha256、kind（text / html / docx / doc / rtf）、encoding 编码（Word 文件为空）、size 字节数",
    ),
    ("url", "报告文件自身给出的原文链接（网页存档的文字头部“原文链接”）"),
    (
        "indicators",
        "由上面各表的数字计算出的指标（不是报告所印）：每项指标的 value 值、numerator 分子、denominator 分母、status 状态、reason 原因，公式见“指标”页和字段表（只在 gongkai.zip 的 gongkai.json 中；每份报告的指标也在 indicators.csv）",
    ),
    (
        "source_path / original_url / published",
        "报告文件路径；原文链接和发布日期（附加信息文件给出的优先，否则取报告文件自身给出的）",
    ),
    (
        "corrections",
        "维护者对程序误读的更正：cell 格、value 更正后的值（表格中即此值）、read 程序原先读出的值、reason 理由",
    ),
    ("page / source_text", "本站的报告页面和原文页面（只在每份报告的 JSON 中）"),
)
COMPARE_COLUMNS = (
    ("agency", "机关"),
    ("region", "地区"),
    ("year", "年度"),
    ("received", "新收申请"),
    *((f"share_{key}", figures.OUTCOME_NAMES[key]) for key, _ in figures.OUTCOME_GROUPS),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
    ("errors", "核验错误"),
)


def _walk(nodes: list[RegionNode], parents: list[RegionNode]):
    for node in nodes:
        yield node, parents
        yield from _walk(node.children, [*parents, node])


# The browse pages in the build's page cache (see outputs.Outputs.reusable): the three index
# pages are one group; every year, type and region page is a group of its own, kept while
# the reports it sums are the same, so one changed report makes only its own year, type and
# region pages again.
BROWSE = "<browse>"


def year_group(year: int | None) -> str:
    return f"<year:{year if year is not None else 'unknown'}>"


def type_group(agency_type: str | None) -> str:
    return f"<type:{type_doc(agency_type)}>"


def region_group(node: RegionNode) -> str:
    return f"<region:{node.code}>"


def browse_fingerprint(catalog: Catalog) -> str:
    """Everything the three index pages are made from: per agency (in the catalog's order)
    its key, name, folder, region, type, and each year with whether its checks found errors;
    and the code. No number of a report is on these pages: a rebuild after one number
    changed makes them again only when that number turned the report's checks to errors.
    (tests/test_pages.py changes every part of a report and sees the pages change only
    with their fingerprints.)"""
    agencies = [
        [
            a.key,
            a.name,
            a.slug,
            a.region.to_json() if a.region is not None else None,
            a.agency_type,
            [[ay.year, ay.has_errors] for ay in a.sorted_years()],
        ]
        for a in catalog.agencies
    ]
    text = json.dumps([pages_version(), agencies], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _facts(ay: AgencyYear, k: figures.KeyFigures) -> str:
    """What a year, type or region page shows of one agency-year: its agency as listed,
    whether its checks found errors, and the figures the page's totals add up."""
    a = ay.agency
    return json.dumps(
        [
            a.key,
            a.name,
            a.slug,
            a.region.to_json() if a.region is not None else None,
            a.agency_type,
            ay.year,
            ay.has_errors,
            len(ay.reports),
            ay.conflicting,
            [k.received, k.processed, k.review, k.lit_direct, k.lit_after_review],
            [k.outcomes[g] for g, _ in figures.OUTCOME_GROUPS],
        ],
        ensure_ascii=False,
    )


def _groups(catalog: Catalog) -> dict[str, list[AgencyYear]]:
    """group → the agency-years its page sums, in the catalog's order (each year, type and
    region page; a region's page sums the agencies of its lower levels too)."""
    out: dict[str, list[AgencyYear]] = {}
    for year, items in catalog.years().items():
        out[year_group(year)] = items
    for agency_type, agencies in catalog.types().items():
        out[type_group(agency_type)] = [ay for a in agencies for ay in a.sorted_years()]
    for node, _ in _walk(catalog.provinces(), []):
        out[region_group(node)] = [ay for a in node.all_agencies() for ay in a.sorted_years()]
    return out


def browse_fingerprints(
    catalog: Catalog, key_figs: dict[str, figures.KeyFigures] | None = None
) -> dict[str, str]:
    """group → fingerprint of every group of browse pages (see :data:`BROWSE`)."""
    key_figs = key_figs if key_figs is not None else key_figures(catalog)
    version = pages_version()
    facts = {id(ay): _facts(ay, key_figs[ay.reports[0].path]) for ay in catalog.agency_years()}
    out = {BROWSE: browse_fingerprint(catalog)}
    for group, ays in _groups(catalog).items():
        digest = hashlib.sha256(f"{version}\n{group}".encode())
        for ay in ays:
            digest.update(b"\n" + facts[id(ay)].encode("utf-8"))
        out[group] = digest.hexdigest()[:32]
    return out


@dataclass
class Totals:
    """The sums a listing page shows for its reports: only printed numbers are added, and
    the reports left out of a sum are counted (as on the home page)."""

    reports: int
    agencies: int
    with_errors: int  # agency-years whose checks found errors
    conflicts: int  # agency-years whose reports disagree: left out of every sum
    received: figures.Number
    received_missing: int
    review: figures.Number
    review_missing: int
    litigation: figures.Number
    litigation_missing: int
    outcomes: dict[str, figures.Number]
    processed: figures.Number
    outcome_reports: int  # reports whose outcomes are all printed and add up to their total


def totals(ays: list[AgencyYear], key_figs: dict[str, figures.KeyFigures]) -> Totals:
    usable = [key_figs[ay.reports[0].path] for ay in ays if not ay.conflicting]

    def add(values: list[figures.Number | None]) -> tuple[figures.Number, int]:
        return sum(v for v in values if v is not None), sum(1 for v in values if v is None)

    received = add([k.received for k in usable])
    review = add([k.review for k in usable])
    litigation = add([figures.sum_known([k.lit_direct, k.lit_after_review]) for k in usable])
    complete = [
        k
        for k in usable
        if k.processed is not None and figures.sum_known(k.outcomes.values()) == k.processed
    ]
    return Totals(
        reports=sum(len(ay.reports) for ay in ays),
        agencies=len({id(ay.agency) for ay in ays}),
        with_errors=sum(1 for ay in ays if ay.has_errors),
        conflicts=len(ays) - len(usable),
        received=received[0],
        received_missing=received[1],
        review=review[0],
        review_missing=review[1],
        litigation=litigation[0],
        litigation_missing=litigation[1],
        # every outcome of a complete report is printed (sum_known saw them all)
        outcomes={
            g: sum(cast(figures.Number, k.outcomes[g]) for k in complete)
            for g, _ in figures.OUTCOME_GROUPS
        },
        processed=sum(cast(figures.Number, k.processed) for k in complete),
        outcome_reports=len(complete),
    )


def outcome_figure(t: Totals) -> charts.Figure:
    return charts.listing_outcomes(
        [(label, t.outcomes[key]) for key, label in figures.OUTCOME_GROUPS]
    )


def by_year_rows(
    ays: list[AgencyYear], key_figs: dict[str, figures.KeyFigures]
) -> list[tuple[int | None, Totals]]:
    """(year, its totals) for the table of years on a type or region page."""
    years: dict[int | None, list[AgencyYear]] = {}
    for ay in ays:
        years.setdefault(ay.year, []).append(ay)
    order = sorted(years, key=lambda y: (y is None, y or 0))
    return [(y, totals(years[y], key_figs)) for y in order]


@dataclass
class Listing:
    files: dict[str, str]
    figures: list[charts.Figure]


def browse_groups(
    catalog: Catalog,
    common: dict[str, Any],
    reuse: Collection[str] = (),
    key_figs: dict[str, figures.KeyFigures] | None = None,
) -> dict[str, Listing]:
    """The browse pages of every group not in ``reuse``, with the charts they show."""
    key_figs = key_figs if key_figs is not None else key_figures(catalog)
    out: dict[str, Listing] = {}
    provinces = catalog.provinces()
    years = catalog.years()
    listing = [
        (t or "未能识别类型", type_doc(t), t, agencies) for t, agencies in catalog.types().items()
    ]
    if BROWSE not in reuse:
        files: dict[str, str] = {}
        doc = "generated/regions/index.md"
        files[doc] = pages.render("regions.md.j2", doc, provinces=provinces, **common)
        doc = "generated/years/index.md"
        files[doc] = pages.render(
            "years.md.j2", doc, years=list(years.items()), year_doc=year_doc, **common
        )
        doc = "generated/types/index.md"
        files[doc] = pages.render(
            "types.md.j2", doc, types=[(n, d, a) for n, d, _, a in listing], **common
        )
        out[BROWSE] = Listing(files, [])
    for node, parents in _walk(provinces, []):
        group = region_group(node)
        if group in reuse:
            continue
        ays = [ay for a in node.all_agencies() for ay in a.sorted_years()]
        text = pages.render(
            "region.md.j2",
            node.doc_path,
            node=node,
            parents=parents,
            totals=totals(ays, key_figs),
            by_year=by_year_rows(ays, key_figs),
            year_doc=year_doc,
            **common,
        )
        out[group] = Listing({node.doc_path: text}, [])
    for year, items in years.items():
        group = year_group(year)
        if group in reuse:
            continue
        by_province: dict[str, list[AgencyYear]] = {}
        for ay in items:
            r = ay.agency.region
            key = r.province if r and r.province else UNKNOWN_REGION
            by_province.setdefault(key, []).append(ay)
        t = totals(items, key_figs)
        figs = [outcome_figure(t)]
        doc = year_doc(year)
        text = pages.render(
            "year.md.j2",
            doc,
            year=year,
            items=items,
            groups=list(by_province.items()),
            totals=t,
            charts=figs,
            **common,
        )
        out[group] = Listing({doc: text}, figs)
    for name, tdoc, agency_type, agencies in listing:
        group = type_group(agency_type)
        if group in reuse:
            continue
        ays = [ay for a in agencies for ay in a.sorted_years()]
        t = totals(ays, key_figs)
        figs = [outcome_figure(t)]
        text = pages.render(
            "type.md.j2",
            tdoc,
            name=name,
            agencies=agencies,
            totals=t,
            charts=figs,
            by_year=by_year_rows(ays, key_figs),
            year_doc=year_doc,
            **common,
        )
        out[group] = Listing({tdoc: text}, figs)
    return out


def browse(catalog: Catalog, common: dict[str, Any]) -> dict[str, str]:
    """Every browse page: docs path → text."""
    return {
        doc: text
        for group in browse_groups(catalog, common).values()
        for doc, text in group.files.items()
    }


def key_figures(catalog: Catalog) -> dict[str, figures.KeyFigures]:
    """The key figures of every report a page shows, by path: made once per build for the
    home page and the comparison table."""
    return {
        r.path: figures.key_figures(r.record) for ay in catalog.agency_years() for r in ay.shown
    }


def compare_rows(
    catalog: Catalog, key_figs: dict[str, figures.KeyFigures] | None = None
) -> list[dict[str, Any]]:
    key_figs = key_figs if key_figs is not None else key_figures(catalog)
    rows = []
    for ay in catalog.agency_years():
        for report in ay.shown:
            k = key_figs[report.path]
            lit = figures.sum_known([k.lit_direct, k.lit_after_review])
            row: dict[str, Any] = {
                "agency": ay.agency.name,
                "url": pages.url_of(ay.doc_path),
                "region": ay.agency.region_text,
                "year": ay.year,
                "received": k.received,
            }
            for key, _ in figures.OUTCOME_GROUPS:
                s = k.shares[key]
                row[f"share_{key}"] = (
                    round(s.value, 6)
                    if s.value is not None
                    else ("na" if s.reason == "zero" else None)
                )
            row.update(
                review=k.review, litigation=lit, errors=ay.count("error"), conflict=ay.conflicting
            )
            rows.append(row)
    return rows


def compare(
    catalog: Catalog, key_figs: dict[str, figures.KeyFigures] | None = None
) -> dict[str, str]:
    rows = compare_rows(catalog, key_figs)
    keys = [k for k, _ in COMPARE_COLUMNS]
    payload = {
        "columns": [{"key": k, "label": label} for k, label in COMPARE_COLUMNS],
        "rows": [[r[k] for k in keys] + [r["url"], r["conflict"]] for r in rows],
    }
    csv_text = compare_csv(catalog, rows)
    doc = "generated/compare.md"
    years = sorted({r["year"] for r in rows if r["year"] is not None})
    return {
        "data/compare.json": dataset.to_json_text(payload),
        "data/compare.csv": csv_text,
        doc: pages.render("compare.md.j2", doc, columns=COMPARE_COLUMNS, years=years),
    }


def compare_csv(catalog: Catalog, rows: list[dict[str, Any]]) -> str:
    """``compare.csv``: the comparison table for a spreadsheet. A numeric column holds a
    number or nothing (a share that cannot be computed, its total being 0, is empty like an
    unknown one; compare.json keeps "na" apart), and the region is three columns."""
    regions = {pages.url_of(ay.doc_path): ay.agency.region for ay in catalog.agency_years()}
    keys = [k for k, _ in COMPARE_COLUMNS if k != "region"]
    labels = dict(COMPARE_COLUMNS)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = [labels["agency"], "省级", "地级", "县级", *(labels[k] for k in keys[1:])]
    writer.writerow(head)
    for r in rows:
        region = regions.get(r["url"])
        places = [
            dataset.csv_text(getattr(region, level) or "") if region is not None else ""
            for level in ("province", "city", "county")
        ]
        values = ["" if r[k] is None or r[k] == "na" else r[k] for k in keys[1:]]
        writer.writerow([dataset.csv_text(r["agency"]), *places, *values])
    return "\ufeff" + buf.getvalue()


def quality(
    catalog: Catalog, build_report: list[dict[str, Any]], report_text: str | None = None
) -> dict[str, str]:
    """The data-quality and build-report pages, and build-report.json (``report_text`` when
    the caller has made it already)."""
    ays = catalog.agency_years()
    order = sorted(
        ays, key=lambda ay: (-ay.count("error"), -ay.count("warning"), ay.agency.key, ay.year or 0)
    )
    with_errors = [ay for ay in order if ay.count("error")]
    with_warnings = [ay for ay in order if not ay.count("error") and ay.count("warning")]
    failed = [e for e in build_report if e["status"] == "failed"]
    doc = "generated/quality.md"
    out = {
        doc: pages.render(
            "quality.md.j2",
            doc,
            with_errors=with_errors,
            with_warnings=with_warnings,
            failed=failed,
        )
    }
    counts: dict[str, int] = {}
    for e in build_report:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    listed = [e for e in build_report if e["status"] != "ok" or len(build_report) <= 1000]
    doc = "generated/build-report.md"
    out[doc] = pages.render(
        "build_report.md.j2",
        doc,
        entries=listed,
        counts=counts,
        hidden_ok=len(build_report) - len(listed),
        statuses=list(STATUS_NAMES.items()),
        status_names=STATUS_NAMES,
    )
    out["data/build-report.json"] = report_text or build_report_json(build_report)
    return out


def build_report_json(build_report: list[dict[str, Any]]) -> str:
    """``{"files": [...]}``, a file a line: as easy to read and grep as indented JSON, a
    quarter smaller (it is published: 3 MB at 10,000 reports)."""
    entries = ",\n".join(
        json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in build_report
    )
    return '{"files":[\n' + entries + "\n]}\n"


def data(
    catalog: Catalog, done: dict[str, str | bytes], parts: dataset.Parts | None = None
) -> dict[str, str | bytes]:
    reports = catalog.reports()
    parts = parts or dataset.Parts()
    version = dataset.dataset_version(reports, parts)
    log = dataset.changes(version, reports, parts, parts.previous, parts.previous_log)
    out: dict[str, str | bytes] = {
        dataset.ZIP_DOC: dataset.data_zip(reports, parts, version),
        "data/fields.csv": dataset.fields_csv(),
        "data/changes.json": dataset.to_json_text(log, indent=1),
        "data/version.js": dataset.version_js(version),
    }
    described = {
        dataset.ZIP_DOC: "全部数据，压缩为 zip：gongkai.json（每份报告一条记录，含正文）、gongkai.csv（长格式：每行一份报告的一格）、字段表和数据版本",
        "data/fields.csv": "字段表：两种格式的每一行、每一列及其标签",
        "data/compare.csv": "比较表：每个机关每个年度的主要数字和比例",
        "data/indicators.csv": "指标：每行一个机关一个年度（宽格式），每项指标的值、分子、分母和状态；公式见字段表",
        "data/build-report.json": "构建报告：每个输入文件的处理结果",
        "data/changes.json": "更新记录：每个数据版本增删了哪些报告、改动了哪些已发布的数字及原因",
    }
    downloads = [(doc, what, _size(out.get(doc, done.get(doc)))) for doc, what in described.items()]
    table3_rows: dict[str, tuple[str, list[str]]] = {}
    for fmt in layout.FORMATS:
        for row in layout.TABLE3_ROWS[fmt]:
            label, fmts = table3_rows.setdefault(row.key, (layout.table3_label(fmt, row.key), []))
            fmts.append(fmt)
    doc = "data/index.md"
    out[doc] = pages.render(
        "data.md.j2",
        doc,
        downloads=downloads,
        csv_columns=dataset.CSV_COLUMNS,
        record_keys=RECORD_KEYS,
        table3_rows=[(k, label, fmts) for k, (label, fmts) in table3_rows.items()],
        rules=list(layout.RULES.values()),
        indicator_statuses=list(standing.STATUS_NAMES.items()),
        license=dataset.LICENSE,
        license_url=dataset.LICENSE_URL,
        code_license=dataset.CODE_LICENSE,
        format_names={k: v for k, v in pages.FORMAT_NAMES.items() if k in layout.FORMATS},
        version=version,
        latest=log["versions"][0],
        corrected=[(r, ay) for ay in catalog.agency_years() for r in ay.reports if r.corrections],
    )
    return out


def _size(content: str | bytes | None) -> str:
    if content is None:
        return "见文件"
    n = len(content.encode("utf-8") if isinstance(content, str) else content)
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"
