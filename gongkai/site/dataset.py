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
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from gongkai import layout
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
        for table, row, col, value in _cells(tables, r.format):
            yield [*head, table, row, col, csv_value(value), csv_text(report.path)]


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
    """One report's share of the dataset files: its rows of the long CSV, its JSON item."""

    csv: bytes
    json: bytes


class Parts:
    """Each report's share of the dataset files, kept across builds by the build
    (``known``/``used``), keyed by what the share is made from.

    At 10,000 reports the long CSV is 250 MB: writing its 2 million rows takes longer than
    everything else a rebuild does; a report that did not change keeps its bytes.
    """

    def __init__(self, known: dict[str, Part] | None = None, salt: str = ""):
        self.known = known or {}
        self.used: dict[str, Part] = {}
        self.salt = salt
        self._keys: dict[tuple, str] = {}  # what key() hashes → the hash (asked for twice)

    def key(self, report: Report) -> str | None:
        """A hash of everything the report's share is made from (None: not cacheable)."""
        source = report.record.source
        if source is None:
            return None
        what = (report.path, source.sha256, report.meta.url, report.meta.published)
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
            part = Part(_csv_rows(report), _json_item(report))
        if key is not None:
            self.used[key] = part
        return part


# zlib level of the CSV zip, measured on the 253 MB CSV of 10,000 reports: level 3 takes
# 0.5 s for 9.7 MB, level 6 1.5 s for 8.3 MB, level 9 2.7 s for 8.2 MB. Every rebuild
# compresses the whole file again, and a rebuild after one report changes has 15 s in all.
CSV_ZIP_LEVEL = 3


def csv_zip(reports: Iterable[Report], parts: Parts | None = None) -> bytes:
    """``gongkai-csv.zip``: the long CSV (``csv_bytes``, from the kept parts) and the fields."""
    parts = parts or Parts()
    data = b"".join([csv_head(), *(parts.of(r).csv for r in reports)])
    return to_zip({"gongkai.csv": data, "fields.csv": fields_csv()}, CSV_ZIP_LEVEL)


def report_json(report: Report, page_url: str | None = None) -> dict[str, Any]:
    """One report's record as published: record keys plus where it came from."""
    data = report.record.to_json()
    data["source_path"] = report.path
    data["original_url"] = report.url
    data["published"] = report.published
    if page_url is not None:
        data["page"] = page_url
    return data


def dataset_json(reports: Iterable[Report]) -> dict[str, Any]:
    """The numbers of every report (narrative text is in each report's own JSON file)."""
    return {**_DATASET_HEAD, "reports": [_dataset_item(r) for r in reports]}


def dataset_json_bytes(reports: Iterable[Report], parts: Parts | None = None) -> bytes:
    """``to_json_text(dataset_json(reports))``, put together from each report's item."""
    parts = parts or Parts()
    head = json.dumps(_DATASET_HEAD, ensure_ascii=False)[:-1].encode("utf-8")
    items = b", ".join(parts.of(r).json for r in reports)
    return head + b', "reports": [' + items + b"]}\n"


_DATASET_HEAD = {
    "record_version": layout.RECORD_VERSION,
    "license": LICENSE,
    "license_url": LICENSE_URL,
}


def _dataset_item(report: Report) -> dict[str, Any]:
    data = report_json(report)
    data.pop("sections", None)
    data.pop("lines", None)
    data.pop("places", None)
    return data


def _json_item(report: Report) -> bytes:
    return json.dumps(_dataset_item(report), ensure_ascii=False).encode("utf-8")


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
    return "\ufeff" + buf.getvalue()


def to_zip(members: dict[str, str | bytes], level: int = 9) -> bytes:
    """A zip of text files, byte-identical on every build (fixed dates and order).

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
            archive.writestr(
                info, data.encode("utf-8") if isinstance(data, str) else data, compresslevel=level
            )
    return buf.getvalue()
