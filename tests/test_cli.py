"""The `gongkai` command: parse, check, build and serve, through the installed entry point
(and in this process with click's CliRunner where a test must reach inside)."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project

from gongkai import cli

SEEDS = sorted((Path(__file__).parent / "fixtures" / "reports").glob("*.txt"))
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
AGENCIES = [
    "武威市科学技术局",
    "灋河回族区科技和工业信息化局",
    "盐池县科学技术局",
    "攀枝花市科学技术局",
    "青铜峡市科学技术局",
]


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: int = 120):
    done = subprocess.run(
        [GONGKAI, *args], capture_output=True, input=stdin, cwd=cwd, timeout=timeout
    )
    done.out = done.stdout.decode("utf-8")
    done.err = done.stderr.decode("utf-8")
    return done


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


# ---------------------------------------------------------------- parse


def test_one_json_line_per_file_with_record_keys():
    result = run("parse", *map(str, SEEDS))
    assert result.returncode == 0, result.err
    found = records(result.out)
    assert len(found) == len(SEEDS)
    for record in found:
        assert {"record_version", "agency", "year", "format", "table2", "table3", "table4"} <= set(
            record
        )
    assert [r["agency"] for r in found] == AGENCIES
    assert any(p["rule"] == "T3-B" for p in found[0]["problems"])
    assert found[0]["source"]["path"] == str(SEEDS[0])


def test_pretty_json_is_one_indented_record_per_file():
    result = run("parse", "--pretty", str(SEEDS[2]))
    assert result.returncode == 0, result.err
    assert result.out.startswith('{\n  "record_version": 1,\n')
    assert json.loads(result.out)["agency"] == "盐池县科学技术局"


def test_stdin_is_read_as_one_report_named_stdin():
    result = run("parse", str(SEEDS[0]), "-", stdin=SEEDS[3].read_bytes())
    assert result.returncode == 0, result.err
    first, second = records(result.out)
    assert first["agency"] == "武威市科学技术局"
    assert second["agency"] == "攀枝花市科学技术局"
    assert second["source"]["path"] == "<stdin>"
    assert second["source"]["kind"] == "text"


def test_stdin_web_page_is_sniffed_by_content():
    page = (
        "<html><body><h1>某某县财政局2023年政府信息公开工作年度报告</h1>"
        "<p>一、总体情况</p><p>本机关认真贯彻落实条例。</p></body></html>"
    )
    result = run("parse", "-", stdin=page.encode("utf-8"))
    assert result.returncode == 0, result.err
    (record,) = records(result.out)
    assert record["source"]["kind"] == "html"
    assert record["agency"] == "某某县财政局"


def test_stdin_only_once():
    result = run("parse", "-", "-", stdin=b"")
    assert result.returncode == 2
    assert "only once" in result.err


def test_csv_one_row_per_cell_null_is_empty_never_zero():
    result = run("parse", "--format", "csv", str(SEEDS[4]), str(SEEDS[2]))
    assert result.returncode == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["file", "agency", "year", "format", "table", "row", "column", "value"]
    body = rows[1:]
    assert {r[0] for r in body} == {str(SEEDS[4]), str(SEEDS[2])}
    assert [r[0] for r in body] == sorted(
        (r[0] for r in body), key=[str(SEEDS[4]), str(SEEDS[2])].index
    )
    qtx = [r for r in body if r[0] == str(SEEDS[4])]
    assert {r[1] for r in qtx} == {"青铜峡市科学技术局"} and {r[2] for r in qtx} == {"2020"}
    assert {r[3] for r in qtx} == {"F2019"}
    # the row of 表三 printed with six numbers: its total is not known, so empty (not 0)
    (total,) = [r for r in qtx if r[4:7] == ["table3", "denied.state_secret", "total"]]
    assert total[7] == ""
    # every number the JSON record has is in the CSV, as printed
    (record,) = records(run("parse", str(SEEDS[4])).out)
    for r in qtx:
        value = record[r[4]][r[5]][r[6]]
        assert r[7] == ("" if value is None else str(value))


def test_csv_guards_against_spreadsheet_formulas(tmp_path):
    shutil.copy(SEEDS[2], tmp_path / "=1+1.txt")
    result = run("parse", "--format", "csv", "=1+1.txt", cwd=tmp_path)
    assert result.returncode == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))[1:]
    assert {r[0] for r in rows} == {"'=1+1.txt"}


MANY = max(64, cli.PARALLEL_FROM + 16)  # enough files for the pool


def many_copies(folder: Path) -> list[str]:
    """MANY copies of the seeds under names whose sorted order is not the order returned."""
    names = []
    for i in range(MANY):
        seed = SEEDS[i % len(SEEDS)]
        path = folder / f"{(i * 37) % MANY:03d}_{seed.name}"
        shutil.copy(seed, path)
        names.append(str(path))
    assert names != sorted(names)
    return names


def test_in_the_order_given_by_a_pool(tmp_path):
    names = many_copies(tmp_path)
    result = run("parse", "--workers", "2", *names)
    assert result.returncode == 0, result.err
    found = records(result.out)
    assert [r["source"]["path"] for r in found] == names
    assert [r["agency"] for r in found] == [AGENCIES[i % len(SEEDS)] for i in range(MANY)]
    # the same records as one process makes
    alone = run("parse", "--workers", "1", *names)
    assert alone.out == result.out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_streamed_as_read(tmp_path, workers):
    """The first records are printed while a later file is still being read: the last file
    is a named pipe that gives its report only once the first record has come out."""
    names = many_copies(tmp_path)
    fifo = tmp_path / "last.txt"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [GONGKAI, "parse", "--workers", workers, *names, str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def give_last_file() -> None:  # opening the pipe waits for gongkai to open it too
        with open(fifo, "wb") as writer:
            writer.write(SEEDS[2].read_bytes())

    writer = threading.Thread(target=give_last_file, daemon=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "no record printed before the last file was read"
        first = json.loads(proc.stdout.readline())
        assert first["source"]["path"] == names[0]
    finally:  # whatever happened: let the last file be read, and read all that is printed
        writer.start()
        out = proc.stdout.read()  # not communicate(): it would miss what readline buffered
        err = proc.stderr.read()
        proc.wait(timeout=120)
        writer.join(timeout=10)
    assert proc.returncode == 0, err.decode()
    rest = records(out.decode("utf-8"))
    assert [r["source"]["path"] for r in rest] == [*names[1:], str(fifo)]
    assert rest[-1]["agency"] == "盐池县科学技术局"


def test_many_files_use_the_pool(tmp_path, monkeypatch):
    pools = []

    def spy(tasks, workers):
        pools.append((len(tasks), workers))
        yield from original(tasks, workers)

    original = cli.in_pool
    monkeypatch.setattr(cli, "in_pool", spy)
    files = [str(SEEDS[i % len(SEEDS)]) for i in range(cli.PARALLEL_FROM)]
    result = CliRunner().invoke(cli.main, ["parse", "--workers", "2", *files])
    assert result.exit_code == 0, result.output
    assert pools == [(cli.PARALLEL_FROM, 2)]
    assert [r["agency"] for r in records(result.stdout)] == [
        AGENCIES[i % len(SEEDS)] for i in range(cli.PARALLEL_FROM)
    ]
    # a handful of files: in this process
    result = CliRunner().invoke(cli.main, ["parse", "--workers", "2", *files[:3]])
    assert result.exit_code == 0 and len(pools) == 1


def test_bad_file_is_reported_and_others_still_printed(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary")
    missing = tmp_path / "missing.txt"
    result = run("parse", str(SEEDS[2]), str(junk), str(missing), str(tmp_path))
    assert result.returncode == 1
    assert len(result.out.splitlines()) == 1
    assert json.loads(result.out)["agency"] == "盐池县科学技术局"
    errors = result.err.splitlines()
    assert errors[0].startswith(f"{junk}: ") and "PDF" in errors[0]
    assert errors[1].startswith(f"{missing}: ")
    assert errors[2].startswith(f"{tmp_path}: ")
    assert len(errors) == 3


def _break_on(monkeypatch, name: str) -> None:
    """Make the parser fail with a bug (not a NotAReport) on the file ``name``."""
    import gongkai.parse.document as document

    original = document.parse_document

    def broken(doc):
        if doc.source.path.endswith(name):
            raise ZeroDivisionError("a bug in gongkai")
        return original(doc)

    monkeypatch.setattr(document, "parse_document", broken)


def test_bug_is_loud_exit_2_with_traceback_others_still_printed(monkeypatch):
    _break_on(monkeypatch, SEEDS[1].name)
    result = CliRunner().invoke(cli.main, ["parse", *map(str, SEEDS[:3])])
    assert result.exit_code == 2
    assert [r["agency"] for r in records(result.stdout)] == [AGENCIES[0], AGENCIES[2]]
    assert result.stderr.startswith(f"{SEEDS[1]}: ")
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: a bug in gongkai" in result.stderr


def test_bug_beats_bad_file_in_the_exit_status(monkeypatch, tmp_path):
    _break_on(monkeypatch, SEEDS[1].name)
    missing = str(tmp_path / "missing.txt")
    for command in ("parse", "check"):
        result = CliRunner().invoke(cli.main, [command, missing, *map(str, SEEDS[:2])])
        assert result.exit_code == 2, (command, result.output)
        assert f"{missing}: " in result.stderr and "Traceback" in result.stderr


# ---------------------------------------------------------------- check


def _pair_with_bad_carry_over(folder: Path) -> tuple[Path, Path]:
    """盐池县科学技术局 in 2022 and 2023: 2023's 上年结转 (0) is not 2022's 结转下年度 (2)."""
    seed = SEEDS[2].read_text(encoding="utf-8")  # 2023, everything carried is 0
    earlier = seed.replace("2023", "2022").replace(
        "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0",
        "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2",
    )
    assert earlier != seed.replace("2023", "2022")
    (folder / "2022.txt").write_text(earlier, encoding="utf-8")
    (folder / "2023.txt").write_text(seed, encoding="utf-8")
    return folder / "2022.txt", folder / "2023.txt"


def test_parse_keeps_to_each_file(tmp_path):
    """Checks across files belong to `check`: a record does not depend on the other files."""
    files = [*map(str, _pair_with_bad_carry_over(tmp_path)), *map(str, SEEDS)]
    forward = run("parse", *files).out.splitlines()
    backward = run("parse", *reversed(files)).out.splitlines()
    assert forward == list(reversed(backward))
    assert "XY-1" not in forward[1]


def test_check_finds_carry_over_across_files_in_any_order(tmp_path):
    y2022, y2023 = map(str, _pair_with_bad_carry_over(tmp_path))
    other = str(SEEDS[0])
    outputs = []
    for order in ([y2022, y2023, other], [y2023, other, y2022], [other, y2023, y2022]):
        result = run("check", "--format", "json", "--fail-on", "never", *order)
        assert result.returncode == 0, result.err
        outputs.append(result.out)
    problems = [sorted(out.splitlines()) for out in outputs]
    assert problems[0] == problems[1] == problems[2]
    found = [json.loads(line) for line in outputs[0].splitlines()]
    assert list(found[0]) == [
        "file",
        "agency",
        "year",
        "rule",
        "severity",
        "cells",
        "printed",
        "expected",
        "message",
    ]
    xy = [p for p in found if p["rule"] == "XY-1"]
    assert {p["file"] for p in xy} == {y2023}
    assert {p["cells"][0] for p in xy} == {
        "table3.carried_over.natural_person",
        "table3.carried_over.total",
    }
    assert all((p["printed"], p["expected"], p["severity"]) == (0, 2, "warning") for p in xy)


def test_check_csv_and_text(tmp_path):
    y2022, y2023 = map(str, _pair_with_bad_carry_over(tmp_path))
    result = run("check", "--format", "csv", "--fail-on", "never", y2022, y2023, str(SEEDS[0]))
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == list(cli.PROBLEM_COLUMNS)
    xy = [r for r in rows if r["rule"] == "XY-1"]
    assert {(r["file"], r["year"], r["printed"], r["expected"]) for r in xy} == {
        (y2023, "2023", "0", "2")
    }
    missing = [r for r in rows if r["rule"] == "MISSING"]
    assert missing and missing[0]["printed"] == "" and missing[0]["cells"] == "table4"

    text = run("check", "--fail-on", "never", y2022, y2023, str(SEEDS[0])).out
    assert f"{y2023}  盐池县科学技术局 2023" in text
    assert "XY-1" in text and "printed 0, expected 2" in text
    # warnings: XY-1 ×2; NARR ×3 (盐池 2022 and 2023 say 未收到 but 本年新收 1, and 武威)
    assert text.splitlines()[-1] == "3 files checked: 5 errors, 5 warnings, 0 info in 3 files"


def test_fail_on_levels(tmp_path):
    errors, warnings_only = (
        str(SEEDS[0]),
        str(SEEDS[4]),
    )  # 武威 (T3-B errors), 青铜峡 (READ warnings)
    clean = str(SEEDS[3])  # 攀枝花 (盐池's text contradicts its table: a NARR warning)
    expected = {
        (errors, "error"): 1,
        (errors, "warning"): 1,
        (errors, "never"): 0,
        (warnings_only, "error"): 0,
        (warnings_only, "warning"): 1,
        (warnings_only, "never"): 0,
        (clean, "warning"): 0,
    }
    for (path, level), code in expected.items():
        result = run("check", "--fail-on", level, path)
        assert result.returncode == code, (path, level, result.out, result.err)
    assert run("check", errors).returncode == 1  # default: error
    # a file that is not a report: exit 1 whatever --fail-on says
    missing = str(tmp_path / "missing.txt")
    result = run("check", "--fail-on", "never", clean, missing)
    assert result.returncode == 1 and result.err.startswith(f"{missing}: ")


def test_check_stdin():
    result = run("check", "--format", "json", "-", stdin=SEEDS[0].read_bytes())
    assert {json.loads(line)["file"] for line in result.out.splitlines()} == {"<stdin>"}


# ---------------------------------------------------------------- help


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("parse", "gongkai parse reports/*.txt --format csv > cells.csv"),
        ("check", "gongkai check reports/*.html --fail-on warning"),
        ("build", "gongkai build --dirty"),
        ("serve", "gongkai serve -a"),
    ],
)
def test_help_has_examples(command, example):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Examples:" in result.out and example in result.out


def test_main_help_lists_the_commands():
    out = run("--help").out
    for command in ("parse", "check", "build", "serve"):
        assert command in out


# ---------------------------------------------------------------- build, serve


@pytest.mark.site
def test_build_makes_the_site_with_progress_and_generates_once(tmp_path):
    root = make_project(tmp_path / "project")
    result = run("build", "--progress", cwd=root, timeout=600)
    assert result.returncode == 0, result.err[-3000:]
    assert (root / "site" / "index.html").is_file()
    assert (root / "content" / "agencies").is_dir()
    assert (root / "build" / "build-report.json").is_file()
    for stage in ("parsing reports", "writing pages", "MkDocs pages", "search index"):
        assert f"\r{stage}" in result.err
    assert "5/5" in result.err
    assert result.err.count("gongkai: 5 个文件") == 1  # generated once, not again by the plugin
    assert "Documentation built in" in result.err

    # a dirty rebuild is not strict (MkDocs warns on every dirty build) and shows no bar
    again = run("build", "--dirty", cwd=root, timeout=600)
    assert again.returncode == 0, again.err[-3000:]
    assert "\r" not in again.err
    assert run("build", "--dirty", "--strict", cwd=root).returncode == 1


def test_build_errors_are_one_clear_message(tmp_path):
    result = run("build", "-f", str(tmp_path / "nowhere.yml"), cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere.yml" in result.err and "Traceback" not in result.err

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    result = run("build", cwd=tmp_path)  # MkDocs' own message
    assert result.returncode == 1
    assert "docs" in result.err and "Traceback" not in result.err

    (tmp_path / "docs").mkdir()
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "gongkai plugin is not enabled" in result.err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.site
def test_serve_serves_the_site(tmp_path):
    root = make_project(tmp_path / "project")
    port = _free_port()
    env = {**os.environ, "GONGKAI_SEARCH": "false"}
    server = subprocess.Popen(
        [GONGKAI, "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    body = page.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode("utf-8")[-3000:]
                assert time.monotonic() < deadline
                time.sleep(0.5)
        assert "盐池县科学技术局" in body or "公开" in body
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_check_joins_an_agencys_years_through_the_aliases_file(tmp_path):
    """A misprinted name in one year (枝术) is the same agency when aliases.yml says so, as on
    the site: then the carry-over check across the two years runs (XY-1)."""
    y2022, y2023 = _pair_with_bad_carry_over(tmp_path)
    y2022.write_text(
        y2022.read_text(encoding="utf-8").replace("盐池县科学技术局", "盐池县科学枝术局"),
        encoding="utf-8",
    )
    files = [str(y2022), str(y2023)]

    def rules(*options: str, cwd: Path | None = None) -> set[str]:
        result = run("check", "--format", "json", "--fail-on", "never", *options, *files, cwd=cwd)
        assert result.returncode == 0, result.err
        return {json.loads(line)["rule"] for line in result.out.splitlines()}

    assert "XY-1" not in rules(cwd=tmp_path)  # two agencies to the code
    aliases = tmp_path / "aliases.yml"
    aliases.write_text("盐池县科学枝术局: 盐池县科学技术局\n", encoding="utf-8")
    assert "XY-1" in rules(cwd=tmp_path)  # ./aliases.yml, as the build reads it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "XY-1" in rules("--aliases", str(aliases), cwd=elsewhere)
    assert "XY-1" not in rules(cwd=elsewhere)
    missing = run("check", "--aliases", str(tmp_path / "none.yml"), *files)
    assert missing.returncode == 2 and "别名文件不存在" in missing.err
