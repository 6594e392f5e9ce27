"""The names a reader may search a place by: 宁夏, 吴忠, 吴忠市, 宁夏回族自治区.

An agency's page carries these names for the search index only (a hidden line the index
reads), so a search for a province, city or county, in full or in its common short form,
finds the agencies there. The official short forms come from the division table
(:func:`gongkai.parse.region.names_of`); the name without its last administrative word
(吴忠市 → 吴忠, 盐池县 → 盐池) is added when two characters or more are left.
"""

from __future__ import annotations

from gongkai.model import Region
from gongkai.parse import region as divisions

# the administrative word that ends a place name, longest first; an autonomous unit's short
# forms (黔东南州, 宁夏) come from the division table, and 黔东南州 → 黔东南 from here
SUFFIXES = ("特别行政区", "地区", "林区", "省", "市", "县", "区", "旗", "盟", "州")
AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")


def stem(name: str) -> str | None:
    """吴忠市 → 吴忠; None when nothing of two characters or more would be left."""
    if name[-3:-1] == "自治":
        return None
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def place_names(region: Region | None) -> list[str]:
    """Every name of every level of ``region``, province first, each once."""
    if region is None:
        return []
    out: list[str] = []
    for name, code in (
        (region.province, region.province_code),
        (region.city, region.city_code),
        (region.county, region.county_code),
    ):
        if not name:
            continue
        known = divisions.names_of(code) if code else ()
        for n in (name, *known, *(stem(x) for x in (name, *known))):
            if n and n not in out:
                out.append(n)
    return out


def places_text(region: Region | None) -> str:
    """The names, then the administrative words on their own (市, 县): a search splits
    "吴忠市" into 吴忠 + 市 and wants each as the start of a word of the page."""
    names = place_names(region)
    words = [s for s in SUFFIXES + AUTONOMOUS if any(n.endswith(s) for n in names)]
    return " ".join(names + [w for w in words if w not in names])
