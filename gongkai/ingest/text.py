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
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:  # a stray byte in a UTF-8 report: shown as �, flagged by the parser
        return mostly, "utf-8"
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
            info = codecs.lookup(name)
            if not getattr(info, "_is_text_encoding", True):
                continue  # <meta charset=base64>: not a text encoding
            name = info.name
            if name in ("gbk", "gb2312", "cp936"):
                name = "gb18030"  # a superset: GBK pages often hold characters beyond GB2312
            return data.decode(name), name
        except (LookupError, UnicodeError, ValueError, TypeError):
            # UnicodeError, not only UnicodeDecodeError: <meta charset=undefined> names
            # Python's "undefined" codec, which refuses every byte
            continue
    from charset_normalizer import from_bytes

    with outside_reader("charset-normalizer"):
        best = from_bytes(data).best()
    if best is None:
        raise NotAReport("无法识别文件的字符编码（既不是 UTF-8，也不是 GB18030/GBK）")
    return str(best), best.encoding


# A UTF-8 file with a few stray bytes (a byte lost in a copy, one character pasted from a
# GBK file) is UTF-8 with those bytes replaced, not a file in no known encoding. A GBK file
# read as UTF-8 fails on nearly every Chinese character, so it never passes this.
MAX_STRAY_BYTES = 16
VALID_PER_STRAY = 20  # valid non-ASCII characters needed per stray byte


def _mostly_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    if stray > MAX_STRAY_BYTES:
        return None
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - stray
    return text if valid >= VALID_PER_STRAY * stray else None


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
