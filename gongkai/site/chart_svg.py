"""Publish stage: a chart's SVG as vl-convert draws it, rewritten flat: the same picture in
about 40 % of the bytes (issue 12, site size).

Vega puts every mark in a ``<g>`` of its own inside four more, each moved by a ``translate``,
and repeats the font stack, size and colour on every label and the stroke on every grid line.
Shown through ``<img>``, the groups, classes and ARIA attributes do nothing (the ``<img>``
carries the alt text). So the drawing is written again in the same paint order with the
translations added up: each run of lines, or of bars of one colour, becomes one ``<path>``;
the font and the most common size are said once, on the ``<svg>`` (a label's own attribute
overrides them as it overrides any inherited value); a run of labels alike shares one ``<g>``
of what they have in common; and what draws nothing is left out: an empty or hidden path, a
path with no fill and no stroke (a frame's background), a bar of no width or height, a label
of opacity 0 (Vega hides labels that would overlap so).

Chromium paints the result as it paints Vega's drawing, pixel for pixel but for edge pixels a
few 255ths apart (``scripts/chart_pixels.py`` measures it, a browser test checks it). Two
habits of Chromium's shape how things are written: it adds up a path's relative steps in
single precision, so a bar's edges are absolute numbers, as Vega's transforms make them; and
it lays a label's ``x`` and ``y`` on a 1/64 px grid, so a label keeps a ``translate`` unless
it starts at its point (``text-anchor`` start) on that grid.

Only what Vega draws for our charts is known here: groups moved by a translation, paths of
one rectangle, lines, and text (with tspans). Anything else makes :func:`flat_svg` return
``None``, and the caller keeps the drawing as it was (a test checks that every kind of chart
the site draws is flattened).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

_NUMBER = r"(-?[\d.]+(?:e[-+]?\d+)?)"
_TRANSLATE = re.compile(rf"translate\({_NUMBER},{_NUMBER}\)")
_RECT = re.compile(rf"M{_NUMBER},{_NUMBER}h{_NUMBER}v{_NUMBER}h{_NUMBER}Z")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# Attributes that do nothing in an <img>; lines and rectangles have no joins to limit.
_INERT = frozenset({"class", "role", "pointer-events", "stroke-miterlimit"})
_PAINT = frozenset({"fill", "stroke", "stroke-width"})
_TEXT = frozenset({"text-anchor", "font-family", "font-size", "font-weight", "fill"})
# What a label is when it does not say: SVG's initial values (the root names its font).
_TEXT_DEFAULTS = {"fill": "#000", "font-weight": "normal", "text-anchor": "start"}
_BLACK = ("black", "#000", "#000000")


class Unknown(Exception):
    """The drawing holds something this module does not rewrite."""


def rounded(digits: int = 2) -> Callable[[float], str]:
    """A coordinate to ``digits`` decimals in its shortest form (0.50 → ".5"): two decimals
    are a hundredth of a pixel."""

    def number(value: float) -> str:
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        if text in ("-0", ""):
            return "0"
        if text.startswith(("0.", "-0.")):
            return text.replace("0.", ".", 1)
        return text

    return number


@dataclass
class _Shapes:
    """A run of lines or bars painted alike: one path."""

    paint: dict[str, str]
    d: list[str] = field(default_factory=list)


@dataclass
class _Text:
    attrs: dict[str, str]  # its paint and font, not its position
    x: str
    y: str
    body: str  # the text or its tspans, as XML
    turn: str = ""  # what its transform does after the translation (a rotation)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _attrs(el: etree._Element) -> dict[str, str]:
    return {
        str(k): str(v)
        for k, v in el.attrib.items()
        if k not in _INERT and not str(k).startswith("aria-")
    }


def _translation(attrs: dict[str, str]) -> tuple[float, float, str]:
    """(dx, dy, what follows) of ``transform="translate(dx,dy) ..."``, taken out of attrs."""
    transform = attrs.pop("transform", "")
    if not transform:
        return 0.0, 0.0, ""
    m = _TRANSLATE.match(transform)
    if m is None:
        raise Unknown(transform)
    return float(m.group(1)), float(m.group(2)), transform[m.end() :].strip()


def _visible(attrs: dict[str, str]) -> bool:
    """False for opacity 0, taken out of attrs; an opacity in between is not known here."""
    opacity = attrs.pop("opacity", "1")
    if opacity not in ("0", "1"):
        raise Unknown(f"opacity {opacity}")
    return opacity == "1"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr_text(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{_escape(v).replace(chr(34), "&quot;")}"' for k, v in attrs.items())


class _Flattener:
    """Walks Vega's drawing and keeps what it paints, in order, at absolute coordinates."""

    def __init__(self, number: Callable[[float], str]) -> None:
        self.num = number
        self.items: list[_Shapes | _Text | str] = []

    def walk(self, el: etree._Element, x: float, y: float, inherited: dict[str, str]) -> None:
        tag = _local(el)
        attrs = _attrs(el)
        dx, dy, turn = _translation(attrs)
        if tag == "text":
            self.text(el, attrs, (x + dx, y + dy), turn, inherited)
            return
        if turn:
            raise Unknown(f"{tag} transform {turn}")
        if tag == "g":
            if set(attrs) - _PAINT:
                raise Unknown(f"group attributes {sorted(attrs)}")
            for child in el:
                self.walk(child, x + dx, y + dy, {**inherited, **attrs})
        elif tag == "path":
            self.path(attrs, x + dx, y + dy, inherited)
        elif tag == "line":
            self.line(attrs, x + dx, y + dy, inherited)
        else:
            raise Unknown(f"element {tag}")

    def shape(self, paint: dict[str, str], d: str) -> None:
        last = self.items[-1] if self.items else None
        if isinstance(last, _Shapes) and last.paint == paint:
            last.d.append(d)
        else:
            self.items.append(_Shapes(paint, [d]))

    def path(self, attrs: dict[str, str], x: float, y: float, inherited: dict[str, str]) -> None:
        d = attrs.pop("d", "")
        if attrs.pop("display", None) == "none" or not d:
            return
        visible = _visible(attrs)
        if set(attrs) - _PAINT:
            raise Unknown(f"path attributes {sorted(attrs)}")
        paint = {**inherited, **attrs}
        m = _RECT.fullmatch(d)
        if m is None:
            raise Unknown(f"path {d}")
        x0, y0, w, h, back = (float(g) for g in m.groups())
        if back != -w:
            raise Unknown(f"path {d}")
        fill, stroke = paint.get("fill", "black"), paint.get("stroke", "none")
        if not visible or (stroke == "none" and (fill == "none" or w == 0 or h == 0)):
            return
        if stroke != "none":
            raise Unknown("a stroked rectangle")  # Vega draws none in our charts
        n, left, top = self.num, x + x0, y + y0
        self.shape({"fill": fill}, f"M{n(left)} {n(top)}H{n(left + w)}V{n(top + h)}H{n(left)}Z")

    def line(self, attrs: dict[str, str], x: float, y: float, inherited: dict[str, str]) -> None:
        visible = _visible(attrs)
        x1, y1 = x + float(attrs.pop("x1", 0)), y + float(attrs.pop("y1", 0))
        x2, y2 = x + float(attrs.pop("x2", 0)), y + float(attrs.pop("y2", 0))
        if set(attrs) - {"stroke", "stroke-width"}:
            raise Unknown(f"line attributes {sorted(attrs)}")
        paint = {**inherited, **attrs}
        stroke, width = paint.get("stroke", "none"), paint.get("stroke-width", "1")
        if not visible or stroke == "none":
            return
        n = self.num
        if y1 == y2:
            d = f"M{n(x1)} {n(y1)}H{n(x2)}"
        elif x1 == x2:
            d = f"M{n(x1)} {n(y1)}V{n(y2)}"
        else:
            d = f"M{n(x1)} {n(y1)}L{n(x2)} {n(y2)}"
        # a path of lines encloses nothing, so the fill it would have (black) paints nothing
        self.shape(
            {"stroke": stroke} | ({} if width in ("1", "1px") else {"stroke-width": width}), d
        )

    def text(
        self,
        el: etree._Element,
        attrs: dict[str, str],
        at: tuple[float, float],
        turn: str,
        inherited: dict[str, str],
    ) -> None:
        if inherited.get("stroke", "none") != "none" or inherited.get("stroke-width"):
            raise Unknown("a stroked text")
        fill = attrs.setdefault("fill", inherited.get("fill", "black"))
        if not _visible(attrs) or fill == "none":
            return
        # the font is said once on the <svg>: only a label that says its own is known here
        if set(attrs) - _TEXT or not {"font-family", "font-size"} <= set(attrs):
            raise Unknown(f"text attributes {sorted(attrs)}")
        if fill in _BLACK:
            attrs["fill"] = "#000"
        attrs["font-family"] = attrs["font-family"].replace('"', "'")
        body = _escape(el.text or "")
        for span in el:
            span_attrs = _attrs(span)
            if _local(span) != "tspan" or span.tail or set(span_attrs) - {"x", "dy"} or el.text:
                raise Unknown("a text's child")
            body += f"<tspan{_attr_text(span_attrs)}>{_escape(span.text or '')}</tspan>"
        self.items.append(_Text(attrs, self.num(at[0]), self.num(at[1]), body, turn))


