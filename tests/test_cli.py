"""`gongkai parse` through its installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEEDS = sorted((Path(__file__).parent / "fixtures" / "reports").glob("*.txt"))
GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, *args], capture_output=True, text=True, timeout=60)


def test_one_json_line_per_file_with_record_keys():
    result = run("parse", *map(str, SEEDS))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(SEEDS)
    records = [json.loads(line) for line in lines]
    for record in records:
        assert {"record_version", "agency", "year", "format", "table2", "table3", "table4"} <= set(
            record
        )
    assert [r["agency"] for r in records] == [
        "武威市科学技术局",
        "灋河回族区科技和工业信息化局",
        "盐池县科学技术局",
        "攀枝花市科学技术局",
        "青铜峡市科学技术局",
    ]
    wuwei = records[0]
    assert any(p["rule"] == "T3-B" for p in wuwei["problems"])


def test_bad_file_is_reported_and_others_still_printed(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary")
    missing = tmp_path / "missing.txt"
    result = run("parse", str(SEEDS[2]), str(junk), str(missing))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout)["agency"] == "盐池县科学技术局"
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{junk}: ") and "PDF" in errors[0]
    assert errors[1].startswith(f"{missing}: ")


def test_carry_over_checked_across_the_files_of_one_agency(tmp_path):
    # The same agency in 2022 and 2023: 2023's 上年结转 must equal 2022's 结转下年度 (XY-1).
    seed = SEEDS[2].read_text(encoding="utf-8")  # 盐池县科学技术局 2023, everything carried is 0
    earlier = seed.replace("2023", "2022").replace(
        "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0",
        "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2",
    )
    assert earlier != seed.replace("2023", "2022")
    (tmp_path / "2022.txt").write_text(earlier, encoding="utf-8")
    (tmp_path / "2023.txt").write_text(seed, encoding="utf-8")
    result = run("parse", str(tmp_path / "2022.txt"), str(tmp_path / "2023.txt"))
    y2022, y2023 = (json.loads(line) for line in result.stdout.splitlines())
    xy = [p for p in y2023["problems"] if p["rule"] == "XY-1"]
    assert {p["cells"][0] for p in xy} == {
        "table3.carried_over.natural_person",
        "table3.carried_over.total",
    }
    assert all((p["printed"], p["expected"]) == (0, 2) for p in xy)
    assert not [p for p in y2022["problems"] if p["rule"] == "XY-1"]
