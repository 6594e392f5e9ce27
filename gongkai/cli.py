"""The `gongkai` command: a thin click layer that turns library errors into `file: message`."""

from __future__ import annotations

import json
import sys

import click

from gongkai.model import NotAReport
from gongkai.parse import parse_file


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
    for path in files:
        try:
            record = parse_file(path)
        except NotAReport as err:
            click.echo(f"{path}: {err}", err=True)
            failed += 1
            continue
        except OSError as err:
            click.echo(f"{path}: 无法读取文件（{err.strerror or err}）", err=True)
            failed += 1
            continue
        text = json.dumps(record.to_json(), ensure_ascii=False, indent=2 if pretty else None)
        click.echo(text)
    sys.exit(1 if failed else 0)
