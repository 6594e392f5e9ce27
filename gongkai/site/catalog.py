"""Publish stage, step 1: the parsed reports grouped into agencies, years, regions and types.

Everything the pages link to is decided here: an agency's identity (its name normalised with
NFKC and without whitespace, so ``盐池县 科学技术局`` and ``盐池县科学技术局`` are one agency),
its filesystem-safe page folder, and which reports share an agency and year. Nothing here
renders or writes; every order is sorted so the site comes out the same on every build.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from gongkai.check.identity import NO_ALIASES, Aliases, identity
from gongkai.check.series import agency_key, check_series, same_numbers  # noqa: F401 (kept for callers)
from gongkai.model import Problem, Record, Region, Report
from gongkai.parse.region import region_of

_SPACE = re.compile(r"\s+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# Characters kept in a page folder name: CJK, letters, digits. Everything else becomes "-".
_UNSAFE = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SLUG_CHARS = 32  # readable part of a folder name; the hash keeps it unique
UNKNOWN_AGENCY = "（未能识别机关名称）"
UNKNOWN_REGION = "未能识别地区"


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(key: str, name: str | None = None) -> str:
    """A folder name for a key: safe characters only, bounded, and unique through a hash.

    ``a/b``, ``..``, ``\\`` and every other punctuation mark become ``-``; two keys that
    differ only in those marks still get different folders through the hash of the key.
    ``name``: the readable part when it is not the key itself (an identity's short name).
    """
    readable = _UNSAFE.sub("-", key if name is None else name).strip("-")[:SLUG_CHARS].strip("-")
    digest = short_hash(key)
    return f"{readable}-{digest}" if readable else f"x-{digest}"


def clean_text(text: str | None) -> str:
    """Report text without control characters (Markdown's placeholders use \\x02/\\x03)."""
    return _CONTROL.sub("", text or "")


def safe_title(text: str, limit: int = 120) -> str:
    """A page title for MkDocs/Material, which print it unescaped into <title> and the header.

    The characters that could start markup or an entity are replaced by their full-width
    forms, so a hostile agency name reads the same but cannot become HTML there.
    """
    table = {"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀", "\n": " "}
    return "".join(table.get(ch, ch) for ch in clean_text(text))[:limit]


@dataclass
class AgencyYear:
    """All reports of one agency for one year; more than one is a conflict shown on the page."""

    agency: Agency
    year: int | None
    reports: list[Report]
    series_problems: list[Problem] = field(default_factory=list)

    @property
    def record(self) -> Record:
        return self.reports[0].record

    @property
    def duplicated(self) -> bool:
        return len(self.reports) > 1

    @property
    def conflicting(self) -> bool:
        """Two or more reports whose numbers differ: no single figure can be published."""
        return not same_numbers([r.record for r in self.reports])

    @property
    def name(self) -> str:
        """The agency's name as this year's report prints it."""
        return clean_text(self.record.agency) or self.agency.name

    @property
    def year_part(self) -> str:
        return str(self.year) if self.year is not None else "unknown-year"

    @property
    def doc_path(self) -> str:
        return f"agencies/{self.agency.slug}/{self.year_part}.md"

    @property
    def json_docs(self) -> list[str]:
        """Each report's record as JSON: data/records/<agency>-<year>.json, -2, -3 … for duplicates."""
        base = f"data/records/{self.agency.slug}-{self.year_part}"
        return [
            f"{base}.json" if i == 0 else f"{base}-{i + 1}.json" for i in range(len(self.reports))
        ]

    @property
    def shown(self) -> list[Report]:
        """The reports whose numbers a page shows: one, unless the reports disagree."""
        return list(self.reports) if self.conflicting else self.reports[:1]

    @property
    def problems(self) -> list[Problem]:
        found = [p for r in self.reports for p in r.problems]
        return found + self.series_problems

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0


@dataclass
class Agency:
    key: str  # its identity (gongkai.check.identity): division code and name, or the name
    name: str  # as its latest report prints it
    slug: str
    region: Region | None
    agency_type: str | None
    years: dict[int | None, AgencyYear] = field(default_factory=dict)

    @property
    def doc_path(self) -> str:
        return f"agencies/{self.slug}/index.md"

    @property
    def region_doc(self) -> str:
        """The page of the most precise place known, or of 未能识别地区."""
        r = self.region
        code = (r.county_code or r.city_code or r.province_code) if r and r.province_code else None
        return f"generated/regions/{code or 'unknown'}.md"

    @property
    def type_doc(self) -> str:
        return type_doc(self.agency_type)

    @property
    def region_text(self) -> str:
        r = self.region
        if r is None:
            return UNKNOWN_REGION
        return " › ".join(x for x in (r.province, r.city, r.county) if x) or UNKNOWN_REGION

    def sorted_years(self) -> list[AgencyYear]:
        return [self.years[y] for y in sorted(self.years, key=_year_order)]

    def trend_years(self) -> list[AgencyYear]:
        """The years a trend over time draws (charts, indicators): the years known, and not
        those whose reports disagree."""
        return [ay for ay in self.sorted_years() if ay.year is not None and not ay.conflicting]


@dataclass
class Catalog:
    agencies: list[Agency]  # sorted by region code, then name

    def agency_years(self) -> list[AgencyYear]:
        return [ay for a in self.agencies for ay in a.sorted_years()]

    def reports(self) -> list[Report]:
        return [r for ay in self.agency_years() for r in ay.reports]

    def years(self) -> dict[int | None, list[AgencyYear]]:
        out: dict[int | None, list[AgencyYear]] = {}
        for ay in self.agency_years():
            out.setdefault(ay.year, []).append(ay)
        return {y: out[y] for y in sorted(out, key=_year_order)}

    def types(self) -> dict[str | None, list[Agency]]:
        out: dict[str | None, list[Agency]] = {}
        for a in self.agencies:
            out.setdefault(a.agency_type, []).append(a)
        return {t: out[t] for t in sorted(out, key=lambda t: (t is None, t or ""))}

    def provinces(self) -> list[RegionNode]:
        return region_tree(self.agencies)


def type_doc(agency_type: str | None) -> str:
    return f"generated/types/{slug(agency_type) if agency_type else 'unknown'}.md"


def year_doc(year: int | None) -> str:
    return f"generated/years/{year if year is not None else 'unknown'}.md"


def _year_order(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)


def build_catalog(reports: list[Report], aliases: Aliases = NO_ALIASES) -> Catalog:
    """Group reports by agency (:func:`gongkai.check.identity.identity`, with the
    maintainer's ``aliases``) and year, with each agency's cross-year problems
    (:func:`gongkai.check.check_series`) on its years; sorted, deterministic."""
    by_key: dict[str, Agency] = {}
    for report in sorted(reports, key=lambda r: r.path):
        record = report.record
        ident = identity(record.agency, aliases)
        key = ident.key
        if not key:
            # A report without an agency name is its own agency, named after its file.
            key = f"{UNKNOWN_AGENCY}{report.path}"
        agency = by_key.get(key)
        if agency is None:
            name = clean_text(record.agency) or UNKNOWN_AGENCY
            region, kind = record.region, record.agency_type
            if ident.division is not None and region is None and ident.aliased:
                # a name the parser could not place, placed through the aliases file
                region, kind = region_of(ident.division.code), kind or ident.rest
            agency = by_key[key] = Agency(key, name, slug(key, ident.short or None), region, kind)
        elif agency.region is None and record.region is not None:
            agency.region = record.region
        ay = agency.years.get(record.year)
        if ay is None:
            agency.years[record.year] = AgencyYear(agency, record.year, [report])
        else:
            ay.reports.append(report)
    agencies = sorted(by_key.values(), key=lambda a: (region_sort_key(a.region), a.key))
    for agency in agencies:
        years = agency.sorted_years()
        # the name its latest report prints (reports without a name keep the first one's)
        latest = [clean_text(ay.record.agency) for ay in years if ay.year is not None]
        agency.name = next((n for n in reversed(latest) if n), agency.name)
        found = check_series([r.record for ay in years for r in ay.reports])
        for ay in years:
            ay.series_problems = list(found.get(ay.year, [])) if ay.year is not None else []
    return Catalog(agencies)


def region_sort_key(region: Region | None) -> tuple[str, str, str]:
    if region is None:
        return ("~", "~", "~")
    return (region.province_code or "~", region.city_code or "~", region.county_code or "~")


@dataclass
class RegionNode:
    """A province, city or county with the agencies directly at that level."""

    level: str  # province | city | county | unknown
    code: str  # the division code, or "unknown"
    name: str
    agencies: list[Agency] = field(default_factory=list)
    children: list[RegionNode] = field(default_factory=list)

    @property
    def doc_path(self) -> str:
        return f"generated/regions/{self.code}.md"

    def total(self) -> int:
        return len(self.agencies) + sum(c.total() for c in self.children)

    def all_agencies(self) -> list[Agency]:
        return self.agencies + [a for c in self.children for a in c.all_agencies()]


def region_tree(agencies: list[Agency]) -> list[RegionNode]:
    """Provinces → cities → counties; agencies without a region under one 未能识别地区 node."""
    provinces: dict[str, RegionNode] = {}
    unknown = RegionNode("unknown", "unknown", UNKNOWN_REGION)
    for agency in agencies:
        r = agency.region
        if r is None or not r.province_code:
            unknown.agencies.append(agency)
            continue
        node = provinces.setdefault(
            r.province_code, RegionNode("province", r.province_code, r.province or "")
        )
        for level, code, name in (
            ("city", r.city_code, r.city),
            ("county", r.county_code, r.county),
        ):
            if not code:
                continue
            child = next((c for c in node.children if c.code == code), None)
            if child is None:
                child = RegionNode(level, code, name or "")
                node.children.append(child)
            node = child
        node.agencies.append(agency)
    out = [provinces[c] for c in sorted(provinces)]
    for node in out:
        _sort(node)
    if unknown.agencies:
        out.append(unknown)
    return out


def _sort(node: RegionNode) -> None:
    node.children.sort(key=lambda c: c.code)
    node.agencies.sort(key=lambda a: a.key)
    for child in node.children:
        _sort(child)
