"""Publish stage: the charts, as Altair specs rendered to SVG at build time by vl-convert.

Each :class:`Figure` carries the chart spec *and* the table of the same numbers, so a page
always prints what a chart draws. A null value is left out of the chart and named in the
figure's note, never drawn as 0; a chart whose values are all 0, or all null, is not drawn.
Rendered SVGs are cached by the hash of their spec. This is the only module importing altair
and vl_convert.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import altair as alt
from lxml import etree

from gongkai.cache import chart_version
from gongkai.model import Record
from gongkai.site import figures
from gongkai.site.chart_svg import flat_svg
from gongkai.site.figures import Number

FONT = (
    '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",'
    '"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif'
)
FONT_DIRS = ("/usr/share/fonts/truetype/wqy", "/usr/share/fonts/opentype/noto")
# The chart's plot area and text: shown at its own size on a desktop (≈ 380 px with its labels)
# and shrunk by at most ~5 % in a 390 px phone's column, its text stays as large as the table
# text beside it (15 px against 14.4 px; the browser tests compare them).
WIDTH = 220
FONT_SIZE = 15
TITLE_SIZE = 16
BAR_COLOR = "#3f51b5"
OUTCOME_COLORS = ("#2e7d32", "#81c784", "#c62828", "#ef6c00", "#757575", "#6a1b9a")
T4_COLORS = ("#2e7d32", "#c62828", "#757575", "#f9a825")
PARALLEL_FROM = 40  # fewer uncached charts than this render in this process


@dataclass(frozen=True)
class Figure:
    """A chart and its table: ``rows`` hold every value (null included) as the table shows it."""

    name: str
    title: str
    unit: str
    header: tuple[str, ...]  # the table's column headings, the first one for the row labels
    rows: tuple[tuple[str, tuple[Number | None, ...]], ...]
    omitted: tuple[str, ...]  # "2021 · 不予公开": values left out of the chart because null
    spec: dict[str, Any] | None  # Vega-Lite; None when there is nothing to draw
    note: str | None = None  # why there is no chart

    @cached_property
    def key(self) -> str | None:  # asked for by the page, the collector and the renderer
        return spec_hash(self.spec) if self.spec is not None else None


def spec_hash(spec: dict[str, Any]) -> str:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False) + chart_version()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- the specs --------------------------------------------------------------------------


def _finish(chart: Any, title: str) -> Any:
    chart = chart.properties(title=alt.Title(title, anchor="start", fontSize=TITLE_SIZE))
    chart = chart.configure(font=FONT, padding={"left": 4, "right": 24, "top": 4, "bottom": 4})
    chart = chart.configure_legend(labelFontSize=FONT_SIZE, symbolSize=120)
    return chart.configure_view(stroke=None).configure_axis(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE
    )


def _tick_count(largest: Number) -> int:
    """Whole-number ticks: Vega would put a tick at 0.5 for a count of 1."""
    return int(max(1, min(5, largest)))


def _axis(largest: Number) -> alt.Axis:
    return alt.Axis(tickCount=_tick_count(largest), format=",d")


def bar_values(points: Sequence[tuple[str, Number]]) -> list[dict[str, Any]]:
    return [{"label": label, "value": value} for label, value in points]


def bar_chart(title: str, unit: str, points: Sequence[tuple[str, Number]]) -> alt.LayerChart:
    """Horizontal bars with their values printed at the end (labels stay readable on a phone)."""
    data = alt.Data(values=bar_values(points))
    largest = max((v for _, v in points), default=1)
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=180)),
        x=alt.X("value:Q", title=unit, axis=_axis(largest)),
        tooltip=[alt.Tooltip("label:N", title="项目"), alt.Tooltip("value:Q", title=unit)],
    )
    bars = base.mark_bar(color=BAR_COLOR)
    text = base.mark_text(align="left", dx=3, fontSize=FONT_SIZE).encode(
        text=alt.Text("value:Q", format=",")
    )
    return _finish(alt.layer(bars, text).properties(width=WIDTH), title)


def stacked_chart(
    title: str,
    unit: str,
    points: Sequence[tuple[str, str, Number]],
    series: Sequence[str],
    colors: Sequence[str],
    horizontal: bool = True,
) -> alt.Chart:
    """Stacked bars: one bar per label, one colour per series (legend below, in table order)."""
    data = alt.Data(values=stacked_values(points, series))
    labels, largest = _labels_and_largest(points)
    axis = _axis(largest)
    value: alt.X | alt.Y = alt.X("value:Q", title=unit, stack="zero", axis=axis)
    # a two-level label ("行政诉讼 › 未经复议直接起诉") on two lines, beside a taller bar
    two_lines = any(SUBLABEL in a for a in labels)
    label_axis = alt.Axis(labelLimit=180)
    if two_lines:
        label_axis = alt.Axis(labelLimit=180, labelExpr=f"split(datum.label, '{SUBLABEL}')")
    label: alt.X | alt.Y = alt.Y("label:N", sort=labels, title=None, axis=label_axis)
    if not horizontal:
        value = alt.Y("value:Q", title=unit, stack="zero", axis=axis)
        label = alt.X("label:N", sort=labels, title=None, axis=alt.Axis(labelAngle=0))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            value,
            label,
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(series), range=list(colors)),
                # long series names ("行政诉讼 › 未经复议直接起诉") one per line, never cut
                legend=alt.Legend(
                    orient="bottom",
                    columns=_legend_columns(series),
                    labelLimit=400,
                ),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="项目"),
                alt.Tooltip("series:N", title="类别"),
                alt.Tooltip("value:Q", title=unit),
            ],
        )
    )
    size: dict[str, Any] = {"width": WIDTH}
    if horizontal and two_lines:
        size["height"] = alt.Step(2 * FONT_SIZE + 8)
    if not horizontal:
        size = {"width": alt.Step(36), "height": 180}
    return _finish(chart.properties(**size), title)


SUBLABEL = " › "  # between the levels of a row label (layout's "行政诉讼 › 复议后起诉")


def _legend_columns(series: Sequence[str]) -> int:
    return 2 if max(map(len, series), default=0) <= 5 else 1


def stacked_values(
    points: Sequence[tuple[str, str, Number]], series: Sequence[str]
) -> list[dict[str, Any]]:
    order = {s: i for i, s in enumerate(series)}
    return [{"label": a, "series": s, "value": v, "order": order[s]} for a, s, v in points]


def _labels_and_largest(points: Sequence[tuple[str, str, Number]]) -> tuple[list[str], Number]:
    labels: list[str] = []
    totals: dict[str, Number] = {}
    for a, _, v in points:
        if a not in labels:
            labels.append(a)
        totals[a] = totals.get(a, 0) + v
    return labels, max(totals.values(), default=1)


# Building and validating an Altair chart costs ~40 ms; thousands of reports share a handful
# of chart shapes. So each shape is built once with Altair (validated) and only the data
# differs: the result is exactly ``bar_chart(...).to_dict()`` (tested), 1000× faster.


@lru_cache(maxsize=256)
def _bar_template(title: str, unit: str, ticks: int) -> str:
    return json.dumps(bar_chart(title, unit, [("", ticks)]).to_dict(), ensure_ascii=False)


@lru_cache(maxsize=1024)
def _stacked_template(
    title: str,
    unit: str,
    labels: tuple[str, ...],
    ticks: int,
    series: tuple[str, ...],
    colors: tuple[str, ...],
    horizontal: bool,
) -> str:
    points = [(a, series[0], ticks if i == 0 else 0) for i, a in enumerate(labels)]
    chart = stacked_chart(title, unit, points, series, colors, horizontal)
    return json.dumps(chart.to_dict(), ensure_ascii=False)


def bar_spec(title: str, unit: str, points: Sequence[tuple[str, Number]]) -> dict[str, Any]:
    largest = max((v for _, v in points), default=1)
    spec = json.loads(_bar_template(title, unit, _tick_count(largest)))
    spec["data"] = {"values": bar_values(points)}
    return spec


def stacked_spec(
    title: str,
    unit: str,
    points: Sequence[tuple[str, str, Number]],
    series: Sequence[str],
    colors: Sequence[str],
    horizontal: bool = True,
) -> dict[str, Any]:
    labels, largest = _labels_and_largest(points)
    template = _stacked_template(
        title, unit, tuple(labels), _tick_count(largest), tuple(series), tuple(colors), horizontal
    )
    spec = json.loads(template)
    spec["data"] = {"values": stacked_values(points, series)}
    return spec


def _simple(
    name: str, title: str, unit: str, head: str, items: Sequence[tuple[str, Number | None]]
) -> Figure:
    known = [(label, v) for label, v in items if v is not None]
    omitted = tuple(label for label, v in items if v is None)
    rows = tuple((label, (v,)) for label, v in items)
    spec, note = None, _no_chart_note(known, omitted)
    if note is None:
        spec = bar_spec(title, unit, known)
    return Figure(name, title, unit, (head, unit), rows, omitted, spec, note)


def _stacked(
    name: str,
    title: str,
    unit: str,
    head: str,
    table: Sequence[tuple[str, Sequence[Number | None]]],
    series: Sequence[str],
    colors: Sequence[str],
    horizontal: bool = True,
) -> Figure:
    known = [
        (a, s, v) for a, vals in table for s, v in zip(series, vals, strict=True) if v is not None
    ]
    omitted = tuple(
        f"{a} · {s}" for a, vals in table for s, v in zip(series, vals, strict=True) if v is None
    )
    rows = tuple((a, tuple(vals)) for a, vals in table)
    spec, note = None, _no_chart_note([(a, v) for a, _, v in known], omitted)
    if note is None:
        spec = stacked_spec(title, unit, known, series, colors, horizontal)
    return Figure(name, title, unit, (head, *series), rows, omitted, spec, note)


def _no_chart_note(known: Sequence[tuple[str, Number]], omitted: Sequence[str]) -> str | None:
    if not known:
        return "各项均未填写或无法可靠读取，未绘图。"
    if all(v == 0 for _, v in known):
        if omitted:  # a blank is not 0: "各项均为 0" would say it is
            return "已填写的各项均为 0，其余未填写或无法可靠读取，未绘图。"
        return "各项均为 0，未绘图。"
    return None


# -- the figures of one report ----------------------------------------------------------------


def applicants(record: Record) -> Figure:
    items = [
        (label, figures.cell(record, "table3", "new_received", key))
        for key, label in figures.APPLICANTS
    ]
    return _simple("applicants", "本年新收申请 · 按申请人", "件", "申请人", items)


def outcomes(record: Record) -> Figure:
    items = [(label, figures.outcome(record, key)) for key, label in figures.OUTCOME_GROUPS]
    return _simple("outcomes", "本年度办理结果（总计栏）", "件", "办理结果", items)


def review_litigation(record: Record) -> Figure:
    table = [
        (label, [figures.cell(record, "table4", g, c) for c, _ in figures.T4_OUTCOMES])
        for g, label in figures.T4_GROUPS
    ]
    series = [label for _, label in figures.T4_OUTCOMES]
    return _stacked(
        "review_litigation", "行政复议、行政诉讼结果", "件", "类别", table, series, T4_COLORS
    )


def report_figures(record: Record) -> list[Figure]:
    return [applicants(record), outcomes(record), review_litigation(record)]


# -- across years ------------------------------------------------------------------------------


def _one_year(fig: Figure, years: Sequence[tuple[str, Record]]) -> Figure:
    """A trend needs two years; with one, the table says it all."""
    if len(years) >= 2 or fig.spec is None:
        return fig
    return replace(fig, spec=None, note="只有一个年度的报告，不绘制趋势图。")


def trend_received(years: Sequence[tuple[str, Record]]) -> Figure:
    items = [(y, figures.cell(r, "table3", "new_received", "total")) for y, r in years]
    return _one_year(
        _simple("trend_received", "历年新收申请", "件", "年度", items),
        years,
    )


def trend_outcomes(years: Sequence[tuple[str, Record]]) -> Figure:
    series = [figures.OUTCOME_NAMES[k] for k, _ in figures.OUTCOME_GROUPS]
    table = [(y, [figures.outcome(r, k) for k, _ in figures.OUTCOME_GROUPS]) for y, r in years]
    return _one_year(
        _stacked(
            "trend_outcomes", "历年办理结果", "件", "年度", table, series, OUTCOME_COLORS, False
        ),
        years,
    )


def trend_review_litigation(years: Sequence[tuple[str, Record]]) -> Figure:
    series = [label for _, label in figures.T4_GROUPS]
    table = [
        (y, [figures.cell(r, "table4", g, "total") for g, _ in figures.T4_GROUPS]) for y, r in years
    ]
    colors = ("#3f51b5", "#ef6c00", "#6a1b9a")
    return _one_year(
        _stacked(
            "trend_review",
            "历年行政复议、行政诉讼（总计）",
            "件",
            "年度",
            table,
            series,
            colors,
            False,
        ),
        years,
    )


def national_by_year(
    title: str, name: str, unit: str, items: Sequence[tuple[str, Number | None]]
) -> Figure:
    return _simple(name, title, unit, "年度", items)


GROUP_COLORS = ("#3f51b5", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#9e9e9e")


def groups_by_year(
    name: str,
    title: str,
    table: Sequence[tuple[str, Sequence[Number | None]]],
    series: Sequence[str],
) -> Figure:
    """A count per year, stacked by group (province, agency type): the 指标 page's charts."""
    colors = GROUP_COLORS[: len(series)]
    return _stacked(name, title, "件", "年度", table, series, colors, False)


