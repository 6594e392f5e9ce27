"""Publish stage: the records as a downloadable dataset (long CSV, JSON) and its field list.

The long form has one line per cell of every report: the numbers exactly as the record
holds them, an empty value for null (never 0). Field descriptions come from
:mod:`gongkai.layout`, so the documentation cannot drift from the data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from gongkai import layout
from gongkai.check.indicators import INDICATORS, indicators
from gongkai.model import Report

LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
CODE_LICENSE = "MIT"

CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("agency", "机关名称（报告标题所印，去掉空白）"),
    ("province_code", "省级行政区划代码（未能识别为空）"),
    ("city_code", "地级行政区划代码（未能识别或不适用为空）"),
    ("county_code", "县级行政区划代码（未能识别或不适用为空）"),
    ("year", "报告所属年度（不是发布年份）"),
    ("format", "报告格式：F2021（2021 年格式）、F2019（2019 年试行格式）或 unknown"),
    ("table", "表：table2（主动公开）、table3（申请办理）、table4（复议诉讼）"),
    ("row", "行键，见下方字段表"),
    ("column", "列键，见下方字段表"),
    ("value", "报告所印数值；为空表示报告未填写或无法可靠读取（不是 0）"),
    ("source", "报告文件路径"),
    ("read_value", "本站维护者更正了这一格时：程序原先读出的值（空为未读出）；未更正为空"),
    ("correction_reason", "本站维护者更正这一格的理由（value 为更正后的值）；未更正为空"),
)


@dataclass(frozen=True)
class Field:
    """One cell position of a format: where it is and what the report's label says."""

    format: str
    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    unit: str | None
    kind: str


@cache
def fields() -> tuple[Field, ...]:
    """Every row × column of both formats, in the tables' order."""
    out: list[Field] = []
    for fmt in layout.FORMATS:
        for block in layout.TABLE2[fmt]:
            for row in block.rows:
                for col in block.columns:
                    label = f"{block.header} {row.label}"
                    out.append(
                        Field(fmt, "table2", row.key, col.key, label, col.label, col.unit, col.kind)
                    )
        for row in layout.TABLE3_ROWS[fmt]:
            for col in layout.TABLE3_COLUMNS:
                out.append(
                    Field(
                        fmt,
                        "table3",
                        row.key,
                        col.key,
                        layout.table3_label(fmt, row.key),
                        col.label,
                        "件",
                        col.kind,
                    )
                )
        for group in layout.TABLE4_GROUPS:
            for col in layout.TABLE4_COLUMNS:
                out.append(
                    Field(fmt, "table4", group.key, col.key, group.label, col.label, "件", col.kind)
                )
    return tuple(out)


def _cells(
    record_tables: dict[str, dict[str, dict[str, Any]]], fmt: str
) -> Iterator[tuple[str, str, str, Any]]:
    """(table, row, column, value) in the layout's order; a record of unknown format in its own."""
    if fmt in layout.FORMATS:
        for f in fields():
            if f.format == fmt:
                yield f.table, f.row, f.column, record_tables[f.table].get(f.row, {}).get(f.column)
        return
    for table in ("table2", "table3", "table4"):
        for row, cols in record_tables[table].items():
            for col, value in cols.items():
                yield table, row, col, value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else f"{value:.1f}"
    return str(value)


