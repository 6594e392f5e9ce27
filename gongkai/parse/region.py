"""Where an agency sits: its leading place names → a :class:`Region` and the agency type.

The divisions are the national administrative-division codes shipped inside the ``cpca``
package (``cpca/resources/adcodes.csv``). Only the CSV is read: importing ``cpca`` itself
would pull in pandas, far too slow for a per-report lookup.

Rules, all in favour of null over a guess:

- Only the *leading* place names count, matched exactly (after NFKC and removal of
  whitespace). A misprinted place (``灋河回族区`` for ``瀍河回族区``) is not fuzzy-matched;
  the name is then unresolved and its type is ``None`` too, since where the place ends
  cannot be told safely.
- Places must nest (province → city → county, either may be skipped). A name that exists in
  several places (``朝阳区``, ``鼓楼区``) keeps only what all of them share: ``桥西区`` gives
  河北省 alone, ``朝阳区`` (北京/长春) gives nothing; the type is still returned, since where
  the place ends is certain. A following place that does not nest (``北京市鼓楼区…``) makes
  the whole name unresolved.
- Short forms: 宁夏, 广西自治区, 黔东南州, 长阳县 (autonomous units without their peoples);
  a bare 北京/河北 counts only before a place of that province (北京海淀区, not 北京大学).
- Municipalities (北京/天津/上海/重庆) and the 省直辖县级行政区划 have no real city: their
  ``市辖区``/``县``/``省直辖…`` rows are pseudo-cities, so ``city`` is ``None`` there.
- Township names stay in the type: ``盐池县花马池镇人民政府`` → 盐池县, ``花马池镇人民政府``.
- Central agencies (``中华人民共和国…``, ``国务院…``, ``国家…``, the ministries) have no
  region; their type is the name without ``中华人民共和国``. One that names a place
  (国家税务总局盐池县税务局) is a local office: unresolved.
- The codes are as of the cpca data (about 2016: 重庆 still has 梁平县, 武隆县); a newer
  name (梁平区) is simply unresolved.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

from gongkai.model import Region

# Rows that are containers, not places: a municipality's 市辖区 (110100) or 县 (500200),
# a province's 省直辖县级行政区划 (429000), and each prefecture's own 市辖区 (640301).
PSEUDO = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
CENTRAL_PREFIX = "中华人民共和国"
CENTRAL_STARTS = (
    "国务院",
    "国家",
    "中国",
    "中共中央",
    "最高人民",
    "全国人民代表大会",
    # ministries and offices whose names carry no 国家/国务院
    "外交部",
    "国防部",
    "教育部",
    "科学技术部",
    "工业和信息化部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "退役军人事务部",
    "应急管理部",
    "审计署",
    "海关总署",
)
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str
    level: str  # province | city | county


@dataclass(frozen=True)
class _Alias:
    division: Division
    weak: bool  # a bare province short form (北京, 河北): only before a place of that province


@dataclass(frozen=True)
class _Data:
    divisions: dict[str, Division]  # code -> division, pseudo rows included
    aliases: dict[str, tuple[_Alias, ...]]
    longest: int


def _csv_path() -> Path:
    spec = find_spec("cpca")  # locates the package without running its __init__ (pandas)
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the cpca package (administrative-division codes) is not installed")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _short_forms(div: Division, nations: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Common short names: 宁夏, 宁夏自治区, 黔东南州, 长阳县; 河北/北京 only as weak forms."""
    name = div.name
    for suffix in ("自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            stripped = True
            while stripped:
                stripped = False
                for nation in nations:
                    # keep two characters: 内蒙古 is not 内 + 蒙古
                    if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                        stem, stripped = stem[: -len(nation)], True
                        break
            if stem in nations:  # 鄂温克族自治旗, 东乡族自治县: no short name
                return []
            if suffix == "自治区":
                return [(stem, False), (stem + suffix, False)]
            return [(stem + suffix[-1], False), (stem + suffix, False)]
    if div.level == "province":
        for suffix in ("特别行政区", "省", "市"):
            if name.endswith(suffix):
                return [(name[: -len(suffix)], True)]
    return []


@cache
def _data() -> _Data:
    csv_dir = _csv_path().parent
    with open(csv_dir / "56_nations.csv", encoding="utf-8") as f:
        full = [line.strip() for line in f if line.strip()]
    # 博尔塔拉蒙古自治州, 伊犁哈萨克自治州: the 族 is often dropped; never for one-character
    # names (水族, 土族), whose bare character is too common in place names.
    names = full + [n[:-1] for n in full if len(n) > 2] + ["各族"]  # 龙胜各族自治县
    nations = tuple(sorted(names, key=len, reverse=True))

    divisions: dict[str, Division] = {}
    with open(csv_dir / "adcodes.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            divisions[code] = Division(code, row["name"], _level(code))

    aliases: dict[str, list[_Alias]] = {}
    for div in divisions.values():
        if div.name in PSEUDO:
            continue
        for alias, weak in [(div.name, False), *_short_forms(div, nations)]:
            aliases.setdefault(alias, []).append(_Alias(div, weak))
    return _Data(
        divisions,
        {k: tuple(v) for k, v in aliases.items()},
        max(len(k) for k in aliases),
    )


def _nests(child: Division, parent: Division) -> bool:
    depth = _LEVELS.index(parent.level)
    return (
        _LEVELS.index(child.level) > depth
        and child.code[: 2 + 2 * depth] == parent.code[: 2 + 2 * depth]
    )


def _chains(text: str, pos: int, parent: Division | None, data: _Data):
    """Yield (end, deepest division) for each nesting run of places starting at ``pos``."""
    for length in range(min(data.longest, len(text) - pos), 1, -1):
        for alias in data.aliases.get(text[pos : pos + length], ()):
            div = alias.division
            if parent is not None and not _nests(div, parent):
                continue
            yield from _chains(text, pos + length, div, data)
            if not alias.weak:
                yield pos + length, div


def _place_at(text: str, pos: int, data: _Data) -> bool:
    """A place name (not a bare 北京/河北, which also begin ordinary words) starts at ``pos``."""
    for n in range(2, min(data.longest, len(text) - pos) + 1):
        if any(not a.weak for a in data.aliases.get(text[pos : pos + n], ())):
            return True
    return False


def _certain(candidates: list[Division], data: _Data) -> Region | None:
    """What all candidate places agree on, from the province down."""
    levels: list[tuple[str | None, str | None, str | None]] = []
    for div in candidates:
        city = data.divisions.get(div.code[:4] + "00")
        levels.append(
            (
                div.code[:2] + "0000",
                city.code if div.level != "province" and city and city.name not in PSEUDO else None,
                div.code if div.level == "county" else None,
            )
        )
    codes: list[str | None] = []
    for i in range(3):
        values = {lv[i] for lv in levels}
        if len(values) != 1:
            break
        codes.append(values.pop())
    if not codes:
        return None
    codes += [None] * (3 - len(codes))
    names = [data.divisions[c].name if c else None for c in codes]
    return Region(names[0], codes[0], names[1], codes[1], names[2], codes[2])


@lru_cache(maxsize=65536)
def resolve(agency: str) -> tuple[Region | None, str | None]:
    """The region of an agency named by leading place names, and the rest of its name.

    ``(None, None)`` when the name cannot be split with certainty.
    """
    text = _SPACE.sub("", unicodedata.normalize("NFKC", agency or ""))
    if not text:
        return None, None
    data = _data()
    found = list(_chains(text, 0, None, data))
    if found:
        end = max(e for e, _ in found)
        if _place_at(text, end, data):  # a place that does not nest: 北京市鼓楼区…
            return None, None
        region = _certain([d for e, d in found if e == end], data)
        return region, text[end:] or None
    name = text.removeprefix(CENTRAL_PREFIX)
    central = name != text or name.startswith(CENTRAL_STARTS)
    # 国家税务总局宁夏回族自治区税务局 is a local office; left unresolved.
    if central and name and not any(_place_at(name, i, data) for i in range(len(name))):
        return None, name
    return None, None


def all_divisions() -> tuple[Division, ...]:
    """Every real division (pseudo-cities such as 市辖区 left out), by code."""
    data = _data()
    return tuple(d for _, d in sorted(data.divisions.items()) if d.name not in PSEUDO)


def division(code: str) -> Division | None:
    """The division with this 6- or 12-digit code, pseudo-cities included."""
    return _data().divisions.get(code[:6])


def children(code: str) -> tuple[Division, ...]:
    """The divisions directly below ``code``; a municipality's districts sit right under it."""
    parent = division(code)
    if parent is None or parent.level == "county":
        return ()
    return tuple(
        d
        for d in all_divisions()
        if _nests(d, parent) and (d.level == "city" or parent.level == "city" or _pseudo_city(d))
    )


def _pseudo_city(div: Division) -> bool:
    city = division(div.code[:4] + "00")
    return city is None or city.name in PSEUDO


def region_of(code: str) -> Region | None:
    """The full :class:`Region` of one division code (for pages built from a code)."""
    div = division(code)
    if div is None or div.name in PSEUDO:
        return None
    return _certain([div], _data())
