"""Parse stage: a document's lines → a :class:`Record`.

Find the title, agency, year and format, read the three tables, keep the narrative of the
six sections, resolve the region. What could not be read is a READ (or MISSING, TITLE,
YEAR, FORMAT) problem of the record; the arithmetic is checked later (:mod:`gongkai.check`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from gongkai import layout
from gongkai.ingest.crawl import PUBLISHED_KEYS, TITLE_KEYS, URL_KEYS, header_value
from gongkai.ingest.read import read_document
from gongkai.model import Document, Line, NotAReport, Problem, Record, source_lines, web_url
from gongkai.parse.numbers import compact, normalize
from gongkai.parse.tables import find_rows, read_table2, read_table3, read_table4

PARSER_VERSION = "1"

_TITLE_WORDS = re.compile(r"政府信息公开.{0,6}年度报告|政务公开.{0,6}年度报告")
_YEAR_AFTER = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})年度?(?:本?(?:机关|单位))?政府信息公开"
)
_YEAR_BEFORE = re.compile(r"^(?P<year>(?:19|20)\d{2})年度?(?P<agency>.+?)政府信息公开")
_NO_YEAR = re.compile(
    r"^(?P<agency>[^，,。：:；;]{2,60}?)(?:本?(?:机关|单位))?政府信息公开工作年度报告$"
)
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?(?:到|至|—|-|~)(?:\1年)?12月31日")
_AGENCY_END = re.compile(
    r"(局|委员会|委|政府|办公室|办公厅|厅|院|所|中心|镇|乡|街道|办事处|管委会|委员会|部|署|会|队|站|处|馆|社|公司)$"
)
# Markdown marks around a heading: "# 标题", "> 标题", "**标题**". The trailing stars are cut with
# rstrip: the regex `[*]+$` backtracks quadratically on a line holding a long run of stars.
_LEADING_MARKUP = re.compile(r"^[#>*\-\s]+")
# Problems of the READ rule kept per report; a hostile file can produce one per line.
MAX_READ_PROBLEMS = 50

# Format markers, content/format.md §8. Table 2 carries most; 表三 （六） sub-items are F2021 only.
_F2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "收费通知")
_F2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购总金额",
    "第二十条第(九)项",
)
_PRE2019 = ("概述", "依申请公开政府信息情况", "收费及减免", "咨询处理情况")

_SECTION_WORDS = layout.SECTION_WORDS


def parse_file(path: str | Path, data: bytes | None = None) -> Record:
    """Read and parse one report file. Raises NotAReport for a file that is not a report."""
    return parse_document(read_document(path, data))


def _unmark(text: str) -> str:
    return _LEADING_MARKUP.sub("", text).rstrip("*")


def parse_document(doc: Document) -> Record:
    """The record of a document, with the problems met while reading it (not yet checked)."""
    from gongkai.parse.region import resolve

    # Empty text lines carry nothing any rule reads; a file of a million blank lines is
    # hostile, and every rule below walks the lines.
    lines = tuple(line for line in doc.lines if line.table or any(line.cells))
    # Labels, headings and the statistics period live on short lines; normalize them once.
    texts = normalize("\n".join(line.text for line in lines if len(line.text) < 200)).split("\n")
    title, agency, year = _title(doc.header, lines)
    if year is None:
        year = _period_year(texts)
    markers = compact(" ".join(texts))
    fmt = detect_format(markers)
    rows = find_rows(lines)
    if agency is None and not rows.t2 and not rows.t3 and not rows.t4 and not _has_sections(texts):
        raise NotAReport(
            "不是政府信息公开工作年度报告：没有找到报告标题、三张统计表或六个部分的标题"
        )
    tables = layout.empty_tables(fmt)
    extracted = {
        "table2": read_table2(rows.t2, fmt),
        "table3": read_table3(rows.t3, fmt, rows.t3_unplaced, rows.t3_claims),
        "table4": read_table4(rows.t4),
    }
    cell_lines: dict[str, int] = {}
    reading: dict[str, str] = {}
    cell_places: dict[str, dict] = {}
    problems: list[Problem] = []
    for name, ex in extracted.items():
        for key, cols in ex.table.items():
            if key in tables[name]:
                for col, value in cols.items():
                    if col in tables[name][key]:
                        tables[name][key][col] = value
        cell_lines.update(ex.lines)
        reading.update(ex.reading)
        cell_places.update((cell, place.to_json()) for cell, place in ex.places.items())
        for where, why in ex.notes:
            problems.append(
                Problem("READ", "warning", (where,), f"{layout.cell_name(where, fmt)}：{why}。")
            )
    places: dict[str, dict] = cell_places
    if doc.source.kind == "ocr":  # a scan: only the digits the arithmetic confirms
        from gongkai.parse.ocr_confirm import confirm

        places, unconfirmed = confirm(fmt, tables, cell_lines, reading, lines)
        problems.extend(unconfirmed)
    if len(problems) > MAX_READ_PROBLEMS:
        more = len(problems) - MAX_READ_PROBLEMS + 1
        problems[MAX_READ_PROBLEMS - 1 :] = [
            Problem(
                "READ", "warning", (), f"另有 {more} 处读取问题未逐一列出（报告中同类问题过多）。"
            )
        ]
    problems.extend(_missing_tables(fmt, extracted, markers))
    problems.extend(_undecoded(lines))
    region, agency_type = resolve(agency) if agency else (None, None)
    record = Record(
        agency=agency,
        year=year,
        format=fmt,
        table2=tables["table2"],
        table3=tables["table3"],
        table4=tables["table4"],
        title=title,
        region=region,
        agency_type=agency_type,
        sections=split_sections(lines, rows.consumed),
        lines=cell_lines,
        places=places,
        reading=reading,
        source=doc.source,
        url=web_url(header_value(doc.header, URL_KEYS)),
        published=_published(doc.header),
        text=source_lines(lines),
    )
    if agency is None:
        problems.append(
            Problem(
                "TITLE",
                "error",
                (),
                "没有找到报告标题中的机关名称（应为“××机关××年政府信息公开工作年度报告”）。",
            )
        )
    if year is None:
        problems.append(Problem("YEAR", "error", (), "没有找到报告所属的年度。"))
    else:
        unlikely = year_problem(year, record.published)
        if unlikely is not None:  # never published as the report's year
            record = replace(record, year=None)
            problems.append(unlikely)
    return _with_problems(record, problems)


# The 条例 (政府信息公开条例) took effect on 1 May 2008: no annual report covers an earlier year.
FIRST_YEAR = 2008
_A_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def published_year(published: str | None) -> int | None:
    """The year of a publication date as printed ("2024-01-31", "2024年1月31日"), or None."""
    m = _A_YEAR.search(year_digits(published)) if published else None
    return int(m.group(1)) if m else None


def year_problem(year: int, published: str | None, latest: int | None = None) -> Problem | None:
    """Why the year read from a report cannot be its year: before the 条例, after the
    report's own publication date, or after the latest year the site allows (mkdocs.yml's
    ``latest_year``). Never the clock: a build must give the same site on any day."""
    if year < FIRST_YEAR:
        why = f"早于《政府信息公开条例》施行的 {FIRST_YEAR} 年"
    elif (when := published_year(published)) is not None and year > when:
        why = f"晚于报告的发布日期（{published}）"
    elif latest is not None and year > latest:
        why = f"晚于本网站设定的最晚年度 {latest} 年（mkdocs.yml 的 latest_year）"
    else:
        return None
    return Problem(
        "YEAR-RANGE",
        "error",
        (),
        f"报告中读出的年度 {year} 年{why}，不可能是报告所属的年度，未采用。",
    )


def _undecoded(lines: tuple[Line, ...]) -> list[Problem]:
    """Bytes that are no character of the file's encoding (a stray byte in a UTF-8 report)
    were decoded as �: the reader is told, and a number they touch is not read."""
    count = sum(cell.count("\ufffd") for line in lines for cell in line.cells)
    if not count:
        return []
    first = next(line.number for line in lines if any("\ufffd" in c for c in line.cells))
    return [
        Problem(
            "DECODE",
            "warning",
            (),
            f"文件中有 {count} 处字节不是有效的字符（第一处在第 {first} 行），显示为 �；"
            "附近的文字请核对原文。",
        )
    ]


def _with_problems(record: Record, problems: list[Problem]) -> Record:
    return replace(record, problems=tuple(problems))


PUBLISHED_CHARS = 40


def _title(
    header: dict[str, str], lines: tuple[Line, ...]
) -> tuple[str | None, str | None, int | None]:
    """The title: a crawled page's header "标题" first (agency and year read from it as from
    any title), what it leaves out from the report's own title line."""
    body = find_title(lines)
    text = header_value(header, TITLE_KEYS)
    if text is None:
        return body
    title, agency, year = find_title((Line(0, (text,)),))
    if title is None:
        return body
    if agency is None and body[1] is not None and (year is None or body[2] in (None, year)):
        agency = body[1]
    return title, agency, year if year is not None else body[2]


