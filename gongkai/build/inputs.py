"""Publish stage, step 0: the input files in ``reports/``, parsed once and cached.

Every file under ``reports/`` is an input, except hidden files and the optional sidecar
YAML beside a report (``foo.txt`` + ``foo.yml``: original URL, publication date). A file
that cannot be read as a report becomes a :class:`Failure` naming the file and the reason;
it never stops the others. Parsed records are cached in ``build/cache/records`` under the
file's SHA-256, the version of the parsing code and the kind of file name (``.html`` or
not: the parser reads the name), so an unchanged report is never parsed twice; many
uncached files are parsed in a process pool.

A rebuild after one report changed must not read 10,000 records in full: with ``light``,
``parse_all`` gives each cached report its *summary* — the record without narrative and
line numbers, which only the report's own pages show — from one store (``records/_light``),
and :func:`complete` fetches the whole record for the agencies whose pages are made again.
The SHA-256 of an unchanged file is not computed again either (see
:class:`gongkai.cache.Hashes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import yaml

from gongkai.build.corrections import apply as apply_corrections
from gongkai.build.corrections import sidecar_corrections
from gongkai.cache import Hashes, Store, no_gc, pages_version, parser_version
from gongkai.ingest.ocr import folder_digest, is_page_folder
from gongkai.ingest.read import HTML_SUFFIXES, check_size
from gongkai.model import Meta, NotAReport, NotReadHere, Record, Report, web_url

SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_KEYS = ("url", "original_url", "published", "date", "corrections")
SIDECAR_MAX = 64 * 1024
PARALLEL_FROM = 50  # below this many uncached files, parse in this process


@dataclass(frozen=True)
class Failure:
    """An input file that did not become a report: ``message`` says why, in plain Chinese.
    ``bug`` is set when the cause is an error in gongkai's own code (its traceback), not in
    the file: the build goes on with the other files, but fails loudly at the end."""

    path: str
    message: str
    bug: str | None = None


@dataclass(frozen=True)
class Inputs:
    reports: list[Path]  # report files, sorted
    sidecars: dict[Path, Path]  # report file → its sidecar
    orphans: list[Path]  # sidecars with no report beside them


def find_inputs(reports_dir: Path) -> Inputs:
    files = sorted(_page_folders(_files(reports_dir, ())))
    paths = [reports_dir.joinpath(*parts) for parts in files]
    sidecar_files = [p for p in paths if p.suffix.lower() in SIDECAR_SUFFIXES]
    reports = [p for p in paths if p.suffix.lower() not in SIDECAR_SUFFIXES]
    stems = {(p.parent, p.stem): p for p in sidecar_files}
    sidecars = {p: stems[(p.parent, p.stem)] for p in reports if (p.parent, p.stem) in stems}
    used = set(sidecars.values())
    orphans = [p for p in sidecar_files if p not in used]
    return Inputs(reports, sidecars, orphans)


def _page_folders(files: Iterator[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A folder of scanned pages (only images, named in page order: see
    :func:`gongkai.ingest.ocr.is_page_folder`) is one input, not one per image."""
    by_folder: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for parts in files:
        by_folder.setdefault(parts[:-1], []).append(parts)
    out: list[tuple[str, ...]] = []
    for folder, members in by_folder.items():
        if folder and is_page_folder([m[-1] for m in members]):
            out.append(folder)
        else:
            out += members
    return out


