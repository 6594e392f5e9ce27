"""The shortcuts that make a large build fast change nothing in what it produces: rebuilds
that reuse unchanged agencies, charts drawn by the pool while pages are assembled, and the
raw HTML that skips Markdown in MkDocs (byte-identical to the plain MkDocs build)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import bump_first_count, make_project, tree

from gongkai import build
from gongkai.site import charts, markdown

pytestmark = pytest.mark.site


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


def test_a_renamed_agency_moves_in_every_listing_as_in_a_full_build(tmp_path):
    """The browse pages are kept while their fingerprint holds; a new agency name is in it."""
    root = make_project(tmp_path / "p")
    build.run(root)
    yanchi = root / "reports" / "002_5e0a10dac8f8a1dc.txt"
    yanchi.write_text(yanchi.read_text("utf-8").replace("科学技术局", "教育局"), "utf-8")
    again = build.run(root)
    assert again.removed > 0
    fresh = build.run(root, content_dir=tmp_path / "fresh", build_dir=tmp_path / "fresh-build")
    assert fresh.pages == again.pages
    generated = {
        k: v
        for k, v in tree(root / "content").items()
        if k.startswith(("agencies/", "data/", "generated/")) or k == "index.md"
    }
    assert generated == tree(tmp_path / "fresh")
    assert "盐池县教育局".encode() in b"".join(generated.values())


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
    assert markdown.raw_block(chunk) is raw


HOSTILE = Path(__file__).parent / "hostile" / "reports"  # markup, placeholders, odd names
ROOT_REPORTS = Path(__file__).resolve().parent.parent / "reports"


@pytest.mark.parametrize("reports", [None, HOSTILE], ids=["seeds", "hostile"])
def test_fast_markdown_is_byte_identical(tmp_path, reports):
    """The hook's raw-HTML shortcut against MkDocs' own Markdown run, on every page."""
    root = make_project(tmp_path / "p", reports)
    build.run(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_GENERATE": "false"}
    env["GONGKAI_SEARCH"] = "false"
    sites = {}
    for fast in ("true", "false"):
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
    assert sites["true"].keys() == sites["false"].keys()
    differ = [k for k in sites["false"] if sites["false"][k] != sites["true"][k]]
    assert not differ, differ[:5]


def test_dataset_parts_give_the_same_files(seeds):
    from gongkai.model import Report
    from gongkai.site import dataset

    reports = [Report(f"reports/{name}.txt", rec) for name, rec in sorted(seeds.items())]
    whole = dataset.to_json_text(dataset.dataset_json(reports)).encode("utf-8")
    parts = dataset.Parts(salt="x")
    assert dataset.dataset_json_bytes(reports, parts) == whole
    first_zip = dataset.data_zip(reports, parts)
    again = dataset.Parts(parts.used, salt="x")
    assert dataset.dataset_json_bytes(reports, again) == whole
    assert dataset.data_zip(reports, again) == first_zip == dataset.data_zip(reports)
    assert again.used == parts.used
    archive = zipfile.ZipFile(io.BytesIO(first_zip))
    assert archive.testzip() is None  # every member's CRC-32
    assert archive.read("gongkai.csv") == dataset.csv_bytes(reports)
    assert archive.read("gongkai.json") == whole
    rows = dataset.csv_bytes(reports).decode("utf-8").splitlines()
    assert len(rows) == 1 + sum(1 for r in reports for _ in dataset.long_rows([r]))


def test_a_changed_report_changes_its_dataset_share(seeds):
    """The parts are keyed by the file's hash: new bytes, new rows; the kept parts of the
    other reports still give the right files."""
    from gongkai.model import Report, Source
    from gongkai.site import dataset

    reports = [Report(f"reports/{name}.txt", rec) for name, rec in sorted(seeds.items())]
    parts = dataset.Parts(salt="x")
    dataset.data_zip(reports, parts)
    old = reports[1].record
    table3 = {**old.table3, "new_received": {**old.table3["new_received"], "total": 987654}}
    source = Source(old.source.path, "f" * 64, "text", "utf-8", old.source.size)
    reports[1] = replace(reports[1], record=replace(old, table3=table3, source=source))
    again = dataset.Parts(parts.used, salt="x")
    data = dataset.data_zip(reports, again)
    assert zipfile.ZipFile(io.BytesIO(data)).read("gongkai.csv") == dataset.csv_bytes(reports)
    assert b"987654" in dataset.csv_bytes(reports)
    assert dataset.dataset_json_bytes(reports, again) == dataset.to_json_text(
        dataset.dataset_json(reports)
    ).encode("utf-8")


def test_unchanged_files_are_not_hashed_again_but_every_change_is_seen(tmp_path, monkeypatch):
    """The digest cache trusts a file only while its inode, size and both times are those it
    had: an edit that keeps the size and puts the modification time back is still seen."""
    from gongkai import cache

    monkeypatch.setattr(cache, "RECENT_NS", 0)  # remember files however new they are
    report = tmp_path / "a.txt"
    report.write_bytes(b"one 11")
    store = tmp_path / "stat.pickle"
    hashes = cache.Hashes(store)
    first = hashes.digest(report)
    hashes.save()
    st = report.stat()
    time.sleep(0.05)  # past the clock's granularity
    report.write_bytes(b"one 12")  # same size
    os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    assert report.stat().st_size == st.st_size and report.stat().st_mtime_ns == st.st_mtime_ns
    again = cache.Hashes(store)
    assert again.old and again.digest(report) != first
    again.save()
    assert cache.Hashes(store).digest(report) == again.digest(report)
    # a new file put in its place (rename), same size and times: another inode
    other = tmp_path / "b.txt"
    other.write_bytes(b"one 13")
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    other.replace(report)
    assert cache.Hashes(store).digest(report) == hashlib.sha256(b"one 13").hexdigest()


def test_a_file_changed_just_before_the_build_is_hashed_next_time(tmp_path):
    from gongkai import cache

    report = tmp_path / "a.txt"
    report.write_bytes(b"x")
    hashes = cache.Hashes(tmp_path / "stat.pickle")
    hashes.digest(report)
    assert hashes.new == {}  # written < RECENT_NS ago: its times may not show a second edit


def test_pages_come_from_whole_records_never_from_summaries(tmp_path):
    """A rebuild reads every unchanged report as a summary; the agencies rendered again get
    their whole records back, even when the cache file of one was deleted."""
    root = make_project(tmp_path / "p")
    build.run(root)
    page = next((root / "content" / "agencies").glob("盐池县*/2023.md"))
    good = page.read_text("utf-8")
    records = root / "build" / "cache" / "records"
    for cached in records.glob("*.pickle"):
        cached.unlink()  # the summaries in records/_light stay
    page.write_text("edited", "utf-8")
    again = build.run(root)
    assert again.parsed == 0 and again.written == 1 and page.read_text("utf-8") == good


def test_a_summary_is_refused_by_the_page_maker(seeds):
    from gongkai.build import inputs
    from gongkai.model import Report
    from gongkai.site import assemble
    from gongkai.site.catalog import build_catalog

    light = Report("reports/y.txt", inputs.summary(seeds["yanchi"]), light="key")
    with pytest.raises(ValueError, match="摘要"):
        assemble.assemble(build_catalog([light]), [])


def test_same_bytes_as_text_and_web_page_are_cached_apart(tmp_path):
    from gongkai.build import inputs

    data = (ROOT_REPORTS / "002_5e0a10dac8f8a1dc.txt").read_bytes()
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(data)
    (folder / "b.html").write_bytes(data)
    assert inputs.cache_key("d", "reports/a.txt") != inputs.cache_key("d", "reports/b.html")
    cache = tmp_path / "cache"
    assert inputs.parse_all([folder / "a.txt"], tmp_path, cache, 1, light=True)[1] == 1
    assert inputs.parse_all([folder / "b.html"], tmp_path, cache, 1, light=True)[1] == 1
    assert inputs.parse_all([folder / "a.txt"], tmp_path, cache, 1, light=True)[1] == 0


def test_find_inputs_as_rglob(tmp_path):
    """Hidden files and folders left out, symlinked folders not entered, sorted as paths."""
    from gongkai.build import inputs

    folder = tmp_path / "reports"
    for rel in ["a.txt", "a.yml", "b/c.txt", "b-c.txt", ".hidden.txt", ".git/x.txt", "d/.e.txt"]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("x")
    (folder / "link").symlink_to(folder / "b", target_is_directory=True)
    (folder / "file-link.txt").symlink_to(folder / "a.txt")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    found = inputs.find_inputs(folder)
    expected = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(x.startswith(".") for x in p.relative_to(folder).parts)
    )
    assert found.reports + list(found.sidecars.values()) == [
        p for p in expected if p.suffix != ".yml"
    ] + [folder / "a.yml"]


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
