"""Generate content/ from reports/ without MkDocs (the same step `mkdocs build` runs first).

.venv/bin/python scripts/build_site.py            # the project in the current directory
.venv/bin/python scripts/build_site.py --root DIR --workers 2
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai import build


@click.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (with reports/ and content/).",
)
@click.option(
    "--reports",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Reports folder (default: ROOT/reports).",
)
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="MkDocs docs folder to write into (default: ROOT/content).",
)
@click.option("--workers", type=int, default=None, help="Processes for parsing and charts.")
def main(root: Path, reports: Path | None, content: Path | None, workers: int | None) -> None:
    """Parse every report, check it, and write the pages, charts and data files."""
    summary = build.run(root, reports_dir=reports, content_dir=content, workers=workers)
    for failure in summary.failures:
        click.echo(failure, err=True)
    timing = "，".join(f"{k} {v:.2f}s" for k, v in summary.seconds.items())
    click.echo(f"{summary.line()}（{timing}）")
    sys.exit(0)


if __name__ == "__main__":
    main()
