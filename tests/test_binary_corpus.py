"""The binary corpus generator (scripts/make_binary_corpus.py), its Chromium PDF part: the same
seed gives the same bytes, every file is a PDF, and the truth lines have the record's shape.

Only the PDF kind is tested here: it needs nothing beyond the project's dependencies
(Playwright, Debian Chromium). The Word kind is made and read in tests/test_word.py; the scan
kinds need pypdfium2 and Pillow, which are not dependencies of the project yet
(scripts/BINARY_CORPUS.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from make_binary_corpus import main

from gongkai.layout import empty_tables

pytestmark = pytest.mark.browser  # drives headless Chromium (printing, not the site)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("binary") / "a"
    assert main([str(out), "-n", "8", "--seed", "3", "--kinds", "pdf"]) == 0
    return out


def test_same_seed_same_pdf_bytes(corpus, tmp_path):
    assert main([str(tmp_path / "b"), "-n", "8", "--seed", "3", "--kinds", "pdf"]) == 0
    assert digest(corpus) == digest(tmp_path / "b")


def test_files_are_pdfs_with_a_text_layer(corpus):
    files = [p for p in corpus.iterdir() if p.name != "truth.jsonl"]
    assert len(files) == 8
    for p in files:
        data = p.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:], p.name
        assert b"/Font" in data, p.name  # printed text, not an image


def test_truth_lines(corpus):
    lines = [json.loads(x) for x in (corpus / "truth.jsonl").read_text("utf-8").splitlines()]
    assert [t["file"] for t in lines] == sorted(p.name for p in corpus.glob("*.pdf"))
    assert {t["layout"] for t in lines} == {"ruled", "unruled", "frame-ruled", "frame-unruled"}
    for t in lines:
        assert t["kind"] == "pdf" and t["producer"] == "chromium"
        # the print time is replaced by a date of the report, so the bytes follow the seed
        assert f"/CreationDate (D:{t['year'] + 1}0120".encode() in (corpus / t["file"]).read_bytes()
        shape = empty_tables(t["format"])
        for table in ("table2", "table3", "table4"):
            assert t[table].keys() == shape[table].keys()
            for row, cols in shape[table].items():
                assert t[table][row].keys() == cols.keys()
        if "collapse_other" in t["layout_options"]:
            assert t["format"] == "F2021" and "other_collapsed" in t["quirks"]
            for row in ("other.no_correction", "other.fee_unpaid", "other.other"):
                assert set(t["table3"][row].values()) == {None}
