"""The build: ``reports/`` → Markdown pages, charts and data files in ``content/``.

``run`` finds and parses every report (cached by content), checks each agency's years against
each other, assembles every generated file while a process pool draws the charts not drawn
before, and writes only the files whose content changed (so ``mkdocs serve --dirty`` rebuilds
only what changed), removing generated files that no report produces any more. An agency
whose reports did not change since the last build is not rendered again (see
:mod:`gongkai.incremental`). It writes ``build/build-report.json`` (one entry per input file)
and returns a :class:`Summary`. It never prints or exits; MkDocs is not imported."""

from __future__ import annotations

import gc
import os
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.build import inputs, outputs
from gongkai.build.inputs import Failure
from gongkai.build.outputs import GENERATED_DIRS, GENERATED_FILES
from gongkai.cache import Store, pages_version, write_if_changed
from gongkai.check import identity
from gongkai.model import Report
from gongkai.site import assemble, charts, dataset, listings, pages
from gongkai.site.catalog import Catalog, build_catalog

CHARTS_DIR = "generated/charts"


@dataclass
class Summary:
    files: int = 0  # input files (reports and orphan sidecars)
    ok: int = 0
    problems: int = 0
    failed: int = 0
    skipped: int = 0  # hidden files, links leaving reports/, pipes … (listed, never read)
    parsed: int = 0  # files parsed this time (the rest came from the cache)
    agencies: int = 0
    pages: int = 0
    charts: int = 0
    rendered: int = 0  # charts drawn this time (the rest came from the cache)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # "path: message"
    bugs: list[str] = field(default_factory=list)  # "path: traceback" of errors in our code

    def line(self) -> str:
        return (
            f"{self.files} 个文件：{self.ok} 正常，{self.problems} 有问题，{self.failed} 失败，"
            f"{self.skipped} 跳过；"
            f"{self.agencies} 个机关，{self.pages} 个页面，{self.charts} 张图；"
            f"解析 {self.parsed}，绘图 {self.rendered}；"
            f"写入 {self.written}，未变 {self.unchanged}，删除 {self.removed}"
        )


def run(
    root: str | Path,
    reports_dir: str | Path | None = None,
    content_dir: str | Path | None = None,
    build_dir: str | Path | None = None,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    latest_year: int | None = None,
) -> Summary:
    """Generate content/ from reports/. Paths default to the project layout under ``root``.

    ``progress(stage, done, total)``, when given, is told how the long stages advance:
    ``parse`` (files), ``pages`` (agencies whose pages are made again), ``charts`` (charts
    drawn); a caller shows it, the build never prints.

    ``latest_year``: no report may be of a later year (mkdocs.yml's ``latest_year``; the
    build never asks the clock): such a year is left out with a YEAR-RANGE problem."""
    try:
        return _run(root, reports_dir, content_dir, build_dir, workers, progress, latest_year)
    finally:
        gc.unfreeze()  # see _freeze


def _freeze() -> None:
    """Move every object alive now (the 10,000 records just loaded) out of the garbage
    collector's sight until the build ends: each full collection would walk them all again,
    a third of the time spent making the listings. They hold no cycles."""
    gc.freeze()


