"""What ``build/cache`` holds, and what its entries are keyed by.

Everything a build makes is cached by content: parsed records, charts, each agency's pages,
the search index. A cache entry is a function of its input *and of the code and libraries
that made it*, so every key carries a **version**: a digest of the source folders of the
stages that made the entry (computed once at start-up from the files themselves, never from
a hand-kept list) and of the versions of the outside libraries whose output the entry
stores. Editing a module of the parser re-parses every report; editing the CLI re-parses
nothing.

| entry | version |
|---|---|
| parsed record | :func:`parser_version`: ``ingest/``, ``parse/``, ``check/``, ``model.py``, ``layout.py`` + the readers' libraries (lxml, charset-normalizer, pypdfium2) |
| agency pages, listings, compiled templates | :func:`pages_version`: the parser's + ``site/``, ``build/``, ``cache.py`` |
| chart SVG | the chart's spec + :func:`chart_version` (``site/charts.py``, ``site/chart_svg.py`` + altair, vl-convert) |
| search shard | its pages' bytes + :func:`search_version` (``site/search.py`` + Pagefind) |

The helpers below write files atomically (a temporary name, then a rename), so a build
killed at any point leaves either the old or the new file. Deleting ``build/`` only makes
the next build a full one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
# Bump when a cache's on-disk layout changes in a way the code digests cannot see.
FORMAT = 2

# The parts of the package each kind of cache entry is made by (folders or single files).
PARSER_PARTS = ("ingest", "parse", "check", "model.py", "layout.py")
PARSER_LIBRARIES = (
    "lxml",
    "charset-normalizer",
    "rapidocr-onnxruntime",
    "onnxruntime",
    "pillow",
    "pypdfium2",
)
PAGES_PARTS = (*PARSER_PARTS, "site", "build", "cache.py")
CHART_PARTS = ("site/charts.py", "site/chart_svg.py")
CHART_LIBRARIES = ("altair", "vl-convert-python")
SEARCH_PARTS = ("site/search.py",)
SEARCH_LIBRARIES = ("pagefind",)


def _files(parts: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"gongkai.cache: no part {part!r} in the package")
    return sorted(set(found))


def library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


@cache
def code_version(parts: tuple[str, ...], libraries: tuple[str, ...] = ()) -> str:
    """A digest of the files under ``parts`` (names and bytes) and of the libraries' versions."""
    digest = hashlib.sha256(f"gongkai-cache {FORMAT}".encode())
    for path in _files(parts):
        digest.update(b"\0" + path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    for name in libraries:
        digest.update(f"\0{name}=={library_version(name)}".encode())
    return digest.hexdigest()[:16]


def parser_version() -> str:
    return code_version(PARSER_PARTS, PARSER_LIBRARIES)


def pages_version() -> str:
    return code_version(PAGES_PARTS, PARSER_LIBRARIES + CHART_LIBRARIES)


def chart_version() -> str:
    return code_version(CHART_PARTS, CHART_LIBRARIES)


def search_version() -> str:
    return code_version(SEARCH_PARTS, SEARCH_LIBRARIES)


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
    except FileNotFoundError:  # the folder is new (one mkdir per folder, not per file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
    tmp.replace(path)
    return True


@contextmanager
def no_gc() -> Iterator[None]:
    """Unpickling a cache makes millions of small objects, and the cyclic garbage collector
    walks every live object again and again while they are made (half the time of a load).
    They hold no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


RECENT_NS = 2_000_000_000


class Hashes:
    """The SHA-256 of files, remembered in a pickle with each file's identity and stamps
    (device, inode, size, modification and change times): the reports (inputs.py) and the
    site's pages for the search index (search.py).

    Any write to a file changes its change time (which no tool can set back), and a new file
    has a new inode: a remembered digest is used only when all of them are the same. A file
    changed less than :data:`RECENT_NS` before the build started is not remembered, since a
    second change within the clock's granularity could keep its stamps.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        self.settled = time.time_ns() - RECENT_NS
        if path is not None:
            old = load_pickle(path)
            self.old = old if isinstance(old, dict) else {}

    def digest(self, path: Path) -> str:
        """Raises OSError."""
        name = str(path)
        st = os.stat(name)
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        entry = self.old.get(name)
        if entry is not None and entry[0] == stamp:
            digest = entry[1]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.settled:
            self.new[name] = (stamp, digest)
        return digest

    def save(self) -> None:
        if self.path is not None and self.new != self.old:
            save_pickle(self.path, self.new)


def load_pickle(path: Path) -> Any:
    """A cache file this module wrote (build/cache is the project's own); None if unusable."""
    try:
        with path.open("rb") as fh, no_gc():
            return pickle.load(fh)
    except Exception:  # missing, damaged or from another version: start afresh
        return None


def save_pickle(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


_SHARD = re.compile(r"[0-9a-f]{2}")


class Store:
    """A dict kept in build/cache across builds, as up to 256 pickle files by the first two
    characters of the keys (hex digests, so the files fill evenly).

    ``load`` reads every file; ``save`` writes only the files whose entries changed, and
    drops the entries not used by the build. Values are what their key names: a key is a hash
    of everything its value is made from, so an entry is never out of date, only unused.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shards: dict[str, dict[str, Any]] = {}

    def load(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.shards = {}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return out
        with no_gc():  # once around all files: each re-enabling would collect (0.25 s)
            for name in names:
                if name.endswith(".pickle") and len(name) == len("xx.pickle"):
                    shard = load_pickle(self.folder / name)
                    if isinstance(shard, dict):
                        self.shards[name[:2]] = shard
                        out.update(shard)
        return out

    def save(self, used: dict[str, Any]) -> None:
        """Keep exactly ``used``: rewrite the files that differ, remove those left empty."""
        new: dict[str, dict[str, Any]] = {}
        for key, value in used.items():
            if not _SHARD.fullmatch(key[:2]):
                raise ValueError(f"a store key starts with two hex digits: {key!r}")
            new.setdefault(key[:2], {})[key] = value
        for shard in set(new) | set(self.shards):
            entries = new.get(shard)
            if entries == self.shards.get(shard):
                continue
            path = self.folder / f"{shard}.pickle"
            if entries:
                save_pickle(path, entries)
            else:
                path.unlink(missing_ok=True)
        self.shards = new
