"""The line between a bad file and a bug in gongkai.

An outside library that reads a file's bytes (a decoder, the HTML parser; later the PDF,
Word and OCR readers) may raise anything on a broken or hostile file: that is the file's
"cannot be read" entry in the build report, with the library's own message. Our readers
call such libraries only inside :func:`outside_reader`. Any other exception comes from our
own code: a bug, which must fail the build loudly (see :mod:`gongkai.build.inputs`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from gongkai.model import NotAReport

MESSAGE_CHARS = 200  # a library's message quoted in the build report is cut here


@contextmanager
def outside_reader(library: str) -> Iterator[None]:
    """Turn what ``library`` raises on a file into :class:`NotAReport` (MemoryError aside:
    that is the machine's, not the file's)."""
    try:
        yield
    except (NotAReport, MemoryError):
        raise
    except Exception as err:
        detail = " ".join(f"{type(err).__name__}: {err}".split())[:MESSAGE_CHARS]
        raise NotAReport(f"{library} 无法读取此文件（{detail}）") from err
