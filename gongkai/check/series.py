"""Check stage: one agency's reports across years (carry-over XY-1, documents in force T2-X).

The one implementation of the cross-year checks, for the CLI and the site alike. The result
depends only on the set of records, never on their order: the records of one year are taken
together, and a year whose reports print different numbers is left out of every comparison
(no single figure of that year can be trusted), while identical copies count once. A
problem is attached to the later year of a pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai import layout
from gongkai.check.identity import NO_ALIASES, Aliases, identity, normalised
from gongkai.model import Problem, Record

_T3_COL = {c.key: c.label for c in layout.TABLE3_COLUMNS}

Number = int | float


def agency_key(name: str | None) -> str:
    """A name normalised: NFKC, control and format characters and whitespace removed
    (``盐池县 科学技术局`` and ``盐池县科学技术局`` are one name). An agency's identity across
    spellings is :func:`gongkai.check.identity.identity`."""
    return normalised(name)


def numbers(record: Record) -> tuple[Any, ...]:
    """What two reports of one agency-year must share to count as one set of numbers."""
    return (record.format, record.table2, record.table3, record.table4)


def same_numbers(records: Sequence[Record]) -> bool:
    first = numbers(records[0])
    return all(numbers(r) == first for r in records[1:])


def usable_years(records: Iterable[Record]) -> dict[int, Record]:
    """year → the record standing for it; years whose records disagree are left out."""
    by_year: dict[int, list[Record]] = {}
    for record in records:
        if record.year is not None:
            by_year.setdefault(record.year, []).append(record)
    return {year: group[0] for year, group in by_year.items() if same_numbers(group)}


@dataclass(frozen=True)
class CarryOver:
    """One column of 表三: last year's 结转下年度 against this year's 上年结转."""

    column: str
    before: Number | None  # previous year's carried_forward
    now: Number | None  # this year's carried_over

    @property
    def difference(self) -> Number | None:
        """this year's 上年结转 minus last year's 结转下年度, when both are printed"""
        return None if self.before is None or self.now is None else self.now - self.before

    @property
    def status(self) -> str:
        """ok, bad (they differ) or unknown (one of them is not printed)."""
        if self.before is None or self.now is None:
            return "unknown"
        return "ok" if self.before == self.now else "bad"


def _value(record: Record, table: str, row: str, col: str) -> Number | None:
    value = getattr(record, table).get(row, {}).get(col)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def carry_over(prev: Record, cur: Record, column: str) -> CarryOver:
    return CarryOver(
        column,
        _value(prev, "table3", "carried_forward", column),
        _value(cur, "table3", "carried_over", column),
    )


def check_series(records: Iterable[Record]) -> dict[int, list[Problem]]:
    """Problems per year for the records of ONE agency (see the module's text)."""
    years = usable_years(records)
    out: dict[int, list[Problem]] = {}
    for year in sorted(years):
        prev = years.get(year - 1)
        if prev is None:
            continue
        found = _carry_over_problems(prev, years[year], year) + _documents_problems(
            prev, years[year], year
        )
        if found:
            out[year] = found
    return out


def _carry_over_problems(prev: Record, cur: Record, year: int) -> list[Problem]:
    found = []
    for col, label in _T3_COL.items():
        c = carry_over(prev, cur, col)
        if c.status == "bad":
            found.append(
                Problem(
                    "XY-1",
                    "warning",
                    (f"table3.carried_over.{col}",),
                    f"表三“{label}”栏：{year} 年报告的上年结转为 {c.now} 件，"
                    f"但 {year - 1} 年报告的结转下年度继续办理为 {c.before} 件。",
                    c.now,
                    c.before,
                )
            )
    return found


def _documents_problems(prev: Record, cur: Record, year: int) -> list[Problem]:
    if not cur.format == prev.format == "F2021":
        return []
    found = []
    for row, label in (("regulations", "规章"), ("normative_docs", "行政规范性文件")):
        now, before = _value(cur, "table2", row, "valid"), _value(prev, "table2", row, "valid")
        issued, repealed = (
            _value(cur, "table2", row, "issued"),
            _value(cur, "table2", row, "repealed"),
        )
        if now is None or before is None or issued is None or repealed is None:
            continue
        expected = before + issued - repealed
        if now != expected:
            found.append(
                Problem(
                    "T2-X",
                    "info",
                    (f"table2.{row}.valid",),
                    f"表二“{label}”：{year} 年现行有效 {now} 件，而上年现行有效 {before} 件"
                    f"加本年制发 {issued} 件减本年废止 {repealed} 件为 {expected} 件（修订、清理可能导致差异）。",
                    now,
                    expected,
                )
            )
    return found


def series_problems(
    records: Sequence[Record], aliases: Aliases = NO_ALIASES
) -> list[tuple[Problem, ...]]:
    """For records of any agencies, in any order: each record's cross-year problems (those of
    its agency and year, the agency known by its :func:`~gongkai.check.identity.identity`),
    in the records' order."""
    by_agency: dict[str, list[Record]] = {}
    keys = [identity(r.agency, aliases).key for r in records]
    for key, record in zip(keys, records, strict=True):
        if key:
            by_agency.setdefault(key, []).append(record)
    found = {key: check_series(group) for key, group in by_agency.items()}
    return [
        tuple(found.get(key, {}).get(r.year, ())) if r.year is not None else ()
        for key, r in zip(keys, records, strict=True)
    ]