def _published(header: dict[str, str]) -> str | None:
    value = header_value(header, PUBLISHED_KEYS)
    return " ".join(value.split())[:PUBLISHED_CHARS] or None if value else None


# A year written in Chinese numerals ("二〇二三年", "二零二三年度") or in another script's
# decimal digits ("٢٠٢٣", which NFKC leaves alone): read as the year it is.
_HAN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": "0",
    "○": "0",
    "Ｏ": "0",
}
_HAN_YEAR = re.compile(r"(?:一九|二[〇零○Ｏ])[〇零○Ｏ一二三四五六七八九]{2}(?=年)")
_OTHER_DIGIT = re.compile(r"[^\x00-\x7f]")


def _digit(m: re.Match[str]) -> str:
    ch = m.group()
    value = unicodedata.decimal(ch, None)
    return str(value) if value is not None else ch


def year_digits(text: str) -> str:
    """The text with a year in Chinese numerals, and any decimal digits of another script,
    as ASCII digits (only what is certain: 二〇二三 followed by 年; ٢ is 2 in every script)."""
    text = _HAN_YEAR.sub(lambda m: "".join(_HAN_DIGITS[c] for c in m.group()), text)
    return _OTHER_DIGIT.sub(_digit, text) if not text.isascii() else text


def find_title(lines: tuple[Line, ...]) -> tuple[str | None, str | None, int | None]:
    """The report title and, from it, the agency name and the year covered."""
    for i, line in enumerate(lines[:80]):
        text = _unmark(normalize(line.text)).strip()
        if not text or line.table or not _TITLE_WORDS.search(compact(text)) or len(text) > 120:
            continue
        flat = year_digits(compact(text).replace("《", "").replace("》", ""))
        m = _YEAR_AFTER.match(flat) or _YEAR_BEFORE.match(flat)
        if not m:
            continue
        agency = m["agency"].strip("，,：:")
        title = text
        if not agency:  # "盐池县科学技术局" on the line above "2023 年政府信息公开工作年度报告"
            prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].text.strip()), None)
            if prev is not None and not prev.table:
                candidate = compact(_unmark(normalize(prev.text)))
                if 2 <= len(candidate) <= 60 and _AGENCY_END.search(candidate):
                    agency = candidate
                    title = f"{candidate}{text}"
        if agency and not _AGENCY_END.search(agency) and len(agency) > 60:
            agency = None
        return title, agency or None, int(m["year"])
    return _title_without_year(lines)


