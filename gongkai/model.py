"""The data that flows through the pipeline, stage to stage.

ingest: a file's bytes → a :class:`Document` of :class:`Line` s (text blocks and table rows
as cells); parse: → a :class:`Record` (the report's tables, with :class:`Problem` s found by
the checks); build: a record with its file and sidecar → a :class:`Report`. A file that
cannot be read as a report raises :class:`NotAReport` with a plain-Chinese reason.

Plain frozen dataclasses; a value the report does not give is ``None``, never 0.
This module imports nothing of ours but the layout data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from gongkai.layout import RECORD_VERSION, RULES, SEVERITIES

Number = int | float
# table -> row -> column -> value (None: blank, a null token, or not readable with certainty)
Table = dict[str, dict[str, Any]]


class NotAReport(Exception):
    """A file that cannot be read as a report; the message says what was expected.

    Raised by our readers for what a file is or holds, and for an error that an outside
    reader library (a decoder, an HTML or PDF parser) raised on the file. Any other
    exception is a bug in gongkai, never a property of the file."""


class NotReadHere(NotAReport):
    """A file this machine could not read this time: a converter it needs is not installed
    (LibreOffice for .doc/.wps) or did not finish in time. Unlike other :class:`NotAReport`
    reasons, it says nothing about the file, so the build does not cache it: the next build
    tries again."""


@dataclass(frozen=True)
class Place:
    """Where on a page a cell was printed, for the inputs that have pages or tables of their
    own: a PDF or a scan (page and box), a Word document (table, row, column)."""

    page: int | None = None  # 1-based page of a PDF or scan
    # x0, top, x1, bottom: PDF points; for a scan, pixels of the page image as given
    box: tuple[float, float, float, float] | None = None
    table: int | None = None  # 1-based table of a Word document
    row: int | None = None  # 1-based row and column in that table
    col: int | None = None
    confidence: float | None = None  # an OCR engine's confidence in the text (0–1)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Line:
    """One line of a document: a block of text (one cell) or a table row (several)."""

    number: int  # 1-based line in the decoded source (for HTML: of the element)
    cells: tuple[str, ...]  # one cell for plain text; several for a table row
    table: bool = False  # cells come from an explicit table structure (tab, pipe, <tr>)
    # where each cell was printed (PDF, scan, Word), aligned with ``cells``; empty for text
    places: tuple[Place | None, ...] = ()

    @cached_property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


class SourceLine(NamedTuple):
    """A line of the text as read, kept for the report's 原文 page (gongkai.site.source_text):
    its number (as :attr:`Line.number`), its cells, whether it is a table row, and the page
    of a PDF or scan it was printed on."""

    number: int
    cells: tuple[str, ...]
    table: bool = False
    page: int | None = None


def source_lines(lines: tuple[Line, ...]) -> tuple[SourceLine, ...]:
    """The lines as the 原文 page shows them (without the per-cell boxes)."""
    out = []
    for line in lines:
        page = next((p.page for p in line.places if p is not None and p.page is not None), None)
        out.append(SourceLine(line.number, line.cells, line.table, page))
    return tuple(out)


@dataclass(frozen=True)
class Document:
    source: Source
    lines: tuple[Line, ...]
    # The header an archive of web pages put above the page's text ("标题", "发布时间",
    # "原文链接" …, gongkai.ingest.crawl), key → value as printed; empty for other files.
    header: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Something a report gets wrong or leaves out, found by a check."""

    rule: str  # T3-A, T3-B, T3-C, T4-A, T4-B, T4-C, T2-X, T2-W, XY-1, FMT-YEAR, READ-…
    severity: str  # error | warning | info
    cells: tuple[str, ...]  # "table3.granted.total", …
    message: str  # one plain Chinese sentence for a citizen
    printed: Number | None = None
    expected: Number | None = None

    def __post_init__(self) -> None:
        # every rule is explained on the site (layout.RULES); an unknown one is our bug
        if self.rule not in RULES or self.severity not in SEVERITIES:
            raise ValueError(f"Problem with an undocumented rule or severity: {self!r}")

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "printed": self.printed,
            "expected": self.expected,
            "message": self.message,
        }


