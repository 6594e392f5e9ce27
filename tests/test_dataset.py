"""The downloadable dataset: long CSV, JSON, field list; values exactly as the seeds print them."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from gongkai import layout
from gongkai.model import Report
from gongkai.site import dataset


def rows_of(record, path="reports/x.txt") -> list[dict[str, str]]:
    text = dataset.to_csv([Report(path, record)])
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def cell(rows, table, row, column) -> str:
    (found,) = [r for r in rows if (r["table"], r["row"], r["column"]) == (table, row, column)]
    return found["value"]


def test_csv_columns():
    rows = dataset.to_csv([])[1:].splitlines()
    assert rows == [",".join(name for name, _ in dataset.CSV_COLUMNS)]


def test_panzhihua_long_rows(seeds):
    rows = rows_of(seeds["panzhihua"], "reports/003_f5e83598e54ab4ab.txt")
    assert cell(rows, "table2", "licensing", "decisions") == "14"
    assert cell(rows, "table2", "normative_docs", "valid") == "7"
    first = rows[0]
    assert (
        first["agency"] == "攀枝花市科学技术局"
        and first["year"] == "2023"
        and first["format"] == "F2021"
    )
    assert (first["province_code"], first["city_code"], first["county_code"]) == (
        "510000",
        "510400",
        "",
    )
    assert first["source"] == "reports/003_f5e83598e54ab4ab.txt"
    # every cell of the format, once: 表二 10 + 表三 25×7 + 表四 15
    assert len(rows) == 10 + 25 * 7 + 15


def test_yanchi_long_rows(seeds):
    rows = rows_of(seeds["yanchi"])
    assert cell(rows, "table3", "new_received", "natural_person") == "1"
    assert cell(rows, "table3", "unable.not_held", "total") == "1"
    assert cell(rows, "table3", "granted", "total") == "0"


def test_qingtongxia_f2019_and_null_as_empty(seeds):
    rows = rows_of(seeds["qingtongxia"])
    assert len(rows) == 23 + 23 * 7 + 15  # 表二 22 numbers + the printed unit of 采购总金额
    assert cell(rows, "table2", "other_services", "delta_items") == "2"
    assert cell(rows, "table2", "other_services", "decisions") == "2"
    for col in ("upheld", "corrected", "other", "pending", "total"):
        assert cell(rows, "table4", "review", col) == "", "blank in the report: empty, not 0"
    assert cell(rows, "table4", "lit_direct", "total") == "0"
    assert cell(rows, "table3", "other", "total") == "0"  # F2019's single （六） row


def test_wuwei_keeps_its_own_error(seeds):
    rows = rows_of(seeds["wuwei"])
    assert cell(rows, "table3", "unable.not_held", "total") == "1"
    assert cell(rows, "table3", "total_processed", "total") == "0"


def test_csv_values():
    assert dataset.csv_value(None) == ""
    assert dataset.csv_value(0) == "0"
    assert dataset.csv_value(1.25) == "1.25"
    assert dataset.csv_value(-3) == "-3"
    assert dataset.csv_value("元") == "元"


def test_dataset_json(seeds):
    data = dataset.dataset_json([Report("reports/y.txt", seeds["yanchi"])])
    assert data["license"] == "CC BY 4.0" and data["record_version"] == layout.RECORD_VERSION
    (item,) = data["reports"]
    assert (
        item["agency"] == "盐池县科学技术局"
        and item["table3"]["new_received"]["natural_person"] == 1
    )
    assert "sections" not in item and item["source_path"] == "reports/y.txt"
    json.loads(dataset.to_json_text(data))


def test_report_json_has_everything(seeds):
    data = dataset.report_json(Report("reports/y.txt", seeds["qingtongxia"]), "agencies/x/2020/")
    assert data["table4"]["review"]["upheld"] is None
    assert data["sections"] and data["lines"] and data["page"] == "agencies/x/2020/"


def test_fields_cover_the_layout():
    fields = dataset.fields()
    for fmt, size in (("F2021", 10 + 175 + 15), ("F2019", 23 + 161 + 15)):
        assert len([f for f in fields if f.format == fmt]) == size
    keys = {(f.format, f.table, f.row, f.column) for f in fields}
    for fmt in layout.FORMATS:
        empty = layout.empty_tables(fmt)
        for table, rows in empty.items():
            for row, cols in rows.items():
                for col in cols:
                    assert (fmt, table, row, col) in keys
    text = dataset.fields_csv()
    assert "其他对外管理服务事项" in text and "本年增/减" in text


def test_zip_is_deterministic_and_holds_the_csv(seeds):
    reports = [Report("reports/y.txt", seeds["yanchi"])]
    members = {"gongkai.csv": dataset.to_csv(reports), "fields.csv": dataset.fields_csv()}
    data = dataset.to_zip(members)
    assert data == dataset.to_zip(members)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["fields.csv", "gongkai.csv"]
    assert archive.read("gongkai.csv").decode("utf-8") == members["gongkai.csv"]


def test_csv_zip_holds_the_csv(seeds):
    reports = [Report(f"reports/{n}.txt", r) for n, r in sorted(seeds.items())] * 3
    reports += [Report("reports/empty.txt", layout_only_record())]
    data = dataset.csv_zip(reports)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert archive.read("gongkai.csv") == dataset.csv_bytes(reports)
    assert archive.read("fields.csv").decode("utf-8") == dataset.fields_csv()


def layout_only_record():
    from gongkai.model import Record

    return Record("某机关", 2023, "unknown", {}, {}, {})  # no cells: no rows in the CSV