def csv_text(text: str) -> str:
    """Report-derived text for a CSV cell: never a spreadsheet formula (=cmd|… in a name)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def long_rows(reports: Iterable[Report]) -> Iterator[list[str]]:
    for report in reports:
        r = report.record
        region = r.region
        head = [
            csv_text(r.agency or ""),
            (region.province_code if region else None) or "",
            (region.city_code if region else None) or "",
            (region.county_code if region else None) or "",
            "" if r.year is None else str(r.year),
            r.format,
        ]
        tables = {"table2": r.table2, "table3": r.table3, "table4": r.table4}
        fixed = {c.cell: c for c in report.corrections}
        for table, row, col, value in _cells(tables, r.format):
            c = fixed.get(f"{table}.{row}.{col}") if fixed else None
            how = [csv_value(c.read), csv_text(c.reason)] if c is not None else ["", ""]
            yield [*head, table, row, col, csv_value(value), csv_text(report.path), *how]


def to_csv(reports: Iterable[Report]) -> str:
    """The whole dataset, long form, UTF-8 with a BOM so that Excel reads the Chinese."""
    return csv_bytes(reports).decode("utf-8")


def csv_bytes(reports: Iterable[Report]) -> bytes:
    return b"".join([csv_head(), *(_csv_rows(r) for r in reports)])


@cache
def csv_head() -> bytes:
    return "\ufeff".encode() + _csv_line([name for name, _ in CSV_COLUMNS])


def _csv_line(row: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().encode("utf-8")


def _csv_rows(report: Report) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(long_rows([report]))
    return buf.getvalue().encode("utf-8")


class Part(NamedTuple):
    """One report's share of the dataset files: its rows of the long CSV, its JSON item
    without the narrative (what the version and the change log are made from), and its
    narrative (``sections``, as JSON), which the item of ``gongkai.json`` ends with."""

    csv: bytes
    json: bytes
    sections: bytes


class Parts:
    """Each report's share of the dataset files, kept across builds by the build
    (``known``/``used``), keyed by what the share is made from.

    At 10,000 reports the long CSV is 250 MB: writing its 2 million rows takes longer than
    everything else a rebuild does; a report that did not change keeps its bytes.
    """

    def __init__(
        self,
        known: dict[str, Part] | None = None,
        salt: str = "",
        previous: bytes | None = None,
        previous_log: bytes | None = None,
        narrative: Callable[[Report], dict[str, str]] | None = None,
    ):
        self.known = known or {}
        # the last published gongkai.json and changes.json, for the change log (changes)
        self.previous = previous
        self.previous_log = previous_log
        # a summary's narrative (the build keeps only summaries of the reports whose pages
        # it does not make again: gongkai.build.inputs.summary), for a share not kept
        self.narrative = narrative
        self.used: dict[str, Part] = {}
        self.salt = salt
        self._keys: dict[tuple, str] = {}  # what key() hashes → the hash (asked for twice)

    def key(self, report: Report) -> str | None:
        """A hash of everything the report's share is made from (None: not cacheable)."""
        source = report.record.source
        if source is None:
            return None
        corrections = tuple((c.cell, c.value, c.reason) for c in report.corrections)
        what = (report.path, source.sha256, report.meta.url, report.meta.published, corrections)
        key = self._keys.get(what)
        if key is None:
            key = self._keys[what] = hashlib.sha256(
                json.dumps([self.salt, *what], ensure_ascii=False).encode("utf-8")
            ).hexdigest()[:32]
        return key

    def of(self, report: Report) -> Part:
        key = self.key(report)
        part = (self.used.get(key) or self.known.get(key)) if key is not None else None
        if part is None:
            part = Part(_csv_rows(report), _json_item(report), _sections(self._narrative(report)))
        if key is not None:
            self.used[key] = part
        return part

    def _narrative(self, report: Report) -> dict[str, str]:
        if report.light is None:
            return report.record.sections
        if self.narrative is None:  # the summary has none: the dataset would lose it
            raise ValueError(f"{report.path}: 报告只有摘要记录，没有正文（应给出 narrative）")
        return self.narrative(report)


# zlib levels of the data zip. Every rebuild compresses the whole zip again, and a rebuild
# after one report changes has 15 s in all. Measured on the 253 MB CSV of 10,000 reports:
# level 3 takes 0.5 s for 9.7 MB, level 6 1.5 s for 8.3 MB, level 9 2.7 s for 8.2 MB; on
# the 90 MB JSON of 10,000 synthetic reports: level 3 0.33 s for 10.2 MB, level 6 0.57 s
# for 7.0 MB.
ZIP_LEVEL = 3
ZIP_LEVELS = {"gongkai.json": 6}
ZIP_DOC = "data/gongkai.zip"


