"""Publish stage, step 0: the input files in ``reports/``, parsed once and cached.

Every file under ``reports/`` is an input, except hidden files and the optional sidecar
YAML beside a report (``foo.txt`` + ``foo.yml``: original URL, publication date). A file
that cannot be read as a report becomes a :class:`Failure` naming the file and the reason;
it never stops the others. Parsed records are cached in ``build/cache/records`` under the
file's SHA-256 and the version of the parsing code, so an unchanged report is never
parsed twice; many uncached files are parsed in a process pool.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import yaml

from gongkai.catalog import Meta, Report
from gongkai.model import NotAReport, Record
from gongkai.read import check_size

SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_MAX = 64 * 1024
PARALLEL_FROM = 50  # below this many uncached files, parse in this process
# The modules whose code decides what a record holds: a change to any of them is a new parser.
PARSER_MODULES = (
    "parse",
    "read",
    "html",
    "tables",
    "cells",
    "numbers",
    "region",
    "validate",
    "layout",
    "model",
)


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


@dataclass(frozen=True)
class Inputs:
    reports: list[Path]  # report files, sorted
    sidecars: dict[Path, Path]  # report file → its sidecar
    orphans: list[Path]  # sidecars with no report beside them


def find_inputs(reports_dir: Path) -> Inputs:
    files = sorted(
        p
        for p in reports_dir.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(reports_dir).parts)
    )
    sidecar_files = [p for p in files if p.suffix.lower() in SIDECAR_SUFFIXES]
    reports = [p for p in files if p.suffix.lower() not in SIDECAR_SUFFIXES]
    stems = {(p.parent, p.stem): p for p in sidecar_files}
    sidecars = {p: stems[(p.parent, p.stem)] for p in reports if (p.parent, p.stem) in stems}
    used = set(sidecars.values())
    orphans = [p for p in sidecar_files if p not in used]
    return Inputs(reports, sidecars, orphans)


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
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")) or any(c in url for c in " <>\"'"):
            notes.append(f"附加信息中的原文链接不是有效的 http(s) 地址，未采用：{url[:200]}")
            url = None
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
    unknown = sorted(str(k) for k in data if k not in ("url", "original_url", "published", "date"))
    if unknown:
        notes.append(f"附加信息中有未使用的键：{'、'.join(unknown)[:200]}")
    return Meta(url=url or None, published=published, notes=tuple(notes))


@cache
def parser_version() -> str:
    """PARSER_VERSION plus a hash of the parsing modules' source: stale caches cannot survive."""
    from gongkai import parse

    digest = hashlib.sha256(getattr(parse, "PARSER_VERSION", "").encode())
    package = Path(parse.__file__).parent
    for name in PARSER_MODULES:
        source = package / f"{name}.py"
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _parse_one(args: tuple[str, str]) -> tuple[str, Record | None, str | None, bool]:
    """(rel, record, failure message, cacheable). Runs in a worker process too."""
    from gongkai.parse import parse_file

    absolute, rel = args
    try:
        data = Path(absolute).read_bytes()
    except OSError as err:
        return rel, None, f"无法读取文件（{err.strerror or type(err).__name__}）", False
    try:
        return rel, parse_file(rel, data), None, True
    except NotAReport as err:
        return rel, None, str(err), True
    except Exception as err:  # a bug on one file must not stop the others
        return rel, None, f"解析时程序出错（{type(err).__name__}: {err}）", False


def parse_all(
    files: list[Path], root: Path, cache_dir: Path | None, workers: int = 1
) -> tuple[list[Report | Failure], int]:
    """Parse every file (cached by content); returns results in the files' order and the
    number of files actually parsed."""
    results: dict[str, Report | Failure | None] = {}
    todo: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    version = parser_version()
    for path in files:
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        results[rel] = None
        try:
            check_size(path.stat().st_size)  # a 50 MB file is refused before it is read
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            results[rel] = Failure(rel, f"无法读取文件（{err.strerror or type(err).__name__}）")
            continue
        except NotAReport as err:
            results[rel] = Failure(rel, str(err))
            continue
        keys[rel] = f"{digest}-{version}"
        cached = _load(cache_dir, keys[rel])
        if cached is not None:
            results[rel] = _from_cache(rel, cached)
        else:
            todo.append((str(path), rel))
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        # forkserver, not fork: forking a process that runs threads (mkdocs serve, pytest)
        # can copy a held lock into the child and hang it.
        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
            parsed = list(pool.map(_parse_one, todo, chunksize=8))
    else:
        parsed = [_parse_one(item) for item in todo]
    for rel, record, message, cacheable in parsed:
        if cacheable and cache_dir is not None and rel in keys:
            _store(cache_dir, keys[rel], record if record is not None else message)
        results[rel] = Report(rel, record) if record is not None else Failure(rel, message or "")
    return [r for r in results.values() if r is not None], len(todo)


def _from_cache(rel: str, cached: Record | str) -> Report | Failure:
    if isinstance(cached, str):
        return Failure(rel, cached)
    # The same bytes may have been cached under another file name.
    if cached.source is not None and cached.source.path != rel:
        cached = replace(cached, source=replace(cached.source, path=rel))
    return Report(rel, cached)


def _load(cache_dir: Path | None, key: str) -> Record | str | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"{key}.pickle"
    try:
        with path.open("rb") as fh:
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
    return replace(report, meta=meta)
