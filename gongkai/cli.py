"""The `gongkai` command: a thin click layer over the library.

``parse`` and ``check`` read report files with :func:`gongkai.report.read_report` (many
files in a process pool, printed in the order given as soon as they are read) and
:func:`gongkai.check.series_problems`; ``build`` and ``serve`` run MkDocs with the gongkai
plugin. Errors become ``FILE: message`` on stderr here, at the edge: exit 1 for a file that
is not a report (or problems at the ``--fail-on`` level), exit 2 for an error in gongkai's
own code, with its traceback.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import logging
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from gongkai.check import series_problems
from gongkai.check.identity import ALIASES_FILE, NO_ALIASES, Aliases, parse_aliases
from gongkai.ingest import MAX_BYTES
from gongkai.model import NotAReport, Problem, Record, Report
from gongkai.report import read_report
from gongkai.site.dataset import CSV_COLUMNS, csv_text, csv_value, long_rows

STDIN = "<stdin>"  # the name of the report read from standard input (FILE ``-``)
# Fewer files than this are read in this process: starting the pool costs ~0.15 s (a
# forkserver, the imports, each worker's first report), which on two cores pays off from
# ~200 text reports or ~50 web pages (measured), sooner with more cores.
PARALLEL_FROM = 100
SEVERITIES = ("info", "warning", "error")  # lowest first
CELL_COLUMNS = ("file", "agency", "year", "format", "table", "row", "column", "value")
PROBLEM_COLUMNS = (
    "file",
    "agency",
    "year",
    "rule",
    "severity",
    "cells",
    "printed",
    "expected",
    "message",
)
EXIT_BAD_FILE, EXIT_BUG = 1, 2
# the machine refusing a write (permissions, read-only, full disk): a message, no traceback
WRITE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}


@click.group()
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的解析、核验与发布。

    Reads annual reports on government information disclosure (text, Markdown or saved web
    pages), checks their arithmetic, and builds the static site.

    \b
    Examples:
        gongkai parse reports/*.txt > records.jsonl
        gongkai check reports/* --fail-on warning
        gongkai build
    """


# ---------------------------------------------------------------- reading many files


@dataclass(frozen=True)
class Outcome:
    """What became of one file: its rendered output or record, or why it has none."""

    name: str
    text: str | None = None  # the record as printed by `parse`
    record: Record | None = None  # the record without narrative and line numbers (`check`)
    error: str | None = None  # why the file is not a report, or cannot be read
    bug: str | None = None  # the traceback of an error in gongkai's own code


Task = tuple[str, bytes | None, str]  # file name, its bytes (stdin) or None, output kind


def read_one(task: Task) -> Outcome:
    """Read, parse and check one file and render it (``output``: json, pretty, csv, or
    record for the record itself); runs in a worker process too. Only :class:`NotAReport`
    and an :class:`OSError` while reading the file are the file's fault."""
    name, data, output = task
    if data is None:
        try:
            with open(name, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)  # a larger file is refused, never read whole
        except OSError as err:
            return Outcome(name, error=f"无法读取文件（{err.strerror or err}）")
    try:
        record = read_report(name, data)
        if output == "record":
            return Outcome(name, record=replace(record, sections={}, lines={}))
        return Outcome(name, text=render(record, name, output))
    except NotAReport as err:
        return Outcome(name, error=str(err))
    except Exception:
        return Outcome(name, bug=traceback.format_exc())


def render(record: Record, name: str, output: str) -> str:
    """One record as `parse` prints it, newline included."""
    if output == "csv":
        rows = ([r[i] for i in _FROM_LONG] for r in long_rows([Report(name, record)]))
        return _csv(rows)
    indent = 2 if output == "pretty" else None
    return json.dumps(record.to_json(), ensure_ascii=False, indent=indent) + "\n"


# where each of CELL_COLUMNS is in a row of the site's long CSV (source is the file)
_FROM_LONG = [
    [name for name, _ in CSV_COLUMNS].index("source" if column == "file" else column)
    for column in CELL_COLUMNS
]


def read_all(tasks: list[Task], workers: int) -> Generator[Outcome, None, None]:
    """The outcome of every task, in the tasks' order, each as soon as it and those before
    it are done; a process pool of ``workers`` reads them when there are many."""
    if workers > 1 and len(tasks) >= PARALLEL_FROM:
        yield from in_pool(tasks, workers)
    else:
        yield from map(read_one, tasks)


