"""Does the site's chart SVG show the picture vl-convert drew? Headless Chromium paints both
and the pixels are compared (issue 12, site size: the published SVG is rewritten flat,
gongkai/site/chart_svg.py).

    python scripts/chart_pixels.py                 # a varied set of charts, drawn here
    python scripts/chart_pixels.py RAW_DIR         # charts as vl-convert drew them (*.svg)

For each chart it compares vl-convert's drawing with (a) what the site publishes of it
(``charts.compact_svg``: flattened, coordinates to 0.01 px), (b) the flattening alone
(coordinates kept to 1e-9 px) and (c) what the site published before the flattening
(``charts.stripped_svg``), at device scales 1 and 2, and prints the mean bytes and, per
comparison, how many charts differ, by how many pixels, and by how much at most (of 255).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from browser_support import chromium  # noqa: E402

# Both drawings go through <img> onto canvases of the chart's size times the scale, on white;
# for each pair: [pixels where a channel differs, the largest difference of a channel].
COMPARE = r"""
async ([pairs, scale]) => {
  const load = (src) => new Promise((ok, fail) => {
    const img = new Image(); img.onload = () => ok(img); img.onerror = fail; img.src = src;
  });
  const paint = (img, w, h) => {
    const c = document.createElement("canvas"); c.width = w; c.height = h;
    const g = c.getContext("2d"); g.fillStyle = "#fff"; g.fillRect(0, 0, w, h);
    g.drawImage(img, 0, 0, w, h); return g.getImageData(0, 0, w, h).data;
  };
  const out = [];
  for (const [a, b] of pairs) {
    const [x, y] = await Promise.all([load(a), load(b)]);
    if (x.naturalWidth !== y.naturalWidth || x.naturalHeight !== y.naturalHeight) {
      out.push([-1, 255]); continue;
    }
    const w = x.naturalWidth * scale, h = x.naturalHeight * scale;
    const p = paint(x, w, h), q = paint(y, w, h);
    let differ = 0, most = 0;
    for (let i = 0; i < p.length; i += 4) {
      const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]),
                         Math.abs(p[i + 2] - q[i + 2]));
      if (d) differ++;
      if (d > most) most = d;
    }
    out.push([differ, most]);
  }
  return out;
}
"""


def data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def compare(
    pairs: Sequence[tuple[str, str]], scales: Sequence[int] = (1, 2), batch: int = 40
) -> dict[int, list[tuple[int, int]]]:
    """Per device scale, for each (svg, svg) pair as Chromium paints them: (pixels that
    differ, largest difference of a channel out of 255); (-1, 255) when the sizes differ."""
    out: dict[int, list[tuple[int, int]]] = {scale: [] for scale in scales}
    with tempfile.TemporaryDirectory() as profile, chromium(Path(profile)) as context:
        page = context.new_page()
        page.set_content("<!doctype html><title>charts</title>")
        for start in range(0, len(pairs), batch):
            urls = [[data_url(a), data_url(b)] for a, b in pairs[start : start + batch]]
            for scale in scales:
                out[scale] += [tuple(r) for r in page.evaluate(COMPARE, [urls, scale])]
        page.close()
    return out


def varied_specs() -> dict[str, dict[str, Any]]:
    """The kinds of chart the site draws, with the cases that shape their SVG: long and
    two-line labels, a legend, a turned axis title, one small count, big numbers whose axis
    labels Vega hides where they would overlap, bars of 0."""
    from gongkai.site import charts, figures

    applicants = [label for _, label in figures.APPLICANTS]
    outcomes = [label for _, label in figures.OUTCOME_GROUPS]
    names = [figures.OUTCOME_NAMES[k] for k, _ in figures.OUTCOME_GROUPS]
    t4_rows = [label for _, label in figures.T4_GROUPS]
    t4_cols = [label for _, label in figures.T4_OUTCOMES]
    years = ["2020", "2021", "2022", "2023", "2024"]
    provinces = ["北京市", "浙江省", "四川省", "宁夏回族自治区", "甘肃省", "广东省", "其他"]
    return {
        "applicants": charts.bar_spec(
            "本年新收申请 · 按申请人", "件", list(zip(applicants, [35, 4, 0, 0, 2, 3], strict=True))
        ),
        "applicants_one": charts.bar_spec(
            "本年新收申请 · 按申请人", "件", list(zip(applicants, [1, 0, 0, 0, 0, 0], strict=True))
        ),
        "outcomes_big": charts.bar_spec(
            "本年度办理结果（总计栏）",
            "件",
            list(zip(outcomes, [123456, 7890, 12, 0, 345, 6], strict=True)),
        ),
        "review_two_lines": charts.stacked_spec(
            "行政复议、行政诉讼结果",
            "件",
            [
                (r, c, (i + 1) * (j + 2) % 5)
                for i, r in enumerate(t4_rows)
                for j, c in enumerate(t4_cols)
            ],
            t4_cols,
            charts.T4_COLORS,
        ),
        "trend_outcomes": charts.stacked_spec(
            "历年办理结果",
            "件",
            [
                (y, s, (i * 7 + j * 3) % 11)
                for i, y in enumerate(years)
                for j, s in enumerate(names)
            ],
            names,
            charts.OUTCOME_COLORS,
            horizontal=False,
        ),
        "trend_received": charts.bar_spec(
            "历年新收申请", "件", list(zip(years, [3, 0, 17, 250, 9], strict=True))
        ),
        "groups_by_year": charts.stacked_spec(
            "各年度新收申请：按省份（只加已填写的报告）",
            "件",
            [
                (y, p, (i + 2) * (j + 5) * 37)
                for i, y in enumerate(years)
                for j, p in enumerate(provinces)
            ],
            provinces,
            charts.GROUP_COLORS,
            horizontal=False,
        ),
        "listing_outcomes": charts.bar_spec(
            "办理结果（加总一致的报告，总计栏相加）",
            "件",
            list(zip(outcomes, [463, 130, 110, 379, 131, 109], strict=True)),
        ),
    }


def drawn(specs: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each spec as vl-convert draws it (the SVG before the site compacts it)."""
    import vl_convert

    from gongkai.site import charts

    charts.register_fonts()
    return {name: vl_convert.vegalite_to_svg(spec) for name, spec in specs.items()}


