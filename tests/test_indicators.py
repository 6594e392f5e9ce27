"""Indicators, agency identity, rankings and peers (issue 13).

The formulas on hand-checked records (every status: ok, small, zero, none, null,
inconsistent), the identity across spellings and aliases, the ranking rules (ties, gates,
percentiles), and the pages through a real ``mkdocs build --strict`` of crafted reports:
five 宁夏 科学技术局 peers, one agency under two spellings, one under a misprint fixed by
the aliases file. The peers' column, filled in the browser, is checked in Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, make_project, strict_build
from lxml import html as lxml_html

from gongkai import layout
from gongkai.check import indicators as ind
from gongkai.check.identity import NO_ALIASES, identity, parse_aliases
from gongkai.model import Problem, Record, Report
from gongkai.site import standing
from gongkai.site.catalog import build_catalog

SEED = ROOT / "reports" / "002_5e0a10dac8f8a1dc.txt"  # 盐池县科学技术局 2023, tab-separated


def record(fmt: str = "F2021", **cells) -> Record:
    """A record with every cell 0 but the given 表三 总计 / 表四 cells ("granted": 5,
    "review.total": 3, …); ``None`` leaves a cell blank."""
    tables = layout.empty_tables(fmt)
    for table in ("table3", "table4"):
        for cols in tables[table].values():
            for col in cols:
                cols[col] = 0
    for key, value in cells.items():
        if "." in key and key.split(".")[0] in {g.key for g in layout.TABLE4_GROUPS}:
            group, col = key.split(".")
            tables["table4"][group][col] = value
        else:
            tables["table3"][key]["total"] = value
    return Record("某县某局", 2023, fmt, **tables)


def values(rec: Record) -> dict[str, ind.Value]:
    return ind.indicators(rec)


# -- the formulas --------------------------------------------------------------------------------


def test_disclosure_rates_on_a_hand_checked_report():
    # 40 handled: 20 granted, 6 partial, 4 denied (2+2), 6 unable (5 not held), 3 not
    # processed, 1 other; 44 to handle: 36 new + 8 carried over, 4 carried forward.
    rec = record(
        new_received=36,
        carried_over=8,
        granted=20,
        partial=6,
        **{"denied.state_secret": 2, "denied.third_party": 2},
        **{"unable.not_held": 5, "unable.needs_creation": 1},
        **{"not_processed.repeat": 3, "other.other": 1},
        total_processed=40,
        carried_forward=4,
    )
    v = values(rec)
    assert (v["disclosure"].numerator, v["disclosure"].denominator) == (26, 40)
    assert v["disclosure"].value == pytest.approx(0.65) and v["disclosure"].ranked
    assert (v["disclosure_merits"].numerator, v["disclosure_merits"].denominator) == (26, 36)
    assert v["denied"].value == pytest.approx(0.1)
    assert v["unable"].value == pytest.approx(0.15)
    assert v["not_held"].value == pytest.approx(0.125)
    assert (v["carried"].numerator, v["carried"].denominator) == (4, 44)


def test_f2019_other_is_its_one_row():
    rec = record("F2019", new_received=20, granted=10, other=5, total_processed=20)
    rec.table3["not_processed.repeat"]["total"] = 5
    v = values(rec)
    assert (v["disclosure_merits"].numerator, v["disclosure_merits"].denominator) == (10, 10)
    assert v["disclosure"].value == pytest.approx(0.5)


def test_review_and_litigation_per_100_and_correction_rates():
    rec = record(
        new_received=50,
        granted=50,
        total_processed=50,
        **{"review.upheld": 3, "review.corrected": 2, "review.pending": 1, "review.total": 6},
        **{"lit_direct.corrected": 1, "lit_direct.pending": 2, "lit_direct.upheld": 1},
        **{"lit_direct.total": 4, "lit_after_review.upheld": 1, "lit_after_review.total": 1},
    )
    v = values(rec)
    assert v["review_rate"].value == pytest.approx(12.0)  # 6 per 50 → 12 per 100
    assert v["litigation_rate"].value == pytest.approx(10.0)  # (4 + 1) per 50
    assert (v["review_corrected"].numerator, v["review_corrected"].denominator) == (2, 5)
    assert v["review_corrected"].value == pytest.approx(0.4) and v["review_corrected"].ranked
    # litigation: 1 corrected of (4 + 1) − (2 + 0) = 3 decided: below the gate of 5 cases
    lit = v["litigation_corrected"]
    assert (lit.status, lit.numerator, lit.denominator) == ("small", 1, 3)
    assert standing.shown(ind.BY_KEY["litigation_corrected"], lit).text == "1/3"


def test_zero_denominator_is_not_applicable_not_zero_percent():
    rec = record(new_received=10, granted=10, total_processed=10)
    v = values(rec)
    assert v["review_corrected"].status == "zero" and v["review_corrected"].value is None
    shown = standing.shown(ind.BY_KEY["review_corrected"], v["review_corrected"])
    assert shown.text == "不适用"
    # all carried over, nothing decided: 一 + 二 = 12, （七）总计 0
    v = values(record(new_received=12, carried_forward=12, total_processed=0))
    assert v["disclosure"].status == "zero" and v["carried"].value == pytest.approx(1.0)


def test_no_applications_is_one_state():
    v = values(record(new_received=0, carried_over=0, total_processed=0))
    assert {v[i.key].status for i in ind.INDICATORS if i.applications} == {"none"}
    assert v["review_corrected"].status == "zero"


def test_blank_input_gives_a_dash_with_the_cell_named():
    v = values(record(new_received=20, granted=None, total_processed=20))
    assert v["disclosure"].status == "null" and v["disclosure"].value is None
    assert "（一）予以公开" in (v["disclosure"].reason or "")
    assert v["unable"].status == "ok"  # an indicator that does not read the blank cell
    assert standing.shown(ind.BY_KEY["disclosure"], v["disclosure"]).text == "—"


def test_inconsistent_report_gives_a_dash_with_the_rule():
    rec = record(new_received=20, granted=15, total_processed=20)  # results add up to 15
    rec = replace(
        rec,
        problems=(
            Problem(
                "T3-B",
                "error",
                tuple(f"table3.{r}.total" for r in layout.TABLE3_RESULT_ROWS["F2021"])
                + ("table3.total_processed.total",),
                "总计印为 20，但各项办理结果相加为 15。",
            ),
        ),
    )
    v = values(rec)
    assert v["disclosure"].status == "inconsistent" and "T3-B" in (v["disclosure"].reason or "")
    assert v["carried"].status == "ok"  # its cells are not cited
    # a problem of another column (自然人) does not touch the 总计 column
    other = replace(
        rec, problems=(Problem("T3-B", "error", ("table3.granted.natural_person",), "x"),)
    )
    assert values(other)["disclosure"].status == "ok"
    # a problem citing a whole table covers its cells; a warning counts, a hint does not
    whole = replace(rec, problems=(Problem("HUGE", "warning", ("table3.granted.total",), "x"),))
    assert values(whole)["disclosure"].status == "inconsistent"
    hint = replace(rec, problems=(Problem("T2-X", "info", ("table3",), "x"),))
    assert values(hint)["disclosure"].status == "ok"


def test_unknown_format_has_no_indicators():
    rec = replace(record(), format="unknown")
    assert {v.status for v in values(rec).values()} == {"format"}


def test_gate_counts_and_ranked():
    v = values(record(new_received=9, granted=9, total_processed=9))["disclosure"]
    assert (v.status, v.ranked) == ("small", False)
    assert standing.shown(ind.BY_KEY["disclosure"], v).text == "9/9"
    v = values(record(new_received=10, granted=9, total_processed=10))["disclosure"]
    assert (v.status, v.ranked) == ("ok", True)
    assert standing.shown(ind.BY_KEY["disclosure"], v).text == "90.0%"


# -- rankings -------------------------------------------------------------------------------------


def test_ties_share_a_place_and_the_next_skips():
    items = [("a", 0.75), ("b", 0.5), ("c", 0.5), ("d", 0.25)]
    assert standing.ranks(items, higher_first=True) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert standing.ranks(items, higher_first=False) == {"d": 1, "b": 2, "c": 2, "a": 4}
    assert [k for _, k, _ in standing.ranked_order(items, True)] == ["a", "b", "c", "d"]


def test_percentiles_interpolate_like_percentile_inc():
    s = standing.spread([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    assert s is not None and (s.n, s.median, s.p10, s.p90) == pytest.approx((11, 0.5, 0.1, 0.9))
    s = standing.spread([0.25, 0.75])
    assert s is not None and s.median == pytest.approx(0.5) and s.p10 == pytest.approx(0.3)
    assert standing.spread([]) is None


def _peers(reports: list[Report]) -> dict:
    items = standing.entries(build_catalog(reports))
    ((doc, group),) = standing.peer_groups(items).items()
    return standing.peers_json(group)


def test_peer_file_ranks_only_gated_values():
    names = ["盐池县科学技术局", "同心县科学技术局", "利通区科学技术局", "青铜峡市科学技术局"]
    granted = [15, 10, 10, 1]
    received = [20, 20, 20, 3]  # the last one is below the gate
    reports = [
        Report(
            f"reports/{i}.txt",
            replace(
                record(new_received=n, granted=g, total_processed=n, **{"unable.not_held": n - g}),
                agency=name,
            ),
        )
        for i, (name, g, n) in enumerate(zip(names, granted, received, strict=True))
    ]
    data = _peers(reports)
    assert _peer(data, "disclosure") == (3, "50.0%")
    assert _peer_places(data, "disclosure") == {
        "盐池县科学技术局": 1,
        "同心县科学技术局": 2,
        "利通区科学技术局": 2,
        "青铜峡市科学技术局": 0,
    }


def _peer(data: dict, key: str) -> tuple[int, str | None]:
    """(ranked agencies, median) of an indicator in a peers file (lists in INDICATORS' order)."""
    i = [i.key for i in ind.INDICATORS].index(key)
    return data["n"][i], data["median"][i]


def _peer_places(data: dict, key: str) -> dict[str, int]:
    i = [i.key for i in ind.INDICATORS].index(key)
    return {slug.split("-")[0]: places[i] for slug, places in data["places"].items()}


def test_peers_script_knows_the_indicators_in_order():
    """gongkai-peers.js reads the peers file's lists by the indicators' order: its KEYS."""
    script = (ROOT / "content/assets/gongkai-peers.js").read_text("utf-8")
    m = re.search(r"var KEYS = \[(.*?)\];", script, re.S)
    assert m is not None
    assert re.findall(r'"(\w+)"', m.group(1)) == [i.key for i in ind.INDICATORS]


# -- identity --------------------------------------------------------------------------------------


def test_identity_region_prefix_is_optional():
    a, b = identity("洪泽区人民政府"), identity("淮安市洪泽区 人民政府")
    assert a.key == b.key == "320813:洪泽区人民政府" and a.short == "洪泽区人民政府"
    assert identity("江苏省淮安市洪泽区人民政府").key == a.key
    # a place in two cities is no identity of its own: the names stay apart
    assert identity("朝阳区人民政府").key == "朝阳区人民政府"
    assert identity("北京市朝阳区人民政府").key != identity("长春市朝阳区人民政府").key
    assert identity("桥西区人民政府").key != identity("河北省人民政府").key
    assert identity("国务院办公厅").key == "国务院办公厅"


def test_aliases_file_joins_misprints():
    aliases = parse_aliases("# 误印\n灋河回族区: 瀍河回族区\n沐阳县: 沭阳县\n")
    assert not aliases.notes
    assert identity("灋河回族区科技和工业信息化局", aliases).key == (
        "410304:瀍河回族区科技和工业信息化局"
    )
    assert identity("灋河回族区科技和工业信息化局").key == "灋河回族区科技和工业信息化局"
    assert identity("沐阳县人民政府", aliases).key == identity("宿迁市沭阳县人民政府").key
    bad = parse_aliases("- 一个列表\n")
    assert bad.notes and not bad.pairs
    assert parse_aliases("a: [1]\nb: c\n").notes == ("别名“a: [1]”不是一对名称，未使用。",)
    assert parse_aliases(": :\n").notes
    assert parse_aliases("").pairs == () and NO_ALIASES.apply("x") == "x"


def test_catalog_joins_spellings_and_shows_each_printed_name():
    a = replace(record(new_received=20, granted=10, total_processed=20), agency="洪泽区人民政府")
    b = replace(a, agency="淮安市洪泽区人民政府", year=2024)
    catalog = build_catalog([Report("reports/a.txt", a), Report("reports/b.txt", b)])
    (agency,) = catalog.agencies
    assert agency.name == "淮安市洪泽区人民政府"  # the latest report's
    assert [ay.name for ay in agency.sorted_years()] == ["洪泽区人民政府", "淮安市洪泽区人民政府"]
    assert agency.slug.startswith("洪泽区人民政府-")


# -- through the real build ---------------------------------------------------------------------------

# (file, name printed, year, 本年新收 = 总计, 予以公开; the rest 本机关不掌握)
CRAFTED = (
    ("a.txt", "盐池县科学技术局", 2023, 20, 15),
    ("b.txt", "同心县科学技术局", 2023, 20, 10),
    ("c.txt", "吴忠市利通区科学技术局", 2023, 20, 10),
    ("d.txt", "青铜峡市科学技术局", 2023, 3, 1),
    ("e.txt", "利通区科学技术局", 2022, 40, 30),
    ("f.txt", "沐阳县科学技术局", 2023, 12, 6),
    ("g.txt", "沭阳县科学技术局", 2022, 12, 12),
)


def crafted_text(name: str, year: int, received: int, granted: int) -> str:
    """The seed 盐池县 report with another name, year and 表三: ``received`` applications
    from natural persons, ``granted`` of them granted, the rest 本机关不掌握."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    values = {
        "一、本年新收": received,
        "(一) 予以公开": granted,
        "1.本机关不掌握": received - granted,
        "(七) 总计": received,
    }
    out = []
    for line in lines:
        line = line.replace("盐池县科学技术局", name).replace("2023", str(year))
        # the seed's text says it received none: its crafted copies received some (NARR)
        line = line.replace("未收到政府信息公开申请", f"收到政府信息公开申请 {received} 件")
        cells = line.split("\t")
        for label, value in values.items():
            if any(c.startswith(label) for c in cells):
                digits = [i for i, c in enumerate(cells) if c.isdigit()]
                cells[digits[0]] = cells[digits[6]] = str(value)
        out.append("\t".join(cells))
    # (this one wraps: 受理依申请 / 公开政府信息 1 件)
    return re.sub(r"(受理依申请\s*公开政府信息) 1 件", rf"\1 {received} 件", "\n".join(out))


@pytest.fixture(scope="module")
def crafted_site(tmp_path_factory) -> Path:
    reports = tmp_path_factory.mktemp("crafted-reports")
    for file, name, year, received, granted in CRAFTED:
        (reports / file).write_text(crafted_text(name, year, received, granted), encoding="utf-8")
    root = make_project(tmp_path_factory.mktemp("crafted"), reports)
    (root / "aliases.yml").write_text("沐阳县: 沭阳县\n灋河: 瀍河\n", encoding="utf-8")
    strict_build(root)
    return root


def _page(root: Path, rel: str):
    return lxml_html.fromstring((root / "site" / rel).read_text(encoding="utf-8"))


def _agency_dir(root: Path, prefix: str) -> Path:
    (found,) = [p for p in (root / "site" / "agencies").iterdir() if p.name.startswith(prefix)]
    return found


def test_crafted_reports_read_as_intended(crafted_site):
    report = json.loads((crafted_site / "build" / "build-report.json").read_text("utf-8"))
    assert [e["status"] for e in report["files"]] == ["ok"] * len(CRAFTED)


def test_agency_year_page_shows_indicators_linked_to_formulas(crafted_site):
    page = _page(
        crafted_site, f"agencies/{_agency_dir(crafted_site, '盐池县').name}/2023/index.html"
    )
    table = page.xpath('//table[contains(@class, "gk-ind-table")]')[0]
    rows = {tr.xpath("./th/a/@href")[0].split("#")[1]: tr for tr in table.xpath(".//tbody/tr")}
    first = rows["disclosure"]
    link = first.xpath(".//th/a")[0]
    assert link.text_content() == "实质公开率" and link.get("href").endswith(
        "generated/indicators/#disclosure"
    )
    assert [td.text_content() for td in first.xpath("./td")][:2] == ["75.0%", "15/20"]
    assert rows["not_held"].xpath("./td")[0].text_content() == "25.0%"
    assert rows["review_corrected"].xpath("./td")[0].text_content() == "不适用"
    peers = table.get("data-peers")
    assert peers.endswith("data/peers/2023/640000/科学技术局-5725f093.json")
    # the formula page has the anchor the link points to
    index = _page(crafted_site, "generated/indicators/index.html")
    assert index.xpath('//tr[@id="disclosure"]')[0].xpath("./td")[0].text_content() == (
        "（予以公开 + 部分公开）÷（七）总计"
    )


def test_gated_and_no_application_pages(crafted_site):
    page = _page(
        crafted_site, f"agencies/{_agency_dir(crafted_site, '青铜峡市').name}/2023/index.html"
    )
    row = page.xpath('//tr[th/a[substring-after(@href, "#") = "disclosure"]]')[0]
    # too few requests to rank: the counts alone, and no peer figure of its own
    assert [td.text_content() for td in row.xpath("./td")][:2] == ["1/3", ""]
    assert "不参与排名" in page.xpath('//ul[@class="gk-ind-notes"]')[0].text_content()


def test_peer_file_and_rankings_pages(crafted_site):
    peers = json.loads(
        (crafted_site / "site/data/peers/2023/640000/科学技术局-5725f093.json").read_text("utf-8")
    )
    assert len(peers["places"]) == 4 and _peer(peers, "disclosure") == (3, "50.0%")
    # 利通区 is known by its identity (640302:利通区科学技术局), whatever its spelling
    assert _peer_places(peers, "disclosure") == {
        "盐池县科学技术局": 1,
        "同心县科学技术局": 2,
        "利通区科学技术局": 2,
        "青铜峡市科学技术局": 0,
    }

    year = _page(crafted_site, "generated/indicators/2023/index.html")
    dist = year.xpath('//table[contains(@class, "gk-ind-dist")]//tr[th/a[text()="实质公开率"]]')[0]
    # ranked: 75 %, 50 %, 50 % (宁夏) and 50 % (沭阳, via the aliases file)
    assert [td.text_content() for td in dist.xpath("./td")] == [
        "4",
        "1",
        "0",
        "0",
        "50.0%",
        "50.0%",
        "67.5%",
    ]
    regions = year.xpath('//table[contains(@class, "gk-ind-regions")]//tbody/tr')
    first = [c.text_content() for c in regions[0].xpath("./*")]
    assert first[:4] == ["1", "宁夏回族自治区", "4", "3"]  # 江苏: one ranked agency, not ranked
    assert [c.text_content() for c in regions[1].xpath("./*")][:2] == ["不排名", "江苏省"]

    province = _page(crafted_site, "generated/indicators/2023/640000/index.html")
    ranked = province.xpath('//table[contains(@class, "gk-ind-agencies")]')[0]
    got = [
        (tr.xpath("./td")[0].text_content(), tr.xpath("./th")[0].text_content())
        for tr in ranked.xpath(".//tbody/tr")
    ]
    assert got == [
        ("1", "盐池县科学技术局"),
        ("2", "吴忠市利通区科学技术局"),
        ("2", "同心县科学技术局"),
    ]
    rest = province.xpath('//table[contains(@class, "gk-ind-agencies")]')[1]
    assert "青铜峡市科学技术局" in rest.text_content() and "1/3" in rest.text_content()


def test_one_agency_across_spellings_and_aliases(crafted_site):
    litong = _agency_dir(crafted_site, "利通区科学技术局")
    page = _page(crafted_site, f"agencies/{litong.name}/2023/index.html")
    assert page.xpath("//h1")[0].text_content().startswith("吴忠市利通区科学技术局")
    # both spellings' years in one trend, on the agency's page, which the year's page links
    (link,) = page.xpath('//div[@id="indicators"]//a[contains(@href, "#历年指标")]')
    assert link.get("href") == "../#历年指标"
    agency = _page(crafted_site, f"agencies/{litong.name}/index.html")
    assert agency.xpath('//h2[@id="历年指标"]')
    trend = agency.xpath('//table[contains(@class, "gk-ind-trend")]')[0]
    assert [tr.xpath("./*")[1].text_content() for tr in trend.xpath(".//tbody/tr")] == [
        "75.0%",
        "50.0%",
    ]
    assert [a.get("href") for a in trend.xpath(".//tbody/tr/th/a")] == ["2022/", "2023/"]
    assert not page.xpath('//table[contains(@class, "gk-ind-trend")]')
    assert (litong / "2022" / "index.html").is_file()
    shuyang = _agency_dir(crafted_site, "沭阳县科学技术局")
    page = _page(crafted_site, f"agencies/{shuyang.name}/2023/index.html")
    assert page.xpath("//h1")[0].text_content().startswith("沐阳县科学技术局")  # as printed
    assert "江苏省" in page.xpath('//div[@class="gk-meta"]')[0].text_content()
    assert (shuyang / "2022" / "index.html").is_file()


def test_indicators_in_the_downloads(crafted_site):
    text = (crafted_site / "site/data/indicators.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(CRAFTED)
    row = next(r for r in rows if r["agency"] == "盐池县科学技术局")
    assert (row["disclosure"], row["disclosure_numerator"], row["disclosure_denominator"]) == (
        "0.75",
        "15",
        "20",
    )
    assert row["disclosure_status"] == "ok" and row["identity"] == "640323:盐池县科学技术局"
    assert row["review_corrected"] == "" and row["review_corrected_status"] == "zero"
    fields = (crafted_site / "site/data/fields.csv").read_text("utf-8-sig")
    assert ",indicators,disclosure,value,实质公开率,（予以公开 + 部分公开）÷（七）总计,%," in fields
    data = _page(crafted_site, "data/index.html")
    assert data.xpath('//a[@href="indicators.csv"]') and "aliases.yml" in data.text_content()
    record = json.loads(
        next((crafted_site / "site/data/records").glob("盐池县*-2023.json")).read_text("utf-8")
    )
    assert "indicators" not in record  # derived: in indicators.csv and the dataset's JSON
    with zipfile.ZipFile(crafted_site / "site/data/gongkai.zip") as z:
        items = json.loads(z.read("gongkai.json"))["reports"]
    (item,) = [i for i in items if i["source_path"] == record["source_path"]]
    assert item["indicators"]["disclosure"] == {
        "value": 0.75,
        "numerator": 15,
        "denominator": 20,
        "status": "ok",
        "reason": None,
    }
    assert record["table3"]["granted"]["total"] == 15  # the printed cells stay as they are


@pytest.mark.browser
def test_peer_standing_in_the_browser(crafted_site, tmp_path):
    from browser_support import chromium, serve

    litong = _agency_dir(crafted_site, "利通区科学技术局").name
    with serve(crafted_site / "site") as base, chromium(tmp_path / "profile") as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}agencies/{litong}/2023/", wait_until="networkidle")
        page.wait_for_selector("table.gk-ind-table[data-loaded]")
        cell = page.locator('tr:has(th a[href$="#disclosure"]) td:nth-child(4)').inner_text()
        assert cell == "同类机关中位数 50.0%，第 2/3"
        page.goto(
            f"{base}agencies/{_agency_dir(crafted_site, '青铜峡市').name}/2023/",
            wait_until="networkidle",
        )
        page.wait_for_selector("table.gk-ind-table[data-loaded]")
        cell = page.locator('tr:has(th a[href$="#disclosure"]) td:nth-child(4)').inner_text()
        assert cell == "中位数 50.0%（3 个机关），本机关不参与排名"
        assert not errors
