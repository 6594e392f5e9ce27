"""The small binary fixtures in tests/fixtures/binary/, written again on purpose only.

    python scripts/make_binary_fixtures.py [tests/fixtures/binary]

Three synthetic reports (seed 1 of make_corpus, chosen for their non-trivial numbers) typed
into Word by corpus_docx as an agency office does, each as ``.docx`` and as the ``.pdf``
LibreOffice exports from it, plus one scanned page (``.jpg``: the page holding 表三 of the
first, 150 dpi, rotated, noisy). Beside each file ``NAME.truth.json``: the truth line of
make_binary_corpus (kind, layout, the true tables, the rules they break) and
``record_version``. The page image's truth holds 表三 only (表二 and 表四 are not on the page:
null) and says so in ``tables_on_page``.

LibreOffice's PDF is not always byte-identical from run to run (font subsets), so rewriting
the fixtures may change the PDFs' bytes but not their text or truth.
"""

from __future__ import annotations

import io
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_binary import build, sources, truth_line  # noqa: E402
from corpus_docx import document, soffice_convert, stable_pdf  # noqa: E402
from corpus_scan import degrade, render_pages, scan_params  # noqa: E402

from gongkai.layout import RECORD_VERSION  # noqa: E402

# (source index in seed 1, file name, options)
FIXTURES = (
    (96, "fuxin_2025_f2021", {"header_repeat", "page_numbers", "t3_new_page"}),
    (83, "fuzhou_police_2023_f2021", {"collapse_other", "typos", "spaced", "cell_paragraphs"}),
    (168, "tiemenguan_2020_f2019", {"heading_styles", "page_numbers"}),
)
LIMIT = 200_000


def write(path: Path, data: bytes) -> None:
    if len(data) >= LIMIT:
        raise SystemExit(f"{path.name}: {len(data)} bytes, over the {LIMIT} limit")
    path.write_bytes(data)


def dump(path: Path, truth: dict) -> None:
    data = {"record_version": RECORD_VERSION, **truth}
    path.with_name(path.name + ".truth.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["tests/fixtures/binary"])[0])
    out.mkdir(parents=True, exist_ok=True)
    wanted = {i for i, _, _ in FIXTURES}
    srcs = {s.index: s for s in sources(max(wanted) + 1, 1) if s.index in wanted}
    made = []
    for index, name, opts in FIXTURES:
        src = srcs[index]
        rng = random.Random(f"fixture/{name}")
        blocks, tables, quirks = build(src, rng, opts)
        docx = out / f"{name}.docx"
        write(docx, document(blocks, opts, rng, src.truth["year"]))
        line = truth_line(src, docx.name, "docx", "word", opts, tables, quirks)
        dump(docx, {**line, "producer": "python-docx"})
        made.append((src, docx, line))
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = soffice_convert([d for _, d, _ in made], "pdf", Path(tmp))
        for (src, docx, line), pdf in zip(made, pdfs, strict=True):
            target = docx.with_suffix(".pdf")
            write(target, stable_pdf(pdf.read_bytes(), src.truth["year"]))
            dump(
                target,
                {
                    **line,
                    "file": target.name,
                    "kind": "pdf",
                    "layout": "word-export",
                    "producer": "libreoffice",
                },
            )
    # one scanned page: 表三 of the first fixture, which starts a page of its own
    src, docx, line = made[0]
    pdf_path = docx.with_suffix(".pdf")
    with pdfplumber.open(str(pdf_path)) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    page = next(i for i, t in enumerate(texts) if "三、收到和处理" in t)
    text = texts[page]
    assert "四、结转下年度继续办理" in text and "维持" not in text and "第二十条" not in text
    dpi, rng = 150, random.Random("fixture/scan")
    params = scan_params(rng, dpi, grey=True)
    params["noise"] = 3.0  # less grain: the page must stay a small file
    img = degrade(render_pages(pdf_path, dpi)[page], rng, np.random.default_rng(7), params)
    target = out / f"{docx.stem}.page{page + 1}.jpg"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=45, dpi=(dpi, dpi))
    write(target, buf.getvalue())
    tables = {
        "table2": {r: dict.fromkeys(c) for r, c in line["table2"].items()},
        "table3": line["table3"],
        "table4": {r: dict.fromkeys(c) for r, c in line["table4"].items()},
    }
    page_line = {**line, **tables, "file": target.name, "kind": "jpg", "layout": "word-export"}
    page_line.update(
        producer="scan",
        source=pdf_path.name,
        tables_on_page=["table3"],
        page=page + 1,
        scan={"dpi": dpi, "pages": [{k: params[k] for k in ("angle", "dx", "dy")}]},
        errors=[e for e in line["errors"] if e.startswith("T3")],
    )
    dump(target, page_line)
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>8} {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
