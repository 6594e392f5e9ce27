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
import errno
import hashlib
import os
import pickle
import re
import shutil
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

import yaml

from gongkai.build.corrections import apply as apply_corrections
from gongkai.build.corrections import sidecar_corrections
from gongkai.cache import Hashes, Store, no_gc, pages_version, parser_version
from gongkai.ingest.ocr import folder_digest, is_page_folder
from gongkai.ingest.read import HTML_SUFFIXES, check_size
from gongkai.model import Meta, NotAReport, NotReadHere, Record, Report, web_url
from gongkai.parse.document import year_problem

SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_KEYS = ("url", "original_url", "published", "date", "corrections")
SIDECAR_MAX = 64 * 1024
PARALLEL_FROM = 50  # below this many uncached files, parse in this process


@dataclass(frozen=True)
class Failure:
    """An input file that did not become a report: ``message`` says why, in plain Chinese.
    ``bug`` is set when the cause is an error in gongkai's own code (its traceback), not in
    the file: the build goes on with the other files, but fails loudly at the end.
    ``skipped``: a file or folder the build does not read at all (hidden, a link leaving
    ``reports/``, a pipe …), listed so that nothing in ``reports/`` goes unaccounted for."""

    path: str
    message: str
    bug: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class Inputs:
    reports: list[Path]  # report files, sorted
    sidecars: dict[Path, Path]  # report file → its sidecar
    orphans: list[Path]  # sidecars with no report beside them
    # what is in reports/ but not read, with the reason: (path, message, failed) — failed for
    # a file meant as a report that cannot be (a name that is not UTF-8), else skipped
    unread: list[tuple[Path, str, bool]] = field(default_factory=list)


# Why a file or folder under reports/ is not read (the build report lists each).
HIDDEN_FILE = "隐藏文件（名称以“.”开头），未读取。"
HIDDEN_FOLDER = "隐藏文件夹（名称以“.”开头），其中的文件未读取。"
LINK_OUTSIDE = "符号链接指向 reports/ 文件夹以外，未读取（只读取 reports/ 之内的文件）。"
LINK_LOOP = "符号链接形成循环，无法读取。"
LINK_BROKEN = "符号链接指向的文件不存在，未读取。"
LINK_FOLDER = "指向文件夹的符号链接，未进入（请把报告直接放在 reports/ 之内）。"
NOT_A_FILE = "不是普通文件（命名管道、套接字或设备文件），未读取。"
UNREADABLE_FOLDER = "文件夹无法读取（{why}），其中的文件未读取。"
BAD_NAME = (
    "文件名不是有效的 UTF-8 编码（常见于从 Windows 压缩包解压出的 GBK 文件名{guess}），"
    "未读取；请把文件改名后重新构建。"
)
BAD_FOLDER_NAME = (
    "文件夹名不是有效的 UTF-8 编码（常见于从 Windows 压缩包解压出的 GBK 名称{guess}），"
    "其中的文件未读取；请把文件夹改名后重新构建。"
)


def shown_path(path: Path | str) -> str:
    """A path as the build report can show it: bytes that are not UTF-8 (a GBK name from a
    Windows archive, kept by Python as surrogate escapes) become replacement characters."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="replace")


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _gbk_guess(name: str) -> str:
    """ "；按 GBK 读作“盐池县报告.txt”" when the raw name is valid GBK (the usual case)."""
    try:
        guess = os.fsencode(name).decode("gb18030")
    except UnicodeDecodeError:
        return ""
    if not guess.isprintable():
        return ""
    return f"；按 GBK 读作“{guess[:80]}”"


def find_inputs(reports_dir: Path) -> Inputs:
    unread: list[tuple[tuple[str, ...], str, bool]] = []
    real = os.path.realpath(reports_dir)
    files = sorted(_page_folders(_files(reports_dir, (), real, unread)))
    paths = [reports_dir.joinpath(*parts) for parts in files]
    sidecar_files = [p for p in paths if p.suffix.lower() in SIDECAR_SUFFIXES]
    reports = [p for p in paths if p.suffix.lower() not in SIDECAR_SUFFIXES]
    stems = {(p.parent, p.stem): p for p in sidecar_files}
    sidecars = {p: stems[(p.parent, p.stem)] for p in reports if (p.parent, p.stem) in stems}
    used = set(sidecars.values())
    orphans = [p for p in sidecar_files if p not in used]
    skipped = [(reports_dir.joinpath(*parts), why, failed) for parts, why, failed in sorted(unread)]
    return Inputs(reports, sidecars, orphans, skipped)


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


def _files(
    folder: Path | str,
    parts: tuple[str, ...],
    real_root: str,
    unread: list[tuple[tuple[str, ...], str, bool]],
) -> Iterator[tuple[str, ...]]:
    """The files under ``folder`` as path parts, leaving out (and adding to ``unread`` with
    the reason) hidden files and folders, names that are not UTF-8, links that leave
    ``reports/`` or go nowhere, linked folders, pipes and devices, unreadable folders.
    One ``scandir`` per folder: the file type comes with the listing."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as err:
        unread.append((parts, UNREADABLE_FOLDER.format(why=_why(err)), False))
        return
    for entry in entries:
        name = entry.name
        here = (*parts, name)
        try:
            link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as err:
            unread.append((here, f"无法读取（{_why(err)}），未读取。", False))
            continue
        if not _valid_name(name):
            why = BAD_FOLDER_NAME if is_dir else BAD_NAME
            unread.append((here, why.format(guess=_gbk_guess(name)), True))
            continue
        if name.startswith("."):
            unread.append((here, HIDDEN_FOLDER if is_dir else HIDDEN_FILE, False))
            continue
        if is_dir:
            yield from _files(entry.path, here, real_root, unread)
            continue
        if link:
            refused = _link_problem(entry.path, real_root)
            if refused is not None:
                unread.append((here, refused, False))
                continue
        try:
            regular = entry.is_file()  # follows a link (inside reports/, checked above)
        except OSError as err:
            unread.append((here, f"无法读取（{_why(err)}），未读取。", False))
            continue
        if regular:
            yield here
        else:
            unread.append((here, NOT_A_FILE, False))


