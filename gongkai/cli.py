"""The `gongkai` command: a thin click layer that turns library errors into `file: message`."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import click

from gongkai.check import series_problems
from gongkai.model import NotAReport, Record
from gongkai.report import read_report


@click.group()
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的解析、核验与发布。"""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--pretty", is_flag=True, help="Indent the JSON (one record per file still).")
def parse(files: tuple[str, ...], pretty: bool) -> None:
    """Parse report FILES (.txt/.md/.html) and print one JSON record per line."""
    failed = 0
    records = []
    for path in files:
        try:
            records.append(read_report(path))
        except NotAReport as err:
            click.echo(f"{path}: {err}", err=True)
            failed += 1
        except OSError as err:
            click.echo(f"{path}: 无法读取文件（{err.strerror or err}）", err=True)
            failed += 1
    for record in with_series_checks(records):
        text = json.dumps(record.to_json(), ensure_ascii=False, indent=2 if pretty else None)
        click.echo(text)
    sys.exit(1 if failed else 0)


def with_series_checks(records: list[Record]) -> list[Record]:
    """Add the checks across the years of one agency (carry-over XY-1, T2-X) to each record."""
    return [
        replace(r, problems=r.problems + extra) if extra else r
        for r, extra in zip(records, series_problems(records), strict=True)
    ]
