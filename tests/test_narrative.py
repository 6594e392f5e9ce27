"""The report's text against its own tables (rule NARR): the counts the narrative states,
read with certainty, and a warning quoting both sides only where the table contradicts
them under every fair reading."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gongkai import layout
from gongkai.check.narrative import check_narrative
from gongkai.model import Record, Source
from gongkai.parse.narrative import (
    CARRIED_FORWARD,
    CARRIED_OVER,
    LITIGATION,
    PROCESSED,
    RECEIVED,
    REVIEW,
    REVIEW_LITIGATION,
    statements,
)

YEAR = 2023


def record(text: str, section: str = "s1_overview", fmt: str = "F2021", **cells: int | None):
    """A record of ``fmt`` whose tables are all 0 but ``cells`` (``new_received_total=1``
    sets table3.new_received.total; ``t4_review_total=1`` table4.review.total), its text
    ``text`` in ``section``."""
    tables = layout.empty_tables(fmt)
    for rows in tables.values():
        for cols in rows.values():
            for col in cols:
                cols[col] = 0
    for name, value in cells.items():
        table = "table4" if name.startswith("t4_") else "table3"
        name = name.removeprefix("t4_")
        row = next(r for r in tables[table] if name.startswith(r.replace(".", "_") + "_"))
        col = name[len(row) + 1 :]
        assert col in tables[table][row], name
        tables[table][row][col] = value
    return Record(
        agency="某县科学技术局",
        year=YEAR,
        format=fmt,
        table2=tables["table2"],
        table3=tables["table3"],
        table4=tables["table4"],
        sections={section: text},
    )


def flags(text: str, section: str = "s1_overview", **cells: int | None) -> list:
    return [p for p in check_narrative(record(text, section, **cells)) if p.rule == "NARR"]


def said(text: str, section: str = "s1_overview") -> list[tuple[str, int]]:
    return [(s.kind, s.count) for s in statements({section: text}, YEAR)]


# -- what is read ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年，我局共收到政府信息公开申请5件。", [(RECEIVED, 5)]),
        ("全年受理依申请公开政府信息 1 件，按时答复率 100%。", [(RECEIVED, 1)]),
        ("本年新收政府信息公开申请数量为3件。", [(RECEIVED, 3)]),
        ("我局共收到3件政府信息公开申请。", [(RECEIVED, 3)]),
        ("全年收到政府信息公开申请两件。", [(RECEIVED, 2)]),
        ("全年收到公民、法人和其他组织提出的政府信息公开申请十二件。", [(RECEIVED, 12)]),
        (
            "共收到政府信息公开申请14件，上年结转0件，已办结13件，结转下年度继续办理1件。",
            [(RECEIVED, 14), (PROCESSED, 13), (CARRIED_FORWARD, 1), (CARRIED_OVER, 0)],
        ),
        ("收到政府信息公开申请3件，结转2024年继续办理1件。", [(RECEIVED, 3), (CARRIED_FORWARD, 1)]),
        ("上年结转政府信息公开申请数量2件。", [(CARRIED_OVER, 2)]),
        (
            "2023年，我局因政府信息公开被申请行政复议1件，被提起行政诉讼0件。",
            [(REVIEW, 1), (LITIGATION, 0)],
        ),
        ("全年发生政府信息公开行政复议和行政诉讼共2件。", [(REVIEW_LITIGATION, 2)]),
        ("全年未收到依申请公开政府信息。", [(RECEIVED, 0)]),
        (
            "共收到政府信息公开申请10件，其中当面申请2件、网上收到政府信息公开申请8件。",
            [(RECEIVED, 10)],
        ),
        ("2.2023，我局未收到政府信息公开申请，未收取信息处理费。", [(RECEIVED, 0)]),
        ("本年度无公民、法人或其他组织向我局提出政府信息公开申请。", [(RECEIVED, 0)]),
        ("截至2023年12月31日，未收到政府信息公开申请。", [(RECEIVED, 0)]),
        ("未出现因政府信息公开引发的行政复议和行政诉讼情况。", [(REVIEW_LITIGATION, 0)]),
        (
            "2023年度未收到依申请公开事项，未发生行政复议或行政诉讼。",
            [(RECEIVED, 0), (REVIEW_LITIGATION, 0)],
        ),
        ("本年度无政府信息公开行政诉讼案件。", [(LITIGATION, 0)]),
        (
            "未收到政府信息公开申请，也未发生行政复议、行政诉讼。",
            [(RECEIVED, 0), (REVIEW_LITIGATION, 0)],
        ),
        ("本年度本机关未因政府信息公开被申请行政复议或提起行政诉讼。", [(REVIEW_LITIGATION, 0)]),
        (
            "本年度因政府信息公开工作未被申请行政复议，未被提起行政诉讼。",
            [(REVIEW, 0), (LITIGATION, 0)],
        ),
        ("没有发生因政府信息公开申请引发的行政复议和行政诉讼。", [(REVIEW_LITIGATION, 0)]),
        ("全年没有收到任何政府信息公开申请。", [(RECEIVED, 0)]),
        ("我局2023年度收到政府信息公开申请0件。", [(RECEIVED, 0)]),
        (
            "本年度新收政府信息公开申请18件（上年结转3件），办结21件。",
            [(RECEIVED, 18), (CARRIED_OVER, 3), (PROCESSED, 21)],
        ),
        (
            "收到政府信息公开申请3件，结转至下一年度办理的申请1件。",
            [(RECEIVED, 3), (CARRIED_FORWARD, 1)],
        ),
        # a line that wraps mid-sentence (seed 盐池)
        (
            "全年受理依申请公开政府信息的工作持续推进，全年受理依申请\n公开政府信息 1 件，按时答复。",
            [(RECEIVED, 1)],
        ),
        # a crawled page: the heading runs into the text
        (
            "（二）依申请公开情况2023年，我局未收到政府信息公开申请，未发生因政府信息公开引起的行政复议、行政诉讼。",
            [(RECEIVED, 0), (REVIEW_LITIGATION, 0)],
        ),
    ],
)
def test_counts_the_text_states(text, expected):
    assert sorted(said(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        # a part: a channel, a subject, a kind of applicant, 其中
        "收到网上政府信息公开申请2件。",
        "其中，收到当面提交的政府信息公开申请2件。",
        "其中收到政府信息公开申请2件。",
        "收到涉及征地拆迁的政府信息公开申请2件。",
        "收到企业提出的政府信息公开申请2件。",
        "未收到涉及国家秘密的政府信息公开申请。",
        "未收到网上政府信息公开申请。",
        "未收到企业提出的政府信息公开申请。",
        # another year, a change, a range, an approximation, another unit
        "2022年，我局收到政府信息公开申请8件。",
        "收到政府信息公开申请同比增加3件。",
        "收到政府信息公开申请较上年减少2件。",
        "收到政府信息公开申请近20件。",
        "收到政府信息公开申请20余件。",
        "收到政府信息公开申请10-15件。",
        "收到政府信息公开申请5件次。",
        "收到政府信息公开申请1.5万件。",
        "收到政府信息公开申请5件以上。",
        "累计收到政府信息公开申请50件。",
        "上半年未收到政府信息公开申请。",
        "截至11月30日，未收到政府信息公开申请。",
        "结转2025年继续办理1件。",
        # another agency, or many
        "全区共收到政府信息公开申请120件。",
        "各街道共收到政府信息公开申请12件。",
        "区政府办公室收到政府信息公开申请5件。",
        "我县各级行政机关共收到政府信息公开申请45件。",
        "县政府本级收到政府信息公开申请5件。",
        "我市未收到政府信息公开申请。",
        # not the applications, not the agency's own cases
        "未收到政府信息公开申请答复的投诉。",
        "未收到有关政府信息公开工作的投诉举报。",
        "无政府信息公开申请收费。",
        "如未收到政府信息公开申请，应如实报告。",
        "办结人大代表建议5件，政协提案3件。",
        "全年办理行政复议案件35件，纠正违法行政行为3件。",
        "受理行政复议申请12件。",
        "全年行政复议结果维持3件。",
        "行政诉讼败诉0件。",
        "全年未发生行政复议被纠错案件。",
        "坚持依法行政，全年未发生行政复议、行政诉讼。",
        "全年共收到行政诉讼2件。",
        "行政复议、行政诉讼各1件。",
        "全年未收到行政复议申请。",
        "本年度未受理政府信息公开申请。",
        "本年度我府作为复议机关，未发生因政府信息公开引起的行政复议。",
        "县政务公开办收到政府信息公开申请5件。",
        "2024年1月至今未收到政府信息公开申请。",
        "截至目前，未收到政府信息公开申请。",
        "通过政府网站收到政府信息公开申请3件。",
        "依申请公开政府信息5条。",
        "政府信息公开行政复议、行政诉讼数量均为0。",
        # a table flattened into the text: counts without 件, a null cell before a heading
        "一、本年新收政府信息公开申请数量5000005二、上年结转政府信息公开申请数量0000000",
        "0无政府信息公开行政复议、行政诉讼情况行政复议结果维持",
    ],
)
def test_what_may_be_something_else_is_not_read(text):
    assert said(text) == []


# -- contradictions -------------------------------------------------------------------------------


def test_no_application_said_but_the_table_has_one():
    (p,) = flags(
        "2023年，我局未收到政府信息公开申请。", new_received_total=1, new_received_natural_person=1
    )
    assert p.severity == "warning" and p.printed is None and p.expected is None
    assert p.cells == ("table3.new_received.total",)
    assert p.message == (
        "正文说“我局未收到政府信息公开申请”，但表三“一、本年新收政府信息公开申请数量”“总计”栏是 1。"
    )


def test_no_application_said_but_one_was_handled_and_none_carried_over():
    """Seed 武威: 本年新收 0 and 上年结转 0, but （四）无法提供 1: the table says one came in."""
    (p,) = flags(
        "全年未收到依申请公开政府信息。", unable_not_held_total=1, unable_not_held_natural_person=1
    )
    assert p.cells == ("table3.unable.not_held.total", "table3.carried_over.total")
    assert "“全年未收到依申请公开政府信息”" in p.message and "栏是 1，且上年结转为 0" in p.message


def test_a_handled_application_may_have_been_carried_over():
    assert not flags("全年未收到依申请公开政府信息。", carried_over_total=1, granted_total=1)


@pytest.mark.parametrize(
    ("text", "cells", "section"),
    [
        (
            "本年度共收到政府信息公开申请5件。",
            {"new_received_total": 3, "new_received_natural_person": 3, "total_processed_total": 3},
            "s1_overview",
        ),
        ("我局共收到3件政府信息公开申请。", {"new_received_total": 5}, "s1_overview"),
        ("收到政府信息公开申请0件。", {"new_received_total": 2}, "s1_overview"),
        ("收到政府信息公开申请两件。", {"new_received_total": 5}, "s1_overview"),
        (
            "收到政府信息公开申请2件，办结政府信息公开申请4件。",
            {"new_received_total": 2, "total_processed_total": 2},
            "s1_overview",
        ),
        (
            "收到政府信息公开申请2件，结转下年度继续办理2件。",
            {"new_received_total": 2, "total_processed_total": 2},
            "s1_overview",
        ),
        (
            "收到政府信息公开申请2件，上年结转3件。",
            {"new_received_total": 2, "total_processed_total": 2},
            "s1_overview",
        ),
        ("我局因政府信息公开被申请行政复议2件。", {}, "s4_review_lit"),
        ("被提起行政诉讼1件。", {}, "s4_review_lit"),
        ("被提起行政诉讼0件。", {"t4_lit_direct_total": 1}, "s4_review_lit"),
        ("未发生因政府信息公开引起的行政复议、行政诉讼。", {"t4_review_total": 1}, "s1_overview"),
        ("本年度无政府信息公开行政诉讼案件。", {"t4_lit_after_review_total": 1}, "s1_overview"),
        ("行政复议和行政诉讼共3件。", {"t4_review_total": 1}, "s4_review_lit"),
        (
            "未收到公民提出的政府信息公开申请。",
            {"new_received_natural_person": 1, "new_received_total": 1},
            "s1_overview",
        ),
        (
            "（二）依申请公开情况2023年，我局未收到政府信息公开申请，按时答复率100%。",
            {"new_received_total": 1},
            "preamble",
        ),
    ],
)
def test_a_contradiction_is_flagged_with_both_quotes(text, cells, section):
    (p,) = flags(text, section, **cells)
    assert p.message.startswith("正文说“") and "”，但表" in p.message
    assert all(c.startswith(("table3.", "table4.")) for c in p.cells)
    assert p.cells and all(c.split(".")[0] in ("table3", "table4") for c in p.cells)


@pytest.mark.parametrize(
    ("text", "cells", "section"),
    [
        # 自然人 only, or this year's and last year's together, or the handled ones
        (
            "收到政府信息公开申请3件。",
            {"new_received_total": 5, "new_received_natural_person": 3},
            "s1_overview",
        ),
        (
            "共受理政府信息公开申请5件。",
            {"new_received_total": 3, "carried_over_total": 2},
            "s1_overview",
        ),
        (
            "全年共收到政府信息公开申请5件（含上年结转1件）。",
            {"new_received_total": 4, "carried_over_total": 1},
            "s1_overview",
        ),
        (
            "收到政府信息公开申请5件，办结5件。",
            {"new_received_total": 5, "total_processed_total": 4, "carried_forward_total": 1},
            "s1_overview",
        ),
        # citizens only: an application from a company is not one
        (
            "未收到公民提出的政府信息公开申请。",
            {"new_received_commercial": 1, "new_received_total": 1},
            "s1_overview",
        ),
        # 行政诉讼: direct and after review together, or either
        (
            "被提起行政诉讼1件。",
            {"t4_lit_direct_total": 1, "t4_lit_after_review_total": 1},
            "s4_review_lit",
        ),
        (
            "被提起行政诉讼2件。",
            {"t4_lit_direct_total": 1, "t4_lit_after_review_total": 1},
            "s4_review_lit",
        ),
        (
            "被申请行政复议2件。",
            {"t4_review_total": 1, "t4_lit_after_review_total": 1},
            "s4_review_lit",
        ),
        # a blank cell decides nothing
        (
            "收到政府信息公开申请5件。",
            {"new_received_total": None, "new_received_commercial": None},
            "s1_overview",
        ),
        (
            "被提起行政诉讼3件。",
            {"t4_lit_direct_total": None, "t4_lit_direct_upheld": None},
            "s4_review_lit",
        ),
        # the parts of a blank total
        (
            "收到政府信息公开申请3件。",
            {
                "new_received_total": None,
                "new_received_natural_person": 2,
                "new_received_commercial": 1,
            },
            "s1_overview",
        ),
        # a blank 表四 group decides nothing; a printed 0 agrees
        (
            "未发生因政府信息公开引起的行政复议、行政诉讼。",
            {"t4_review_total": None},
            "s4_review_lit",
        ),
        # the reviewing body's own cases, the work in general
        ("全年办理行政复议案件35件。", {"t4_review_total": 1}, "s1_overview"),
        ("坚持依法行政，全年未发生行政复议、行政诉讼。", {"t4_review_total": 1}, "s1_overview"),
    ],
)
def test_no_flag_on_a_fair_reading(text, cells, section):
    assert flags(text, section, **cells) == []


def test_a_scan_compares_only_what_is_said_in_words():
    """OCR may misread a digit of the text: "收到申请 7 件" read as 1 is no contradiction."""
    scan = Source("scan.pdf", "0" * 64, "ocr", "PDF", 1)
    text = "共收到政府信息公开申请1件。未发生因政府信息公开引起的行政复议、行政诉讼。"
    rec = replace(record(text, new_received_total=7, t4_review_total=1), source=scan)
    (p,) = check_narrative(rec)
    assert p.cells == ("table4.review.total",)


def test_the_quote_keeps_full_width_brackets():
    (p,) = flags("（二）依申请公开情况我局未收到政府信息公开申请。", new_received_total=1)
    assert "正文说“（二）依申请公开情况我局未收到政府信息公开申请”" in p.message


def test_each_contradiction_once():
    text = "我局未收到政府信息公开申请。全年未收到政府信息公开申请。收到政府信息公开申请0件。"
    assert len(flags(text, new_received_total=1)) == 1


def test_a_run_of_statements_without_a_full_stop_is_not_a_sentence():
    """A hostile section: one statement repeated 15,000 times with no full stop between."""
    text = "未收到政府信息公开申请，" * 15_000
    assert statements({"s1_overview": text}, YEAR) == ()
    assert statements({"s1_overview": text.replace("，", "。")}, YEAR) != ()


def test_the_rule_is_explained():
    rule = layout.RULES["NARR"]
    assert "正文" in rule.name and "表" in rule.text


# -- the seeds ------------------------------------------------------------------------------------


def test_seed_yanchi_says_no_application_and_its_table_has_one(seeds):
    (p,) = [p for p in seeds["yanchi"].problems if p.rule == "NARR"]
    assert p.severity == "warning"
    assert "未收到政府信息公开申请" in p.message
    assert "表三“一、本年新收政府信息公开申请数量”“总计”栏是 1" in p.message
    assert p.cells == ("table3.new_received.total",)
    # neither number is changed
    assert seeds["yanchi"].table3["new_received"]["total"] == 1


def test_seed_wuwei_says_none_received_and_its_table_handled_one(seeds):
    (p,) = [p for p in seeds["wuwei"].problems if p.rule == "NARR"]
    assert "全年未收到依申请公开政府信息" in p.message
    assert "（四）无法提供 › 1.本机关不掌握相关政府信息" in p.message and "是 1" in p.message
    assert p.cells[0] == "table3.unable.not_held.total"


@pytest.mark.parametrize("name", ["chanhe", "panzhihua", "qingtongxia"])
def test_the_other_seeds_agree_with_their_tables(seeds, name):
    assert statements(seeds[name].sections, seeds[name].year)  # they do state counts
    assert not [p for p in seeds[name].problems if p.rule == "NARR"]


# -- synthetic corpora: narratives that agree with their tables ------------------------------------


def narr_flags(reports) -> tuple[int, int, list[str]]:
    from gongkai.report import read_report

    read = flagged = 0
    messages = []
    for rep in reports:
        rec = read_report(rep.name, rep.data)
        read += len(statements(rec.sections, rec.year))
        narr = [p.message for p in rec.problems if p.rule == "NARR"]
        flagged += bool(narr)
        messages += [f"{rep.name}: {m}" for m in narr]
    return read, flagged, messages


def test_no_false_flag_on_a_synthetic_corpus():
    """300 reports whose narrative is written from their own tables (no injected error): many
    statements read, none flagged."""
    from make_corpus import generate

    statements_read, flagged, messages = narr_flags(generate(300, seed=31, error_share=0))
    assert statements_read > 1000
    assert flagged == 0, messages[:5]


def test_no_false_flag_on_crawled_one_line_pages():
    """The same on crawled pages: the whole report on one line, headings run into the text,
    tables flattened into runs of digits."""
    from make_corpus import generate

    statements_read, flagged, messages = narr_flags(
        generate(200, seed=37, error_share=0, crawl_share=1.0)
    )
    assert statements_read > 700
    assert flagged == 0, messages[:5]


def test_a_typo_in_the_table_is_found_against_the_text():
    """With injected table errors, the flagged reports are among those the generator broke."""
    from make_corpus import generate

    reports = generate(200, seed=41, error_share=0.3)
    broken = {r.name for r in reports if r.truth["errors"]}
    _, flagged, messages = narr_flags(reports)
    assert flagged > 5
    assert {m.split(":")[0] for m in messages} <= broken
