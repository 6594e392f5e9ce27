"""One short inline report per quirk of real reports (content/format.md §7)."""

from __future__ import annotations

import pytest

from gongkai.layout import table3_row_holds as t3_check
from gongkai.parse.numbers import decode_runs, read_value
from gongkai.report import read_report

T3_HEAD = (
    "三、收到和处理政府信息公开申请情况\n"
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\n"
    "\t\t自然人\t法人或其他组织\n"
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
)
F2021_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果\t(一) 予以公开",
    "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
    "(三) 不予公开\t1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "(四) 无法提供\t1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "(五) 不予处理\t1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "(七) 总计",
    "四、结转下年度继续办理",
]
KEYS = [
    "new_received",
    "carried_over",
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_forbidden",
    "denied.three_safety_one_stability",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.admin_query",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear_after_correction",
    "not_processed.petition_complaint",
    "not_processed.repeat",
    "not_processed.publication",
    "not_processed.mass_repeat",
    "not_processed.confirm_or_reissue",
    "other.no_correction",
    "other.fee_unpaid",
    "other.other",
    "total_processed",
    "carried_forward",
]
T2 = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章\t0\t0\t0\n行政规范性文件\t1\t0\t5\n第二十条第（五）项\n信息内容\t本年处理决定数量\n"
    "行政许可\t3\n第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t0\n行政强制\t0\n"
    "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0\n"
)
T4 = (
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
)


def report(t3_values: dict[str, str], t2: str = T2, t4: str = T4, title: str | None = None) -> str:
    rows = [
        f"{label}\t{t3_values.get(key, chr(9).join('0' * 7))}"
        for label, key in zip(F2021_ROWS, KEYS, strict=True)
    ]
    head = title or "某某县财政局2023年政府信息公开工作年度报告"
    return (
        f"{head}\n一、总体情况\n本年度依法公开。\n{t2}{T3_HEAD}"
        + "\n".join(rows)
        + f"\n{t4}五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
    )


def as_f2019(text: str) -> str:
    """The same report in the 2019 format: （六）其他处理 one row, the year 2020."""
    zeros = "\t0\t0\t0\t0\t0\t0\t0\n"
    first, *rest = F2021_ROWS[20:23]
    text = text.replace(first + zeros, "(六) 其他处理" + zeros)
    for row in rest:
        text = text.replace(row + zeros, "")
    return text.replace("2023年", "2020年")


