"""The hostile corpus through the real `mkdocs build --strict` (tests/hostile/README.md):
the build completes, every file has its entry, the good reports are unaffected, hostile text
is text, nothing is written outside the build's folders, and two builds are byte-identical."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

HOSTILE = Path(__file__).resolve().parent / "hostile"
sys.path.insert(0, str(HOSTILE))

from conftest import run_with_cpu  # noqa: E402
from hostile_site import PWNED, SEEDS, hostile_site, mkdocs_build, snapshot  # noqa: E402
from make_hostile import LARGE, UNPORTABLE, alias_bomb, expected, write_large, write_unportable  # noqa: E402

from gongkai import build  # noqa: E402
from gongkai.ingest.read import MAX_BYTES  # noqa: E402
from gongkai.report import read_report  # noqa: E402

pytestmark = pytest.mark.site

# Files of site/ allowed to differ between two builds of the same reports/: the gzip header of
# sitemap.xml.gz holds the build time (MkDocs; fixed by SOURCE_DATE_EPOCH). Its content may not.
MAY_DIFFER: set[str] = set()  # sitemap.xml.gz is rewritten with a fixed gzip date
SLUG = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff-]{1,40}-[0-9a-f]{8}$")
EVIL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_site(tmp_path_factory)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


PARSER = lxml_html.HTMLParser(huge_tree=True)  # the long-line page holds a 5 MB paragraph


def tree(path: Path):
    return lxml_html.fromstring(path.read_bytes(), parser=PARSER)


def text_of(path: Path) -> str:
    return " ".join(tree(path).text_content().split())


def test_build_completes_in_bounded_time(hostile):
    # CPU time of every process of the build (parse pool, MkDocs, Pagefind), not wall time:
    # ~5 CPU-seconds measured on a 2-core machine; a quadratic rule on the 5 MB line or the
    # million lines would take minutes
    assert hostile.cpu_seconds < 60, f"{hostile.cpu_seconds:.0f} CPU-seconds"
    assert "WARNING" not in hostile.log and "ERROR" not in hostile.log


def test_one_entry_per_input_file_with_status_and_message(hostile):
    cases = {
        **expected(),
        **dict.fromkeys(LARGE),
        **dict.fromkeys(UNPORTABLE),
        **dict.fromkeys(SEEDS),
    }
    assert set(hostile.entries) == set(cases)
    wrong = []
    for name, entry in hostile.entries.items():
        case = expected().get(name)
        status, message = (
            (case.status, case.message) if case
            else LARGE[name][1:] if name in LARGE
            else UNPORTABLE[name][1:] if name in UNPORTABLE
            else (None, "")
        )  # fmt: skip
        if status is not None and entry["status"] != status:
            wrong.append(f"{name}: {entry['status']} (expected {status}) {entry['messages']}")
        if message and not any(message in m for m in entry["messages"]):
            wrong.append(f"{name}: no message with “{message}”: {entry['messages']}")
        if entry["status"] != "ok" and not entry["messages"]:
            wrong.append(f"{name}: {entry['status']} without a message")
        if entry["status"] in ("failed", "skipped"):
            assert entry["page"] is None
        else:
            assert (hostile.root / "content" / entry["page"]).is_file(), name
            assert hostile.page(name).is_file(), name
    assert not wrong, "\n".join(wrong)


def test_failed_files_are_listed_on_the_build_report_page(hostile):
    page = text_of(hostile.site / "generated" / "build-report" / "index.html")
    for name, entry in hostile.entries.items():
        assert entry["path"] in page, name
        if entry["status"] in ("failed", "skipped"):
            assert entry["messages"][0][:40] in page, name


def test_good_reports_are_unaffected(hostile):
    for name, (agency, year) in SEEDS.items():
        entry = hostile.entries[name]
        assert (entry["agency"], entry["year"]) == (agency, year)
        alone = read_report(HOSTILE.parent / "fixtures" / "reports" / name).to_json()
        records = hostile.site / "data" / "records"
        (published,) = [
            json.loads(p.read_text("utf-8")) for p in records.glob("*.json")
            if json.loads(p.read_text("utf-8"))["agency"] == agency
        ]  # fmt: skip
        for key in ("table2", "table3", "table4", "problems"):
            assert published[key] == alone[key], key
        # the narrative is published in the dataset (and on the report's 原文 page)
        with zipfile.ZipFile(hostile.site / "data" / "gongkai.zip") as z:
            items = json.loads(z.read("gongkai.json"))["reports"]
        (item,) = [i for i in items if i["source_path"] == published["source_path"]]
        assert item["sections"] == alone["sections"]
        assert agency in text_of(hostile.page(name))


def test_narrative_of_unreadable_reports_is_shown(hostile):
    for name, needle in {
        "pre2019.txt": "全年共收到政府信息公开申请 7 件",
        "truncated.txt": "主动公开信息 15 条",
        "no_title.txt": "主动公开信息 15 条",
        "no_year.txt": "主动公开信息 15 条",
        "gbk_page.html": "主动公开信息 15 条",
        "long_line.txt": "一二三四五六七八九十1 2，一二三",
    }.items():
        # the report's words are on its 原文 page, beside the agency-year page
        assert needle in text_of(hostile.page(name).parent / "原文.html"), name


# --- hostile text stays text ------------------------------------------------------------


def test_no_page_carries_active_content_from_a_report(hostile):
    bad = []
    for page in html_pages(hostile.site):
        raw = page.read_text(encoding="utf-8")
        rel = page.relative_to(hostile.site)
        for needle in ("<script>window.__pwned", "<img src=x", "<svg onload", "<iframe src",
                       "<base href", "<meta http-equiv=\"refresh", '"javascript:'):  # fmt: skip
            if needle in raw:
                bad.append(f"{rel}: raw {needle}")
        for el in tree(page).iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag in ("iframe", "object", "embed", "base", "frame", "applet"):
                bad.append(f"{rel}: <{el.tag}>")
            if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                bad.append(f"{rel}: meta refresh")
            if el.tag == "script" and re.search(r"__pwned|alert\(", el.text or ""):
                bad.append(f"{rel}: script {el.text[:60]}")
            for name, value in el.attrib.items():
                if name.lower().startswith("on"):
                    bad.append(f"{rel}: <{el.tag} {name}>")
                if name in EVIL_ATTRS and re.match(
                    r"\s*(javascript|vbscript|data:text)", value, re.I
                ):
                    bad.append(f"{rel}: <{el.tag} {name}={value[:40]}>")
    assert not bad, "\n".join(bad[:30])


def _page_and_text(hostile, name: str) -> str:
    """The text of a report's agency-year page and of its 原文 page (the report's words)."""
    page = hostile.page(name)
    return text_of(page) + "\n" + text_of(page.parent / "原文.html")


def test_hostile_strings_appear_as_plain_text(hostile):
    missing = []
    for name, case in expected().items():
        if not case.shows or case.status == "failed":
            continue
        if case.shows not in _page_and_text(hostile, name):
            missing.append(f"{name}: {case.shows!r}")
    assert not missing, missing
    page = hostile.page("template_syntax.md")
    text = text_of(page.parent / "原文.html")
    for literal in (
        "{{ 7*7 }}",
        "{% include '/etc/passwd' %}",
        "{! /etc/passwd !}",
        '--8<-- "mkdocs.yml"',
    ):
        assert literal in text
    for raw in (page.read_text("utf-8"), (page.parent / "原文.html").read_text("utf-8")):
        assert "root:x:0:0" not in raw and "site_name:" not in raw  # nothing was included
    assert not re.search(r"(?<![\d*])49(?![\d*])", text.split("{{ 7*7 }}")[0][-20:])
    # titles go through safe_title: the markup characters are full-width there
    title = tree(hostile.page("name_script.txt")).findtext(".//title")
    assert "＜script＞" in title and "<" not in title


def test_sidecar_text_is_shown_not_used(hostile):
    entry = hostile.entries["sidecar_js.txt"]
    assert any("javascript:" in m for m in entry["messages"])
    page = tree(hostile.page("sidecar_js.txt"))
    assert not page.xpath('//a[starts-with(normalize-space(@href), "javascript")]')
    assert not PWNED.exists()
    assert any("无法读取" in m for m in hostile.entries["sidecar_unsafe.txt"]["messages"])


def test_nothing_from_outside_reports_nor_secret_key_names_is_published(hostile):
    """A link out of reports/ is not followed; a sidecar's unknown keys that look like
    secrets are counted, never named (the build report is published)."""
    for path in hostile.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".js"):
            data = path.read_bytes()
            assert b"s3cr3t" not in data and b"api_token" not in data, path
            assert b"hunter2" not in data and b"private_key_zq" not in data, path


def test_sidecar_alias_bomb_is_never_expanded(hostile):
    """A 9**6 alias bomb: its url and date must be refused as values, not printed as lists."""
    entry = hostile.entries["sidecar_bomb.txt"]
    junk = "['x', 'x'"
    assert not any(junk in m for m in entry["messages"]), entry["messages"]
    assert junk not in hostile.page("sidecar_bomb.txt").read_text("utf-8")


def test_sidecar_billion_laughs_is_read_in_bounded_time_and_memory(tmp_path):
    """9**9 strings behind 400 bytes: read_sidecar must not materialise them (str() did: minutes,
    gigabytes). Run in a child with 1 GB of address space and 30 CPU-seconds, so a regression
    cannot take the host; its CPU time is bounded, not its wall time (~0.5 s measured)."""
    sidecar = tmp_path / "bomb.yml"
    sidecar.write_text(alias_bomb(9), encoding="utf-8")
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "resource.setrlimit(resource.RLIMIT_CPU, (30, 30));"
        "from pathlib import Path; from gongkai.build.inputs import read_sidecar;"
        "meta = read_sidecar(Path(sys.argv[1])); print(repr(meta)[:300])"
    )
    # the timeout only stops a child that hangs without using CPU
    done, cpu = run_with_cpu([sys.executable, "-c", code, str(sidecar)], capture_output=True,
                             text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, f"{done.returncode} (152: 30 CPU-seconds) {done.stderr[-1000:]}"
    assert cpu < 10, f"{cpu:.1f} CPU-seconds"
    assert "['x'" not in done.stdout


def test_csv_cells_never_start_a_formula(hostile):
    """An agency named “=cmd|' /C calc'!A0局” must not become a formula in Excel."""
    data = hostile.site / "data"
    tables = {"compare.csv": (data / "compare.csv").read_text("utf-8-sig")}
    with zipfile.ZipFile(data / "gongkai.zip") as z:
        for name in z.namelist():
            if name.endswith(".csv"):
                tables[name] = z.read(name).decode("utf-8-sig")
    formulas = []
    for name, text in tables.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(
                    r"[+-]?\d+(\.\d+)?", cell
                ):
                    formulas.append(f"{name}: {cell[:40]}")
    assert not formulas, formulas[:10]


# --- names and paths --------------------------------------------------------------------


def test_every_written_path_is_safe(hostile):
    for top in (hostile.site, hostile.root / "content", hostile.root / "build"):
        for path in top.rglob("*"):
            rel = path.relative_to(top)
            assert not path.is_symlink(), rel
            assert ".." not in rel.parts and "\\" not in str(rel), rel
            assert all(len(part.encode()) <= 255 for part in rel.parts), rel
            assert path.resolve().is_relative_to(top.resolve()), rel
    for folder in (hostile.site / "agencies").iterdir():
        assert SLUG.match(folder.name), folder.name
    for name in ("name_dotdot.txt", "name_backslash.txt", "name_script.txt", "name_long.txt"):
        url = hostile.entries[name]["url"]
        assert url.startswith("agencies/") and ".." not in url and "<" not in url, url


def test_nothing_is_written_outside_the_build_folders(hostile):
    project = hostile.root.relative_to(hostile.root.parent.parent)
    allowed = [project / "site", project / "build"] + [
        project / "content" / name for name in (*build.GENERATED_DIRS, *build.GENERATED_FILES)
    ]
    outside = [c for c in hostile.changed if not any(Path(c).is_relative_to(a) for a in allowed)]
    assert not outside, outside[:20]
    assert not PWNED.exists()
    for suspicious in ("passwd局", "system32局", "__pwned"):
        hits = [p for p in Path("/tmp").glob(f"*{suspicious}*")]
        assert not hits, hits


def test_names_differing_in_spaces_or_width_are_one_agency(hostile):
    a, b = hostile.entries["name_space_a.txt"], hostile.entries["name_space_b.txt"]
    assert Path(a["page"]).parent == Path(b["page"]).parent  # one agency, years 2022 and 2023
    assert (a["year"], b["year"]) == (2022, 2023)
    a, b = hostile.entries["name_width_a.txt"], hostile.entries["name_width_b.txt"]
    assert a["page"] == b["page"]  # one agency-year page listing both sources
    text = text_of(hostile.page("name_width_a.txt"))
    assert "reports/name_width_a.txt" in text and "reports/name_width_b.txt" in text


def test_colliding_names_get_their_own_pages(hostile):
    a, b = hostile.entries["name_collide_a.txt"], hostile.entries["name_collide_b.txt"]
    assert a["page"] != b["page"]
    assert "甲/乙局" in text_of(hostile.page("name_collide_a.txt"))
    assert "甲:乙局" in text_of(hostile.page("name_collide_b.txt"))


def test_two_reports_for_one_agency_year_one_page_conflict_shown(hostile):
    a, b = hostile.entries["dup_a.txt"], hostile.entries["dup_b.txt"]
    assert a["page"] == b["page"] and a["status"] == b["status"] == "problems"
    text = text_of(hostile.page("dup_a.txt"))
    assert "reports/dup_a.txt" in text and "reports/dup_b.txt" in text
    assert "不一致" in text


# --- publishing-side bounds (inputs.py) ------------------------------------------------


def test_an_oversized_file_is_refused_without_reading_it(tmp_path):
    """inputs.parse_all hashes and parses every file; a 50 MB file must not be read whole."""
    from gongkai.build import inputs

    big = write_large(tmp_path / "reports")["big_50mb.txt"]
    tracemalloc.start()
    results, _ = inputs.parse_all([big], tmp_path, None, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert results[0].message.startswith("文件超过")
    assert peak < MAX_BYTES + 8 * 1024 * 1024, f"{peak / 1e6:.0f} MB held for a refused file"


# --- determinism ------------------------------------------------------------------------


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def compare_sites(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    for name in MAY_DIFFER & set(differ):
        assert gzip.decompress(a[name]) == gzip.decompress(b[name]), name
    return [k for k in differ if k not in MAY_DIFFER]


def test_two_builds_are_byte_identical(hostile, tmp_path):
    """Again in the same project (cache warm), and in a fresh project elsewhere on disk on
    another day (SOURCE_DATE_EPOCH): every file of site/ the same bytes."""
    first = site_files(hostile.site)
    before = snapshot(hostile.root / "content")
    done = mkdocs_build(hostile.root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert compare_sites(first, site_files(hostile.site)) == []
    assert snapshot(hostile.root / "content") == before  # nothing rewritten when nothing changed

    from hostile_site import make_project

    other = make_project(tmp_path / "elsewhere", hostile.root.parent / "reports")
    write_unportable(other / "reports", tmp_path / "outside-secret.yml")
    done = mkdocs_build(other, SOURCE_DATE_EPOCH=str(int(time.time()) - 400 * 86400))
    assert done.returncode == 0, done.stderr[-2000:]
    assert compare_sites(first, site_files(other / "site")) == []
    assert str(hostile.root) not in (other / "site" / "data" / "build-report.json").read_text(
        "utf-8"
    )
    assert os.fspath(other) not in "".join(
        p.read_text("utf-8", errors="ignore") for p in (other / "site").rglob("*.html")
    )