def data_zip(
    reports: Sequence[Report], parts: Parts | None = None, version: Version | None = None
) -> bytes:
    """``gongkai.zip``: every record (``gongkai.json``, narrative included), the long CSV
    (``gongkai.csv``), the fields and the dataset's version and date (``version.json``),
    all made from the kept parts. Each member is made only when it is written (at 10,000
    reports the CSV is 250 MB and the JSON 90 MB)."""
    parts = parts or Parts()
    members: dict[str, Member] = {
        "gongkai.json": lambda: dataset_json_bytes(reports, parts, version),
        "gongkai.csv": lambda: b"".join([csv_head(), *(parts.of(r).csv for r in reports)]),
        "fields.csv": fields_csv(),
    }
    if version is not None:
        members["version.json"] = to_json_text(version.to_json(), indent=1)
    return to_zip(members, ZIP_LEVEL, ZIP_LEVELS)


def report_json(
    report: Report, page_url: str | None = None, text_url: str | None = None
) -> dict[str, Any]:
    """One report's record as published: record keys plus where it came from, the line map
    in its compact form (:func:`compact_lines`) and the maintainer's corrections beside the
    tables (which hold the corrected values). Not the narrative (``sections``): the report's
    原文 page shows it, and the dataset's ``gongkai.json`` holds it (a third copy would cost
    each report ~2.5 KB of the site's size); nor the indicators, which are derived, shown on
    the page and kept in ``indicators.csv`` and ``gongkai.json`` (1.4 KB a report)."""
    data = report.record.to_json()
    del data["sections"]
    data["lines"] = compact_lines(report.record)
    data["source_path"] = report.path
    data["original_url"] = report.url
    data["published"] = report.published
    data["corrections"] = [c.to_json() for c in report.corrections]
    if page_url is not None:
        data["page"] = page_url
    if text_url is not None:
        data["source_text"] = text_url
    return data


def compact_lines(record: Any) -> dict[str, int | None]:
    """The record's line map (cell → line) in the form published: a row's key
    (``table3.granted``) gives the line of every cell of the row, and a cell's own key
    (``table3.granted.total``) only where it differs: another line, or ``null`` for a cell
    with no line. Nothing is lost: a cell's line is ``lines[cell]`` if the key is there,
    else ``lines[row]``. A report's numbers come a row to a line: this is ~5× smaller."""
    by_row: dict[str, dict[str, int]] = {}
    for ref, line in record.lines.items():
        table, _, rest = ref.partition(".")
        row, _, col = rest.rpartition(".")
        by_row.setdefault(f"{table}.{row}", {})[col] = line
    out: dict[str, int | None] = {}
    for key, cols in by_row.items():
        table, _, row = key.partition(".")
        values = getattr(record, table, {}).get(row) if table in TABLES else None
        if values is None or not set(cols) <= set(values):
            out.update((f"{key}.{col}", line) for col, line in cols.items())
            continue
        counts: dict[int, int] = {}
        for line in cols.values():
            counts[line] = counts.get(line, 0) + 1
        common = max(counts, key=lambda n: (counts[n], -n))
        out[key] = common
        for col in values:
            if cols.get(col) != common:
                out[f"{key}.{col}"] = cols.get(col)
    return out


def expand_lines(data: dict[str, Any]) -> dict[str, int]:
    """The per-cell line map back from a published record (the inverse of compact_lines)."""
    out: dict[str, int | None] = {}
    cells: dict[str, int | None] = {}
    for key, line in data["lines"].items():
        table, _, row = key.partition(".")
        cols = (data.get(table) or {}).get(row)
        if cols is None:  # a cell's own key
            cells[key] = line
        else:
            out.update((f"{key}.{col}", line) for col in cols)
    out.update(cells)
    return {k: v for k, v in out.items() if v is not None}


TABLES = ("table2", "table3", "table4")


def compact_json(data: Any) -> str:
    """JSON without the spaces after separators (a tenth of a record's bytes)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def dataset_json(reports: Iterable[Report]) -> dict[str, Any]:
    """Every report's record with its indicators, its narrative (``sections``) last; the
    line numbers and places on the page are in each report's own JSON file."""
    return {
        **_DATASET_HEAD,
        "reports": [{**_dataset_item(r), "sections": r.record.sections} for r in reports],
    }