def national_outcomes(items: Sequence[tuple[str, Number | None]]) -> Figure:
    return _simple(
        "national_outcomes", "办理结果（加总一致的报告，总计栏相加）", "件", "办理结果", items
    )


def listing_outcomes(items: Sequence[tuple[str, Number | None]]) -> Figure:
    """A year's, a type's reports: their outcomes added up (the reports that add up)."""
    return _simple(
        "listing_outcomes", "办理结果（加总一致的报告，总计栏相加）", "件", "办理结果", items
    )


# -- rendering ----------------------------------------------------------------------------------


def register_fonts() -> None:
    """Chinese label widths are measured with a real CJK font when the machine has one."""
    import vl_convert

    for font_dir in FONT_DIRS:
        if os.path.isdir(font_dir):
            vl_convert.register_font_directory(font_dir)


# Thousands of charts share a few hundred shapes (a spec without its data): each process
# compiles a shape from Vega-Lite to Vega once and then only swaps the data in, ~10 % of the
# drawing time. The SVG is the same byte for byte (tested).
_VEGA: dict[str, dict[str, Any]] = {}
_DATA = "gk_values"


def render_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    data = spec.get("data")
    if not (isinstance(data, dict) and set(data) == {"values"}):
        return compact_svg(vl_convert.vegalite_to_svg(spec))
    shape = {k: v for k, v in spec.items() if k != "data"}
    key = json.dumps(shape, sort_keys=True, ensure_ascii=False)
    vega = _VEGA.get(key)
    if vega is None:
        if len(_VEGA) > 4096:
            _VEGA.clear()
        vega = _VEGA[key] = vl_convert.vegalite_to_vega({**shape, "data": {"name": _DATA}})
    datasets = [
        {**d, "values": data["values"]} if d.get("name") == _DATA else d for d in vega["data"]
    ]
    return compact_svg(vl_convert.vega_to_svg({**vega, "data": datasets}))