def _on_grid(value: str) -> bool:
    """On Chromium's 1/64 px grid (for two decimals: a multiple of 1/4)."""
    return (float(value) * 64).is_integer()


def _write_text(text: _Text, shared: dict[str, str]) -> str:
    own = {k: v for k, v in text.attrs.items() if shared.get(k) != v}
    anchor = {**shared, **own}["text-anchor"]
    placed = _on_grid(text.x) and _on_grid(text.y) and not text.turn
    # (a tspan's x="0" is the label's origin only when a translation put it there)
    if placed and anchor == "start" and "<tspan" not in text.body:
        return f'<text{_attr_text(own)} x="{text.x}" y="{text.y}">{text.body}</text>'
    turn = f" {text.turn}" if text.turn else ""
    where = f' transform="translate({text.x},{text.y}){turn}"'
    return f"<text{_attr_text(own)}{where}>{text.body}</text>"


def _write(items: list[_Shapes | _Text | str], root: dict[str, str]) -> str:
    """The items in paint order; a run of labels alike shares a ``<g>`` of their attributes."""
    out: list[str] = []
    run: list[_Text] = []  # labels alike, not yet written
    common: dict[str, str] = {}  # what they say beyond the root

    def flush() -> None:
        if len(run) > 1 and common:
            texts = "".join(_write_text(t, {**root, **common}) for t in run)
            out.append(f"<g{_attr_text(common)}>{texts}</g>")
        else:
            out.extend(_write_text(t, root) for t in run)
        run.clear()

    for item in items:
        if isinstance(item, _Text):
            own = {k: v for k, v in item.attrs.items() if root.get(k) != v}
            if run and own != common:
                flush()
            run.append(item)
            common = own
            continue
        flush()
        if isinstance(item, _Shapes):
            out.append(f'<path{_attr_text(item.paint)} d="{"".join(item.d)}"/>')
        else:
            out.append(item)
    flush()
    return "".join(out)


