"""Damaged caches and generated files are repaired, never republished (issue 14): charts in
build/cache and content/generated/charts truncated or garbage, a page of site/ truncated by a
kill. The work is counted (charts drawn, files written), never timed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project, tree

from gongkai import build
from gongkai.site import charts

pytestmark = pytest.mark.site


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    else:  # binary garbage: crashed every build until build/ was deleted
        path.write_bytes(bytes(range(256)) * 8)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, bytes], int]:
    root = make_project(tmp_path_factory.mktemp("cache") / "p")
    summary = build.run(root, workers=1)
    assert summary.rendered > 3
    return root, tree(root / "content"), summary.rendered


@pytest.mark.parametrize("how", ["truncate", "empty", "garbage"])
def test_damaged_cached_charts_are_drawn_again(built, tmp_path, how):
    """CI restores build/cache (damaged) with a fresh content/: each damaged chart is drawn
    again, the others come from the cache."""
    root, good, drawn = built
    cache = root / "build" / "cache" / "charts"
    damaged = sorted(cache.glob("*.svg"))[:3]
    saved = {p: p.read_bytes() for p in damaged}
    for path in damaged:
        _damage(path, how)
    try:
        fresh = build.run(root, workers=1, content_dir=tmp_path / "content")
        assert fresh.rendered == len(damaged) < drawn
        assert tree(tmp_path / "content") == {
            k: v for k, v in good.items() if k.startswith(("agencies/", "data/", "generated/"))
        } | {"index.md": good["index.md"]}
        for path, data in saved.items():
            assert path.read_bytes() == data  # the cache is repaired too
    finally:
        for path, data in saved.items():
            path.write_bytes(data)


@pytest.mark.parametrize("how", ["truncate", "empty", "garbage"])
def test_a_damaged_chart_in_content_is_written_again(built, how):
    root, good, _ = built
    folder = root / "content" / "generated" / "charts"
    damaged = sorted(folder.glob("*.svg"))[:2]
    for path in damaged:
        _damage(path, how)
    again = build.run(root, workers=1)
    assert again.rendered == 0  # from the cache, which checks out
    assert again.written == len(damaged)
    assert tree(root / "content") == good


def test_a_chart_not_written_by_the_build_is_checked_not_trusted(built):
    """A chart file the manifest does not know (content/ restored from elsewhere) is
    written again from the cache rather than trusted by its name."""
    root, good, _ = built
    (root / "build" / "cache" / "manifest.json").unlink()
    path = sorted((root / "content" / "generated" / "charts").glob("*.svg"))[0]
    _damage(path, "truncate")
    again = build.run(root, workers=1)
    assert again.rendered == 0
    assert tree(root / "content") == good


def test_svg_check():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1"><text>\xe4\xb8\xad</text></svg>'
    assert charts.svg_checks_out(svg)
    assert not charts.svg_checks_out(svg[:-3])
    assert not charts.svg_checks_out(b"")
    assert not charts.svg_checks_out(b"<svg>" + bytes(range(256)) + b"</svg>")
    assert not charts.svg_checks_out(b'<svg><!DOCTYPE x [<!ENTITY a "b">]></svg>')
