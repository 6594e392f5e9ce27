"""Ingest: the bytes of a report file → a :class:`~gongkai.model.Document` of lines of cells.

One reader per kind of file, chosen by content: plain text and Markdown
(:mod:`~gongkai.ingest.text`), saved web pages (:mod:`~gongkai.ingest.html`), Word documents
(:mod:`~gongkai.ingest.docx`; .doc/.wps converted by LibreOffice).
"""

from gongkai.ingest.read import HTML_SUFFIXES, MAX_BYTES, MAX_LINES, check_size, read_document

__all__ = ["HTML_SUFFIXES", "MAX_BYTES", "MAX_LINES", "check_size", "read_document"]