def in_pool(tasks: list[Task], workers: int) -> Iterator[Outcome]:
    # forkserver, as the build: forking a process that runs threads can copy a held lock.
    # Chunks small enough to start printing at once, large enough to keep the workers busy.
    chunksize = max(1, min(16, len(tasks) // (workers * 8)))
    pool = ProcessPoolExecutor(
        workers, mp_context=get_context("forkserver"), initializer=_ignore_interrupt
    )
    try:
        yield from pool.map(read_one, tasks, chunksize=chunksize)
    finally:  # after Ctrl-C or a closed pipe too: drop what is still queued
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool (one message, not one
    traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def tasks_for(files: tuple[str, ...], output: str) -> list[Task]:
    if files.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    tasks: list[Task] = []
    for name in files:
        if name == "-":
            tasks.append((STDIN, sys.stdin.buffer.read(MAX_BYTES + 1), output))
        else:
            tasks.append((name, None, output))
    return tasks


class Status:
    """Failed files, reported on stderr as they come; the exit code they give."""

    def __init__(self) -> None:
        self.bad = 0
        self.bugs = 0

    def report(self, outcome: Outcome) -> None:
        if outcome.bug is not None:
            self.bugs += 1
            click.echo(
                f"{outcome.name}: gongkai 程序出错，不是文件的问题（请报告此错误）：\n"
                f"{outcome.bug.rstrip()}",
                err=True,
            )
        elif outcome.error is not None:
            self.bad += 1
            click.echo(f"{outcome.name}: {outcome.error}", err=True)

    @property
    def code(self) -> int:
        return EXIT_BUG if self.bugs else EXIT_BAD_FILE if self.bad else 0


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


files_argument = click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes reading the files (default: every core; 1: in this process).",
)


# ---------------------------------------------------------------- parse


@main.command(
    epilog="""\b
Examples:
    gongkai parse reports/002_5e0a10dac8f8a1dc.txt --pretty
    gongkai parse reports/*.txt reports/*.html > records.jsonl
    gongkai parse reports/*.txt --format csv > cells.csv
    curl -s https://example.gov.cn/report.html | gongkai parse -
"""
)
@files_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one record per line; csv: one row per table cell.",
)
@click.option("--pretty", is_flag=True, help="Indent the JSON (a record spans several lines).")
@workers_option
def parse(files: tuple[str, ...], fmt: str, pretty: bool, workers: int | None) -> None:
    """Parse report FILES and print one record per file, in the order given.

    A FILE is plain text or Markdown (UTF-8, GB18030/GBK, UTF-16) or a saved web page; the
    kind is told by the content. - reads one report from standard input.

    JSON records have the keys of spec/record.md (agency, year, format, table2, table3,
    table4, …) and each report's own problems; the checks across years and files are made
    by `gongkai check`. CSV has one row per table cell: file, agency, year, format, table,
    row, column, value (empty when the report gives none: never 0).

    A file that is not a report is named on stderr with the reason, the others are still
    printed, and the exit status is 1; an error in gongkai itself prints its traceback and
    exits 2.
    """
    if pretty and fmt == "csv":
        raise click.UsageError("--pretty is for --format json")
    output = "csv" if fmt == "csv" else "pretty" if pretty else "json"
    tasks = tasks_for(files, output)
    status = Status()
    with _closed_pipe(), contextlib.closing(read_all(tasks, workers or cores())) as outcomes:
        if fmt == "csv":
            click.echo(_csv([CELL_COLUMNS]), nl=False)
        for outcome in outcomes:
            if outcome.text is not None:
                click.echo(outcome.text, nl=False)
            else:
                status.report(outcome)
    sys.exit(status.code)


# ---------------------------------------------------------------- check


def _aliases(path: Path | None) -> Aliases:
    """The aliases file the build uses (beside mkdocs.yml), so that ``check`` joins the years of
    one agency as the site does; its notes go to stderr."""
    chosen = path if path is not None else Path(ALIASES_FILE)
    if not chosen.is_file():
        if path is not None:
            raise click.UsageError(f"{path}: 别名文件不存在")
        return NO_ALIASES
    aliases = parse_aliases(chosen.read_text(encoding="utf-8", errors="replace"))
    for note in aliases.notes:
        click.echo(f"{chosen}: {note}", err=True)
    return aliases


@main.command(
    epilog="""\b
Examples:
    gongkai check reports/*
    gongkai check reports/*.html --fail-on warning
    gongkai check reports/* --format csv > problems.csv
    gongkai check reports/* --format json | jq 'select(.rule == "XY-1")'
"""
)
@files_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: for reading; json: one problem per line; csv: one problem per row.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a problem of this severity or worse is found.",
)
@click.option(
    "--aliases",
    "aliases_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"The aliases file for renames and misprints [default: ./{ALIASES_FILE} if present].",
)
@workers_option
def check(
    files: tuple[str, ...],
    fmt: str,
    fail_on: str,
    aliases_path: Path | None,
    workers: int | None,
) -> None:
    """Check report FILES and print their problems.

    The problems of each report's own numbers (表三, 表四 totals, …) and those across the
    years of one agency among the FILES (上年结转 against the year before's 结转下年度,
    XY-1; documents in force, T2-X). The result does not depend on the order of the FILES.

    json and csv give file, agency, year, rule, severity, cells, printed, expected and
    message for each problem.

    Exit status: 1 when a problem at the --fail-on severity or above was found, or a file is
    not a report (named on stderr); 2 for an error in gongkai itself (with its traceback).
    """
    tasks = tasks_for(files, "record")
    status = Status()
    read: list[tuple[str, Record]] = []
    with contextlib.closing(read_all(tasks, workers or cores())) as outcomes:
        for outcome in outcomes:
            if outcome.record is not None:
                read.append((outcome.name, outcome.record))
            else:
                status.report(outcome)
    across = series_problems([record for _, record in read], _aliases(aliases_path))
    found = [
        (name, record, problem)
        for (name, record), extra in zip(read, across, strict=True)
        for problem in (*record.problems, *extra)
    ]
    with _closed_pipe():
        if fmt == "json":
            for name, record, p in found:
                click.echo(json.dumps(problem_json(name, record, p), ensure_ascii=False))
        elif fmt == "csv":
            click.echo(_csv([PROBLEM_COLUMNS, *(problem_row(*item) for item in found)]), nl=False)
        else:
            _print_text(found, len(read))
    code = status.code
    if not code and fail_on != "never":
        worst = SEVERITIES.index(fail_on)
        if any(SEVERITIES.index(p.severity) >= worst for _, _, p in found):
            code = 1
    sys.exit(code)