def _files(folder: Path | str, parts: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The files under ``folder`` as path parts, as ``Path.rglob`` finds them (symlinked
    folders are not entered, unreadable ones skipped), leaving out hidden files and folders.
    One ``scandir`` per folder: the file type comes with the listing."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                yield from _files(entry.path, (*parts, entry.name))
        elif entry.is_file():  # follows a symlink; a broken one is not a file
            yield (*parts, entry.name)


def read_sidecar(path: Path) -> Meta:
    """The sidecar's url and published date; anything wrong is a note, never an error."""
    try:
        if path.stat().st_size > SIDECAR_MAX:
            return Meta(notes=(f"附加信息文件 {path.name} 超过 64 KB，未读取。",))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        return Meta(notes=(f"附加信息文件 {path.name} 无法读取：{type(err).__name__}。",))
    if data is None:
        return Meta()
    if not isinstance(data, dict):
        return Meta(notes=(f"附加信息文件 {path.name} 应为“键: 值”的形式。",))
    notes: list[str] = []
    url = data.get("url", data.get("original_url"))
    if url is not None and not isinstance(url, str):
        # never str() an arbitrary YAML value: an alias bomb expands to gigabytes
        notes.append("附加信息中的原文链接不是一段文字，未采用。")
        url = None
    if url is not None:
        if web_url(url) is None:
            notes.append(
                f"附加信息中的原文链接不是有效的 http(s) 地址，未采用：{url.strip()[:200]}"
            )
        url = web_url(url)
    published = data.get("published", data.get("date"))
    if isinstance(published, dt.datetime):
        published = published.date().isoformat()
    elif isinstance(published, dt.date):
        published = published.isoformat()
    elif isinstance(published, str | int) and not isinstance(published, bool):
        published = str(published).strip()[:40] or None
    elif published is not None:
        notes.append("附加信息中的发布日期不是一段文字或日期，未采用。")
        published = None
    corrections, wrong = sidecar_corrections(data.get("corrections"))
    notes += wrong
    unknown = sorted(str(k) for k in data if k not in SIDECAR_KEYS)
    if unknown:
        notes.append(f"附加信息中有未使用的键：{'、'.join(unknown)[:200]}")
    return Meta(url=url or None, published=published, notes=tuple(notes), corrections=corrections)


@dataclass(frozen=True)
class Parsed:
    rel: str
    record: Record | None
    message: str | None = None  # why the file is not a report
    digest: str | None = None  # SHA-256 of the bytes parsed; None: the result is not cached
    bug: str | None = None  # the traceback of an error in our code


def _parse_one(args: tuple[str, str]) -> Parsed:
    """Parse one file; runs in a worker process too.

    The line between a bad file and a bug: :class:`NotAReport` is raised by our readers for
    what a file is or holds, and for anything an outside reader library raises on it (see
    :mod:`gongkai.ingest`). Any other exception is a bug in gongkai.
    """
    from gongkai.report import read_report

    absolute, rel = args
    if os.path.isdir(absolute):  # a folder of scanned pages: one report
        return _parse_folder(absolute, rel)
    try:
        data = Path(absolute).read_bytes()
    except OSError as err:
        return Parsed(rel, None, f"无法读取文件（{err.strerror or type(err).__name__}）")
    digest = hashlib.sha256(data).hexdigest()
    try:
        return Parsed(rel, read_report(rel, data), digest=digest)
    except NotReadHere as err:  # a converter missing or too slow here: tried again next build
        return Parsed(rel, None, str(err))
    except NotAReport as err:
        return Parsed(rel, None, str(err), digest)
    except Exception as err:  # a bug: reported loudly, but the other files are still parsed
        return Parsed(
            rel,
            None,
            f"gongkai 程序出错，不是报告的问题（{type(err).__name__}: {err}）",
            bug=traceback.format_exc(),
        )


def _parse_folder(absolute: str, rel: str) -> Parsed:
    from gongkai.check import checked
    from gongkai.ingest.ocr import read_folder
    from gongkai.parse.document import parse_document

    try:
        doc = read_folder(absolute, rel)
        return Parsed(rel, checked(parse_document(doc)), digest=doc.source.sha256)
    except OSError as err:
        return Parsed(rel, None, f"无法读取文件（{err.strerror or type(err).__name__}）")
    except NotAReport as err:
        return Parsed(rel, None, str(err), folder_digest(Path(absolute)))
    except Exception as err:  # a bug, as in _parse_one
        return Parsed(
            rel,
            None,
            f"gongkai 程序出错，不是报告的问题（{type(err).__name__}: {err}）",
            bug=traceback.format_exc(),
        )


def cache_key(digest: str, path: Path | str) -> str:
    """What a parsed record is a function of: the bytes, the parser, and whether the file is
    named as a web page (the same bytes named .txt and .html are read differently)."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()  # Path(path).suffix, 10× cheaper
    kind = "h" if suffix in HTML_SUFFIXES else "t"
    return f"{digest}-{parser_version()}-{kind}"


def rel_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form, or the whole path when outside it
    (``relative_to`` costs ~30 µs a call; this runs once per input file)."""
    text = path.as_posix()
    prefix = root.as_posix().rstrip("/") + "/"
    return text[len(prefix) :] if text.startswith(prefix) else text


def parse_all(
    files: list[Path],
    root: Path,
    cache_dir: Path | None,
    workers: int = 1,
    light: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[Report | Failure], int]:
    """Parse every file (cached by content); returns results in the files' order and the
    number of files actually parsed. With ``light`` (and a cache), a report parsed before
    comes as its summary (see the module's docstring). ``progress("parse", done, total)``
    is called as files are done (cached ones first)."""
    results: dict[str, Report | Failure | None] = {}
    todo: list[tuple[str, str]] = []
    hashes = Hashes(cache_dir / "_stat.pickle" if cache_dir is not None else None)
    summaries = Summaries(cache_dir / "_light" if cache_dir is not None and light else None)
    for path in files:
        rel = rel_path(path, root)
        results[rel] = None
        try:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):  # a folder of scanned pages (find_inputs)
                key = cache_key(folder_digest(path), path)
            else:
                check_size(st.st_size)  # a 50 MB file is refused before it is read
                key = cache_key(hashes.digest(path), path)
        except OSError as err:
            results[rel] = Failure(rel, f"无法读取文件（{err.strerror or type(err).__name__}）")
            continue
        except NotAReport as err:
            results[rel] = Failure(rel, str(err))
            continue
        known = summaries.get(key)
        if known is not None:
            results[rel] = _from_cache(rel, known, key)
            continue
        cached = _load(cache_dir, key)
        if cached is not None:
            summaries.put(key, cached)
            results[rel] = _from_cache(rel, cached)
        else:
            todo.append((str(path), rel))
    done = len(files) - len(todo)  # from the cache
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        # forkserver, not fork: forking a process that runs threads (mkdocs serve, pytest)
        # can copy a held lock into the child and hang it.
        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
            parsed = _counted(pool.map(_parse_one, todo, chunksize=8), done, len(files), progress)
    else:
        parsed = _counted(map(_parse_one, todo), done, len(files), progress)
    for p in parsed:
        if p.digest is not None and cache_dir is not None:
            # the key of the bytes actually parsed: the file may have changed since it was hashed
            key = cache_key(p.digest, p.rel)
            _store(cache_dir, key, p.record if p.record is not None else p.message)
            summaries.put(key, p.record if p.record is not None else p.message)
        results[p.rel] = (
            Report(p.rel, p.record)
            if p.record is not None
            else Failure(p.rel, p.message or "", p.bug)
        )
    hashes.save()
    summaries.save()
    return [r for r in results.values() if r is not None], len(todo)


