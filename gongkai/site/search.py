"""The search index: Pagefind over the agency pages, in shards that are rebuilt only when
their pages change.

Pagefind has no incremental mode: at 10,000 reports indexing every agency page takes ~45 s,
three times the whole budget for a rebuild after one report changes. So the pages are split
by agency into shards of about ``pages_per_shard`` pages (an agency's pages always share a
shard), each shard is indexed on its own into ``build/cache/pagefind/`` and kept there under
a digest of what went into it (every page's bytes, the shard layout, Pagefind's version and
arguments, and this module's code: :func:`gongkai.cache.search_version`). A rebuild indexes again only the shards whose digest changed — one, after one
report changed — and puts the bundle together in ``site/pagefind/``:

- ``pagefind/``: the search program (pagefind.js, the UI, the WebAssembly) and the first
  shard's index, as Pagefind writes it;
- ``pagefind/part/NN/``: the index of every other shard (its entry, metadata, word index
  and page fragments), which the search page merges (Pagefind's ``mergeIndex``: the program
  is loaded once and each shard adds only its own index files; results are ranked together);
- ``pagefind/gongkai-shards.js``: the list of those shards for the search page.

A site with fewer pages than one shard holds is one ordinary Pagefind bundle. A site with no
agency page has no index; the search page says so. Nothing here imports MkDocs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.cache import Hashes, search_version, write_if_changed
from gongkai.site.source_text import SOURCE_PAGE

# Shard size is a trade between the maintainer and the reader. Measured at 10,000 reports
# (12,805 agency pages, 2-core machine): one index of everything takes ~32 s to rebuild and a
# search for 财政局 fetches 168 KB of index; 7 shards of ≤2,000 pages take ~4 s each and the
# same search fetches 362 KB (each shard adds its metadata and one ~35 KB word-index chunk
# per term); 13 shards of ≤1,000 pages, ~2.5 s and 575 KB.
PAGES_PER_SHARD = 2000
MAX_SHARDS = 16  # beyond ~32,000 pages the shards grow instead: a search stays light
INDEXED = "agencies"  # the folder of the site whose pages are searchable
# Left out of the index (see _command): the tables and charts, and the site's own words
# around them (legends, notes, key-figure cards, check messages, section headings), which
# are the same on every page and would only fill the excerpts; what a page is indexed by
# is its title, its place names (.gk-places) and the report's own text.
EXCLUDED = (
    ".gk-scroll, .gk-figure, .gk-legend, .gk-keys, .gk-alert, .gk-note, .gk-src, .gk-check, "
    ".gk-carry, .gk-conflict, .gk-ocr-note, .gk-decoded-note, .gk-provenance, h2, .t, p.gap"
)
BUNDLE = "pagefind"
PARTS = "part"
SHARD_LIST = "gongkai-shards.js"
# the files of a shard's bundle that hold its index (the rest is the program, kept once)
INDEX_FILES = ("pagefind-entry.json",)
INDEX_SUFFIXES = (".pf_meta",)
INDEX_DIRS = ("index", "fragment", "filter")


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Result:
    pages: int = 0
    shards: int = 0
    indexed: int = 0  # shards indexed this time (the rest came from build/cache)
    seconds: float = 0.0
    shard_seconds: list[float] = field(default_factory=list)

    def line(self) -> str:
        if not self.pages:
            return "没有可搜索的机关页面，未建立搜索索引"
        return (
            f"{self.pages} 个页面，{self.shards} 个分片，重建 {self.indexed} 个"
            f"（{self.seconds:.2f} 秒）"
        )


def shard_count(pages: int, pages_per_shard: int = PAGES_PER_SHARD) -> int:
    return max(1, min(MAX_SHARDS, math.ceil(pages / max(1, pages_per_shard))))


def shard_of(slug: str, shards: int) -> int:
    """Stable across builds and machines (not Python's salted hash)."""
    return int.from_bytes(hashlib.sha1(slug.encode("utf-8")).digest()[:8], "big") % shards


def find_pages(site: Path) -> list[str]:
    """The pages under agencies/ (site-relative, posix): their index.html and 原文 files."""
    found: list[str] = []
    for dirpath, _, filenames in os.walk(site / INDEXED):
        rel_dir = os.path.relpath(dirpath, site).replace(os.sep, "/")
        found.extend(
            f"{rel_dir}/{name}"
            for name in filenames
            if name == "index.html" or SOURCE_PAGE.fullmatch(name)
        )
    return found


def by_agency(pages: Iterable[str]) -> dict[str, list[str]]:
    """agency folder → its pages, sorted (files directly in agencies/ belong to none)."""
    found: dict[str, list[str]] = {}
    for rel in sorted(pages):
        parts = rel.split("/")
        # the agency's page (agencies/x/index.html) and each report's 原文 page
        # (agencies/x/2023/原文.html), which holds the report's words and stands for its
        # agency-year page in the index (gongkai.site.source_text.SearchMeta)
        if parts[0] != INDEXED:
            continue
        if (len(parts) == 3 and parts[2] == "index.html") or (
            len(parts) == 4 and SOURCE_PAGE.fullmatch(parts[3])
        ):
            found.setdefault(parts[1], []).append(rel)
    return found


def index_site(
    site: str | Path,
    cache_dir: str | Path,
    pages_per_shard: int = PAGES_PER_SHARD,
    run: Callable[[list[str], Path], subprocess.CompletedProcess] | None = None,
    pages: Iterable[str] | None = None,
) -> Result:
    """Index the agency pages of ``site`` into ``site/pagefind/`` (see the module's text).

    ``pages``: the site's pages (site-relative paths) when the caller knows them (the MkDocs
    hook does), which spares walking 10,000 folders; by default the site is walked.
    """
    start = time.perf_counter()
    site, cache_dir = Path(site).resolve(), Path(cache_dir).resolve()
    run = run or _run
    result = Result()
    bundle = site / BUNDLE
    agencies = by_agency(find_pages(site) if pages is None else pages)
    result.pages = sum(len(v) for v in agencies.values())
    store = cache_dir / "pagefind"
    hashes = Hashes(store / "pages.pickle")  # unchanged pages are not re-read
    if not result.pages:
        shutil.rmtree(bundle, ignore_errors=True)
        _write_shard_list(bundle, [], 0)
        _remove_stale(store, set())
        hashes.save()
        result.seconds = time.perf_counter() - start
        return result

    count = shard_count(result.pages, pages_per_shard)
    shards: dict[int, list[str]] = {}  # shard → its agency folders
    for slug in sorted(agencies):
        shards.setdefault(shard_of(slug, count), []).append(slug)
    result.shards = len(shards)
    names = {k: f"{count}-{k:02d}" for k in shards}
    for k in sorted(shards):
        out = store / names[k]
        pages_of_shard = [rel for slug in shards[k] for rel in agencies[slug]]
        digest = _digest(site, count, k, pages_of_shard, hashes)
        if _stamp(out) == digest and _verified(out):
            continue
        t = time.perf_counter()
        _index_shard(site, shards[k], out, digest, run)
        result.shard_seconds.append(time.perf_counter() - t)
        result.indexed += 1
    _remove_stale(store, set(names.values()))
    hashes.save()

    order = sorted(shards)
    parts = [f"{PARTS}/{k:02d}/" for k in order[1:]]
    places = {
        "": store / names[order[0]],
        **{rel: store / names[k] for rel, k in zip(parts, order[1:], strict=True)},
    }
    stale = [rel for rel, src in places.items() if not _same_copy(bundle / rel, src, rel == "")]
    if "" in stale:  # the first shard, or a site without the bundle (MkDocs cleaned it)
        shutil.rmtree(bundle, ignore_errors=True)
        _copy_files(places[""], bundle, whole=True)  # the program and the first shard's index
        stale = parts
    elif (bundle / PARTS).is_dir():  # a dirty rebuild: keep the bundle, swap what changed
        for item in (bundle / PARTS).iterdir():
            if f"{PARTS}/{item.name}/" not in places:
                shutil.rmtree(item)
    for rel in stale:
        shutil.rmtree(bundle / rel, ignore_errors=True)
        _copy_files(places[rel], bundle / rel, whole=False)
    _write_shard_list(bundle, parts, result.pages)
    result.seconds = time.perf_counter() - start
    return result


def _digest(site: Path, count: int, k: int, pages: list[str], hashes: Hashes) -> str:
    digest = hashlib.sha256(json.dumps([search_version(), _command("S", "O"), count, k]).encode())
    for rel in pages:
        digest.update(f"\n{rel}\t{hashes.digest(site / rel)}".encode())
    return digest.hexdigest()


def _stamp(out: Path) -> str | None:
    try:
        return (out / ".gongkai-stamp").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _command(site: str, output: str) -> list[str]:
    """Pagefind over the whole site; which pages it reads is in ``pagefind.json`` (see
    :func:`_index_shard`)."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        site,
        "--output-path",
        output,
        # the tables and charts: official row labels repeated on every page and numbers
        # nobody searches for; left out, the index is a third faster to build and smaller
        "--exclude-selectors",
        EXCLUDED,
        "--silent",
    ]


# Pagefind indexes a shard of 2,000 pages in ~4 s; one that runs for this long is stuck (it
# waited forever on pages another build deleted, before builds took the lock in build/).
PAGEFIND_TIMEOUT = 900.0


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=PAGEFIND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise SearchIndexError(
            f"Pagefind 超过 {PAGEFIND_TIMEOUT:g} 秒仍未建完一个分片的索引，已终止"
        ) from None


_GLOB_SAFE = re.compile(r"[^\\/*?\[\]{},!]+")


def _index_shard(
    site: Path,
    agencies: list[str],
    out: Path,
    digest: str,
    run: Callable[[list[str], Path], subprocess.CompletedProcess],
) -> None:
    """Pagefind over this shard's agency folders of the site, into ``out``.

    The folders are named in a glob, ``agencies/{a,b,…}/**/*.html``, given in a config file
    (one command-line argument may not exceed 128 KB, which 3,000 folder names would):
    no copy of the pages, and Pagefind's URLs are the site's.
    """
    unsafe = [name for name in agencies if not _GLOB_SAFE.fullmatch(name)]
    if unsafe:
        raise SearchIndexError(f"folder names a glob cannot hold: {unsafe[:3]}")
    config = out.with_name(f".config-{out.name}-{os.getpid()}")
    tmp = out.with_name(f".out-{out.name}-{os.getpid()}")
    for folder in (config, tmp):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        config.mkdir(parents=True)
        glob = f"{INDEXED}/{{{','.join(agencies)}}}/**/*.html"
        (config / "pagefind.json").write_text(
            json.dumps({"glob": glob}, ensure_ascii=False), encoding="utf-8"
        )
        done = run(_command(str(site), str(tmp)), config)
        if done.returncode != 0 or not (tmp / "pagefind-entry.json").is_file():
            detail = (done.stderr or done.stdout or "").strip()[-2000:]
            raise SearchIndexError(f"pagefind failed ({done.returncode}): {detail}")
        _drop_anchors(tmp)
        _write_manifest(tmp)
        (tmp / ".gongkai-stamp").write_text(digest + "\n", encoding="ascii")
        old = out.with_name(f".old-{out.name}-{os.getpid()}")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(config, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


MANIFEST = ".gongkai-files.json"  # a cached shard's files: relative path → [size, SHA-256]


def _shard_files(folder: Path) -> list[str]:
    """The files of a shard's bundle (relative, posix), its own bookkeeping left out."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        for name in sorted(filenames):
            if rel_dir == "." and name.startswith(".gongkai-"):
                continue
            out.append(name if rel_dir == "." else f"{rel_dir}/{name}")
    return sorted(out)


def _file_sha(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# Pagefind keeps, in each page's fragment, every element with an id and its text ("anchors",
# for results that point into a page). A report's 原文 page numbers every line with an id
# (#L12), so its fragment held its text twice: 1.3 of its 3.1 KB. The search page never
# shows such sub-results (content/assets/gongkai.js), so the fragments are written without
# them; Pagefind's script then treats the page as one result, as it does a page without ids.
FRAGMENT_MAGIC = b"pagefind_dcd"


def _drop_anchors(bundle: Path) -> None:
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(FRAGMENT_MAGIC):
            raise SearchIndexError(f"unknown Pagefind fragment format: {path.name}")
        fragment = json.loads(data[len(FRAGMENT_MAGIC) :])
        if not isinstance(fragment, dict) or not isinstance(fragment.get("anchors"), list):
            raise SearchIndexError(f"unknown Pagefind fragment format: {path.name}")
        if fragment["anchors"]:
            fragment["anchors"] = []
            text = json.dumps(fragment, ensure_ascii=False, separators=(",", ":"))
            path.write_bytes(gzip.compress(FRAGMENT_MAGIC + text.encode("utf-8"), mtime=0))


def _write_manifest(folder: Path) -> None:
    files = {
        rel: [(folder / rel).stat().st_size, _file_sha(folder / rel)]
        for rel in _shard_files(folder)
    }
    (folder / MANIFEST).write_text(json.dumps(files, sort_keys=True), encoding="utf-8")


def _verified(folder: Path) -> bool:
    """The cached shard is as Pagefind wrote it: the same files, each with the size and
    SHA-256 recorded then. A truncated entry file or garbage fragments (a kill, a disk, a
    restored CI cache) are never published again: the shard is indexed anew."""
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if sorted(files) != _shard_files(folder):
            return False
        for rel, (size, sha) in files.items():
            path = folder / rel
            if path.stat().st_size != size or _file_sha(path) != sha:
                return False
    except (OSError, ValueError, TypeError, AttributeError):
        return False
    return True


def _part_files(src: Path, whole: bool) -> list[str]:
    """What of a cached shard goes into the site: everything for the first shard (the
    program too), only the index files for the others."""
    files = _shard_files(src)
    if whole:
        return files
    return [
        rel
        for rel in files
        if rel.split("/", 1)[0] in INDEX_DIRS
        or ("/" not in rel and (rel in INDEX_FILES or rel.endswith(INDEX_SUFFIXES)))
    ]


def _same_copy(placed: Path, src: Path, whole: bool) -> bool:
    """The site's copy of a shard is the cached one: the same files, each with the size and
    modification time of the cached file (copies keep it). Copies, never hard links: damage
    to the site's file must not be damage to the cache, nor the other way round."""
    want = _part_files(src, whole)
    if not want:
        return False
    try:
        for rel in want:
            a, b = os.stat(placed / rel), os.stat(src / rel)
            if (a.st_size, a.st_mtime_ns) != (b.st_size, b.st_mtime_ns) or a.st_ino == b.st_ino:
                return False
        have = _shard_files(placed)
    except OSError:
        return False
    if whole:  # the other shards and the shard list live beside the first one's files
        have = [rel for rel in have if rel.split("/", 1)[0] != PARTS and rel != SHARD_LIST]
    return have == want


def _remove_stale(store: Path, keep: set[str]) -> None:
    """Shards of another layout, and leftovers of an interrupted run."""
    if not store.is_dir():
        return
    for item in store.iterdir():
        if item.is_dir() and item.name not in keep and not _in_use(item.name):
            shutil.rmtree(item, ignore_errors=True)


_TEMP = re.compile(r"^\.(?:config|out|old)-.+-(\d+)$")


def _in_use(name: str) -> bool:
    """A temporary folder of another build still running (named with its process id):
    never deleted from under it. The build lock (gongkai.build.lock) keeps two builds of
    one project apart; this guards a build that runs without it (a caller of index_site)."""
    m = _TEMP.match(name)
    if m is None or int(m.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, another user's
        return True
    return True


def _copy_files(src: Path, dst: Path, whole: bool) -> None:
    """Copy a cached shard into the site (see :func:`_part_files`), keeping modification
    times (:func:`_same_copy` compares them)."""
    for rel in _part_files(src, whole):
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(src / rel, target)
        except FileNotFoundError:
            raise SearchIndexError(f"缓存的搜索索引文件丢失：{src / rel}") from None


def _write_shard_list(bundle: Path, parts: list[str], pages: int) -> None:
    """A script the search page loads before Pagefind's UI (no extra round trip)."""
    data = json.dumps({"pages": pages, "parts": parts}, separators=(",", ":"))
    text = f"/* gongkai: the search index's shards (gongkai/search.py) */\nwindow.gongkaiSearch = {data};\n"
    write_if_changed(bundle / SHARD_LIST, text.encode("utf-8"))
