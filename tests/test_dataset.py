"""The downloadable dataset: long CSV, JSON, field list; values exactly as the seeds print them."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, bump_first_count, make_project

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
    assert item["source_path"] == "reports/y.txt"
    # the narrative is in the dataset (each report's own JSON has the line numbers instead)
    assert item["sections"] == seeds["yanchi"].sections and list(item)[-1] == "sections"
    assert "lines" not in item and "places" not in item
    json.loads(dataset.to_json_text(data))


def test_report_json_has_everything_but_the_narrative(seeds):
    data = dataset.report_json(Report("reports/y.txt", seeds["qingtongxia"]), "agencies/x/2020/")
    assert data["table4"]["review"]["upheld"] is None
    assert data["lines"] and data["page"] == "agencies/x/2020/"
    assert "sections" not in data  # the page shows it, gongkai.zip's gongkai.json holds it
    record_keys = ["record_version", "agency", "year", "format", "table2", "table3", "table4"]
    assert list(data)[: len(record_keys)] == record_keys


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


def test_data_zip_holds_the_json_and_the_csv(seeds):
    reports = [Report(f"reports/{n}.txt", r) for n, r in sorted(seeds.items())] * 3
    reports += [Report("reports/empty.txt", layout_only_record())]
    parts = dataset.Parts()
    version = dataset.dataset_version(reports, parts)
    data = dataset.data_zip(reports, parts, version)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert archive.namelist() == ["fields.csv", "gongkai.csv", "gongkai.json", "version.json"]
    assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert archive.read("gongkai.csv") == dataset.csv_bytes(reports)
    assert archive.read("fields.csv").decode("utf-8") == dataset.fields_csv()
    published = json.loads(archive.read("gongkai.json"))
    assert published == {**dataset.dataset_json(reports), **version.to_json()}
    assert published["reports"][0]["sections"] == reports[0].record.sections
    assert json.loads(archive.read("version.json")) == version.to_json()
    assert dataset.data_zip(reports, dataset.Parts(), version) == data  # byte-identical


def test_a_summary_without_its_kept_share_has_its_narrative_read_again(seeds):
    """The build keeps only a summary (no narrative) of a report whose pages it does not
    make again; if that report's dataset share was not kept, the narrative is read again
    (never published empty), and without a way to read it the build stops."""
    from gongkai.build.inputs import summary

    whole = Report("reports/y.txt", seeds["yanchi"])
    light = replace(whole, record=summary(whole.record), light="k" * 32)
    asked = []

    def narrative(report):
        asked.append(report.path)
        return whole.record.sections

    parts = dataset.Parts(narrative=narrative)
    assert dataset.dataset_json_bytes([light], parts) == dataset.dataset_json_bytes([whole])
    assert asked == ["reports/y.txt"]
    with pytest.raises(ValueError, match="摘要"):
        dataset.Parts().of(light)


def layout_only_record():
    from gongkai.model import Record

    return Record("某机关", 2023, "unknown", {}, {}, {})  # no cells: no rows in the CSV


# ---------------------------------------------------------------- issue 12: check, download


def test_published_line_map_is_compact_and_loses_nothing(seeds):
    for record in seeds.values():
        data = dataset.report_json(Report("reports/x.txt", record))
        assert dataset.expand_lines(data) == record.lines
        assert len(data["lines"]) * 3 < len(record.lines)  # a row to a line, mostly
        assert json.loads(dataset.compact_json(data)) == data


def test_report_csv_is_the_tables_as_printed(seeds):
    record = seeds["yanchi"]
    data = dataset.report_csv(Report("reports/y.txt", record), "agencies/y/2023/")
    assert data.startswith("\ufeff".encode())  # Excel and WPS read the Chinese
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    header = next(r for r in rows if r and r[0] == "" and "自然人" in r)
    assert header[1:] == [c.label for c in layout.TABLE3_COLUMNS] + ["行键"]
    (new,) = [r for r in rows if r and r[-1] == "new_received"]
    assert new[1:8] == [str(record.table3["new_received"][c.key]) for c in layout.TABLE3_COLUMNS]
    blank = seeds["qingtongxia"]
    rows = list(csv.reader(io.StringIO(dataset.report_csv(Report("q", blank)).decode("utf-8")[1:])))
    (review,) = [r for r in rows if r and r[-1] == "review"]
    assert review[1:6] == ["", "", "", "", ""]  # blank in the report: empty, never 0


def test_agency_csv_puts_years_side_by_side(seeds):
    a, b = seeds["wuwei"], seeds["yanchi"]
    data = dataset.agency_csv("某局", [("2022", Report("a", a)), ("2023", Report("b", b))])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    years = next(r for r in rows if r[-1:] == ["行键"] and "2022" in r and len(r) == 16)
    assert years[1:15] == ["2022"] * 7 + ["2023"] * 7
    (new,) = [r for r in rows if r[-1:] == ["new_received"]]
    width = len(layout.TABLE3_COLUMNS)
    assert new[1 : 1 + width] == [
        str(a.table3["new_received"][c.key]) for c in layout.TABLE3_COLUMNS
    ]
    assert new[width] == str(a.table3["new_received"]["total"]) and new[2 * width] == "1"


def correct(record, corrections):
    from gongkai.build.corrections import apply, sidecar_corrections
    from gongkai.model import Meta

    wanted, notes = sidecar_corrections(corrections)
    return apply(Report("reports/x.txt", record, Meta(corrections=wanted, notes=tuple(notes))))


def test_a_correction_changes_the_value_keeps_what_was_read_and_checks_again(seeds):
    record = seeds["wuwei"]  # prints 总计 0 where its rows add up to 1 (T3-…)
    assert any(p.severity == "error" for p in record.problems)
    fixed = correct(
        record,
        [{"cell": "table3.total_processed.total", "value": 1, "reason": "扫描件误识别"}],
    )
    assert fixed.record.table3["total_processed"]["total"] == 1
    assert record.table3["total_processed"]["total"] == 0  # the cached record is untouched
    (c,) = fixed.corrections
    assert (c.read, c.value, c.reason) == (0, 1, "扫描件误识别")
    assert [p for p in fixed.problems if "table3.total_processed.total" in p.cells] != [
        p for p in record.problems if "table3.total_processed.total" in p.cells
    ]
    data = dataset.report_json(fixed)
    assert data["table3"]["total_processed"]["total"] == 1
    assert data["corrections"] == [
        {"cell": "table3.total_processed.total", "value": 1, "read": 0, "reason": "扫描件误识别"}
    ]
    rows = list(csv.DictReader(io.StringIO(dataset.to_csv([fixed])[1:])))
    (row,) = [r for r in rows if (r["row"], r["column"]) == ("total_processed", "total")]
    assert (row["value"], row["read_value"], row["correction_reason"]) == ("1", "0", "扫描件误识别")
    assert all(r["correction_reason"] == "" for r in rows if r is not row)


@pytest.mark.parametrize(
    ("entry", "note"),
    [
        ({"cell": "table3.nope.total", "value": 1, "reason": "x"}, "不是本报告"),
        ({"cell": "table3.granted.total", "value": 1.5, "reason": "x"}, "不是整数"),
        ({"cell": "table3.granted.total", "value": "五", "reason": "x"}, "不是数字"),
        ({"cell": "table3.granted.total", "value": True, "reason": "x"}, "不是数字"),
        ({"cell": "table3.granted.total", "value": 1}, "理由"),
        ({"value": 1, "reason": "x"}, "没有写明格"),
        ({"cell": "table3.granted.total", "reason": "x"}, "更正后的值"),
        ({"cell": "table3.granted.total", "value": -1, "reason": "x"}, "负数"),
        ("table3.granted.total=1", "应为"),
    ],
)
def test_a_bad_correction_is_a_note_never_a_crash(seeds, entry, note):
    fixed = correct(seeds["yanchi"], [entry])
    assert not fixed.corrections and fixed.record == seeds["yanchi"]
    assert any(note in n for n in fixed.meta.notes), fixed.meta.notes


def test_sidecar_corrections_are_read(tmp_path):
    from gongkai.build.inputs import read_sidecar

    path = tmp_path / "x.yml"
    path.write_text(
        "corrections:\n  - {cell: table3.new_received.total, value: 5, reason: 原文为 5}\n",
        encoding="utf-8",
    )
    meta = read_sidecar(path)
    assert not meta.notes
    assert [(c.cell, c.value, c.reason) for c in meta.corrections] == [
        ("table3.new_received.total", 5, "原文为 5")
    ]
    path.write_text("corrections: 5\n", encoding="utf-8")
    assert "列表" in read_sidecar(path).notes[0]


def test_iso_date():
    assert dataset.iso_date("2024年1月20日") == "2024-01-20"
    assert dataset.iso_date("2024-01-20 10:30:00") == "2024-01-20"
    assert dataset.iso_date("2024/1/2") == "2024-01-02"
    assert dataset.iso_date("去年") is None and dataset.iso_date("2024-13-01") is None


def test_version_follows_the_published_numbers_and_changes_are_logged(seeds):
    from gongkai.model import Meta

    reports = [Report(f"reports/{k}.txt", r) for k, r in sorted(seeds.items())]
    parts = dataset.Parts()
    v1 = dataset.dataset_version(reports, parts)
    assert v1 == dataset.dataset_version(reports, dataset.Parts())  # deterministic
    first = dataset.changes(v1, reports, parts, None, None)
    assert first["versions"][0]["previous"] is None
    published = dataset.dataset_json_bytes(reports, parts, v1)
    log = dataset.to_json_text(first).encode("utf-8")
    # nothing changed: same version, the same log
    assert dataset.changes(v1, reports, dataset.Parts(), published, log) == first
    # one report corrected, one removed, one added
    wanted = [{"cell": "table3.new_received.total", "value": 9, "reason": "误读"}]
    fixed = correct(seeds["yanchi"], wanted)
    fixed = Report("reports/yanchi.txt", fixed.record, Meta(), corrections=fixed.corrections)
    now = [fixed if r.path == "reports/yanchi.txt" else r for r in reports]
    now = [r for r in now if r.path != "reports/wuwei.txt"]
    now.append(Report("reports/new.txt", seeds["wuwei"]))
    parts2 = dataset.Parts()
    v2 = dataset.dataset_version(now, parts2)
    assert v2.version != v1.version
    second = dataset.changes(v2, now, parts2, published, log)
    entry, older = second["versions"]
    assert older == first["versions"][0] and entry["previous"] == v1.version
    assert entry["added"] == ["reports/new.txt"] and entry["removed"] == ["reports/wuwei.txt"]
    (changed,) = entry["changed"]
    assert changed["why"] == "维护者更正了本站读错的数字"
    assert changed["cells"] == [{"cell": "table3.new_received.total", "before": 1, "after": 9}]
    head = json.loads(dataset.dataset_json_bytes(now, parts2, v2))
    assert head["version"] == v2.version and head["report_count"] == len(head["reports"]) == 5


def test_compare_csv_holds_numbers_or_nothing_and_region_levels(seeds):
    from gongkai.site import listings
    from gongkai.site.catalog import build_catalog

    catalog = build_catalog([Report(f"reports/{k}.txt", r) for k, r in seeds.items()])
    text = listings.compare(catalog)["data/compare.csv"]
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert {"省级", "地级", "县级"} <= set(rows[0]) and "地区" not in rows[0]
    numeric = [label for key, label in listings.COMPARE_COLUMNS if key not in ("agency", "region")]
    for row in rows:
        for label in numeric:
            assert row[label] == "" or float(row[label]) == float(row[label]), (label, row)
    (yanchi,) = [r for r in rows if r["机关"] == "盐池县科学技术局"]
    assert (yanchi["省级"], yanchi["地级"], yanchi["县级"]) == (
        "宁夏回族自治区",
        "吴忠市",
        "盐池县",
    )


# -- the change log across builds, against the published gongkai.zip ----------------------------


def _fetch_previous(root: Path, base: str) -> subprocess.CompletedProcess:
    """The Pages workflow's step that fetches the published dataset, run as GitHub runs it
    (bash -eo pipefail), with the site at ``base`` (a file:// URL: curl reads it as a web
    address)."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    (step,) = [
        s
        for s in workflow["jobs"]["build"]["steps"]
        if s.get("name") == "Fetch the published dataset for the change log"
    ]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=root,
        env={**os.environ, "BASE": base},
        capture_output=True,
        text=True,
        check=False,
    )


