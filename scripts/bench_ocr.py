"""The OCR reader on a scan corpus: CPU seconds per page, cells recovered and wrong, and the
表二 confidence threshold's trade-off.

    python scripts/bench_ocr.py build/scans              # make it first (see below)
    python scripts/bench_ocr.py build/scans --variant det960 --variant batch24
    python scripts/make_binary_corpus.py build/scans -n 24 --seed 3 --kinds scan

Every scan of the corpus (image PDF, page folder, TIFF, 长图 JPG/PNG) is read the way the
build reads it (gongkai.ingest.read / ocr.read_folder → parse → check), in this process
pinned to one core; CPU seconds come from ``time.process_time`` around each file and
around the engine's detector and recogniser. A cell is *printed* when the truth has a
number, *recovered* when the record publishes that number, *wrong* when it publishes
another one. 表二 is read with the confidence threshold at 0, so one run gives, for every
threshold, how many 表二 cells would be published right and wrong.

A variant changes the engine's settings (ocr.ENGINE_OPTIONS) or the page scale
(ocr.SHORT_SIDE); see VARIANTS. Results are printed as Markdown; ``--json`` writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("table2", "table3", "table4")
THRESHOLDS = (0.0, 0.5, 0.8, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995)

# name → (ENGINE_OPTIONS changes, ocr module constants)
VARIANTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "current": ({}, {}),  # ocr.py as it is
    # ocr.py before the measurements of BINARY_CORPUS.md's "OCR speed" (recogniser batches
    # of 6 boxes padded to 160 px, pages scaled to 900 px)
    "before": ({"rec_batch_num": 6, "rec_img_shape": [3, 48, 160]}, {"SHORT_SIDE": 900}),
    "batch1": ({"rec_batch_num": 1}, {}),
    "batch1-w128": ({"rec_batch_num": 1, "rec_img_shape": [3, 48, 128]}, {}),
    "batch1-w96": ({"rec_batch_num": 1, "rec_img_shape": [3, 48, 96]}, {}),
    "batch1-det1024": (
        {"rec_batch_num": 1, "det_limit_type": "max", "det_limit_side_len": 1024},
        {},
    ),
    "batch1-side800": ({"rec_batch_num": 1}, {"SHORT_SIDE": 800}),
    "batch1-side736": ({"rec_batch_num": 1}, {"SHORT_SIDE": 736}),
    "batch1-w96-side800": ({"rec_batch_num": 1, "rec_img_shape": [3, 48, 96]}, {"SHORT_SIDE": 800}),
    "batch1-w96-side736": ({"rec_batch_num": 1, "rec_img_shape": [3, 48, 96]}, {"SHORT_SIDE": 736}),
    "batch12": ({"rec_batch_num": 12}, {}),
    "det1024": ({"det_limit_type": "max", "det_limit_side_len": 1024}, {}),
    "det1152": ({"det_limit_type": "max", "det_limit_side_len": 1152}, {}),
    "side736": ({}, {"SHORT_SIDE": 736}),
    "side800": ({}, {"SHORT_SIDE": 800}),
    "side1000": ({}, {"SHORT_SIDE": 1000}),
    "cls": ({"use_cls": True}, {}),
    "rec320": ({"rec_img_shape": [3, 48, 320]}, {}),
}


def one_core(core: int | None = None) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0)) if core is None else core})


class Meter:
    """CPU seconds and calls of the engine's detector and recogniser (wrapped in place)."""

    def __init__(self, engine: Any) -> None:
        self.det = self.rec = 0.0
        self.det_calls = self.rec_crops = 0
        det, rec = engine.text_det, engine.text_rec
        det_call, rec_call = type(det).__call__, type(rec).__call__
        rec_session = rec.session

        def timed_det(img: Any) -> Any:
            t = time.process_time()
            try:
                return det_call(det, img)
            finally:
                self.det += time.process_time() - t
                self.det_calls += 1

        def timed_rec(imgs: Any, *a: Any, **k: Any) -> Any:
            t = time.process_time()
            try:
                return rec_call(rec, imgs, *a, **k)
            finally:
                self.rec += time.process_time() - t
                self.rec_crops += len(imgs) if isinstance(imgs, list) else 1

        class Session:  # the digits-only second reading calls the session directly
            def __call__(inner, batch: Any) -> Any:
                t = time.process_time()
                try:
                    return rec_session(batch)
                finally:
                    self.rec += time.process_time() - t

        engine.text_det = _Callable(timed_det, det)
        engine.text_rec = _Callable(timed_rec, rec)
        engine.text_rec.session = Session()


class _Callable:
    """A stand-in for a detector/recogniser object: calls go to ``fn``, attributes to it."""

    def __init__(self, fn: Any, inner: Any) -> None:
        self.__dict__["_fn"], self.__dict__["_inner"] = fn, inner

    def __call__(self, *a: Any, **k: Any) -> Any:
        return self._fn(*a, **k)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value


def read_scan(path: Path, kind: str) -> Any:
    from gongkai.check import checked
    from gongkai.ingest import ocr
    from gongkai.ingest.read import read_document
    from gongkai.parse.document import parse_document

    doc = ocr.read_folder(path) if kind == "pages" else read_document(path)
    return checked(parse_document(doc))


