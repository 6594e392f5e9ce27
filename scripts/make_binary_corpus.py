"""Binary synthetic corpus: PDF (text layer), Word (.docx, .doc, .wps), scans — with the truth.

    python scripts/make_binary_corpus.py OUT_DIR -n 40 --seed 1 [--kinds pdf,docx,scan]

Takes the first N records of ``make_corpus`` for the seed (the same agencies and numbers as
the text corpus) and writes, per record:

* ``NAME.pdf``       — printed by headless Chromium in one of four layouts (corpus_pdf);
* ``NAME.docx``      — typed into Word tables with merged cells (corpus_docx); every 4th
  also as ``NAME.doc`` (LibreOffice, Word 97), the first of those also as ``NAME.wps``
  (the same bytes: WPS Office's .wps is a Word-97 binary), every 3rd also exported by
  LibreOffice as ``NAME.word.pdf``;
* every 2nd PDF scanned (corpus_scan), the kinds in turn: ``NAME.scan.pdf`` (image only),
  ``NAME.pages/`` (page JPEGs), ``NAME.tif`` (multi-page), ``NAME.jpg`` / ``NAME.png``
  (one long image).

and ``truth.jsonl``: one line per file (or pages folder), sorted by name, with the keys of
the text corpus's truth plus ``kind``, ``layout_options``, ``producer`` and, for scans,
``source`` and ``scan``. Chromium PDFs, .docx and scans are byte-identical for a seed;
LibreOffice output is not always (BINARY_CORPUS.md).

Needs: Debian chromium, fonts-wqy-microhei, libreoffice-writer-nogui (for .doc/.wps and
word-export PDFs); Python: playwright, python-docx, pypdfium2, Pillow, numpy.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

KINDS = ("pdf", "docx", "scan")


def write_binary_corpus(out_dir: Path, n: int, seed: int, kinds: tuple[str, ...] = KINDS) -> list:
    from corpus_binary import sources

    out_dir.mkdir(parents=True, exist_ok=True)
    srcs = list(sources(n, seed))
    lines: list[dict] = []
    pdf_lines: list[dict] = []
    if "pdf" in kinds or "scan" in kinds:
        import corpus_pdf
        from browser_support import chromium

        with (
            tempfile.TemporaryDirectory(prefix="binary-corpus-") as tmp,
            chromium(Path(tmp) / "profile") as ctx,
        ):
            pdf_lines = corpus_pdf.make(out_dir, srcs, seed, ctx.new_page())
        if "pdf" in kinds:
            lines += pdf_lines
    if "docx" in kinds:
        import corpus_docx

        lines += corpus_docx.make(out_dir, srcs, seed)
    if "scan" in kinds:
        import corpus_scan

        lines += corpus_scan.make(out_dir, pdf_lines, seed)
        if "pdf" not in kinds:
            for t in pdf_lines:
                (out_dir / t["file"]).unlink()
    lines.sort(key=lambda t: t["file"])
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for t in lines:
            f.write(json.dumps(t, ensure_ascii=False, sort_keys=True) + "\n")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, required=True, help="number of records")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma list of pdf,docx,scan")
    args = ap.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    if args.n < 1 or not kinds or set(kinds) - set(KINDS):
        ap.error(f"-n must be >= 1 and --kinds a comma list of {','.join(KINDS)}")
    t0 = time.perf_counter()
    lines = write_binary_corpus(args.out_dir, args.n, args.seed, kinds)
    counts: dict[str, int] = {}
    for t in lines:
        counts[t["kind"]] = counts.get(t["kind"], 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    print(f"{args.out_dir}: {summary} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
