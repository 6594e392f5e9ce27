"""The whole path for one report file: ingest → parse → check.

>>> record = read_report("reports/002_5e0a10dac8f8a1dc.txt")  # doctest: +SKIP
>>> record.agency, record.year, [p.rule for p in record.problems]  # doctest: +SKIP

Raises :class:`~gongkai.model.NotAReport` for a file that cannot be read as a report (with
the reason, in plain Chinese); any other exception is a bug in gongkai.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.check import checked
from gongkai.model import Record
from gongkai.parse import parse_file


def read_report(path: str | Path, data: bytes | None = None) -> Record:
    """The checked record of one file (``data``: its bytes, when already read)."""
    return checked(parse_file(path, data))
