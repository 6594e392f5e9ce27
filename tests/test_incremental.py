"""The shortcuts that make a large build fast change nothing in what it produces: rebuilds
that reuse unchanged agencies, charts drawn by the pool while pages are assembled, and the
raw HTML that skips Markdown in MkDocs (byte-identical to the plain MkDocs build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

from gongkai import build, charts, mkdocs_hook

pytestmark = pytest.mark.site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def bump_first_count(path: Path) -> None:
    """One number of 表三 plus one (the seeds are UTF-8 text)."""
    import re

    text = path.read_text("utf-8")
    start = text.index("收到和处理政府信息公开申请情况")
    m = re.compile(r"(?<![\d.])([1-9]\d*)(?![\d.])").search(text, start)
    path.write_text(text[: m.start()] + str(int(m[1]) + 1) + text[m.end() :], "utf-8")


def test_rebuild_renders_only_the_changed_agency_and_matches_a_full_build(tmp_path):
    root = make_project(tmp_path / "p")
    first = build.run(root)
    assert first.parsed == 5 and first.written > 0
    before = tree(root / "content")
    yanchi = root / "reports" / "002_5e0a10dac8f8a1dc.txt"
    bump_first_count(yanchi)
    again = build.run(root)
    assert again.parsed == 1
    after = tree(root / "content")
    changed = {k for k in after if before.get(k) != after[k]}
    assert any(k.startswith("agencies/盐池县") for k in changed)
    assert not any(k.startswith("agencies/") and "盐池县" not in k for k in changed)
    # the same inputs from scratch give the same files
    fresh = build.run(root, content_dir=tmp_path / "fresh", build_dir=tmp_path / "fresh-build")
    assert fresh.pages == again.pages and fresh.charts == again.charts
    hand_written = {k for k in after if not k.startswith(("agencies/", "data/", "generated/"))}
    assert tree(tmp_path / "fresh") == {
        k: v for k, v in after.items() if k not in hand_written or k == "index.md"
    }


def test_a_generated_file_deleted_or_edited_by_hand_is_written_again(tmp_path):
    root = make_project(tmp_path / "p")
    build.run(root)
    page = next((root / "content" / "agencies").glob("武威市*/2023.md"))
    chart = next((root / "content" / "generated" / "charts").glob("*.svg"))
    good_page, good_chart = page.read_bytes(), chart.read_bytes()
    page.write_text("edited", "utf-8")
    chart.unlink()
    again = build.run(root)
    assert again.written == 2 and again.rendered == 0  # the chart came from build/cache
    assert page.read_bytes() == good_page and chart.read_bytes() == good_chart
    assert build.run(root).written == 0


def test_pool_renders_the_same_svgs(tmp_path, seeds, monkeypatch):
    figs = [f for rec in seeds.values() for f in charts.report_figures(rec) if f.spec]
    specs = {f.key: f.spec for f in figs}
    monkeypatch.setattr(charts, "PARALLEL_FROM", 2)
    pooled = charts.render_all(specs, tmp_path / "a", workers=2)
    alone = charts.render_all(specs, tmp_path / "b", workers=1)
    assert pooled == alone and len(pooled) == len(specs)


@pytest.mark.parametrize(
    "chunk, raw",
    [
        ('<div class="a">\n<p>x</p>\n</div>', True),
        ("<div>a</div>\n<table><tr><td>1</td></tr></table>", True),  # blocks one after another
        ('<figure><img src="a.svg" alt=""><p>x</p></figure>', True),
        ("<div>a</div> tail", False),  # Markdown goes on after the block
        ("<div>a</div>\ntext", False),
        ("<div>a</div><div>b</div>", False),
        ("<span>inline</span>", False),
        ("<div>unclosed", False),
        ("<div><!-- note --></div>", False),
        ('<div markdown="1">*x*</div>', False),
        ("<pre>a\n\n</pre>", False),
        ("## heading", False),
    ],
)
def test_raw_block(chunk, raw):
    assert mkdocs_hook.raw_block(chunk) is raw


HOSTILE = Path(__file__).parent / "hostile" / "reports"  # markup, placeholders, odd names


@pytest.mark.parametrize("reports", [None, HOSTILE], ids=["seeds", "hostile"])
def test_fast_markdown_is_byte_identical(tmp_path, reports):
    """The hook's raw-HTML shortcut against MkDocs' own Markdown run, on every page."""
    root = make_project(tmp_path / "p", reports)
    build.run(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_GENERATE": "0"}
    env["GONGKAI_PAGEFIND"] = "0"
    sites = {}
    for fast in ("1", "0"):
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root,
            env={**env, "GONGKAI_FAST_MARKDOWN": fast},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        sites[fast] = tree(root / "site")
        shutil.rmtree(root / "site")
    assert sites["1"].keys() == sites["0"].keys()
    differ = [k for k in sites["0"] if sites["0"][k] != sites["1"][k]]
    assert not differ, differ[:5]


def test_dataset_parts_give_the_same_files(seeds):
    from gongkai import dataset
    from gongkai.catalog import Report

    reports = [Report(f"reports/{name}.txt", rec) for name, rec in sorted(seeds.items())]
    whole = dataset.to_json_text(dataset.dataset_json(reports)).encode("utf-8")
    parts = dataset.Parts(salt="x")
    assert dataset.dataset_json_bytes(reports, parts) == whole
    again = dataset.Parts(parts.used, salt="x")
    assert dataset.dataset_json_bytes(reports, again) == whole
    assert dataset.csv_bytes(reports, again) == dataset.csv_bytes(reports)
    assert again.used == parts.used
    rows = dataset.csv_bytes(reports).decode("utf-8").splitlines()
    assert len(rows) == 1 + sum(1 for r in reports for _ in dataset.long_rows([r]))


def test_pagefind_pages_are_all_under_agencies(tmp_path):
    """The hook indexes agencies/**/*.html only: every page asking for the index is there."""
    root = make_project(tmp_path / "p")
    build.run(root)
    asking = [
        p.relative_to(root / "content").as_posix()
        for p in (root / "content").rglob("*.md")
        if "\npagefind: true\n" in p.read_text("utf-8").split("\n---", 1)[0] + "\n"
    ]
    assert asking and all(rel.startswith("agencies/") for rel in asking)


def test_compiled_shapes_draw_the_same_svg(seeds):
    import vl_convert

    charts.register_fonts()
    figs = [f for rec in seeds.values() for f in charts.report_figures(rec) if f.spec]
    trend = charts.trend_outcomes([("2022", seeds["yanchi"]), ("2023", seeds["wuwei"])])
    for fig in [*figs, trend]:
        assert charts.render_svg(fig.spec) == charts.compact_svg(
            vl_convert.vegalite_to_svg(fig.spec)
        ), fig.name
