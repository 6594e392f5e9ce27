"""Numbers read without certainty are not published (issue 14): a count is a whole number
(``1.5``, ``0.0000001`` are not; ``③`` and ``²`` are no digits), and a year is a year the
report can be of (2008, the 条例, up to the report's publication date or mkdocs.yml's
``latest_year``; never the clock). Years in Chinese numerals or Arabic-Indic digits are read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
sys.path.insert(0, str(HOSTILE))

from make_hostile import report, t3_rows  # noqa: E402

from gongkai import build  # noqa: E402
from gongkai.parse.numbers import is_value_token, read_value  # noqa: E402
from gongkai.report import read_report  # noqa: E402


@pytest.mark.parametrize("token", ["③", "²", "⑩", "1²", "３²"])
def test_digits_that_are_not_decimal_digits_are_not_numbers(token):
    assert read_value(token).number is None
    assert is_value_token(token)  # a value cell, not a label: its READ problem names it


def test_fractional_counts_are_null_with_a_read_problem_fees_keep_decimals():
    text = report(
        "分数县科学技术局2023年政府信息公开工作年度报告",
        t2={"行政许可": "1.5", "行政处罚": "③", "行政强制": "²", "行政事业性收费": "1.25"},
        t3=t3_rows(2, carried_over=["0.0000001", "0", "0", "0", "0", "0", "0"]),
    )
    record = read_report("fraction.txt", text.encode("utf-8"))
    assert record.table2["licensing"]["decisions"] is None
    assert record.table2["penalty"]["decisions"] is None
    assert record.table2["coercion"]["decisions"] is None
    assert record.table2["admin_fees"]["fee_amount"] == 1.25  # an amount may be a decimal
    assert record.table3["carried_over"]["natural_person"] is None
    read = {p.cells[0]: p.message for p in record.problems if p.rule == "READ"}
    assert "件数应为整数" in read["table2.licensing.decisions"]
    assert "件数应为整数" in read["table3.carried_over.natural_person"]
    assert "③" in read["table2.penalty.decisions"] and "²" in read["table2.coercion.decisions"]
    counts = [
        v
        for name in ("table2", "table3", "table4")
        for row in getattr(record, name).values()
        for col, v in row.items()
        if col != "fee_amount"
    ]
    assert not any(isinstance(v, float) for v in counts)


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("汉字县科学技术局二〇二三年政府信息公开工作年度报告", 2023),
        ("汉字县科学技术局二零二二年度政府信息公开工作年度报告", 2022),
        ("阿拉伯县科学技术局٢٠٢٣年政府信息公开工作年度报告", 2023),
        ("波斯县科学技术局۲۰۲۱年政府信息公开工作年度报告", 2021),
    ],
)
def test_years_in_other_digits_are_read(title, year):
    record = read_report("y.txt", report(title, year="本").encode("utf-8"))
    assert record.year == year
    assert record.agency is not None and record.agency.endswith("县科学技术局")


def test_a_year_before_the_regulation_is_not_published():
    record = read_report("old.txt", report("旧县科学技术局1900年政府信息公开工作年度报告").encode())
    assert record.year is None
    assert [p.rule for p in record.problems if p.rule.startswith("YEAR")] == ["YEAR-RANGE"]


def test_a_year_after_the_page_date_is_not_published():
    page = "标题：新县科学技术局2099年政府信息公开工作年度报告\n发布时间：2024-01-31\n\n"
    text = page + report("新县科学技术局2099年政府信息公开工作年度报告")
    record = read_report("new.txt", text.encode("utf-8"))
    assert record.published and record.published.startswith("2024")
    assert record.year is None
    assert any(p.rule == "YEAR-RANGE" and "2024-01-31" in p.message for p in record.problems)


def test_sidecar_date_and_latest_year_bound_the_year_in_the_build(tmp_path):
    rep = tmp_path / "reports"
    rep.mkdir()
    (rep / "a.txt").write_text(report("甲县科学技术局2099年政府信息公开工作年度报告"), "utf-8")
    (rep / "a.yml").write_text("published: 2024-01-31\n", "utf-8")
    (rep / "b.txt").write_text(report("乙县科学技术局2031年政府信息公开工作年度报告"), "utf-8")
    (rep / "c.txt").write_text(report("丙县科学技术局2023年政府信息公开工作年度报告"), "utf-8")
    build.run(tmp_path, workers=1, latest_year=2025)
    data = json.loads((tmp_path / "build" / "build-report.json").read_text("utf-8"))
    by = {e["path"]: e for e in data["files"]}
    assert by["reports/a.txt"]["year"] is None and by["reports/b.txt"]["year"] is None
    assert by["reports/c.txt"]["year"] == 2023
    assert any("2024-01-31" in m for m in by["reports/a.txt"]["messages"])
    assert any("latest_year" in m for m in by["reports/b.txt"]["messages"])
    # the bound is an input of the pages: lifting it brings the year back
    build.run(tmp_path, workers=1, latest_year=2040)
    data = json.loads((tmp_path / "build" / "build-report.json").read_text("utf-8"))
    by = {e["path"]: e for e in data["files"]}
    assert by["reports/b.txt"]["year"] == 2031 and by["reports/a.txt"]["year"] is None