def _counted(
    parsed: Iterable[Parsed],
    done: int,
    total: int,
    progress: Callable[[str, int, int], None] | None,
) -> list[Parsed]:
    """The parsed files as a list, telling ``progress`` of each one after the ``done``
    files that came from the cache."""
    if progress is None:
        return list(parsed)
    progress("parse", done, total)
    out: list[Parsed] = []
    for p in parsed:
        out.append(p)
        progress("parse", done + len(out), total)
    return out


def summary(record: Record) -> Record:
    """The record as every page but its own needs it: without narrative, line numbers,
    places on the page and the text as read."""
    return replace(record, sections={}, lines={}, places={}, text=())


def complete(report: Report, cache_dir: Path | None, root: Path) -> Report:
    """The report with its whole record, for its own pages (a summary is never published)."""
    if report.light is None:
        return report
    cached = _load(cache_dir, report.light)
    if not isinstance(cached, Record):  # the cache file was removed: parse the file again
        path = Path(report.path)
        p = _parse_one((str(path if path.is_absolute() else root / path), report.path))
        if p.bug is not None:
            raise RuntimeError(f"{report.path}: {p.bug}")
        if p.record is None or p.digest is None or cache_key(p.digest, p.rel) != report.light:
            raise RuntimeError(f"{report.path} 在构建过程中被改动或无法再读取，请重新构建。")
        if cache_dir is not None:
            _store(cache_dir, report.light, p.record)
        cached = p.record
    whole = replace(report, record=_with_path(cached, report.path), light=None, corrections=())
    return apply_corrections(whole)  # again: the cached record is the one read


class Summaries:
    """The summaries of the records parsed before, by cache key (see :func:`summary`); a
    failure is kept as its message. Without a folder it holds nothing.

    They are kept in a subfolder named by the pages' code version (which covers this module,
    which decides what a summary holds); older subfolders are removed."""

    def __init__(self, folder: Path | None) -> None:
        self.store = None
        if folder is not None:
            current = folder / pages_version()
            if folder.is_dir():
                for old in folder.iterdir():
                    if old != current and old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
            self.store = Store(current)
        self.known = self.store.load() if self.store is not None else {}
        self.used: dict[str, Record | str] = {}

    def get(self, key: str) -> Record | str | None:
        found = self.known.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, value: Record | str | None) -> None:
        if self.store is not None and value is not None:
            self.used[key] = summary(value) if isinstance(value, Record) else value

    def save(self) -> None:
        if self.store is not None:
            self.store.save(self.used)


def _from_cache(rel: str, cached: Record | str, light: str | None = None) -> Report | Failure:
    if isinstance(cached, str):
        return Failure(rel, cached)
    return Report(rel, _with_path(cached, rel), light=light)


def _with_path(record: Record, rel: str) -> Record:
    """The same bytes may have been cached under another file name."""
    if record.source is not None and record.source.path != rel:
        return replace(record, source=replace(record.source, path=rel))
    return record


def _load(cache_dir: Path | None, key: str) -> Record | str | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"{key}.pickle"
    try:
        with path.open("rb") as fh, no_gc():
            # build/cache is written only by this function's twin below, in the project's
            # own build directory; a damaged entry is parsed again.
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:
        return None


def _store(cache_dir: Path, key: str, value: Record | str | None) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
    with tmp.open("wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache_dir / f"{key}.pickle")


def attach_meta(report: Report, meta: Meta) -> Report:
    """The report with its sidecar, whose corrections are applied to its record."""
    return apply_corrections(replace(report, meta=meta))