def _link_problem(path: str, real_root: str) -> str | None:
    """Why a symbolic link is not followed, or None for a link to a file inside reports/."""
    try:
        st = os.stat(path)
    except OSError as err:
        return LINK_LOOP if err.errno == errno.ELOOP else LINK_BROKEN
    target = os.path.realpath(path)
    if os.path.commonpath([target, real_root]) != real_root:
        return LINK_OUTSIDE
    if stat.S_ISDIR(st.st_mode):
        return LINK_FOLDER
    return None


def _why(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "权限不足"
    if err.errno == errno.ELOOP:
        return "符号链接形成循环"
    return err.strerror or type(err).__name__


def read_sidecar(path: Path) -> Meta:
    """The sidecar's url and published date; anything wrong is a note, never an error."""
    try:
        if path.stat().st_size > SIDECAR_MAX:
            return Meta(notes=(f"附加信息文件 {path.name} 超过 64 KB，未读取。",))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return Meta(notes=(f"附加信息文件 {path.name} 无法读取：{type(err).__name__}。",))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        return Meta(notes=(f"附加信息文件 {path.name} 无法读取：{type(err).__name__}。",))
    except (ValueError, OverflowError, RecursionError) as err:
        # PyYAML builds dates and integers with Python's own constructors, which refuse
        # 2023-02-30, 2024-13-01, 25:61:00 and 5,000-digit integers with ValueError
        return Meta(
            notes=(f"附加信息文件 {path.name} 中有无效的值（{_value_error(err)}），未使用。",)
        )
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
    unknown = [k for k in data if k not in SIDECAR_KEYS]
    if unknown:
        # the names only when they look like a mistyped key: a sidecar may be a copy of some
        # other file (a config holding secrets), and the build report is published
        names = [
            k
            for k in unknown
            if isinstance(k, str) and _KEY_NAME.fullmatch(k) and not _KEY_SECRET.search(k)
        ]
        shown = f"：{'、'.join(sorted(names))}" if len(names) == len(unknown) else ""
        notes.append(
            f"附加信息中有 {len(unknown)} 个未使用的键{shown}（可用的键：url、published、corrections）。"
        )
    return Meta(url=url or None, published=published, notes=tuple(notes), corrections=corrections)


# A key shown back in the build report: a short lower-case word, as a mistyped "published"
_KEY_NAME = re.compile(r"[a-z][a-z_]{0,19}")
_KEY_SECRET = re.compile(r"token|secret|passw|key|auth|cred", re.I)


def _value_error(err: Exception) -> str:
    text = str(err)
    if "digits" in text or isinstance(err, OverflowError):
        return "位数过多的数字"
    if re.search(r"year|month|day|hour|minute|second|range|date|time", text):
        return "不存在的日期或时间，例如 2 月 30 日、13 月或 25:61"
    return type(err).__name__


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
                key = cache_key(folder_digest(path, hashes.digest), path)
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


def bound_year(report: Report, latest: int | None) -> Report:
    """The report with its year left out (and a YEAR-RANGE problem) when the year is after
    the sidecar's publication date or after ``latest`` (mkdocs.yml's ``latest_year``); the
    parser has checked the year against the 条例 and the page's own date already."""
    record = report.record
    if record.year is None or (latest is None and report.meta.published is None):
        return report
    problem = year_problem(record.year, report.meta.published, latest)
    if problem is None:
        return report
    bounded = replace(record, year=None, problems=(*record.problems, problem))
    return replace(report, record=bounded)