# Shown through <img>, an SVG's ARIA attributes, classes and pointer events do nothing (the
# <img> carries the alt text); the font stack on every <text> is a third of the file.
_USELESS = re.compile(r'\s(?:aria-[a-z]+|role|class|pointer-events|font-family)="[^"]*"')


def compact_svg(svg: str) -> str:
    """The same picture in about 40 % of the bytes, flattened (:func:`chart_svg.flat_svg`);
    a drawing holding what that does not know keeps its elements (:func:`stripped_svg`)."""
    flat = flat_svg(svg)
    return flat if flat is not None else stripped_svg(svg)


def stripped_svg(svg: str) -> str:
    """The same drawing in about half the bytes: one font rule instead of one per label, and
    the attributes that do nothing in an ``<img>`` left out."""
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        return svg
    font = FONT.replace('"', "'")
    rest = _ATTR.sub(_short_attr, _USELESS.sub("", rest))
    return f"{_USELESS.sub('', head)}><style>text{{font-family:{font}}}</style>{rest}"


# Coordinates come out of Vega as 17.499999999999996 or 159.2857142857143: two decimals are a
# hundredth of a pixel. Only attribute values are rounded (never a label's text). Dropped:
# an opacity of 1 (the default; opacity is not inherited), a translate by (0,0), Vega's
# empty group backgrounds (a path of no area, no fill) and hidden empty paths.
_ATTR = re.compile(
    r'( opacity="1"| transform="translate\(0,0\)"|<path d="M0,0h0v0h0Z"/>|<path d="" display="none"/>)'
    r'|="([^"]*)"'
)
_DECIMALS = re.compile(r"(-?\d+\.\d{3,})")


