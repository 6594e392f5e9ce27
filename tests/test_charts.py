"""Charts: compared as Altair specs (chart.to_dict()); nulls left out and named, never drawn as 0."""

from __future__ import annotations

from dataclasses import replace

from gongkai import layout
from gongkai.model import Record
from gongkai.site import charts

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def data_values(spec: dict) -> list[dict]:
    return spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]


def test_yanchi_applicants_chart(seeds):
    fig = charts.applicants(seeds["yanchi"])
    expected = charts.bar_chart(
        "本年新收申请 · 按申请人", "件", list(zip(APPLICANTS, [1, 0, 0, 0, 0, 0], strict=True))
    )
    assert fig.spec == expected.to_dict()
    assert fig.rows == tuple(
        (label, (v,)) for label, v in zip(APPLICANTS, [1, 0, 0, 0, 0, 0], strict=True)
    )
    assert fig.omitted == () and fig.key is not None


def test_yanchi_outcomes_chart(seeds):
    fig = charts.outcomes(seeds["yanchi"])
    values = {v["label"]: v["value"] for v in data_values(fig.spec)}
    assert values == {
        "（一）予以公开": 0,
        "（二）部分公开": 0,
        "（三）不予公开": 0,
        "（四）无法提供": 1,
        "（五）不予处理": 0,
        "（六）其他处理": 0,
    }


def test_wuwei_outcomes_drawn_as_printed(seeds):
    """武威's 1 under 无法提供 is drawn although its printed 总计 is 0."""
    fig = charts.outcomes(seeds["wuwei"])
    assert {v["label"]: v["value"] for v in data_values(fig.spec)}["（四）无法提供"] == 1
    review = charts.review_litigation(seeds["wuwei"])
    assert review.spec is None and "未填写" in review.note  # 武威 prints no 表四 at all


def test_all_zero_is_not_drawn(seeds):
    fig = charts.applicants(seeds["panzhihua"])
    assert fig.spec is None and fig.note == "各项均为 0，未绘图。"
    assert [v for _, (v,) in fig.rows] == [0] * 6


def test_null_is_left_out_and_named(seeds):
    rec: Record = seeds["yanchi"]
    t3 = {k: dict(v) for k, v in rec.table3.items()}
    t3["new_received"]["commercial"] = None
    t3["new_received"]["research"] = 2
    fig = charts.applicants(replace(rec, table3=t3))
    labels = [v["label"] for v in data_values(fig.spec)]
    assert "商业企业" not in labels and labels == [
        "自然人",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert fig.omitted == ("商业企业",)
    assert dict(fig.rows)["商业企业"] == (None,), "the table still lists it, as null"


def test_outcome_group_with_a_null_part_is_null(seeds):
    rec: Record = seeds["yanchi"]
    t3 = {k: dict(v) for k, v in rec.table3.items()}
    t3["denied.third_party"]["total"] = None
    fig = charts.outcomes(replace(rec, table3=t3))
    assert "（三）不予公开" in fig.omitted
    assert dict(fig.rows)["（三）不予公开"] == (None,)


def test_qingtongxia_review_cells_left_out(seeds):
    fig = charts.review_litigation(seeds["qingtongxia"])
    assert fig.omitted == tuple(
        f"行政复议 · {c.label}" for c in layout.TABLE4_COLUMNS if c.key != "total"
    )
    assert fig.spec is None  # the litigation cells are all 0


def test_stacked_spec():
    chart = charts.stacked_chart(
        "t", "件", [("2022", "甲", 1), ("2023", "乙", 2)], ["甲", "乙"], ["#000", "#111"]
    )
    spec = chart.to_dict()
    assert spec["encoding"]["color"]["scale"] == {"domain": ["甲", "乙"], "range": ["#000", "#111"]}
    assert spec["encoding"]["y"]["sort"] == ["2022", "2023"]
    assert spec["config"]["font"] == charts.FONT


def test_trend(seeds):
    fig = charts.trend_received([("2022", seeds["wuwei"]), ("2023", seeds["yanchi"])])
    assert data_values(fig.spec) == [{"label": "2022", "value": 0}, {"label": "2023", "value": 1}]
    one = charts.trend_received([("2023", seeds["yanchi"])])
    assert one.spec is None and "一个年度" in one.note and one.rows == (("2023", (1,)),)


def test_render_svg_with_chinese_text_and_cache(tmp_path, seeds):
    fig = charts.applicants(seeds["yanchi"])
    first = charts.render_all({fig.key: fig.spec}, tmp_path)
    svg = first[fig.key]
    assert svg.startswith("<svg") and "自然人" in svg and "社会公益组织" in svg
    assert (tmp_path / f"{fig.key}.svg").read_text(encoding="utf-8") == svg
    (tmp_path / f"{fig.key}.svg").write_text("<svg>cached</svg>", encoding="utf-8")
    assert charts.render_all({fig.key: fig.spec}, tmp_path)[fig.key] == "<svg>cached</svg>"


def test_spec_hash_is_stable(seeds):
    a = charts.applicants(seeds["yanchi"]).key
    assert a == charts.applicants(seeds["yanchi"]).key and len(a) == 16
    assert a != charts.outcomes(seeds["yanchi"]).key


def test_fast_specs_equal_the_altair_charts():
    """bar_spec/stacked_spec reuse one validated Altair chart per shape: same dict, exactly."""
    for points in ([("a", 1)], [("a", 0), ("b", 3)], [("甲", 12345), ("乙", 7.5)]):
        assert charts.bar_spec("t", "件", points) == charts.bar_chart("t", "件", points).to_dict()
    series, colors = ["甲", "乙", "丙"], ["#000", "#111", "#222"]
    for points in ([("2021", "甲", 1)], [("2021", "甲", 2), ("2021", "乙", 5), ("2022", "丙", 1)]):
        for horizontal in (True, False):
            fast = charts.stacked_spec("t", "件", points, series, colors, horizontal)
            slow = charts.stacked_chart("t", "件", points, series, colors, horizontal).to_dict()
            assert fast == slow
