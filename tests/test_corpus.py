"""The synthetic corpus of scripts/make_corpus.py: deterministic, shaped like the record (content/format.md §9),
its arithmetic broken exactly where the truth says, every layout and encoding present."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from make_corpus import generate, main, split_count  # noqa: E402

from gongkai.layout import TABLE3_APPLICANTS, TABLE3_RESULT_ROWS, empty_tables

T4_RULES = {"review": "T4-A", "lit_direct": "T4-B", "lit_after_review": "T4-C"}


@pytest.fixture(scope="module")
def small():
    return generate(50, seed=7)


@pytest.fixture(scope="module")
def mixed():
    return generate(200, seed=3)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def test_same_seed_same_bytes(tmp_path, small):
    for name in ("a", "b"):
        assert main([str(tmp_path / name), "-n", "50", "--seed", "7"]) == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    files = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert len(files) == 51
    assert all(files[r.name] == r.data for r in small)  # the CLI writes what generate() returns


def test_other_seed_other_corpus_and_prefix_stable(small):
    assert [r.data for r in generate(50, seed=8)] != [r.data for r in small]
    assert [(r.name, r.data) for r in generate(20, seed=7)] == [
        (r.name, r.data) for r in small[:20]
    ]


def test_truth_lines_have_exactly_the_record_keys(tmp_path):
    main([str(tmp_path), "-n", "50", "--seed", "7"])
    lines = (tmp_path / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    for line in lines:
        truth = json.loads(line)
        assert (tmp_path / truth["file"]).is_file()
        assert truth["format"] in ("F2019", "F2021")
        assert truth["format"] == ("F2019" if truth["year"] <= 2020 else "F2021")
        shape = empty_tables(truth["format"])
        for table in ("table2", "table3", "table4"):
            assert truth[table].keys() == shape[table].keys(), (truth["file"], table)
            for row, cols in shape[table].items():
                assert truth[table][row].keys() == cols.keys(), (truth["file"], table, row)
                for col, value in truth[table][row].items():
                    if col == "procurement_amount_unit":
                        assert value in (None, "元", "万元")
                    else:
                        assert value is None or isinstance(value, int | float), (row, col)
        assert set(truth["errors"]) <= {"T3-A", "T3-B", "T3-C", "T4-A", "T4-B", "T4-C"}
        for cell in truth["ambiguous_cells"]:
            table, row, col = cell.split(".", 1)[0], *cell.split(".", 1)[1].rsplit(".", 1)
            assert col in truth[table][row]


def broken(truth: dict) -> set[str]:
    """The arithmetic of content/format.md §6, written again here so the generator's own check
    is not what is tested; a rule with a null cell in it is not checked."""
    t3, t4, out = truth["table3"], truth["table4"], set()
    results = TABLE3_RESULT_ROWS[truth["format"]]
    for c in (*TABLE3_APPLICANTS, "total"):
        a, b, tp, cf = (
            t3[r][c] for r in ("new_received", "carried_over", "total_processed", "carried_forward")
        )
        if None not in (a, b, tp, cf) and a + b != tp + cf:
            out.add("T3-A")
        parts = [t3[r][c] for r in results]
        if tp is not None and None not in parts and tp != sum(parts):
            out.add("T3-B")
    for row in t3.values():
        parts = [row[c] for c in TABLE3_APPLICANTS]
        if row["total"] is not None and None not in parts and row["total"] != sum(parts):
            out.add("T3-C")
    for group, rule in T4_RULES.items():
        v = list(t4[group].values())
        if None not in v and t4[group]["total"] != sum(
            x for k, x in t4[group].items() if k != "total"
        ):
            out.add(rule)
    return out


def test_arithmetic_holds_except_the_declared_rule(mixed):
    with_errors = 0
    for r in mixed:
        assert broken(r.truth) == set(r.truth["errors"]), r.name
        assert len(r.truth["errors"]) <= 1, r.name
        with_errors += bool(r.truth["errors"])
        for table in ("table2", "table3", "table4"):
            for row, cols in r.truth[table].items():
                for col, v in cols.items():
                    if col != "delta_items" and isinstance(v, int | float):
                        assert v >= 0, (r.name, table, row, col)
    assert 2 <= with_errors <= 30
    assert not any(r.truth["errors"] for r in generate(50, seed=7, error_share=0))


def test_carry_over_follows_last_year(mixed):
    pairs = 0
    for prev, cur in zip(mixed, mixed[1:], strict=False):
        if prev.truth["agency"] != cur.truth["agency"]:
            continue
        assert cur.truth["year"] == prev.truth["year"] + 1
        if "T3-A" in prev.truth["errors"]:
            continue  # a typo in last year's 结转 is not carried into this year
        pairs += 1
        for c in (*TABLE3_APPLICANTS, "total"):
            assert (
                cur.truth["table3"]["carried_over"][c] == prev.truth["table3"]["carried_forward"][c]
            )
    assert pairs > 50


def test_every_layout_and_encoding_appears(mixed):
    truths = [r.truth for r in mixed]
    assert {t["layout"] for t in truths} == {"tab", "pipe", "pdf", "html"}
    assert {t["encoding"] for t in truths} == {"utf-8", "utf-8-sig", "gb18030", "gbk"}
    assert {t["newline"] for t in truths} == {"lf", "crlf"}
    assert {Path(t["file"]).suffix for t in truths} == {".txt", ".md", ".html"}
    quirks = {q for t in truths for q in t["quirks"]}
    for q in ("run_together", "blank_total_column", "null_tokens", "compact_rows", "label_lost"):
        assert q in quirks
    assert any(t["ambiguous_cells"] for t in truths)
    assert len({t["agency"] for t in truths}) < len(truths) / 2  # agencies report several years


def decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
        return data.decode("utf-8-sig")
    assert not data.startswith(codecs.BOM_UTF8)
    return data.decode(encoding)


def test_files_decode_and_carry_title_and_numbers(mixed):
    for r in mixed:
        t = r.truth
        text = decode(r.data, t["encoding"])
        assert ("\r\n" in text) == (t["newline"] == "crlf"), r.name
        if t["encoding"] == "gbk":
            assert 'charset="gb2312"' in text or "charset=gb2312" in text
        flat = re.sub(r"\s+", "", text)
        assert f"{t['agency']}{t['year']}年政府信息公开工作年度报告" in flat, r.name
        digits = unicodedata.normalize("NFKC", text).replace(",", "")
        for table in ("table2", "table3", "table4"):
            for row, cols in t[table].items():
                for col, v in cols.items():
                    if isinstance(v, int | float):
                        shown = (
                            f"{v:.4f}".rstrip("0").rstrip(".")
                            if isinstance(v, float)
                            else str(abs(v))
                        )
                        assert shown in digits, (r.name, table, row, col, v)


def test_split_count():
    assert split_count("640020470", 7, row_sum=True) == 1  # 64 0 0 2 0 4 | 70
    assert split_count("0000000", 7, row_sum=True) == 1
    assert split_count("1010002", 7, row_sum=True) == 1
    assert split_count("010001011", 7, row_sum=True) == 2  # 0 1 0 0 0 10 | 11, 0 10 0 0 1 0 | 11
    assert split_count("11000011", 7, row_sum=True) == 0  # no split adds up: undecodable
    assert split_count("000", 3, row_sum=False) == 1
    assert split_count("1210", 3, row_sum=False) == 2  # 1 2 10, 12 1 0, … (capped at 2)
    assert split_count("0012", 3, row_sum=False) == 1  # 0 0 12: no leading zeros


def test_ambiguous_cells_are_run_together_rows(mixed):
    for r in mixed:
        if r.truth["ambiguous_cells"]:
            assert "run_together" in r.truth["quirks"]
            rows = {c.rsplit(".", 1)[0] for c in r.truth["ambiguous_cells"]}
            for row in rows:
                table, key = row.split(".", 1)
                cols = r.truth[table][key]
                digits = "".join(str(v) for k, v in cols.items() if k != "procurement_amount_unit")
                parts = len(cols) - ("procurement_amount_unit" in cols)
                assert split_count(digits, parts, row_sum=table == "table3") > 1


# -- crawled pages (scripts/corpus_crawl.py) -------------------------------------------------


@pytest.fixture(scope="module")
def crawl():
    return generate(120, seed=5, crawl_share=1.0)


def test_crawl_share_leaves_the_other_reports_unchanged(small):
    mixed = generate(50, seed=7, crawl_share=0.4)
    kinds = {r.truth["layout"] for r in mixed}
    assert "crawl" in kinds and len(kinds) > 1
    for plain, other in zip(small, mixed, strict=True):
        assert Path(plain.name).stem == Path(other.name).stem
        if other.truth["layout"] != "crawl":
            assert plain.data == other.data and plain.truth == other.truth
    assert [r.data for r in generate(50, seed=7, crawl_share=0.4)] == [r.data for r in mixed]


def test_crawl_pages_as_an_archive_saves_them(tmp_path, crawl):
    assert main([str(tmp_path), "-n", "30", "--seed", "5", "--crawl-share", "1"]) == 0
    truths = [json.loads(x) for x in (tmp_path / "truth.jsonl").read_text("utf-8").splitlines()]
    assert [t["file"] for t in truths] == [r.name for r in crawl[:30]]
    quirks = {q for r in crawl for q in r.truth["quirks"]}
    for q in ("crawl_header", "breadcrumb", "one_line", "several_lines", "stray_spaces",
              "title_run_in", "footer_chrome", "fused_headers", "heading_run_in"):  # fmt: skip
        assert q in quirks, q
    for r in crawl:
        t = r.truth
        assert t["layout"] == "crawl" and r.name.endswith(".txt")
        text = decode(r.data, t["encoding"])
        lines = [x for x in text.splitlines() if x.strip()]
        assert lines[0].lstrip("\ufeff").startswith("标题")
        assert any(x.startswith(("原文链接", "原文地址")) for x in lines[:8])
        body = [x for x in lines if len(x) > 200]
        assert 1 <= len(body) <= 4  # the page on one line, or on a few
        flat = re.sub(r"\s+", "", text)
        assert f"{t['agency']}{t['year']}年政府信息公开工作年度报告" in flat
        assert "一、总体情况" in flat
        for cell in t["ambiguous_cells"]:
            table, rest = cell.split(".", 1)
            row, col = rest.rsplit(".", 1)
            assert col in t[table][row]


def test_crawl_ambiguous_cells_are_rows_split_two_ways(crawl):
    seen = 0
    for r in crawl:
        t = r.truth
        rows = {c.rsplit(".", 1)[0] for c in t["ambiguous_cells"]}
        for key, cols in t["table3"].items():
            values = list(cols.values())
            if "spaced_cells" in t["quirks"]:  # cells apart: a row with a blank cannot be placed
                assert (f"table3.{key}" in rows) == (None in values), (r.name, key)
                continue
            if None in values:
                continue
            digits = "".join(str(v) for v in values)
            split = split_count(digits, 7, row_sum=True)
            assert (f"table3.{key}" in rows) == (split > 1), (r.name, key, digits)
            seen += f"table3.{key}" in rows
    assert seen > 20