def dataset_json_bytes(
    reports: Iterable[Report], parts: Parts | None = None, version: Version | None = None
) -> bytes:
    """``to_json_text(dataset_json(reports))``, put together from each report's item;
    with ``version``, its version, date and count of reports after the license."""
    parts = parts or Parts()
    top = {**_DATASET_HEAD, **(version.to_json() if version is not None else {})}
    head = json.dumps(top, ensure_ascii=False)[:-1].encode("utf-8")
    items = b", ".join(_with_sections(parts.of(r)) for r in reports)
    return head + b', "reports": [' + items + b"]}\n"


def _with_sections(part: Part) -> bytes:
    return part.json[:-1] + b', "sections": ' + part.sections + b"}"


_DATASET_HEAD = {
    "record_version": layout.RECORD_VERSION,
    "license": LICENSE,
    "license_url": LICENSE_URL,
}


def _dataset_item(report: Report) -> dict[str, Any]:
    data = report_json(report)
    data.pop("lines", None)
    data.pop("places", None)
    # derived from the cells above, never mixed with them (gongkai.check.indicators)
    data["indicators"] = {k: v.to_json() for k, v in indicators(report.record).items()}
    return data


def _json_item(report: Report) -> bytes:
    return json.dumps(_dataset_item(report), ensure_ascii=False).encode("utf-8")


def _sections(sections: dict[str, str]) -> bytes:
    return json.dumps(sections, ensure_ascii=False).encode("utf-8")


def to_json_text(data: Any, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False) + "\n"


def fields_csv() -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["format", "table", "row", "column", "row_label", "column_label", "unit", "kind"]
    )
    for f in fields():
        writer.writerow(
            [f.format, f.table, f.row, f.column, f.row_label, f.column_label, f.unit or "", f.kind]
        )
    # the indicators (indicators.csv, the records' "indicators" key): name and formula
    for ind in INDICATORS:
        writer.writerow(
            ["", "indicators", ind.key, "value", ind.name, ind.formula, ind.unit, "indicator"]
        )
    return "\ufeff" + buf.getvalue()


Member = str | bytes | Callable[[], str | bytes]  # a zip member's text, or what makes it


def to_zip(
    members: Mapping[str, Member], level: int = 9, levels: Mapping[str, int] | None = None
) -> bytes:
    """A zip of text files, byte-identical on every build (fixed dates and order); a member
    given as a function is made when it is written, and let go before the next. ``levels``:
    the zlib level of some members, by name (the others: ``level``).

    The long CSV is ~25 KB per report (250 MB at 10,000 reports, a quarter of what GitHub
    Pages may host); zipped it is ~25× smaller, and every phone and desktop opens a zip.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = members[name]
            if callable(data):
                data = data()
            archive.writestr(
                info,
                data.encode("utf-8") if isinstance(data, str) else data,
                compresslevel=(levels or {}).get(name, level),
            )
    return buf.getvalue()


# ---------------------------------------------------------------- wide CSV (as printed)


def _wide_blocks(fmt: str) -> list[tuple[str, list[str], list[tuple[str, str, str, list[str]]]]]:
    """(table name, column labels, [(table, row key, row label, column keys)]) of each block
    of a format's tables as the pages print them: 表二 block by block, 表三, 表四."""
    out: list[tuple[str, list[str], list[tuple[str, str, str, list[str]]]]] = []
    if fmt in layout.TABLE2:
        for block in layout.TABLE2[fmt]:
            cols = [c.key for c in block.columns]
            out.append(
                (
                    f"表二 {block.header}",
                    [c.label for c in block.columns],
                    [("table2", r.key, r.label, cols) for r in block.rows],
                )
            )
    if fmt in layout.TABLE3_ROWS:
        cols = [c.key for c in layout.TABLE3_COLUMNS]
        out.append(
            (
                "表三 收到和处理政府信息公开申请情况",
                [c.label for c in layout.TABLE3_COLUMNS],
                [
                    ("table3", r.key, layout.table3_label(fmt, r.key), cols)
                    for r in layout.TABLE3_ROWS[fmt]
                ],
            )
        )
    cols = [c.key for c in layout.TABLE4_COLUMNS]
    out.append(
        (
            "表四 政府信息公开行政复议、行政诉讼情况",
            [c.label for c in layout.TABLE4_COLUMNS],
            [("table4", g.key, g.label, cols) for g in layout.TABLE4_GROUPS],
        )
    )
    return out


