"""Agency name → region and type. Every code checked by hand against cpca's adcodes.csv."""

import pytest

from gongkai.model import Region
from gongkai.parse.region import all_divisions, children, region_of, resolve

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
        # 桥西区: three cities, all in 河北省 (130104, 130503, 130703)
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
    assert region_of("640323") == region(NINGXIA, WUZHONG, YANCHI)
