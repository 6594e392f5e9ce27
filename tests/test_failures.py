"""Failures are loud: a file that is not a report is an entry in the build report; an error in
gongkai's own code fails the strict build (what CI deploys) instead of publishing a site
without the report. The line is drawn at the reader boundary: what an outside reader library
raises on a file is that file's "cannot be read" entry, with the library's message."""

from __future__ import annotations

import json
import logging

import pytest
from conftest import make_project
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from gongkai import build
from gongkai.model import NotAReport
from gongkai.report import read_report

PAGE = """<html><body><h1>网页县科学技术局2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本机关认真贯彻条例。</p></body></html>"""


def strict_build(root, caplog) -> None:
    """`mkdocs build --strict` in this process (so a test can make our code raise)."""
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    config.plugins["gongkai"].config.search = False  # Pagefind is not the point here
    config.plugins.on_startup(command="build", dirty=False)
    caplog.set_level(logging.INFO, logger="mkdocs")
    mkdocs_build(config)


def entries(root) -> dict[str, dict]:
    data = json.loads((root / "build" / "build-report.json").read_text("utf-8"))
    return {e["path"]: e for e in data["files"]}


def test_a_bug_in_the_parser_fails_the_strict_build(tmp_path, monkeypatch, caplog):
    def broken(doc):
        raise RuntimeError("a bug in parse_document")

    monkeypatch.setattr("gongkai.parse.document.parse_document", broken)
    root = make_project(tmp_path / "p")
    with pytest.raises(Abort):
        strict_build(root, caplog)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 5  # one per seed, each with its traceback
    assert all("RuntimeError: a bug in parse_document" in r.getMessage() for r in warnings)
    assert all("Traceback" in r.getMessage() for r in warnings)
    for entry in entries(root).values():
        assert entry["status"] == "failed"
        assert "程序出错" in entry["messages"][0]


def test_a_bug_is_not_cached_as_a_bad_file(tmp_path, monkeypatch):
    """After the bug is fixed, the next build parses the files again."""
    root = make_project(tmp_path / "p")
    with monkeypatch.context() as patch:
        patch.setattr(
            "gongkai.parse.document.parse_document",
            lambda doc: (_ for _ in ()).throw(KeyError("oops")),
        )
        summary = build.run(root)
        assert len(summary.bugs) == 5 and not summary.failures
    summary = build.run(root)
    assert summary.bugs == [] and summary.ok + summary.problems == 5


def test_an_outside_reader_error_is_the_files_entry(tmp_path, monkeypatch, caplog):
    """lxml raising on one page makes that page's "cannot be read" entry, with lxml's
    message; the strict build of the rest passes."""
    from lxml import etree

    def refuse(*args, **kwargs):
        raise ValueError("lxml refuses this page")

    root = make_project(tmp_path / "p")
    (root / "reports" / "page.html").write_text(PAGE, "utf-8")
    monkeypatch.setattr(etree, "fromstring", refuse)
    strict_build(root, caplog)  # no Abort
    entry = entries(root)["reports/page.html"]
    assert entry["status"] == "failed"
    assert entry["messages"] == ["lxml 无法读取此文件（ValueError: lxml refuses this page）"]
    assert (root / "site" / "index.html").is_file()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_outside_decoder_error_is_the_files_entry(monkeypatch):
    import charset_normalizer

    def refuse(data):
        raise LookupError("no codec for this")

    monkeypatch.setattr(charset_normalizer, "from_bytes", refuse)
    data = "机关".encode() + b"\xff\xfe\xfa" * 40  # neither UTF-8 nor GB18030
    with pytest.raises(NotAReport, match="charset-normalizer 无法读取此文件"):
        read_report("odd.txt", data)


def test_our_own_error_in_a_reader_is_not_hidden(monkeypatch):
    """Only the outside library's call is wrapped: our code around it raising is a bug."""
    monkeypatch.setattr(
        "gongkai.ingest.html._content_roots", lambda doc: (_ for _ in ()).throw(TypeError("ours"))
    )
    with pytest.raises(TypeError, match="ours"):
        read_report("page.html", PAGE.encode("utf-8"))