def _csv_doc(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def report_csv(report: Report, page_url: str | None = None) -> bytes:
    """One report's tables as printed (wide: a row per table row, a column per column),
    UTF-8 with a BOM and CRLF so that Excel and WPS open it as it is; an empty cell is a blank
    or unreadable cell (never 0); a corrected cell holds the corrected value, and the
    corrections are listed below the tables with what was read and why."""
    r = report.record
    rows: list[list[Any]] = [
        ["机关", csv_text(r.agency or "")],
        ["年度", "" if r.year is None else r.year],
        ["报告格式", r.format],
        ["原文链接", csv_text(report.url or "")],
        ["发布日期", csv_text(report.published or "")],
        ["本站页面", page_url or ""],
        ["说明", "空格表示报告未填写或无法可靠读取（不是 0）"],
    ]
    if r.format not in layout.FORMATS:
        rows.append(["", "报告格式未能识别，表格无法按标准格式读出；数据见同名 JSON 文件"])
        return _csv_doc(rows)
    for title, labels, table_rows in _wide_blocks(r.format):
        rows += [[], [title], ["", *labels, "行键"]]
        for table, key, label, cols in table_rows:
            values = getattr(r, table).get(key, {})
            rows.append([label, *(csv_value(values.get(c)) for c in cols), key])
    if report.corrections:
        rows += [[], ["本站维护者的更正（表中为更正后的值）"], ["格", "更正为", "程序读出", "理由"]]
        for c in report.corrections:
            rows.append(
                [
                    layout.cell_name(c.cell, r.format),
                    csv_value(c.value),
                    csv_value(c.read),
                    csv_text(c.reason),
                ]
            )
    return _csv_doc(rows)


def agency_csv(name: str, reports: list[tuple[str, Report]]) -> bytes:
    """One agency's years side by side (``reports``: (year title, report), oldest first):
    each table as printed, its columns repeated for each year under a row of year titles;
    the years of each format together (the formats' tables differ). Empty = blank or
    unreadable (never 0)."""
    rows: list[list[Any]] = [
        ["机关", csv_text(name)],
        [
            "说明",
            "各表按报告的样式排列，每个年度一组栏目；空格表示报告未填写或无法可靠读取（不是 0）",
        ],
    ]
    formats = dict.fromkeys(
        r.record.format for _, r in reports if r.record.format in layout.FORMATS
    )
    for fmt in formats:
        years = [(title, r.record) for title, r in reports if r.record.format == fmt]
        rows += [[], [f"{_FORMAT_TITLES.get(fmt, fmt)}：{'、'.join(t for t, _ in years)}"]]
        for title, labels, table_rows in _wide_blocks(fmt):
            rows += [
                [],
                [title],
                ["", *(t for t, _ in years for _ in labels), "行键"],
                ["", *(label for _ in years for label in labels), ""],
            ]
            for table, key, label, cols in table_rows:
                values = [
                    csv_value(getattr(record, table).get(key, {}).get(c))
                    for _, record in years
                    for c in cols
                ]
                rows.append([label, *values, key])
    return _csv_doc(rows)


_FORMAT_TITLES = {"F2021": "2021 年格式", "F2019": "2019 年试行格式"}


# ---------------------------------------------------------------- version, date, changes

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def iso_date(text: str | None) -> str | None:
    """``2024年1月20日``, ``2024-01-20 10:00``, ``2024/1/20`` → ``2024-01-20``; else None."""
    m = _DATE.search(text or "")
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1990 <= year <= 2999):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Version:
    """The dataset's version: a digest of every published number and correction (so it
    changes exactly when a published value does), the newest publication date among the
    reports (the data's own date: never the clock) and the number of reports."""

    version: str
    updated: str | None
    reports: int

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "updated": self.updated, "report_count": self.reports}

    @property
    def text(self) -> str:
        if self.updated:
            return f"{self.updated}（数据版本 {self.version}）"
        return f"（报告均未给出发布日期）数据版本 {self.version}"