def _title_without_year(lines: tuple[Line, ...]) -> tuple[str | None, str | None, None]:
    """A title that names the agency but no year: the agency is kept, the year left unknown."""
    for line in lines[:80]:
        text = _unmark(normalize(line.text)).strip()
        if line.table or not text or len(text) > 80:
            continue
        m = _NO_YEAR.match(compact(text).replace("《", "").replace("》", ""))
        if m and _AGENCY_END.search(m["agency"]):
            return text, m["agency"], None
    return None, None, None


def _period_year(texts: list[str]) -> int | None:
    for text in texts[:200]:
        m = _PERIOD.search(year_digits(compact(text)))
        if m:
            return int(m.group(1))
    return None


def detect_format(markers: str) -> str:
    f21 = sum(marker in markers for marker in _F2021)
    f19 = sum(marker in markers for marker in _F2019)
    if f21 > f19:
        return "F2021"
    if f19 > f21:
        return "F2019"
    return "unknown"


def _has_sections(texts: list[str]) -> bool:
    joined = compact("".join(t for t in texts if len(t) < 60))
    return sum(any(w in joined for w in words) for _, words in _SECTION_WORDS) >= 3


def split_sections(lines: tuple[Line, ...], consumed: set[int]) -> dict[str, str]:
    """The narrative under each of the six headings (table rows, by position, left out)."""
    order = [key for key, _ in _SECTION_WORDS]
    body: dict[str, list[str]] = {"preamble": []}
    current = "preamble"
    narrative = [line for i, line in enumerate(lines) if i not in consumed and not line.table]
    skip = -1
    for i, line in enumerate(narrative):
        if i == skip:
            continue
        text = _unmark(normalize(line.text)).strip()
        if not text:
            continue
        if text.isdigit() or text.upper() == "CONTENTS":
            continue  # chapter numbers of a designed layout (seed 武威: "01" … "05")
        section = _heading(text)
        if section is None and i + 1 < len(narrative) and len(text) < 30:
            # a heading broken over two lines (seed 武威: "收到和处理政府信息" / "公开申请情况")
            joined = _heading(text + _unmark(normalize(narrative[i + 1].text)).strip())
            if joined is not None:
                section, skip = joined, i + 1
        if section is not None:
            left_empty = sum(map(len, body.get(current, []))) < 20
            if current == "preamble" or order.index(section) >= order.index(current) or left_empty:
                current = section
                body.setdefault(current, [])
                continue
        body.setdefault(current, []).append(line.text.strip())
    return {key: "\n".join(text) for key, text in body.items() if text}


