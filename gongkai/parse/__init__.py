"""Parse: a :class:`~gongkai.model.Document` → a :class:`~gongkai.model.Record`.

:mod:`~gongkai.parse.document` finds the title, agency, year, format and the six sections;
:mod:`~gongkai.parse.tables` finds 表二/表三/表四 and reads their rows through
:mod:`~gongkai.parse.cells` (one row → exactly the format's cells) and
:mod:`~gongkai.parse.numbers` (one printed cell → a number or a blank);
:mod:`~gongkai.parse.region` places the agency in the administrative divisions.

The record carries the problems met while reading (READ, MISSING, TITLE, YEAR, FORMAT);
the arithmetic is checked by :mod:`gongkai.check`, and :func:`gongkai.report.read_report`
does the whole path for one file.
"""

from gongkai.parse.document import parse_document, parse_file

__all__ = ["parse_document", "parse_file"]