def _run(
    root: str | Path,
    reports_dir: str | Path | None,
    content_dir: str | Path | None,
    build_dir: str | Path | None,
    workers: int | None,
    progress: Callable[[str, int, int], None] | None,
    latest_year: int | None = None,
) -> Summary:
    root = Path(root).resolve()
    reports_dir = Path(reports_dir) if reports_dir else root / "reports"
    content_dir = Path(content_dir) if content_dir else root / "content"
    build_dir = Path(build_dir) if build_dir else root / "build"
    workers = workers or min(os.cpu_count() or 1, 8)
    summary = Summary()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = round(now - clock, 3)
        clock = now

    found = (
        inputs.find_inputs(reports_dir) if reports_dir.is_dir() else inputs.Inputs([], {}, [], [])
    )
    records = build_dir / "cache" / "records"
    results, summary.parsed = inputs.parse_all(
        found.reports, root, records, workers, light=True, progress=progress
    )
    reports: list[Report] = []
    failures: list[Failure] = []
    for item, path in zip(results, found.reports, strict=True):
        if isinstance(item, Failure):
            failures.append(item)
            continue
        sidecar = found.sidecars.get(path)
        item = inputs.attach_meta(item, inputs.read_sidecar(sidecar)) if sidecar else item
        reports.append(inputs.bound_year(item, latest_year))
    for orphan in found.orphans:
        failures.append(
            Failure(
                inputs.rel_path(orphan, root),
                "附加信息文件旁没有同名的报告文件（应为 foo.txt 与 foo.yml），未使用。",
            )
        )
    for path, why, failed in found.unread:  # hidden files, links leaving reports/, …
        shown = inputs.shown_path(inputs.rel_path(path, root))
        failures.append(Failure(shown, why, skipped=not failed))
    aliases = _aliases(root, failures)
    _freeze()
    lap("parse")

    catalog = build_catalog(reports, aliases)
    report = build_report(catalog, failures)
    report_text = listings.build_report_json(report)
    lap("check")

    out = outputs.Outputs(content_dir, build_dir / "cache" / "manifest.json", CHARTS_DIR)
    fingerprints = out.reusable(
        catalog.agencies,
        listings.browse_fingerprints(catalog),
        salt=f"latest_year={latest_year}",
    )
    # The agencies rendered again need their reports' whole records (narrative, line numbers).
    for agency in catalog.agencies:
        if agency.slug not in out.reuse:
            for ay in agency.years.values():
                ay.reports = [
                    inputs.bound_year(inputs.complete(r, records, root), latest_year)
                    for r in ay.reports
                ]
    # Charts not yet in content/ are drawn by a process pool while the pages are assembled.
    renderer = charts.Renderer(build_dir / "cache" / "charts", workers)

    def on_chart(key: str, spec: dict[str, Any]) -> None:
        if key not in out.charts_present:
            renderer.add(key, spec)

    (build_dir / "cache" / "dataset.pickle").unlink(missing_ok=True)  # the single-file store
    part_store = Store(build_dir / "cache" / "dataset")
    # The last published dataset, when the maintainer (or CI) put it there: the change log
    # is made against it (dataset.changes).
    previous = build_dir / "previous"
    parts = dataset.Parts(
        part_store.load(),
        f"{pages_version()}|{latest_year}",
        previous_dataset(previous),
        _read(previous / "changes.json"),
        # a report kept as a summary whose share is not kept: its narrative, read again
        narrative=lambda r: inputs.complete(r, records, root).record.sections,
    )
    _freeze()
    pages.keep_compiled(build_dir / "cache" / "templates")
    emit = out.emit if progress is None else _counting(out.emit, catalog, out.reuse, progress)
    try:
        site = assemble.assemble(
            catalog,
            report,
            on_chart=on_chart,
            reuse=out.reuse,
            emit=emit,
            parts=parts,
            report_text=report_text,
        )
    except BaseException:
        renderer.close()
        raise
    lap("pages")
    svgs = renderer.finish(
        None if progress is None else lambda done, total: progress("charts", done, total)
    )
    summary.rendered = renderer.drawn
    lap("charts")

    made = {
        slug: {"fingerprint": fingerprints[slug], "files": rels, "charts": site.agency_charts[slug]}
        for slug, rels in site.agency_files.items()
    }
    summary.pages, summary.charts = out.finish(
        svgs, set(site.charts), made, (GENERATED_DIRS, GENERATED_FILES)
    )
    summary.written, summary.unchanged, summary.removed = out.written, out.unchanged, out.removed
    part_store.save(parts.used)
    write_if_changed(build_dir / "build-report.json", report_text.encode("utf-8"))
    lap("write")

    summary.files = len(report)
    for entry in report:
        setattr(summary, entry["status"], getattr(summary, entry["status"]) + 1)
    failures.sort(key=lambda f: f.path)
    summary.failures = [f"{f.path}: {f.message}" for f in failures if f.bug is None]
    summary.bugs = [f"{f.path}: {f.bug}" for f in failures if f.bug is not None]
    summary.agencies = len(catalog.agencies)
    return summary


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def previous_dataset(folder: Path) -> bytes | None:
    """The last published ``gongkai.json``: read out of the published ``gongkai.zip`` in
    ``folder``, or as a file of its own (sites published before the zip had it so). None
    when neither can be read: the change log then starts here."""
    try:
        with zipfile.ZipFile(folder / "gongkai.zip") as archive:
            return archive.read("gongkai.json")
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, RuntimeError):
        pass  # not there, damaged, without the member, or compressed in a way unknown
    return _read(folder / "gongkai.json")


def _aliases(root: Path, failures: list[Failure]) -> identity.Aliases:
    """The maintainer's aliases file beside mkdocs.yml (gongkai.check.identity), if any; what
    is wrong with it goes to the build report."""
    path = root / identity.ALIASES_FILE
    if not path.is_file():
        return identity.NO_ALIASES
    aliases = identity.parse_aliases(path.read_text(encoding="utf-8", errors="replace"))
    failures += [Failure(identity.ALIASES_FILE, note) for note in aliases.notes]
    return aliases


def _counting(
    emit: Callable[[str, str | bytes], None],
    catalog: Catalog,
    reuse: Any,
    progress: Callable[[str, int, int], None],
) -> Callable[[str, str | bytes], None]:
    """``emit`` that tells ``progress("pages", …)`` of each agency done: an agency's own page
    is the last file assemble emits for it."""
    last = {a.doc_path for a in catalog.agencies if a.slug not in reuse}
    done = 0
    progress("pages", 0, len(last))

    def counted(rel: str, content: str | bytes) -> None:
        nonlocal done
        emit(rel, content)
        if rel in last:
            done += 1
            progress("pages", done, len(last))

    return counted


def build_report(catalog: Catalog, failures: list[Failure]) -> list[dict[str, Any]]:
    """One entry per input file: path, status (ok / problems / failed), messages, page."""
    entries: list[dict[str, Any]] = []
    for ay in catalog.agency_years():
        for report in ay.reports:
            problems = [*report.problems, *ay.series_problems]
            messages = [
                f"[{p.rule}] {p.message}" for p in problems if p.severity in ("error", "warning")
            ]
            messages += [f"[{p.rule}] {p.message}" for p in problems if p.severity == "info"]
            messages += list(report.meta.notes)
            if ay.duplicated:
                others = [r.path for r in ay.reports if r is not report]
                kind = "数字不一致" if ay.conflicting else "数字相同"
                messages.insert(
                    0, f"同一机关同一年度还有报告 {'、'.join(others)}（{kind}），合并在一个页面。"
                )
            bad = (
                any(p.severity in ("error", "warning") for p in problems)
                or report.meta.notes
                or ay.conflicting
            )
            entries.append(
                {
                    "path": report.path,
                    "status": "problems" if bad else "ok",
                    "agency": ay.agency.name,
                    "year": ay.year,
                    "page": ay.doc_path,
                    "url": pages.url_of(ay.doc_path),
                    "messages": messages,
                }
            )
    for f in failures:
        entries.append(
            {
                "path": f.path,
                "status": "skipped" if f.skipped else "failed",
                "agency": None,
                "year": None,
                "page": None,
                "url": None,
                "messages": [f.message],
            }
        )
    return sorted(entries, key=lambda e: e["path"])