@dataclass(frozen=True)
class Region:
    """Where an agency sits, from the national administrative-division codes."""

    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    city_code: str | None = None
    county: str | None = None
    county_code: str | None = None

    @property
    def code(self) -> str | None:
        return self.county_code or self.city_code or self.province_code

    def to_json(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "province_code": self.province_code,
            "city": self.city,
            "city_code": self.city_code,
            "county": self.county,
            "county_code": self.county_code,
        }


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str
    # text | html | pdf | docx | doc, rtf (a .doc/.wps or RTF that LibreOffice converted) |
    # ocr (a scan read by gongkai.ingest.ocr)
    kind: str
    encoding: str  # the text's encoding; for ocr the image kind: PNG, JPEG, TIFF, PDF, images
    size: int


@dataclass(frozen=True)
class Record:
    """One parsed report: the record keys of content/format.md §9 plus what the pages need."""

    agency: str | None
    year: int | None
    format: str  # F2021 | F2019 | unknown
    table2: Table
    table3: Table
    table4: Table
    title: str | None = None
    region: Region | None = None
    agency_type: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    # "table3.granted.total" -> line number in the source where the value was read
    lines: dict[str, int] = field(default_factory=dict)
    # "table3.granted.total" -> where on a page it was printed (Place.to_json(); PDF, scan, Word)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    # "table3.granted.total" -> how a published value was read, when not plainly printed:
    # "decoded" (a run of touching digits split by the table's arithmetic), "ocr-confirmed"
    # (an OCR digit the table's arithmetic confirms), "ocr" (表二: high OCR confidence only)
    reading: dict[str, str] = field(default_factory=dict)
    source: Source | None = None
    # Where the report was published, as the file itself says (a crawled page's header:
    # 原文链接, 发布时间); a sidecar beside the file says it too, and wins (Report.url).
    url: str | None = None
    published: str | None = None
    # The text as read, line by line, for the report's 原文 page; not a record key (the site
    # publishes it as that page, and the record's ``lines`` point into it).
    text: tuple[SourceLine, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "record_version": RECORD_VERSION,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "table2": self.table2,
            "table3": self.table3,
            "table4": self.table4,
            "title": self.title,
            "region": self.region.to_json() if self.region else None,
            "agency_type": self.agency_type,
            "sections": self.sections,
            "problems": [p.to_json() for p in self.problems],
            "lines": self.lines,
            "places": self.places,
            "reading": self.reading,
            "url": self.url,
            "published": self.published,
        }
        if self.source is not None:
            data["source"] = {
                "path": self.source.path,
                "sha256": self.source.sha256,
                "kind": self.source.kind,
                "encoding": self.source.encoding,
                "size": self.source.size,
            }
        return data


URL_CHARS = 2000  # longer is not a link anyone published


def web_url(text: str | None) -> str | None:
    """``text`` as a link to the original, when it is one: an http(s) address without spaces,
    quotes or angle brackets (it goes into an ``href``), else None."""
    if text is None:
        return None
    url = text.strip()
    if (
        not url.lower().startswith(("http://", "https://"))
        or len(url) > URL_CHARS
        or any(c in url for c in " <>\"'")
        or not url.isprintable()
    ):
        return None
    return url


@dataclass(frozen=True)
class Correction:
    """A maintainer's correction of a value gongkai misread (never of the report's own error):
    the cell (``table3.new_received.total``), the right value (a number, or None for a cell
    the report leaves blank), the reason, and — once applied — what gongkai had read."""

    cell: str
    value: Number | None
    reason: str
    read: Number | None = None

    def to_json(self) -> dict[str, Any]:
        return {"cell": self.cell, "value": self.value, "read": self.read, "reason": self.reason}


@dataclass(frozen=True)
class Meta:
    """The optional sidecar YAML beside a report (reports/foo.txt + reports/foo.yml)."""

    url: str | None = None
    published: str | None = None
    notes: tuple[str, ...] = ()  # what was wrong with the sidecar, in plain Chinese
    corrections: tuple[Correction, ...] = ()  # as the sidecar asks (not yet applied)


@dataclass(frozen=True)
class Report:
    """One parsed input file: its record and where it came from."""

    path: str  # relative to the project, e.g. reports/foo.txt
    record: Record
    meta: Meta = Meta()
    # Set when ``record`` is only the summary the listings need (no narrative, no line
    # numbers): the cache key of the whole record, which build.inputs.complete fetches before
    # the report's own pages are made.
    light: str | None = None
    # The sidecar's corrections applied to ``record`` (each with the value read before).
    corrections: tuple[Correction, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.record.problems

    @property
    def url(self) -> str | None:
        """The link to the original: the sidecar's, else the one the file itself gives."""
        return self.meta.url or self.record.url

    @property
    def published(self) -> str | None:
        """When the original was published: the sidecar's date, else the file's own."""
        return self.meta.published or self.record.published
