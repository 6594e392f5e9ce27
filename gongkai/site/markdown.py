"""Generated pages past Python-Markdown quickly, with the same HTML byte for byte.

The generated pages are mostly raw HTML blocks (tables, figures), which Python-Markdown and
MkDocs each run through Python's html.parser only to pass them on unchanged: two thirds of
MkDocs' time at 10,000 reports. A block that Markdown would pass on verbatim — one that
starts with a block-level tag on its own paragraph and whose tags close exactly at its end —
is swapped for a placeholder before Markdown (:func:`hide_raw_html`) and put back after
(:func:`put_back`), so the HTML is the same byte for byte (tested against the plain build).
Anything else is left to Markdown. The placeholder's prefix is random per page, so report
text (escaped, but otherwise free) can never spell one.
"""

from __future__ import annotations

import re

from markdown import Markdown, htmlparser

_BLOCK_TAGS = frozenset(Markdown().block_level_elements)  # as Markdown decides
_VOID = htmlparser.void_tags  # <img> and the like: no end tag
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?>")
_UNSAFE = re.compile(r"<!|<\?|<(?:script|style|pre|textarea)\b|markdown=|\x02|\x03", re.I)
_PARAGRAPHS = re.compile(r"(\n{2,})")
ANCHOR = re.compile(r'\sid="([^"]+)"')


def raw_block(chunk: str) -> bool:
    """Would Markdown pass this paragraph on verbatim, as raw HTML blocks one after another?

    Each block starts with a block-level tag at the start of a line, and its tags close at
    the end of a line; the next block starts on the next line, the last ends the paragraph.
    """
    if _UNSAFE.search(chunk):
        return False
    stack: list[str] = []
    end = len(chunk.rstrip())
    expect = 0  # where the next block must start (stack empty)
    for m in _TAG.finditer(chunk):
        closing, tag = m[1], m[2].lower()
        starts_block = not closing and tag in _BLOCK_TAGS and tag not in _VOID
        if not stack and (m.start() != expect or not starts_block):
            return False
        if not closing:
            if tag not in _VOID:
                stack.append(tag)
            continue
        if tag in stack:
            while stack.pop() != tag:
                pass
        if not stack:
            if m.end() == end:
                return True
            if chunk[m.end()] != "\n":
                return False
            expect = m.end() + 1
    return False


def hide_raw_html(markdown: str, prefix: str = "GKRAW") -> tuple[str, list[str]]:
    """The page with each verbatim raw-HTML paragraph replaced by ``{prefix}N{i}X``."""
    # Markdown's own first step (NormalizeWhitespace), so the blocks are split as it splits them
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = re.sub(r"(?<=\n) +\n", "\n", text)
    blocks: list[str] = []
    parts = _PARAGRAPHS.split(text)
    for i in range(0, len(parts), 2):
        if raw_block(parts[i]):
            blocks.append(parts[i].rstrip())
            parts[i] = f"{prefix}N{len(blocks) - 1}X"
    return "".join(parts), blocks


def put_back(html: str, prefix: str, blocks: list[str]) -> str:
    """The HTML Markdown made, with the hidden blocks where their placeholders are."""
    placeholder = re.compile(f"<p>{prefix}N(\\d+)X</p>")
    return placeholder.sub(lambda m: blocks[int(m[1])] + "\n", html).strip()