def parse_text(tmp_path, text: str, name: str = "r.txt", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_report(path)


def test_run_together_row_is_decoded_when_arithmetic_leaves_one_split(tmp_path):
    values = {"new_received": "640020470", "granted": "640020470", "total_processed": "640020470"}
    record = parse_text(tmp_path, report(values))
    assert record.table3["new_received"] == dict(
        zip(
            [
                "natural_person",
                "commercial",
                "research",
                "public_welfare",
                "legal_service",
                "other_org",
                "total",
            ],
            [64, 0, 0, 2, 0, 4, 70],
            strict=True,
        )
    )


def test_run_together_row_stays_null_when_ambiguous(tmp_path):
    assert decode_runs(["1111116"], 7, t3_check) == (1, 1, 1, 1, 1, 1, 6)
    # 0,1,10,0,0,0,11 and 0,11,0,0,0,0,11 both add up: no split is published
    assert decode_runs(["011000011"], 7, t3_check) is None
    # a run whose only split breaks the arithmetic is not "repaired" either
    assert decode_runs(["2020204"], 7, t3_check) is None
    record = parse_text(tmp_path, report({"granted": "011000011"}))
    # only the cells on which every split agrees are published (the run opens with 0, and
    # the fourth and fifth cells are 0 in every split); the others are null
    assert list(record.table3["granted"].values()) == [0, None, None, 0, 0, None, None]
    assert any(p.rule == "READ" and "table3.granted" in p.cells for p in record.problems)
    assert "table3.granted.natural_person" not in record.reading  # placed, not decoded


def test_glued_label_digits(tmp_path):
    t2 = T2.replace("规章\t0\t0\t0", "规章000").replace(
        "行政规范性文件\t1\t0\t5", "行政规范性文件105"
    )
    record = parse_text(tmp_path, report({}, t2=t2))
    assert record.table2["regulations"] == {"issued": 0, "repealed": 0, "valid": 0}
    assert record.table2["normative_docs"] == {"issued": 1, "repealed": 0, "valid": 5}


def test_null_tokens_are_null_not_zero(tmp_path):
    values = {"granted": "/\t-\t—\t无\t\t0\t0", "partial": "0\t0\t0\t0\t0\t0\t0"}
    record = parse_text(tmp_path, report(values))
    assert record.table3["granted"]["natural_person"] is None
    assert record.table3["granted"]["commercial"] is None
    assert record.table3["granted"]["research"] is None
    assert record.table3["granted"]["public_welfare"] is None
    assert record.table3["granted"]["other_org"] == 0
    assert record.table3["partial"]["total"] == 0


@pytest.mark.parametrize(
    ("printed", "number"),
    [
        ("1,234", 1234),
        ("１２", 12),
        ("12.35", 12.35),
        ("-3", -3),
        ("+5", 5),
        ("356000元", 356000),
        ("35.6万元", 35.6),
        ("—", None),
        ("05", None),
        ("12人", None),
    ],
)
def test_read_value(printed, number):
    assert read_value(printed).number == number


def test_decimal_fee_and_thousands(tmp_path):
    t2 = T2.replace("行政事业性收费\t0", "行政事业性收费\t12.35").replace(
        "行政许可\t3", "行政许可\t11,398,889"
    )
    record = parse_text(tmp_path, report({}, t2=t2))
    assert record.table2["admin_fees"]["fee_amount"] == 12.35
    assert record.table2["licensing"]["decisions"] == 11398889


def test_labels_with_spaces_and_half_width_brackets(tmp_path):
    text = (
        report({}).replace("(三) 不予公开", "( 三 ) 不 予 公 开").replace("商业企业", "商业 企业")
    )
    record = parse_text(tmp_path, text)
    assert record.table3["denied.state_secret"]["total"] == 0


def test_label_split_across_lines(tmp_path):
    text = report({"partial": "2\t0\t0\t0\t0\t0\t2"}).replace(
        "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）\t2",
        "(二) 部分公开（区分处理的，\n只计这一情形，不计其他情形）\t2",
    )
    record = parse_text(tmp_path, text)
    assert record.table3["partial"]["natural_person"] == 2


def test_lost_labels_are_placed_only_when_unambiguous(tmp_path):
    text = report({"granted": "3\t0\t0\t0\t0\t0\t3", "partial": "1\t0\t0\t0\t0\t0\t1"})
    text = text.replace("三、本年度办理结果\t(一) 予以公开\t", "\t").replace(
        "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）\t", "\t"
    )
    record = parse_text(tmp_path, text)
    assert record.table3["granted"]["total"] == 3
    assert record.table3["partial"]["total"] == 1
    # one more unlabeled row than gaps: nothing is guessed
    text2 = text.replace(
        "\t1\t0\t0\t0\t0\t0\t1\n", "\t1\t0\t0\t0\t0\t0\t1\n\t9\t0\t0\t0\t0\t0\t9\n"
    )
    record2 = parse_text(tmp_path, text2, "r2.txt")
    assert record2.table3["granted"]["total"] is None
    assert (
        all(v in (None, 0) for v in record2.table3["partial"].values())
        or record2.table3["partial"]["total"] is None
    )


def test_padding_cells_with_equal_values(tmp_path):
    text = report({"granted": "0\t0\t0\t0\t0\t0\t0\t0\t0"})
    record = parse_text(tmp_path, text)
    assert record.table3["granted"] == dict.fromkeys(record.table3["granted"], 0)


def test_padding_cells_resolved_by_arithmetic(tmp_path):
    # eight numbers for seven columns: only the window 2,1,0,0,0,0,3 adds up
    record = parse_text(tmp_path, report({"granted": "2\t1\t0\t0\t0\t0\t3\t9"}))
    assert record.table3["granted"]["natural_person"] == 2
    assert record.table3["granted"]["total"] == 3


def test_encodings_and_line_endings(tmp_path):
    text = report({"new_received": "1\t0\t0\t0\t0\t0\t1"}).replace("\n", "\r\n")
    for i, enc in enumerate(("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")):
        record = parse_text(tmp_path, text, f"r{i}.txt", enc)
        assert record.agency == "某某县财政局"
        assert record.table3["new_received"]["total"] == 1


def test_report_arithmetic_error_is_flagged_not_fixed(tmp_path):
    record = parse_text(tmp_path, report({"granted": "1\t0\t0\t0\t0\t0\t1"}))
    assert record.table3["granted"]["total"] == 1
    assert {p.rule for p in record.problems} == {"T3-B"}  # 0 + 0 = 0 + 0 still holds (T3-A)
    record = parse_text(tmp_path, report({"new_received": "1\t0\t0\t0\t0\t0\t1"}), "b.txt")
    t3a = [p for p in record.problems if p.rule == "T3-A"]
    assert [(p.printed, p.expected) for p in t3a] == [(0, 1), (0, 1)]
    assert "本年新收 1 件" in t3a[0].message


def test_negative_delta_in_f2019(tmp_path):
    t2 = (
        "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t12\t-3\t40\n"
        "其他对外管理服务事项\t0\t0\t0\n第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t2\t356000元\n"
    )
    text = as_f2019(report({}, t2=t2))
    record = parse_text(tmp_path, text)
    assert record.format == "F2019"
    assert record.table2["licensing"] == {"prev_items": 12, "delta_items": -3, "decisions": 40}
    assert record.table2["central_procurement"] == {
        "procurement_count": 2,
        "procurement_amount": 356000,
        "procurement_amount_unit": "元",
    }
    assert record.table3["other"]["total"] == 0
    assert "other.other" not in record.table3


def test_title_on_two_lines_and_year_first(tmp_path):
    r1 = parse_text(
        tmp_path, report({}, title="盐池县财政局\n2023 年政府信息公开工作年度报告"), "a.txt"
    )
    assert (r1.agency, r1.year) == ("盐池县财政局", 2023)
    r2 = parse_text(
        tmp_path, report({}, title="2022年度盐池县财政局政府信息公开工作年度报告"), "b.txt"
    )
    assert (r2.agency, r2.year) == ("盐池县财政局", 2022)


def test_lone_number_in_a_delimited_row(tmp_path):
    # a pipe/tab row with a cell per column: "13" is one cell, not a run; without arithmetic
    # (表二) "120" is never cut into 1, 2, 0
    text = report({"other.other": "13\t\t\t\t\t\t"})
    t2 = (
        "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t120\t\t\n"
    )
    record = parse_text(tmp_path, text)
    assert record.table3["other.other"]["natural_person"] == 13
    assert record.table3["other.other"]["total"] is None
    f2019 = parse_text(tmp_path, as_f2019(report({}, t2=t2)), "b.txt")
    assert f2019.table2["licensing"] == {"prev_items": 120, "delta_items": None, "decisions": None}


def detach(text: str, keys: list[str], rows: int | None = None) -> str:
    """The 表三 rows ``keys`` as a PDF-to-Markdown converter prints them: their labels on
    lines of their own, then their numbers on lines without a label (``rows`` of them)."""
    lines = text.split("\n")
    labels, values = [], []
    first = None
    for key in keys:
        label = F2021_ROWS[KEYS.index(key)]
        i = next(n for n, line in enumerate(lines) if line and line.startswith(label + "\t"))
        first = i if first is None else first
        labels.append(label.replace("\t", " "))
        values.append(lines[i][len(label) :].replace("\t", " ").strip())
        lines[i] = None
    values = values if rows is None else (values + values)[:rows]
    lines[first] = "\n".join(labels + values)
    return "\n".join(line for line in lines if line is not None)


def test_detached_labels_are_paired_in_order(tmp_path):
    """Three labels, then three rows of numbers: the order leaves no doubt."""
    text = report(
        {
            "unable.not_held": "5\t0\t0\t0\t0\t0\t5",
            "unable.needs_creation": "6\t0\t0\t0\t0\t0\t6",
            "unable.unclear_after_correction": "1\t0\t0\t0\t0\t0\t1",
        }
    )
    keys = ["unable.not_held", "unable.needs_creation", "unable.unclear_after_correction"]
    record = parse_text(tmp_path, detach(text, keys))
    assert [record.table3[k]["total"] for k in keys] == [5, 6, 1]


def test_detached_rows_that_do_not_match_their_labels_are_left_out(tmp_path):
    """Two labels, then one row of 6s: which label it belongs to is not certain, so it is
    published nowhere (it once went to 3.补正后申请内容仍不明确 instead of 2.没有现成信息…)."""
    text = report({"unable.needs_creation": "6\t0\t0\t0\t0\t0\t6"})
    keys = ["unable.needs_creation", "unable.unclear_after_correction"]
    record = parse_text(tmp_path, detach(text, keys, rows=1))
    for key in keys:
        assert all(v is None for v in record.table3[key].values()), key
    (problem,) = [p for p in record.problems if p.rule == "READ" and "未采用" in p.message]
    assert "2 个单独成行的行名" in problem.message and "1 行没有行名的数字" in problem.message


def test_labels_broken_mid_word_are_joined(tmp_path):
    """ "（三）不" / "予公开" and "1.属于国家秘" / "密": one label each, then the numbers."""
    text = report({"denied.state_secret": "2\t0\t0\t0\t0\t0\t2"})
    label = F2021_ROWS[KEYS.index("denied.state_secret")]
    line = next(x for x in text.split("\n") if x.startswith(label + "\t"))
    broken = "（三）不\n予公开\n1.属于国家秘\n密\n2 0 0 0 0 0 2"
    record = parse_text(tmp_path, text.replace(line, broken))
    assert record.table3["denied.state_secret"]["total"] == 2


def test_touching_digits_are_split_by_the_whole_tables_arithmetic(tmp_path):
    """一、本年新收…640020470: the row alone splits many ways that add up (T3-C); the columns
    (（七）总计 and the outcome rows printed plainly) leave one: 64,0,0,2,0,4,70."""
    row = "64\t0\t0\t2\t0\t4\t70"
    text = report({"granted": row, "total_processed": row, "new_received": row})
    label = F2021_ROWS[KEYS.index("new_received")]
    text = text.replace(f"{label}\t{row}", f"{label}640020470")
    record = parse_text(tmp_path, text)
    assert list(record.table3["new_received"].values()) == [64, 0, 0, 2, 0, 4, 70]
    assert record.reading["table3.new_received.natural_person"] == "decoded"
    assert "table3.granted.natural_person" not in record.reading  # printed plainly
    assert not [p for p in record.problems if p.rule.startswith("T3")]


def test_a_misprinted_total_does_not_steer_a_split(tmp_path):
    """The same run, but the report misprints （七）总计's 自然人 cell: the split the columns
    would force is not trusted, so the cells that needed a choice stay null."""
    row = "64\t0\t0\t2\t0\t4\t70"
    wrong = "46\t0\t0\t2\t0\t4\t70"  # 46 for 64: breaks T3-C of its row and T3-A/B of its column
    text = report({"granted": row, "total_processed": wrong, "new_received": row})
    label = F2021_ROWS[KEYS.index("new_received")]
    record = parse_text(tmp_path, text.replace(f"{label}\t{row}", f"{label}640020470"))
    values = record.table3["new_received"]
    truth = [64, 0, 0, 2, 0, 4, 70]
    assert all(v in (None, t) for v, t in zip(values.values(), truth, strict=True))
    assert values["natural_person"] is None
    assert any(p.rule == "T3-C" for p in record.problems)  # the report's own error is shown


def test_blank_row_never_lends_its_key_to_a_row_with_a_typo(tmp_path):
    # 1.属于国家秘密 printed with all cells blank, 2.其他法律行政法规禁止公开 with a typo that
    # hides its words: the numbers of row 2 must not be published as row 1's
    text = report({"denied.law_forbidden": "1\t0\t0\t0\t0\t0\t1"})
    text = text.replace("1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0", "1.属于国家秘密\t\t\t\t\t\t\t")
    text = text.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    record = parse_text(tmp_path, text)
    assert set(record.table3["denied.state_secret"].values()) == {None}
    # the typo'd row is placed by its neighbours (the one row missing between them)
    assert record.table3["denied.law_forbidden"]["total"] == 1