def _round(m: re.Match[str]) -> str:
    text = f"{float(m.group(1)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _short_attr(m: re.Match[str]) -> str:
    if m.group(1):
        return ""
    return f'="{_DECIMALS.sub(_round, m.group(2))}"'


def _render_batch(items: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [(key, render_svg(spec)) for key, spec in items]


def svg_checks_out(data: bytes) -> bool:
    """A chart file as :func:`render_svg` writes it: UTF-8, one well-formed ``<svg>``
    element. A truncated file (a kill, a full disk) or garbage (a damaged cache restored by
    CI) is not, and is drawn again instead of being published as an empty chart."""
    if not data.startswith(b"<svg") or not data.rstrip().endswith(b"</svg>"):
        return False
    try:
        data.decode("utf-8")
        root = etree.fromstring(data, parser=_SVG_PARSER)
    except (UnicodeDecodeError, etree.XMLSyntaxError):
        return False
    return root is not None and etree.QName(root).localname == "svg"


_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def cached_svg(path: Path) -> str | None:
    """The chart cached at ``path`` if it is there and checks out (:func:`svg_checks_out`)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8") if svg_checks_out(data) else None


class Renderer:
    """Draws charts while the pages are still being assembled.

    Each spec not yet in ``cache_dir`` is queued when a page first asks for it; once
    ``PARALLEL_FROM`` are waiting, a process pool starts drawing them in batches, so the
    pool renders while this process goes on with the pages. ``finish`` waits and returns
    the SVG of every spec added (cached or drawn) and stores the new ones in the cache.
    """

    def __init__(self, cache_dir: Path | None, workers: int = 1, batch: int = 8) -> None:
        self.cache_dir = cache_dir
        self.workers = workers
        self.batch = batch
        self.seen: set[str] = set()
        self.cached: dict[str, str] = {}
        self.damaged = 0  # cached charts that did not check out (drawn again)
        self.queue: list[tuple[str, dict[str, Any]]] = []
        self.futures: list[Any] = []
        self.sizes: list[int] = []  # charts in each future's batch
        self.pool: ProcessPoolExecutor | None = None
        self.drawn = 0

    def add(self, key: str, spec: dict[str, Any]) -> None:
        if key in self.seen:
            return
        self.seen.add(key)
        if self.cache_dir is not None:
            svg = cached_svg(self.cache_dir / f"{key}.svg")
            if svg is not None:
                self.cached[key] = svg
                return
            if (self.cache_dir / f"{key}.svg").exists():
                self.damaged += 1
        self.queue.append((key, spec))
        if self.pool is None and self.workers > 1 and len(self.queue) >= PARALLEL_FROM:
            # "spawn": a forked child inherits vl-convert's runtime threads' locks (held, in a
            # process that already drew a chart: mkdocs serve, tests) and would wait forever
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=register_fonts,
            )
        if self.pool is not None and len(self.queue) >= self.batch:
            self._submit()

    def _submit(self) -> None:
        assert self.pool is not None
        self.futures.append(self.pool.submit(_render_batch, self.queue))
        self.sizes.append(len(self.queue))
        self.queue = []

    def finish(self, progress: Callable[[int, int], None] | None = None) -> dict[str, str]:
        """The SVG of every chart added; ``progress(drawn, to_draw)`` is told as batches are
        drawn."""
        out: dict[str, str] = dict(self.cached)
        if self.pool is not None:
            if self.queue:
                self._submit()
            batches, drawn, total = [], 0, sum(self.sizes)
            try:
                for future, size in zip(self.futures, self.sizes, strict=True):
                    batches.append(future.result())
                    drawn += size
                    if progress is not None:
                        progress(drawn, total)
            finally:
                self.pool.shutdown()
                self.pool = None
        else:
            if self.queue:
                register_fonts()
            batches = []
            for start in range(0, len(self.queue), self.batch):
                batches.append(_render_batch(self.queue[start : start + self.batch]))
                if progress is not None:
                    progress(start + len(batches[-1]), len(self.queue))
        self.queue, self.futures, self.sizes = [], [], []
        for batch in batches:
            for key, svg in batch:
                out[key] = svg
                self.drawn += 1
                if self.cache_dir is not None:
                    self.cache_dir.mkdir(parents=True, exist_ok=True)
                    tmp = self.cache_dir / f".{key}.svg.{os.getpid()}.tmp"
                    tmp.write_text(svg, encoding="utf-8")
                    tmp.replace(self.cache_dir / f"{key}.svg")
        return out

    def close(self) -> None:
        """Stop the pool without waiting for queued charts (after an error elsewhere)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def render_all(
    specs: dict[str, dict[str, Any]], cache_dir: Path | None, workers: int = 1
) -> dict[str, str]:
    """SVG for every spec, by hash: from the cache when there, else rendered (in parallel)."""
    renderer = Renderer(cache_dir, workers)
    for key in sorted(specs):
        renderer.add(key, specs[key])
    return renderer.finish()
