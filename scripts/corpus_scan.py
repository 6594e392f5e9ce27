"""Scans of the synthetic PDFs: image-only PDF, long PNG/JPG, a folder of page images, TIFF.

    python scripts/make_binary_corpus.py OUT_DIR -n 20 --seed 1 --kinds pdf,scan

A text-layer PDF of ``corpus_pdf`` is rendered by pdfium at a scan resolution (150, 200 or
300 dpi), turned grey, and damaged the way an office copier does it: a slight rotation
(0.3–2°, either way) and shift, a grey or yellowish paper tone with uneven light, sensor
noise, a little blur, dust specks, and JPEG compression (quality 35–85). Kinds, in turn:

* ``scan-pdf`` — an image-only PDF (one JPEG per page, no text layer), ``NAME.scan.pdf``;
* ``pages``    — a folder ``NAME.pages/`` of ``page-001.jpg`` … (as mailed or uploaded);
* ``tiff``     — one multi-page TIFF: bilevel CCITT G4 (a copier's black-and-white mode)
  or greyscale JPEG-in-TIFF;
* ``jpg`` / ``png`` — one long image of all pages stacked (长图, as posted on WeChat; a
  report does not fit one page), at 150 dpi for PNG to keep it under a few MB.

The truth is the source PDF's record with ``kind``, ``source`` and ``scan`` (dpi, and per
page the angle in degrees counter-clockwise and the shift in pixels, so text boxes of the
source's text layer can be mapped onto the image: see ``page_transform``).
"""

from __future__ import annotations

import io
import math
import random
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

KINDS = ("scan-pdf", "pages", "tiff", "jpg", "png")
_DATE = time.gmtime(1737363600)  # 2025-01-20 09:00 UTC, the image PDFs' /CreationDate