def _log(root: Path) -> dict:
    return json.loads((root / "content/data/changes.json").read_text("utf-8"))


def test_the_change_log_continues_from_the_published_zip(tmp_path):
    """CI fetches the live site's gongkai.zip and changes.json into build/previous/ (the
    workflow's own step, run here against a copy of the first build's site); the next build
    logs the changed number against them."""
    from gongkai import build

    root = make_project(tmp_path / "p")
    build.run(root)
    first = _log(root)
    published = tmp_path / "live"  # the site as published: its data/ folder
    shutil.copytree(root / "content" / "data", published / "data")
    yanchi = root / "reports" / "002_5e0a10dac8f8a1dc.txt"
    bump_first_count(yanchi)

    done = _fetch_previous(root, published.as_uri())
    assert done.returncode == 0, done.stderr
    previous = root / "build" / "previous"
    assert sorted(p.name for p in previous.iterdir()) == ["changes.json", "gongkai.zip"]
    build.run(root)
    log = _log(root)
    entry, older = log["versions"]
    assert older == first["versions"][0] and entry["previous"] == first["version"]
    (changed,) = entry["changed"]
    assert changed["path"] == "reports/002_5e0a10dac8f8a1dc.txt"
    assert changed["why"] == "报告文件有改动" and changed["cells_changed"] >= 1

    # a site published before the zip: its gongkai.json on its own is fetched and read
    (published / "data" / "gongkai.zip").unlink()
    with zipfile.ZipFile(root / "content/data/gongkai.zip") as archive:
        (published / "data" / "gongkai.json").write_bytes(archive.read("gongkai.json"))
    (published / "data" / "changes.json").write_bytes(
        (root / "content/data/changes.json").read_bytes()
    )
    assert _fetch_previous(root, published.as_uri()).returncode == 0
    assert sorted(p.name for p in previous.iterdir()) == ["changes.json", "gongkai.json"]
    build.run(root)
    assert _log(root) == log  # the same version as published: the log is kept as it is

    # nothing online (a first deploy): the log starts here, and the build goes on
    assert _fetch_previous(root, (tmp_path / "nowhere").as_uri()).returncode == 0
    assert not list(previous.iterdir())
    build.run(root)
    (only,) = _log(root)["versions"]
    assert only["previous"] is None and only["version"] == log["version"]