def _most_common(texts: list[_Text], name: str) -> dict[str, str]:
    counts = Counter(t.attrs[name] for t in texts)
    return {name: counts.most_common(1)[0][0]} if counts else {}


def flat_svg(svg: str, digits: int = 2) -> str | None:
    """The drawing flattened, or ``None`` when it holds something not known here, or when
    lxml refuses to read it (an outside library's error: the drawing stays as it was)."""
    try:
        root = etree.fromstring(svg.encode("utf-8"), parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if _local(root) != "svg":
        return None
    flat = _Flattener(rounded(digits))
    try:
        for i, child in enumerate(root):
            if i == 0 and _local(child) == "rect":  # the background
                attrs = _attrs(child)
                if set(attrs) - {"width", "height", "fill"}:
                    raise Unknown("background")
                if attrs.get("fill") == "white":
                    attrs["fill"] = "#fff"
                flat.items.append(f"<rect{_attr_text(attrs)}/>")
            else:
                flat.walk(child, 0.0, 0.0, {})
    except (Unknown, ValueError):
        return None
    texts = [t for t in flat.items if isinstance(t, _Text)]
    font = {**_most_common(texts, "font-family"), **_most_common(texts, "font-size")}
    size = {k: str(root.get(k)) for k in ("width", "height", "viewBox") if root.get(k)}
    head = f'<svg xmlns="http://www.w3.org/2000/svg"{_attr_text({**size, **font})}>'
    return head + _write(flat.items, {**_TEXT_DEFAULTS, **font}) + "</svg>"
