"""The sharded search index (gongkai/search.py) with the real Pagefind binary.

A small site of agency pages is indexed into shards; the tests check that every page is in
exactly one shard at its right URL, that an unchanged site indexes nothing again, that one
changed page re-indexes exactly its own shard, and that a full rebuild which rewrites every
page with the same bytes re-indexes nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import tree

from gongkai.site import search
from gongkai.site.search import index_site, shard_count, shard_of

AGENCIES = [f"测试市第{n}局-{n:08x}" for n in range(1, 9)]
PER_SHARD = 4  # 8 agencies × 2 pages = 16 pages → 4 shards


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><nav>导航</nav><div data-pagefind-body><h1>{title}</h1>"
        f'<p>{body}</p><div class="gk-scroll"><table><tr><td>表内词语</td><td>7</td></tr>'
        f"</table></div></div></body></html>"
    )


def make_site(site: Path, agencies=AGENCIES) -> dict[str, str]:
    """url → title of every agency page and report (its 原文 page, which stands for the
    agency-year page in the index), plus pages never indexed: the agency-year page itself
    (no search body) and the home page (not under agencies/)."""
    urls = {}
    for slug in agencies:
        for rel, title in (
            (f"agencies/{slug}/index.html", slug),
            (f"agencies/{slug}/2023/原文.html", f"{slug} 2023"),
        ):
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_page(title, f"{title} 的报告正文，政府信息公开。"), encoding="utf-8")
            urls["/" + rel.removesuffix("index.html")] = title
        (site / f"agencies/{slug}/2023/index.html").write_text(
            "<!doctype html><html><body><h1>机关年度页（表格，不进索引）</h1></body></html>",
            encoding="utf-8",
        )
    (site / "index.html").write_text(_page("首页", "首页不进索引"), encoding="utf-8")
    return urls


def fragments(bundle: Path) -> dict[str, list[str]]:
    """bundle folder (site-relative) → URLs of the pages its fragments describe."""
    out: dict[str, list[str]] = {}
    for path in sorted(bundle.rglob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        folder = path.parent.parent.relative_to(bundle).as_posix()
        out.setdefault(folder, []).append(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return out


def _content(fragment: Path) -> str:
    data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
    return data["content"].replace("\u200b", "")  # Pagefind marks CJK word breaks so


def shard_list(bundle: Path) -> dict:
    text = (bundle / search.SHARD_LIST).read_text(encoding="utf-8")
    return json.loads(text.split("window.gongkaiSearch = ", 1)[1].rstrip().rstrip(";"))


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    site = tmp_path / "site"
    return site, tmp_path / "cache", make_site(site)


def test_every_page_in_exactly_one_shard_at_its_url(site):
    site_dir, cache, urls = site
    result = index_site(site_dir, cache, PER_SHARD)
    expected_shards = {shard_of(slug, shard_count(16, PER_SHARD)) for slug in AGENCIES}
    assert (result.pages, result.shards, result.indexed) == (
        16,
        len(expected_shards),
        len(expected_shards),
    )
    assert len(expected_shards) > 1  # the test means nothing with one shard
    bundle = site_dir / "pagefind"
    found = fragments(bundle)
    listed = shard_list(bundle)
    assert listed["pages"] == 16
    assert sorted(found) == sorted([".", *(p.rstrip("/") for p in listed["parts"])])
    every = [u for us in found.values() for u in us]
    assert sorted(every) == sorted(urls)  # each page once, at its site URL; index.html not in
    # an agency's two pages share a shard
    for slug in AGENCIES:
        homes = [f for f, us in found.items() if f"/agencies/{slug}/" in us]
        years = [f for f, us in found.items() if f"/agencies/{slug}/2023/原文.html" in us]
        assert homes == years
    # tables (and charts) are left out of the index, the text around them is in
    contents = [_content(p) for p in bundle.rglob("*.pf_fragment")]
    assert all("报告正文" in c and "表内词语" not in c for c in contents)
    # the program once, at the top; the parts hold only their index
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-ui.js").is_file()
    for part in listed["parts"]:
        names = {p.name for p in (bundle / part).iterdir()}
        assert "pagefind-entry.json" in names and any(n.endswith(".pf_meta") for n in names)
        assert not names & {"pagefind.js", "pagefind-ui.js", "wasm.unknown.pagefind"}
    assert not list(bundle.rglob(".gongkai-stamp"))


def test_unchanged_site_is_not_indexed_again(site):
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    first = tree(site_dir / "pagefind")
    again = index_site(site_dir, cache, PER_SHARD)
    assert again.indexed == 0 and again.shards > 1
    assert tree(site_dir / "pagefind") == first


def test_one_changed_page_reindexes_its_shard_only(site):
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    before = fragments(site_dir / "pagefind")
    page = site_dir / "agencies" / AGENCIES[3] / "2023" / "原文.html"
    page.write_text(_page(f"{AGENCIES[3]} 2023", "改动后的正文：螺旋藻"), encoding="utf-8")
    result = index_site(site_dir, cache, PER_SHARD)
    assert result.indexed == 1
    after = fragments(site_dir / "pagefind")
    changed = [f for f in after if f"/agencies/{AGENCIES[3]}/2023/原文.html" in after[f]]
    assert len(changed) == 1
    contents = [_content(p) for p in (site_dir / "pagefind").rglob("*.pf_fragment")]
    assert sum("螺旋藻" in c for c in contents) == 1
    assert {f: sorted(u) for f, u in after.items()} == {f: sorted(u) for f, u in before.items()}


def test_full_rebuild_with_same_bytes_reindexes_nothing(site):
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    for path in (site_dir / "agencies").rglob("*.html"):  # as a full MkDocs build does
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    assert index_site(site_dir, cache, PER_SHARD).indexed == 0


def test_removed_agency_leaves_the_index(site):
    site_dir, cache, urls = site
    index_site(site_dir, cache, PER_SHARD)
    gone = AGENCIES[0]
    for path in sorted((site_dir / "agencies" / gone).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (site_dir / "agencies" / gone).rmdir()
    result = index_site(site_dir, cache, PER_SHARD)
    # 14 pages still make 4 shards of 4: only the shard that held the agency changes
    assert result.pages == 14 and result.indexed == 1
    every = sorted(u for us in fragments(site_dir / "pagefind").values() for u in us)
    assert every == sorted(u for u in urls if f"/{gone}/" not in u)


def test_layout_change_reindexes_everything_and_drops_old_shards(site):
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    result = index_site(site_dir, cache, 100)  # one shard now
    assert (result.shards, result.indexed) == (1, 1)
    assert shard_list(site_dir / "pagefind")["parts"] == []
    stored = [p.name for p in (cache / "pagefind").iterdir() if p.is_dir()]
    assert stored == ["1-00"]


def test_site_without_agency_pages_has_no_index(tmp_path):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text(_page("首页", "无"), encoding="utf-8")
    result = index_site(site_dir, tmp_path / "cache")
    assert (result.pages, result.shards, result.indexed) == (0, 0, 0)
    assert shard_list(site_dir / "pagefind") == {"pages": 0, "parts": []}
    assert not (site_dir / "pagefind" / "pagefind.js").exists()
    assert "没有可搜索" in result.line()


def test_pagefind_failure_is_an_error_and_keeps_no_stamp(site):
    site_dir, cache, _ = site

    def broken(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.CompletedProcess(command, 3, "", "boom")

    with pytest.raises(search.SearchIndexError, match="boom"):
        index_site(site_dir, cache, PER_SHARD, run=broken)
    assert index_site(site_dir, cache, PER_SHARD).indexed > 1  # nothing was taken as done


def test_folder_names_that_a_glob_cannot_hold_are_refused(tmp_path):
    site_dir = tmp_path / "site"
    make_site(site_dir, ["正常-00000001", "a{b,c}-00000002"])
    with pytest.raises(search.SearchIndexError, match="glob"):
        index_site(site_dir, tmp_path / "cache")


def test_shard_of_is_stable():
    # fixed values: the layout must not depend on Python's per-process string hashing
    assert [shard_of(s, 7) for s in ("a", "盐池县科学技术局-0a1b2c3d")] == [5, 4]
    assert [shard_of(s, 4) for s in AGENCIES] == [2, 1, 0, 0, 1, 2, 0, 0]
    assert shard_count(0, 1000) == 1 and shard_count(1000, 1000) == 1
    assert shard_count(1001, 1000) == 2
    assert shard_count(10**7) == search.MAX_SHARDS


def test_rebuild_in_place_equals_a_fresh_index(site, tmp_path):
    """A dirty rebuild keeps site/pagefind and swaps only the changed shard's files; the
    result is the same bundle a fresh index of the same pages gives."""
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    bundle = site_dir / "pagefind"

    # a file as written: inode and time (a replaced file may get the freed inode back)
    def written(p: Path) -> tuple[int, int]:
        return p.stat().st_ino, p.stat().st_mtime_ns

    before = {p: written(p) for p in bundle.rglob("pagefind-entry.json")}
    page = site_dir / "agencies" / AGENCIES[1] / "index.html"
    page.write_text(_page(AGENCIES[1], "改动后的正文"), encoding="utf-8")
    assert index_site(site_dir, cache, PER_SHARD).indexed == 1
    kept = [p for p, was in before.items() if p.is_file() and written(p) == was]
    assert len(kept) == len(before) - 1  # every other shard stayed as it was

    other = tmp_path / "other"
    shutil.copytree(site_dir, other, ignore=shutil.ignore_patterns("pagefind"))
    index_site(other, tmp_path / "other-cache", PER_SHARD)
    assert tree(other / "pagefind") == tree(bundle)


def _damage(path: Path, how: str) -> None:
    if how == "truncate":
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 3)])
    elif how == "garbage":
        path.write_bytes(bytes(range(256)) * 4)
    else:
        path.unlink()


@pytest.mark.parametrize("how", ["truncate", "garbage", "delete"])
@pytest.mark.parametrize("which", ["pagefind-entry.json", "fragment"])
def test_a_damaged_cached_shard_is_indexed_again(site, how, which):
    """build/cache restored by CI, a disk, a kill: a cached shard is reused only when every
    file has the size and SHA-256 recorded when Pagefind wrote it (issue 14)."""
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    good = tree(site_dir / "pagefind")
    shard = sorted(p for p in (cache / "pagefind").iterdir() if p.is_dir())[0]
    target = shard / which if which != "fragment" else sorted((shard / "fragment").iterdir())[0]
    _damage(target, how)
    again = index_site(site_dir, cache, PER_SHARD)
    assert again.indexed == 1  # that shard only
    assert tree(site_dir / "pagefind") == good
    assert index_site(site_dir, cache, PER_SHARD).indexed == 0


@pytest.mark.parametrize("how", ["truncate", "garbage", "delete"])
def test_a_damaged_site_copy_is_replaced_and_the_cache_is_untouched(site, how):
    """The site holds copies, not hard links: damage to site/pagefind (a kill while MkDocs
    wrote it) is not damage to the cache, and the next build puts the copy right."""
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    good, cached = tree(site_dir / "pagefind"), tree(cache / "pagefind")
    bundle = site_dir / "pagefind"
    for path in [bundle / "pagefind-entry.json", *sorted(bundle.rglob("*.pf_fragment"))[-2:]]:
        assert os.stat(path).st_nlink == 1
        _damage(path, how)
    assert tree(cache / "pagefind") == cached
    again = index_site(site_dir, cache, PER_SHARD)
    assert again.indexed == 0  # nothing to index again: the cache was never damaged
    assert tree(site_dir / "pagefind") == good


def test_extra_files_in_a_site_copy_are_removed(site):
    site_dir, cache, _ = site
    index_site(site_dir, cache, PER_SHARD)
    good = tree(site_dir / "pagefind")
    part = shard_list(site_dir / "pagefind")["parts"][0]
    (site_dir / "pagefind" / part / "fragment" / "junk.pf_fragment").write_bytes(b"junk")
    index_site(site_dir, cache, PER_SHARD)
    assert tree(site_dir / "pagefind") == good


def test_pagefind_runs_with_a_timeout(monkeypatch, tmp_path):
    """A Pagefind that never ends (it waited on pages another build deleted) is stopped."""
    seen = {}

    def fake(command, **kwargs):
        seen.update(kwargs)
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(search.subprocess, "run", fake)
    with pytest.raises(search.SearchIndexError, match="已终止"):
        search._run(["pagefind"], tmp_path)
    assert seen["timeout"] == search.PAGEFIND_TIMEOUT


def test_another_live_builds_temporary_folders_are_kept(tmp_path):
    store = tmp_path / "pagefind"
    live = subprocess.Popen(["sleep", "30"])
    try:
        for name in (f".out-4-00-{live.pid}", ".out-4-00-999999999", "2-00"):
            (store / name).mkdir(parents=True)
        search._remove_stale(store, set())
        assert sorted(p.name for p in store.iterdir()) == [f".out-4-00-{live.pid}"]
    finally:
        live.kill()
        live.wait()


def test_place_names_are_indexed_and_the_sites_own_words_are_not(tmp_path):
    """The hidden line of place names is in the index (with its meta for the results); the
    legends, notes, cards and section headings the site prints on every page are not."""
    site_dir = tmp_path / "site"
    page = site_dir / "agencies" / "盐池县科学技术局-00000001" / "2023" / "原文.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><div data-pagefind-body><h1>盐池县科学技术局 2023 年</h1>"
        '<div class="gk-meta"><p data-pagefind-ignore>地区：<a data-pagefind-meta="region">'
        "宁夏回族自治区 › 吴忠市 › 盐池县</a></p>"
        '<p class="gk-places" hidden data-pagefind-meta="places">宁夏回族自治区 宁夏 吴忠市 吴忠'
        "</p></div><h2>主要数据</h2>"
        '<div class="gk-keys">本年新收申请卡片</div><p class="gk-legend">黄底图例</p>'
        '<p class="gk-note">比例说明注释</p><p class="gk-alert">核验提醒</p>'
        '<section class="gk-section"><h3>一、总体情况</h3><p>报告正文：螺旋藻产业。</p></section>'
        "</div></body></html>",
        encoding="utf-8",
    )
    index_site(site_dir, tmp_path / "cache")
    (fragment,) = (site_dir / "pagefind").rglob("*.pf_fragment")
    content = _content(fragment)
    assert "宁夏" in content and "吴忠" in content and "螺旋藻" in content
    for chrome in ("主要数据", "卡片", "黄底", "比例说明", "核验提醒"):
        assert chrome not in content, chrome
    data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
    assert data["meta"]["places"] == "宁夏回族自治区 宁夏 吴忠市 吴忠"
    assert data["meta"]["region"] == "宁夏回族自治区 › 吴忠市 › 盐池县"


def test_fragments_hold_the_text_once_without_the_lines_anchors(tmp_path):
    """A 原文 page numbers each line with an id; Pagefind would keep each such line's text a
    second time as an "anchor", which the search page never shows: the fragment keeps the
    page's text once (search._drop_anchors), and the search still finds the line's words."""
    site_dir = tmp_path / "site"
    page = site_dir / "agencies" / "测试局-00000001" / "2023" / "原文.html"
    page.parent.mkdir(parents=True)
    lines = "".join(f"<p id=L{n}>第{n}行螺旋藻{n}号文字。</p>" for n in range(1, 41))
    page.write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><div data-pagefind-body><h1>测试局 2023 年</h1><main>{lines}</main></div>"
        "</body></html>",
        encoding="utf-8",
    )
    index_site(site_dir, tmp_path / "cache")
    (fragment,) = (site_dir / "pagefind").rglob("*.pf_fragment")
    data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
    assert data["anchors"] == []
    assert "第40行螺旋藻40号文字" in data["content"].replace("\u200b", "")
    assert data["url"].endswith("/2023/原文.html")