def test_a_damaged_previous_zip_only_restarts_the_log(tmp_path):
    from gongkai.build.pipeline import previous_dataset

    folder = tmp_path / "previous"
    folder.mkdir()
    assert previous_dataset(folder) is None
    (folder / "gongkai.zip").write_bytes(b"PK\x03\x04 not a zip")
    assert previous_dataset(folder) is None
    (folder / "gongkai.zip").write_bytes(dataset.to_zip({"other.json": "{}"}))
    assert previous_dataset(folder) is None
    good = dataset.to_zip({"gongkai.json": '{"version": "x"}'})
    (folder / "gongkai.zip").write_bytes(good[: len(good) // 2])  # cut short
    assert previous_dataset(folder) is None
    (folder / "gongkai.zip").write_bytes(good)
    assert previous_dataset(folder) == b'{"version": "x"}'


def test_a_kept_agency_whose_dataset_share_is_lost_keeps_its_narrative(tmp_path):
    """A rebuild keeps only summaries of the reports whose pages it does not make again;
    when their shares of the dataset are not kept either (the cache folder removed), the
    zip is still the whole dataset, narrative included."""
    from gongkai import build

    root = make_project(tmp_path / "p")
    build.run(root)
    zipped = (root / "content/data/gongkai.zip").read_bytes()
    shutil.rmtree(root / "build" / "cache" / "dataset")
    build.run(root)
    assert (root / "content/data/gongkai.zip").read_bytes() == zipped
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        items = json.loads(archive.read("gongkai.json"))["reports"]
    assert len(items) == 5 and all(i["sections"] for i in items)
