"""Plain text: bytes → decoded text → lines, with tab and pipe rows as table cells."""

from __future__ import annotations

import codecs
import re

from gongkai.ingest.boundary import outside_reader
from gongkai.model import Line, NotAReport

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def decode(data: bytes, html: bool = False) -> tuple[str, str]:
    """Decode by BOM, then strict UTF-8, then a declared or detected Chinese encoding."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if html and (m := _META_CHARSET.search(data[:4096])):
        candidates.append(m.group(1).decode("ascii").lower())
    # A GBK page saved with a template's latin-1 meta tag: those codecs decode any bytes, so
    # GB18030 must be tried first or the page turns to garbage without an error.
    western = {"ascii", "latin_1", "iso8859-1", "iso8859-15", "cp1252"}
    first = any(_codec(c) in western for c in candidates)
    candidates.insert(0 if first else len(candidates), "gb18030")
    for name in candidates:
        try:
            name = codecs.lookup(name).name
            if name in ("gbk", "gb2312", "cp936"):
                name = "gb18030"  # a superset: GBK pages often hold characters beyond GB2312
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    with outside_reader("charset-normalizer"):
        best = from_bytes(data).best()
    if best is None:
        raise NotAReport("无法识别文件的字符编码（既不是 UTF-8，也不是 GB18030/GBK）")
    return str(best), best.encoding


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The separator row of a pipe table, "| --- | :---: |". No spaces around optional pipes: the
# form ``\s*\|?\s*`` backtracks quadratically on a long run of spaces (hostile input).
_PIPE_RULE = re.compile(r"^\|?(?: *:?-{2,}:? *\|)*(?: *:?-{2,}:? *)?$")


def text_lines(text: str) -> list[Line]:
    """Split text into lines; tab rows and pipe rows become cells."""
    out: list[Line] = []
    # Only CR/LF end a line: pdftotext's \f page breaks must not shift line numbers.
    rows = LINE_BREAK.split(text)
    if rows and not rows[-1]:
        rows.pop()  # the final newline ends the last line; it does not start another
    for number, raw in enumerate(rows, 1):
        line = raw.rstrip("\r\n")
        if "\t" in line:
            out.append(Line(number, tuple(c.strip() for c in line.split("\t")), True))
        elif line.lstrip().startswith("|") and line.count("|") >= 3:
            if _PIPE_RULE.match(line.strip()):
                continue
            body = line.strip()
            body = body[1:] if body.startswith("|") else body
            body = body[:-1] if body.endswith("|") else body
            out.append(Line(number, tuple(c.strip() for c in body.split("|")), True))
        else:
            out.append(Line(number, (line.strip(),), False))
    return out