def score(record: Any, truth: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"printed": 0, "right": 0, "wrong": [], "t2": []}
    for name in TABLES:
        for row, cols in truth[name].items():
            for col, want in cols.items():
                if want is None or col.endswith("_unit"):
                    continue
                got = getattr(record, name).get(row, {}).get(col)
                if name == "table2":  # judged per threshold below
                    place = record.places.get(f"table2.{row}.{col}") or {}
                    if got is not None:
                        out["t2"].append((place.get("confidence") or 0.0, got == want))
                    out["t2_printed"] = out.get("t2_printed", 0) + 1
                    continue
                out["printed"] += 1
                if got == want:
                    out["right"] += 1
                elif got is not None:
                    out["wrong"].append(f"{name}.{row}.{col}: {got} (truth {want})")
    return out


def run(folder: Path, variant: str, limit: int | None) -> dict[str, Any]:
    from gongkai.ingest import ocr
    from gongkai.parse import ocr_confirm

    engine_changes, constants = VARIANTS[variant]
    saved_options, saved = dict(ocr.ENGINE_OPTIONS), {k: getattr(ocr, k) for k in constants}
    ocr.ENGINE_OPTIONS.update(engine_changes)
    for k, v in constants.items():
        setattr(ocr, k, v)
    ocr._ENGINE = None
    saved_threshold = ocr_confirm.TABLE2_CONFIDENCE
    ocr_confirm.TABLE2_CONFIDENCE = 0.0  # every 表二 cell published: judged per threshold
    pages = 0
    original_ocr_page = ocr.ocr_page

    def counted(img: Any, page: int) -> Any:
        nonlocal pages
        pages += 1
        return original_ocr_page(img, page)

    ocr.ocr_page = counted
    try:
        meter = Meter(ocr.engine())
        truths = [json.loads(x) for x in (folder / "truth.jsonl").read_text("utf-8").splitlines()]
        truths = [t for t in truths if t["producer"] == "scan"][:limit]
        res: dict[str, Any] = {"variant": variant, "files": len(truths), "printed": 0, "right": 0}
        res.update(wrong=[], t2=[], t2_printed=0, cpu=0.0, wall=0.0, meta_wrong=[])
        for t in truths:
            c, w = time.process_time(), time.perf_counter()
            record = read_scan(folder / t["file"], t["kind"])
            res["cpu"] += time.process_time() - c
            res["wall"] += time.perf_counter() - w
            s = score(record, t)
            for k in ("printed", "right", "t2_printed"):
                res[k] += s.get(k, 0)
            res["wrong"] += [f"{t['file']} {x}" for x in s["wrong"]]
            res["t2"] += s["t2"]
            got = (record.agency, record.year, record.format)
            if got != (t["agency"], t["year"], t["format"]):
                res["meta_wrong"].append(f"{t['file']}: {got}")
            print(
                f"  {t['file']}: {s['right']}/{s['printed']} 表三/表四, wrong {len(s['wrong'])}",
                file=sys.stderr,
                flush=True,
            )
        res.update(pages=pages, det=meter.det, rec=meter.rec, crops=meter.rec_crops)
        return res
    finally:
        ocr.ocr_page = original_ocr_page
        ocr.ENGINE_OPTIONS.clear()
        ocr.ENGINE_OPTIONS.update(saved_options)
        for k, v in saved.items():
            setattr(ocr, k, v)
        ocr._ENGINE = None
        ocr_confirm.TABLE2_CONFIDENCE = saved_threshold


def thresholds(res: dict[str, Any]) -> list[tuple[float, int, int]]:
    """(threshold, 表二 cells published right, published wrong) at each threshold."""
    return [
        (
            th,
            sum(1 for c, ok in res["t2"] if c >= th and ok),
            sum(1 for c, ok in res["t2"] if c >= th and not ok),
        )
        for th in THRESHOLDS
    ]


def markdown(results: list[dict[str, Any]]) -> str:
    out = [
        "| variant | files | pages | CPU s/page | det s/page | rec s/page | crops/page | wall s/page "
        "| 表三/表四 recovered | wrong | agency/year/format wrong |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = max(1, r["pages"])
        out.append(
            f"| {r['variant']} | {r['files']} | {r['pages']} | {r['cpu'] / p:.2f} | {r['det'] / p:.2f} "
            f"| {r['rec'] / p:.2f} | {r['crops'] / p:.0f} | {r['wall'] / p:.2f} "
            f"| {r['right']}/{r['printed']} ({r['right'] / max(1, r['printed']):.1%}) "
            f"| {len(r['wrong'])} | {len(r['meta_wrong'])} |"
        )
    for r in results:
        out += ["", f"表二 ({r['variant']}): {r['t2_printed']} printed cells", ""]
        out += [
            "| threshold | published right | published wrong | recovered |",
            "|---:|---:|---:|---:|",
        ]
        for th, ok, bad in thresholds(r):
            out.append(f"| {th:g} | {ok} | {bad} | {ok / max(1, r['t2_printed']):.1%} |")
        wrong_scores = sorted(c for c, ok in r["t2"] if not ok)
        if wrong_scores:
            out.append(
                f"\nconfidences of the wrong 表二 readings: {', '.join(f'{c:.4f}' for c in wrong_scores)}"
            )
        for w in r["wrong"] + r["meta_wrong"]:
            out.append(f"- WRONG {w}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    ap.add_argument("--limit", type=int, default=None, help="first N scans only")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--core", type=int, default=None, help="the core to run on")
    args = ap.parse_args(argv)
    one_core(args.core)
    results = [run(args.folder, v, args.limit) for v in args.variant or ["current"]]
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