def dataset_version(reports: list[Report], parts: Parts) -> Version:
    digest = hashlib.sha256(f"gongkai-data {layout.RECORD_VERSION}".encode())
    for r in reports:
        digest.update(b"\0" + parts.of(r).json)
    dates = [d for r in reports if (d := iso_date(r.published)) is not None]
    return Version(digest.hexdigest()[:12], max(dates) if dates else None, len(reports))


def version_js(v: Version) -> str:
    """``data/version.js``: fills the date and version into every page's footer. One small
    shared file, so that a new report does not rewrite every page (see the data page)."""
    text = json.dumps(v.text, ensure_ascii=False)
    return (
        "// gongkai：数据版本与更新日期（由数据算出，不取构建时的时钟）\n"
        f"var gongkaiData={compact_json(v.to_json()).strip()};\n"
        'document.querySelectorAll(".gk-updated").forEach(function(e){e.textContent='
        f"{text}}});\n"
    )


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{t}.{row}.{col}": v
        for t in TABLES
        for row, cols in (item.get(t) or {}).items()
        for col, v in cols.items()
    }


MAX_LOGGED_CELLS = 50  # per report and version: the rest is counted


def changes(
    version: Version,
    reports: list[Report],
    parts: Parts,
    previous: bytes | None,
    previous_log: bytes | None,
) -> dict[str, Any]:
    """``data/changes.json``: the dataset's change log, newest version first. Each version
    lists the reports added and removed and, for every report whose published numbers
    changed, each number before and after and why (the file changed, the maintainer's
    correction changed, or the program reads it differently now). ``previous``: the last
    published ``gongkai.json``, ``previous_log`` its ``changes.json`` (both optional: the
    maintainer or CI puts them in ``build/previous/``); without them the log starts here."""
    old_items: dict[str, dict[str, Any]] = {}
    old_version: str | None = None
    if previous:
        try:
            old = json.loads(previous)
            old_version = old.get("version")
            old_items = {i["source_path"]: i for i in old.get("reports", [])}
        except (ValueError, TypeError, KeyError, AttributeError):
            old_items, old_version = {}, None
    history: list[dict[str, Any]] = []
    if previous_log:
        try:
            history = list(json.loads(previous_log).get("versions", []))
        except (ValueError, TypeError, AttributeError):
            history = []
    if old_version == version.version and history:
        return {"version": version.version, "versions": history}
    entry: dict[str, Any] = {**version.to_json(), "previous": old_version}
    if old_version is None:
        entry["note"] = "本站数据首次发布（或没有上一版可以对照）"
    else:
        added, changed = [], []
        current = {r.path for r in reports}
        for r in reports:
            item = json.loads(parts.of(r).json)
            before = old_items.get(r.path)
            if before is None:
                added.append(r.path)
                continue
            new_values, old_values = _values(item), _values(before)
            cells = sorted(
                c
                for c in set(new_values) | set(old_values)
                if new_values.get(c) != old_values.get(c)
            )
            if not cells:
                continue
            same_file = (before.get("source") or {}).get("sha256") == (
                item.get("source") or {}
            ).get("sha256")
            if not same_file:
                why = "报告文件有改动"
            elif before.get("corrections") != item.get("corrections"):
                why = "维护者更正了本站读错的数字"
            else:
                why = "本站程序读取报告的方法有改进"
            changed.append(
                {
                    "path": r.path,
                    "agency": item.get("agency"),
                    "year": item.get("year"),
                    "why": why,
                    "cells": [
                        {"cell": c, "before": old_values.get(c), "after": new_values.get(c)}
                        for c in cells[:MAX_LOGGED_CELLS]
                    ],
                    "cells_changed": len(cells),
                    "corrections": item.get("corrections", []),
                }
            )
        entry.update(
            added=added, removed=sorted(p for p in old_items if p not in current), changed=changed
        )
    return {"version": version.version, "versions": [entry, *history]}
