"""The real `mkdocs build --strict` of the five seeds (once per session, see conftest.built_site),
and the generation step on its own: links, no third-party assets, page weight, the build report,
incremental writes, determinism, and bad files that never stop the others."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from benchmark import counts_from_log, shards_from_log  # scripts/: the same reading of the log
from conftest import SITE_URL
from lxml import html as lxml_html

from gongkai import build

pytestmark = pytest.mark.site

AGENCY_YEARS = {
    "武威市科学技术局": "2023",
    "灋河回族区科技和工业信息化局": "2023",
    "盐池县科学技术局": "2023",
    "攀枝花市科学技术局": "2023",
    "青铜峡市科学技术局": "2020",
}


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def agency_year_html(site: Path, agency: str, year: str) -> Path:
    (folder,) = [p for p in (site / "agencies").iterdir() if p.name.startswith(agency + "-")]
    return folder / year / "index.html"


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_build_is_fast_and_complete(built_site):
    # Work counted from the plugin's log, not timed: each seed parsed once, no chart drawn
    # twice, each search shard indexed once (a cold build: nothing came from a cache).
    counts, shards = counts_from_log(built_site.log), shards_from_log(built_site.log)
    assert counts.get("parsed") == len(AGENCY_YEARS), built_site.log
    assert 0 < counts.get("rendered", 0) <= counts.get("charts", 0), built_site.log
    assert shards.get("indexed") == shards.get("shards", 0) > 1, built_site.log
    # and the CPU time of all the build's processes, which a busy machine does not inflate
    # as it does wall time: ~2.5 CPU-seconds measured on a 2-core machine
    assert built_site.cpu_seconds < 30, f"mkdocs build took {built_site.cpu_seconds:.1f} CPU-s"
    site = built_site.site
    for agency, year in AGENCY_YEARS.items():
        assert agency_year_html(site, agency, year).is_file()
        assert (agency_year_html(site, agency, year).parent.parent / "index.html").is_file()
    for rel in (
        "index.html",
        "search/index.html",
        "about/index.html",
        "generated/compare/index.html",
        "generated/quality/index.html",
        "generated/build-report/index.html",
        "generated/regions/index.html",
        "generated/years/2020/index.html",
        "generated/types/index.html",
        "data/index.html",
        "data/gongkai.zip",
        "data/fields.csv",
        "data/compare.json",
        "data/build-report.json",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind.js",
    ):
        assert (site / rel).is_file(), rel
    assert len(list((site / "data" / "records").glob("*.json"))) == 5


def test_every_internal_link_resolves(built_site):
    site = built_site.site
    prefix = urlparse(SITE_URL).path  # the site is built for a sub-path (404.html uses it)
    base = "http://localhost" + prefix
    broken = []
    for page in pages_of(site):
        url = base + page.relative_to(site).as_posix()
        for el, attr, link, _ in parse(page).iterlinks():
            target = urlparse(urljoin(url, link))
            if target.scheme not in ("http", "https") or target.netloc != "localhost":
                continue
            path = site / unquote(target.path.removeprefix(prefix))
            if not target.path.startswith(prefix) or not (
                path.is_file() or (path / "index.html").is_file()
            ):
                broken.append(f"{page.relative_to(site)}: {el.tag}[{attr}]={link}")
    assert not broken, "\n".join(broken[:20])


def test_no_third_party_assets(built_site):
    """Readers in mainland China: nothing may load from another host (links to sources are fine)."""
    site = built_site.site
    for page in pages_of(site):
        tree = parse(page)
        for el in tree.xpath(
            "//script[@src] | //img[@src] | //link[@href] | //iframe | //source | //video | //audio"
        ):
            if el.get("rel") == "canonical":  # the page's own address, never fetched
                continue
            ref = el.get("src") or el.get("href") or ""
            assert not re.match(r"^(https?:)?//", ref), f"{page}: {el.tag} {ref}"
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        assert tree.getroottree().getroot().get("lang") == "zh", page
    for css in site.rglob("*.css"):
        assert not re.search(
            r"url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(https?:)?//", css.read_text("utf-8")
        ), css


def test_agency_year_page_weight(built_site):
    """Under 100 KB transferred (gzip) on a first visit: the page, its styles, scripts and charts."""
    page = agency_year_html(built_site.site, "盐池县科学技术局", "2023")
    data = page.read_bytes()
    total = len(gzip.compress(data, 9))
    assert total < 30_000
    for el in parse(page).xpath("//script[@src] | //link[@rel='stylesheet'] | //img[@src]"):
        ref = el.get("src") or el.get("href")
        total += len(gzip.compress((page.parent / unquote(ref)).resolve().read_bytes(), 9))
    assert total < 100_000, total


def test_seed_figures_in_built_html(built_site):
    site = built_site.site
    tree = parse(agency_year_html(site, "攀枝花市科学技术局", "2023"))
    licensing = tree.xpath('//table[contains(@class,"gk-t2")]//tr[th="行政许可"]/td')
    assert licensing[0].text_content() == "14"
    wuwei = parse(agency_year_html(site, "武威市科学技术局", "2023"))
    assert "T3-B" in wuwei.xpath('//div[@id="check"]')[0].text_content()
    qtx = parse(agency_year_html(site, "青铜峡市科学技术局", "2020"))
    review = qtx.xpath('//table[contains(@class,"gk-t4")]//tr[th="行政复议"]/td')
    assert [td.text_content() for td in review] == ["—"] * 5
    assert all(td.xpath('.//span[@class="gk-null"]') for td in review)  # may be linked


def test_quality_and_build_report(built_site):
    site = built_site.site
    quality = parse(site / "generated/quality/index.html").text_content()
    assert "武威市科学技术局 2023 年" in quality
    report = json.loads((site / "data/build-report.json").read_text(encoding="utf-8"))["files"]
    assert [e["path"] for e in report] == sorted(
        f"reports/{p.name}" for p in (built_site.root / "reports").iterdir()
    )
    status = {e["agency"]: e["status"] for e in report}
    assert status["武威市科学技术局"] == "problems" and status["攀枝花市科学技术局"] == "ok"
    assert status["盐池县科学技术局"] == "problems"  # its text contradicts its table (NARR)
    assert (built_site.root / "build/build-report.json").read_text("utf-8") == (
        site / "data/build-report.json"
    ).read_text("utf-8")
    page = parse(site / "generated/build-report/index.html").text_content()
    assert all(e["path"] in page for e in report)


def test_home_overview(built_site):
    tree = parse(built_site.site / "index.html")
    values = [v.text_content() for v in tree.xpath('//div[@class="gk-key"]/b')]
    assert values[:3] == ["5", "5", "2020–2023"]
    assert len(tree.xpath('//ul[@class="gk-list"]/li/a[contains(@href, "agencies/")]')) == 5


def test_rebuild_writes_nothing_when_nothing_changed(built_site):
    summary = build.run(built_site.root)
    assert summary.written == 0 and summary.removed == 0 and summary.parsed == 0


def test_generation_is_deterministic(tmp_path, built_site):
    a = build.run(built_site.root, content_dir=tmp_path / "a", build_dir=tmp_path / "build-a")
    b = build.run(built_site.root, content_dir=tmp_path / "b", build_dir=tmp_path / "build-b")
    assert a.parsed == b.parsed == 5
    files_a = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    files_b = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert files_a == files_b
    reference = built_site.root / "content"
    for rel, data in files_a.items():
        assert (reference / rel).read_bytes() == data, rel


def test_bad_files_never_stop_the_others(tmp_path):
    root = tmp_path
    reports = root / "reports"
    shutil.copytree(Path(__file__).parent.parent / "reports", reports)
    (reports / "scan.pdf").write_bytes(b"%PDF-1.4 not a text")
    (reports / "empty.txt").write_bytes(b"")
    (reports / "orphan.yml").write_text("url: https://example.org/r.html\n", encoding="utf-8")
    (reports / "002_5e0a10dac8f8a1dc.yml").write_text(
        "url: https://www.example.gov.cn/r.html\npublished: 2024-01-20\n", encoding="utf-8"
    )
    (reports / "003_f5e83598e54ab4ab.yml").write_text(
        "url: javascript:alert(1)\n", encoding="utf-8"
    )
    (reports / "sub").mkdir()
    (reports / "sub" / "notes.txt").write_text("这不是一份年度报告。", encoding="utf-8")
    (reports / ".hidden.txt").write_text("ignored", encoding="utf-8")
    summary = build.run(root)
    report = {
        e["path"]: e
        for e in json.loads((root / "build/build-report.json").read_text("utf-8"))["files"]
    }
    assert summary.files == len(report) == 10  # the hidden file too: listed as skipped
    assert report["reports/.hidden.txt"]["status"] == "skipped" and summary.skipped == 1
    for path in (
        "reports/scan.pdf",
        "reports/empty.txt",
        "reports/orphan.yml",
        "reports/sub/notes.txt",
    ):
        assert report[path]["status"] == "failed" and report[path]["messages"][0], path
    assert summary.failed == 4 and summary.ok + summary.problems == 5
    assert any(f.startswith("reports/scan.pdf: ") for f in summary.failures)
    yanchi = next(p for p in (root / "content/agencies").glob("盐池县科学技术局-*/2023.md"))
    text = yanchi.read_text("utf-8")
    assert 'href="https://www.example.gov.cn/r.html"' in text and "2024-01-20" in text
    panzhihua = next(p for p in (root / "content/agencies").glob("攀枝花市科学技术局-*/2023.md"))
    assert (
        "javascript:"
        not in panzhihua.read_text("utf-8").split("<dt>原文链接</dt>")[1].split("</dd>")[0]
    )
    assert report["reports/003_f5e83598e54ab4ab.txt"]["status"] == "problems"
    quality = (root / "content/generated/quality.md").read_text("utf-8")
    assert "reports/scan.pdf" in quality
    # a report removed from reports/ takes its pages with it
    (reports / "003_f5e83598e54ab4ab.txt").unlink()
    again = build.run(root)
    assert again.removed > 0 and not list((root / "content/agencies").glob("攀枝花市科学技术局-*"))


def test_build_report_json_is_a_file_a_line():
    from gongkai.site import listings

    entries = [
        {"path": "reports/a.txt", "status": "ok", "messages": []},
        {"path": "reports/b 报告.pdf", "status": "failed", "messages": ['读不出："坏"\n文件']},
    ]
    text = listings.build_report_json(entries)
    assert json.loads(text) == {"files": entries}
    lines = text.splitlines()
    assert len(lines) == 4 and json.loads(lines[2]) == entries[1]  # greppable: one line each
    assert json.loads(listings.build_report_json([])) == {"files": []}


def test_canonical_addresses_write_chinese_as_itself_and_keep_ascii_escapes():
    from gongkai.plugin import iri

    url = "https://u.github.io/r/agencies/%E7%9B%90%E6%B1%A0-fa9f/2023/"
    assert iri(url) == "https://u.github.io/r/agencies/盐池-fa9f/2023/"
    # an escaped "/", "#", "?" or space means something else written plain: kept; so is a
    # run of bytes that is not UTF-8
    for kept in ("a%2Fb", "a%23b", "a%3Fb", "a%20b", "a%E7%9B", "%FF%FE"):
        assert iri(kept) == kept