def problem_json(name: str, record: Record, p: Problem) -> dict[str, Any]:
    return {"file": name, "agency": record.agency, "year": record.year, **p.to_json()}


def problem_row(name: str, record: Record, p: Problem) -> list[str]:
    return [
        csv_text(name),
        csv_text(record.agency or ""),
        "" if record.year is None else str(record.year),
        p.rule,
        p.severity,
        " ".join(p.cells),
        csv_value(p.printed),
        csv_value(p.expected),
        csv_text(p.message),
    ]


COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _print_text(found: list[tuple[str, Record, Problem]], files: int) -> None:
    last = None
    for name, record, p in found:
        if name != last:
            year = "" if record.year is None else f" {record.year}"
            click.echo(f"{click.style(name, bold=True)}  {record.agency or '（机关不明）'}{year}")
            last = name
        cells = p.cells[0] if p.cells else ""
        if len(p.cells) > 1:
            cells += f" (+{len(p.cells) - 1})"
        numbers = ""
        if p.printed is not None or p.expected is not None:
            numbers = f": printed {_number(p.printed)}, expected {_number(p.expected)}"
        severity = click.style(f"{p.severity:<8}", fg=COLOURS.get(p.severity))
        click.echo(f"  {severity} {p.rule:<8} {cells}{numbers}")
        click.echo(f"  {'':8} {'':8} {p.message}")
    counts = {s: sum(p.severity == s for _, _, p in found) for s in reversed(SEVERITIES)}
    with_problems = len({name for name, _, _ in found})
    click.echo(
        f"{files} file{'s' * (files != 1)} checked: "
        + ", ".join(f"{n} {s}{'s' * (n != 1 and s != 'info')}" for s, n in counts.items())
        + (f" in {with_problems} file{'s' * (with_problems != 1)}" if found else "")
    )


def _number(value: Any) -> str:
    return "—" if value is None else str(value)


@contextlib.contextmanager
def _closed_pipe() -> Iterator[None]:
    """`gongkai parse … | head`: stop quietly when the reader has gone."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's flush at exit would fail again
        sys.exit(EXIT_BAD_FILE)


# ---------------------------------------------------------------- build, serve

config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The MkDocs configuration (default: mkdocs.yml in this folder).",
)


@main.command(
    epilog="""\b