def report(label: str, names: Sequence[str], results: dict[int, list[tuple[int, int]]]) -> None:
    for scale, found in results.items():
        differ = [(n, most, name) for (n, most), name in zip(found, names, strict=True) if n]
        worst = sorted(differ, key=lambda d: (d[1], d[0]), reverse=True)[:3]
        print(
            f"  {label}, scale {scale}: {len(differ)} of {len(names)} charts differ, "
            f"{sum(max(n, 0) for n, _, _ in differ)} pixels in all, at most "
            f"{max((n for n, _, _ in differ), default=0)} in one chart; largest difference "
            f"{max((m for _, m, _ in differ), default=0)}/255"
            + (f" (e.g. {worst})" if worst else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path, nargs="?", help="charts as vl-convert drew them")
    args = parser.parse_args()
    from gongkai.site import charts
    from gongkai.site.chart_svg import flat_svg

    if args.raw:
        files = sorted(args.raw.glob("*.svg"))
        raw = {p.name: p.read_text("utf-8") for p in files}
    else:
        raw = drawn(varied_specs())
    names = list(raw)
    published = [charts.compact_svg(s) for s in raw.values()]
    exact = [flat_svg(s, digits=9) or s for s in raw.values()]
    before = [charts.stripped_svg(s) for s in raw.values()]
    kept = sum(flat_svg(s) is None for s in raw.values())
    sizes = {"vl-convert": list(raw.values()), "before (stripped)": before, "published": published}
    mean = {k: statistics.mean(len(s.encode()) for s in v) for k, v in sizes.items()}
    print(
        f"{len(names)} charts ({kept} not flattened); mean bytes: "
        + ", ".join(f"{k} {v:.0f}" for k, v in mean.items())
    )
    for label, other in [
        ("published (0.01 px)", published),
        ("flattened (1e-9 px)", exact),
        ("before (stripped, 0.01 px)", before),
    ]:
        report(
            f"vl-convert vs {label}", names, compare(list(zip(raw.values(), other, strict=True)))
        )
    report("before vs published", names, compare(list(zip(before, published, strict=True))))


if __name__ == "__main__":
    main()
