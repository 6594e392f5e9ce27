"""A mixed corpus: reports as agencies publish them, in rough real proportions.

    python scripts/corpus_mixed.py OUT_DIR -n 1000 --seed 1

The first N records of ``make_corpus.iter_reports`` (5 % of agencies saved by a crawler),
each written in one format, chosen by its index:

* 25 % a text-layer PDF printed by Chromium (corpus_pdf: ruled, unruled, page frame);
* 12 % a Word .docx with merged cells (corpus_docx, python-docx; no LibreOffice);
* 2 % a scan of such a PDF (corpus_scan: image PDF, page folder, TIFF, 长图 JPG/PNG in turn);
* the rest as the text corpus wrote them: plain text, Markdown, HTML, crawled pages.

Written once per (N, seed): ``OUT_DIR.corpus.json`` beside it marks a finished corpus; a
second call returns its counts without writing anything. Needs Debian chromium and the
fonts (scripts/system-deps.sh), python-docx, pypdfium2, Pillow, numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARES = (("pdf", 0.25), ("docx", 0.12), ("scan", 0.02))
CRAWL_SHARE = 0.05


def kind_of(index: int) -> str:
    """The format of record ``index``: the shares spread evenly over the indices."""
    u = (index * 0.6180339887) % 1.0  # golden-ratio sequence: even, no clumps
    for kind, share in SHARES:
        if u < share:
            return kind
        u -= share
    return "text"


def write_mixed(out_dir: Path, n: int, seed: int) -> dict[str, int]:
    """Write the corpus (or find it written); → files per kind."""
    marker = out_dir.with_name(out_dir.name + ".corpus.json")  # not an input of the build
    want = {"n": n, "seed": seed, "shares": dict(SHARES), "crawl": CRAWL_SHARE}
    if marker.is_file():
        done = json.loads(marker.read_text())
        if {k: done.get(k) for k in want} == want:
            return done["counts"]
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)

    import corpus_docx
    import corpus_pdf
    import corpus_scan
    from browser_support import chromium
    from corpus_binary import Source, build
    from make_corpus import iter_reports

    counts: dict[str, int] = {}
    to_print: list[Source] = []
    scans: list[Source] = []
    for i, rep in enumerate(iter_reports(n, seed, error_share=0.05, crawl_share=CRAWL_SHARE)):
        kind = kind_of(i)
        src = Source(i, rep.name.rsplit(".", 1)[0], rep.truth)
        if kind == "text":
            (out_dir / rep.name).write_bytes(rep.data)
            suffix = rep.name.rsplit(".", 1)[-1]
            key = "crawl" if rep.truth.get("layout") == "crawl" else suffix
            counts[key] = counts.get(key, 0) + 1
        elif kind == "docx":
            opts = corpus_docx.choose(src, seed)
            rng = random.Random(f"{seed}/docx-text/{src.index}")
            blocks, _, _ = build(src, rng, opts)
            data = corpus_docx.document(blocks, opts, rng, src.truth["year"])
            (out_dir / f"{src.stem}.docx").write_bytes(data)
            counts["docx"] = counts.get("docx", 0) + 1
        else:
            (to_print if kind == "pdf" else scans).append(src)
    with (
        tempfile.TemporaryDirectory(prefix="mixed-corpus-") as tmp,
        chromium(Path(tmp) / "profile") as ctx,
    ):
        page = ctx.new_page()
        corpus_pdf.make(out_dir, to_print, seed, page)
        counts["pdf"] = len(to_print)
        scratch = Path(tmp) / "scans"
        scratch.mkdir()
        printed = corpus_pdf.make(scratch, scans, seed, page)
        for j, (src, line) in enumerate(zip(scans, printed, strict=True)):
            kind = corpus_scan.KINDS[j % len(corpus_scan.KINDS)]
            rng = random.Random(f"{seed}/scan/{line['file']}")
            corpus_scan.scan_one(scratch / line["file"], out_dir, src.stem, kind, rng)
            key = "scan-" + kind.removeprefix("scan-")
            counts[key] = counts.get(key, 0) + 1
    marker.write_text(json.dumps({**want, "counts": counts}))
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(write_mixed(args.out_dir, args.n, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