_NUMBERING = re.compile(r"^(?:[一二三四五六][、.]|\(?[一二三四五六]\)|0?[1-6][、.]?)")


def _heading(text: str) -> str | None:
    """Which of the six sections a line heads, if it is a heading (not a sentence naming one)."""
    flat = _NUMBERING.sub("", compact(text))
    if len(flat) > 40 or flat.endswith(("。", "；", "，")) or "，" in flat:
        return None
    for key, words in _SECTION_WORDS:
        if any(flat.endswith(w) and len(flat) <= len(w) + 12 for w in words):
            return key
    return None


def _missing_tables(fmt: str, extracted: dict, markers: str) -> list[Problem]:
    problems = []
    if fmt == "unknown":
        old = any(m in markers for m in _PRE2019)
        why = (
            "报告采用 2019 年以前的旧结构（没有第二十条表格），无法读取三张统计表。"
            if old
            else "没有识别出全国统一格式（2019 年试行格式或 2021 年格式）的表格标签，无法读取表二、表三。"
        )
        problems.append(Problem("FORMAT", "error", (), why))
    names = layout.TABLE_TITLES
    for name, ex in extracted.items():
        if not ex.found and not (fmt == "unknown" and name != "table4"):
            problems.append(
                Problem(
                    "MISSING", "error", (name,), f"报告中没有找到{names[name]}，该表各栏记为空。"
                )
            )
    return problems