Examples:
    gongkai build                  # what CI deploys: everything, strict
    gongkai build --dirty          # after adding or changing reports: seconds
    gongkai build -f other/mkdocs.yml --no-strict
"""
)
@config_option
@click.option(
    "--dirty",
    is_flag=True,
    help="Rebuild only the pages that changed (MkDocs warns on every dirty build, so "
    "--dirty is not strict unless --strict is given).",
)
@click.option(
    "--strict/--no-strict",
    default=None,
    help="Fail on any MkDocs warning, e.g. a broken link or an error in gongkai "
    "(default: strict, unless --dirty).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: when stderr is a terminal).",
)
def build(config_file: str | None, dirty: bool, strict: bool | None, progress: bool | None) -> None:
    """Build the site: reports/ → content/ → site/ (as `make site`).

    Runs MkDocs with the gongkai plugin, which parses the reports, writes the pages into
    content/, and indexes the built site for search. Unchanged reports, pages and charts
    come from build/cache, so a second build is much faster.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if strict is None:
        strict = not dirty
    bar = ProgressLine(sys.stderr) if _wanted(progress) else None
    name = config_file or "mkdocs.yml"
    with _mkdocs_log(bar):
        try:
            config = load_config(config_file, strict=strict)
            name = config.config_file_path or name
            plugin = config.plugins.get("gongkai")
            if plugin is None:
                _fail(f"{name}: the gongkai plugin is not enabled (plugins: - gongkai)")
            plugin.progress = bar  # the plugin generates content/ once, telling the bar
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                mkdocs_build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as err:
            _fail(f"{name}: {err}")
        except OSError as err:  # MkDocs writing site/: the machine's refusal, not a bug
            if err.errno not in WRITE_ERRORS:
                raise
            _fail(f"{name}: 无法写入 {err.filename or '（未知文件）'}（{err.strerror}）")
        finally:
            if bar is not None:
                bar.close()


@main.command(
    epilog="""\b
Examples:
    gongkai serve                      # http://127.0.0.1:8000/
    gongkai serve -a 0.0.0.0:8080
"""
)
@config_option
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve (default: localhost:8000)."
)
def serve(config_file: str | None, dev_addr: str | None) -> None:
    """Serve the site and rebuild it when a report or page changes (mkdocs serve --dirty).

    A new or edited report in reports/ regenerates only what it changes.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_log(None):
        try:
            mkdocs_serve(config_file, build_type="dirty", dev_addr=dev_addr)
        except MkDocsException as err:
            _fail(f"{config_file or 'mkdocs.yml'}: {err}")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _wanted(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


class ProgressLine:
    """One line on stderr, redrawn in place: the stage, a bar, done/total.

    Called as ``progress(stage, done, total)`` (``total`` 0: not known); redrawn at most ten
    times a second. MkDocs' log lines clear it first (see :func:`_mkdocs_log`)."""

    LABELS = {
        "parse": "parsing reports",
        "pages": "writing pages",
        "charts": "drawing charts",
        "mkdocs": "MkDocs pages",
        "search": "search index",
    }

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.shown = ""  # the line on screen now
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.1 and done != total:
            return
        self.stage, self.last = stage, now
        label = f"{self.LABELS.get(stage, stage):<16}"
        if total:
            width = max(10, min(40, shutil.get_terminal_size().columns - 40))
            filled = width * done // total
            line = f"{label}[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        else:
            line = f"{label}…"
        self._write(line)

    def _write(self, line: str) -> None:
        pad = " " * max(0, len(self.shown) - len(line))
        self.stream.write(f"\r{line}{pad}")
        self.stream.flush()
        self.shown = line

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * len(self.shown) + "\r")
            self.stream.flush()
            self.shown = ""

    def close(self) -> None:
        self.clear()


class _LogHandler(logging.Handler):
    """MkDocs' messages as `mkdocs build` prints them, clearing the progress line first."""

    COLOURS = {"CRITICAL": "red", "ERROR": "red", "WARNING": "yellow", "DEBUG": "blue"}

    def __init__(self, bar: ProgressLine | None) -> None:
        super().__init__()
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        try:
            prefix = click.style(f"{record.levelname:<8}-  ", fg=self.COLOURS.get(record.levelname))
            if self.bar is not None:
                self.bar.clear()
            click.echo(prefix + self.format(record), err=True)
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def _mkdocs_log(bar: ProgressLine | None) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    handler = _LogHandler(bar)
    saved = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = saved