def degrade(img: Image.Image, rng: random.Random, np_rng: np.random.Generator, params: dict):
    """One clean grey page → a scanned-looking page (mode L), same size."""
    w, h = img.size
    angle, dx, dy = params["angle"], params["dx"], params["dy"]
    paper = params["paper"]
    a = np.asarray(img, dtype=np.float32) / 255.0
    # ink on paper: white becomes the paper tone, with light falling off towards one side
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - params["vignette"] * ((xx / w - params["light_x"]) ** 2 + (yy / h - 0.5) ** 2)
    page = paper * light
    a = a * page + (1 - a) * params["ink"]
    out = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8), "L")
    fill = int(paper * 255 * (1 - params["vignette"] * 0.25))
    out = out.rotate(angle, resample=Image.Resampling.BICUBIC, translate=(dx, dy), fillcolor=fill)
    if params["blur"]:
        out = out.filter(ImageFilter.GaussianBlur(params["blur"]))
    a = np.asarray(out, dtype=np.float32)
    a += np_rng.normal(0.0, params["noise"], size=a.shape).astype(np.float32)
    n_dust = int(w * h * params["dust"])
    if n_dust:
        ys = np_rng.integers(0, h, n_dust)
        xs = np_rng.integers(0, w, n_dust)
        a[ys, xs] = np_rng.uniform(20, 90, n_dust)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def scan_params(rng: random.Random, dpi: int, grey: bool) -> dict:
    sign = rng.choice((-1, 1))
    return {
        "angle": round(sign * rng.uniform(0.3, 2.0), 2),
        "dx": rng.randint(-dpi // 12, dpi // 12),
        "dy": rng.randint(-dpi // 12, dpi // 12),
        "paper": rng.uniform(0.80, 0.90) if grey else rng.uniform(0.95, 1.0),
        "ink": rng.uniform(0.05, 0.2),
        "vignette": rng.uniform(0.0, 0.25),
        "light_x": rng.uniform(0.0, 1.0),
        "blur": rng.choice((0, 0.4, 0.6)),
        "noise": rng.uniform(3, 10),
        "dust": rng.choice((0, 2e-5, 1e-4)),
    }


def page_transform(scan: dict, page: int, size: tuple[int, int]):
    """A function (x, y) in PDF points, y from the top → (x, y) pixels on the scanned page."""
    p = scan["pages"][page]
    s = scan["dpi"] / 72.0
    w, h = size
    cx, cy = w / 2, h / 2
    t = math.radians(p["angle"])

    def f(x: float, y: float) -> tuple[float, float]:
        # PIL rotates counter-clockwise about the centre, then translates
        u, v = x * s - cx, y * s - cy
        return (
            cx + u * math.cos(t) + v * math.sin(t) + p["dx"],
            cy - u * math.sin(t) + v * math.cos(t) + p["dy"],
        )

    return f


def render_pages(pdf_path: Path, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [
            pdf[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
            for i in range(len(pdf))
        ]
    finally:
        pdf.close()


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def stack(pages: list[Image.Image], gap: int, fill: int) -> Image.Image:
    w = max(p.width for p in pages)
    h = sum(p.height for p in pages) + gap * (len(pages) - 1)
    out = Image.new("L", (w, h), fill)
    y = 0
    for p in pages:
        out.paste(p, (0, y))
        y += p.height + gap
    return out


def scan_one(pdf_path: Path, out_dir: Path, stem: str, kind: str, rng: random.Random) -> dict:
    """Write one scanned form of ``pdf_path``; → {"file", "scan"} for the truth line."""
    dpi = 150 if kind == "png" else rng.choice((150, 200, 200, 300))
    grey = rng.random() < 0.35
    quality = rng.randint(35, 85)
    np_rng = np.random.default_rng(rng.getrandbits(64))
    pages, params = [], []
    for clean in render_pages(pdf_path, dpi):
        p = scan_params(rng, dpi, grey)
        if kind in ("jpg", "png"):
            p["angle"], p["dx"], p["dy"] = round(p["angle"] / 3, 2), 0, 0  # a phone's 长图
        pages.append(degrade(clean, rng, np_rng, p))
        params.append({k: p[k] for k in ("angle", "dx", "dy")})
    scan = {"dpi": dpi, "grey_paper": grey, "jpeg_quality": quality, "pages": params}
    if kind == "scan-pdf":
        name = stem + ".scan.pdf"
        imgs = [_jpeg(p, quality) for p in pages]
        buf = io.BytesIO()
        imgs[0].save(
            buf,
            "PDF",
            save_all=True,
            append_images=imgs[1:],
            resolution=float(dpi),
            quality=quality,
            title="",
            producer="Scanner",
            creationDate=_DATE,
            modDate=_DATE,
        )
        (out_dir / name).write_bytes(buf.getvalue())
    elif kind == "pages":
        name = stem + ".pages"
        folder = out_dir / name
        folder.mkdir(exist_ok=True)
        for i, p in enumerate(pages, 1):
            p.save(folder / f"page-{i:03d}.jpg", "JPEG", quality=quality, dpi=(dpi, dpi))
    elif kind == "tiff":
        name = stem + ".tif"
        bilevel = rng.random() < 0.5
        scan["tiff"] = "group4" if bilevel else "jpeg"
        if bilevel:
            imgs = [p.point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
        else:
            imgs = [_jpeg(p, quality) for p in pages]
        imgs[0].save(
            out_dir / name,
            "TIFF",
            save_all=True,
            append_images=imgs[1:],
            compression=scan["tiff"],
            dpi=(dpi, dpi),
            # Pillow refuses a quality for group4 (bilevel) TIFFs
            **({"quality": quality} if scan["tiff"] == "jpeg" else {}),
        )
    else:
        gap = dpi // 10
        scan["stacked_gap"] = gap
        long = stack(pages, gap, fill=int(255 * 0.93))
        name = f"{stem}.{kind}"
        if kind == "jpg":
            long.save(out_dir / name, "JPEG", quality=quality, dpi=(dpi, dpi))
        else:
            long.save(out_dir / name, "PNG", dpi=(dpi, dpi), optimize=False)
    return {"file": name, "scan": scan}


def make(out_dir: Path, pdf_lines: list[dict], seed: int, every: int = 2) -> list[dict]:
    """Scan every ``every``-th Chromium PDF, the kinds in turn; → truth lines."""
    lines = []
    chosen = [t for i, t in enumerate(pdf_lines) if i % every == 0]
    for j, t in enumerate(chosen):
        kind = KINDS[j % len(KINDS)]
        rng = random.Random(f"{seed}/scan/{t['file']}")
        stem = t["file"].removesuffix(".pdf")
        made = scan_one(out_dir / t["file"], out_dir, stem, kind, rng)
        lines.append({**t, **made, "kind": kind, "source": t["file"], "producer": "scan"})
    return lines
