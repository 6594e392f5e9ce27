"""What the last build wrote, so the next one does only what changed.

A rebuild after one report changes must not cost as much as the first build: at 10,000
reports, rendering every page again takes minutes, and reading every generated file back to
compare it takes tens of seconds. So the build keeps a manifest in ``build/cache``:

- for every generated file (charts aside): its size, modification time and SHA-1 as
  written. A file whose new content has the same hash, and whose size and time on disk are
  still those written, is left alone without being read;
- for every agency: a fingerprint of everything its pages are made from (its reports'
  paths, bytes and sidecar data, and the code that makes pages) with the files and chart
  hashes those pages gave. An agency with the same fingerprint, whose files are intact, is
  not rendered again.

Chart files are named by the hash of their spec, so one that is as the last build wrote it
(the manifest keeps its size and time) is already right; a cached chart in ``build/cache``
is used only when it checks out (:func:`gongkai.site.charts.cached_svg`).
Deleting ``build/`` (or ``make clean``) only makes the next build a full one.

The primitives (atomic writes, the stat-checked hash cache, the per-report stores) are in
:mod:`gongkai.cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.cache import pages_version, write_if_changed
from gongkai.site.catalog import Agency

VERSION = 2  # of the manifest file (2: charts recorded too)
# Folders of content/ (and single files) that the build owns: everything in them is generated.
GENERATED_DIRS = ("agencies", "data", "generated")
GENERATED_FILES = ("index.md",)


def agency_fingerprint(agency: Agency, salt: str = "") -> str:
    """Everything the pages of one agency are made from.

    A record is a function of the file's bytes, its path and the parser (whose code is in
    :func:`gongkai.cache.pages_version`); an agency's pages depend only on its own reports and sidecars.
    """
    parts: list[object] = [pages_version(), agency.key, agency.slug]
    if salt:
        parts.append(salt)
    for ay in agency.sorted_years():
        parts.append(ay.year)
        for r in ay.reports:
            source = r.record.source
            parts.append(
                [
                    r.path,
                    source.sha256 if source is not None else repr(r.record),
                    r.meta.url,
                    r.meta.published,
                    list(r.meta.notes),
                    [c.to_json() for c in r.meta.corrections],
                ]
            )
    text = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Manifest:
    content_dir: str = ""
    files: dict[str, list] = field(default_factory=dict)  # rel → [size, mtime_ns, sha1]
    agencies: dict[str, dict] = field(default_factory=dict)  # slug → fingerprint, files, charts
    charts: dict[str, list] = field(default_factory=dict)  # chart key → [size, mtime_ns]

    @classmethod
    def load(cls, path: Path, content_dir: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("content_dir") != str(content_dir):
                return cls(str(content_dir))
            return cls(str(content_dir), data["files"], data["agencies"], data["charts"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls(str(content_dir))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": VERSION,
            "content_dir": self.content_dir,
            "files": self.files,
            "agencies": self.agencies,
            "charts": self.charts,
        }
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        tmp.replace(path)

    def intact(self, content_dir: Path, rel: str) -> bool:
        """The file is on disk as this manifest says it was written."""
        entry = self.files.get(rel)
        if entry is None:
            return False
        try:
            # a string, not a Path: this runs for every generated file (25,000 at 10,000 reports)
            st = os.stat(f"{content_dir}/{rel}")
        except OSError:
            return False
        return [st.st_size, st.st_mtime_ns] == entry[:2]

    def reusable(self, slug: str, fingerprint: str, content_dir: Path, charts: set[str]) -> bool:
        """The agency's pages from the last build are still right and still there."""
        entry = self.agencies.get(slug)
        if entry is None or entry["fingerprint"] != fingerprint:
            return False
        return all(self.intact(content_dir, rel) for rel in entry["files"]) and all(
            key in charts for key in entry["charts"]
        )


class Outputs:
    """The generated files of one build, against what the last build wrote.

    ``reusable`` says which agencies need no new pages; ``emit`` writes a file (if changed)
    as soon as it is made; ``finish`` adds the charts, carries the reused agencies' files
    over, removes what no longer belongs and saves the new manifest.
    """

    def __init__(self, content_dir: Path, manifest_path: Path, charts_dir: str) -> None:
        self.content_dir = content_dir
        self.manifest_path = manifest_path
        self.charts_dir = charts_dir
        self.old = Manifest.load(manifest_path, content_dir)
        self.new = Manifest(str(content_dir))
        # Chart files are named by their spec's hash: one that is as the last build wrote it
        # (its size and time) is right. One truncated by a kill, or not written by a build
        # (a content/ restored from elsewhere), is drawn again (or taken from the cache).
        self.charts_present = self._charts_intact(content_dir / charts_dir)
        self.written = self.unchanged = self.removed = 0

    def _charts_intact(self, folder: Path) -> set[str]:
        try:
            names = os.listdir(folder)
        except OSError:
            return set()
        present = set()
        for name in names:
            key = name[:-4]
            entry = self.old.charts.get(key) if name.endswith(".svg") else None
            if entry is None:
                continue
            try:
                st = os.stat(f"{folder}/{name}")
            except OSError:
                continue
            if [st.st_size, st.st_mtime_ns] == entry:
                present.add(key)
        return present

    def reusable(
        self, agencies: list[Agency], groups: dict[str, str] | None = None, salt: str = ""
    ) -> dict[str, str]:
        """slug → fingerprint of every agency, and ``self.reuse``: those not to render again.
        ``groups``: other sets of pages kept the same way (name → fingerprint); their names
        are never slugs (they hold "<"). ``salt``: build options every page depends on."""
        fingerprints = {a.slug: agency_fingerprint(a, salt) for a in agencies}
        for name, fingerprint in (groups or {}).items():
            if "<" not in name:
                raise ValueError(f"a group of pages is named with <…>: {name!r}")
            fingerprints[name] = fingerprint
        self.reuse = {
            slug
            for slug, fingerprint in fingerprints.items()
            if self.old.reusable(slug, fingerprint, self.content_dir, self.charts_present)
        }
        return fingerprints

    def emit(self, rel: str, content: str | bytes) -> None:
        if write_file(self.content_dir, rel, content, self.old, self.new):
            self.written += 1
        else:
            self.unchanged += 1

    def finish(
        self,
        svgs: dict[str, str],
        chart_keys: set[str],
        made: dict[str, dict],
        owned: tuple[tuple[str, ...], tuple[str, ...]],
    ) -> tuple[int, int]:
        """Charts drawn (``svgs``), every chart shown, the agencies rendered this time
        (slug → fingerprint, files, charts), the folders and files the build owns.
        Returns (pages, charts) of the whole site."""
        keep = set(self.new.files)
        for slug in self.reuse:
            entry = self.old.agencies[slug]
            for rel in entry["files"]:
                self.new.files[rel] = self.old.files[rel]
            keep.update(entry["files"])
            self.unchanged += len(entry["files"])
            chart_keys.update(entry["charts"])
            self.new.agencies[slug] = entry
        self.new.agencies.update(made)
        for key, svg in svgs.items():
            path = self.content_dir / self.charts_dir / f"{key}.svg"
            if write_if_changed(path, svg.encode("utf-8")):
                self.written += 1
            else:
                self.unchanged += 1
            st = path.stat()
            self.new.charts[key] = [st.st_size, st.st_mtime_ns]
        for key in chart_keys & self.charts_present:
            self.new.charts[key] = self.old.charts[key]
        self.unchanged += len(chart_keys & self.charts_present)
        keep.update(f"{self.charts_dir}/{key}.svg" for key in chart_keys)
        self.removed = remove_others(self.content_dir, *owned, keep)
        self.new.save(self.manifest_path)
        return sum(1 for rel in keep if rel.endswith(".md")), len(chart_keys)


def write_file(
    content_dir: Path, rel: str, content: str | bytes, old: Manifest, new: Manifest
) -> bool:
    """Write one generated file unless it is already there as it should be; record it in
    ``new``. True when it was written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    sha = hashlib.sha1(data).hexdigest()
    entry = old.files.get(rel)
    if entry is not None and entry[2] == sha and old.intact(content_dir, rel):
        new.files[rel] = entry
        return False
    path = content_dir / rel
    written = write_if_changed(path, data)
    st = path.stat()
    new.files[rel] = [st.st_size, st.st_mtime_ns, sha]
    return written


def remove_others(
    content_dir: Path, dirs: tuple[str, ...], single: tuple[str, ...], keep: set[str]
) -> int:
    """Delete generated files not in ``keep`` (and folders left empty). Returns the count."""
    removed = 0
    for name in dirs:
        top = os.path.join(content_dir, name)
        if os.path.isdir(top):
            removed += _prune(top, name, keep)[0]
    for rel in single:
        if rel not in keep and (content_dir / rel).is_file():
            (content_dir / rel).unlink()
            removed += 1
    return removed


def _prune(folder: str, rel: str, keep: set[str]) -> tuple[int, bool]:
    """Delete the files under ``folder`` (``rel`` in content/) not in ``keep``, and the
    folders this empties; a symlinked folder is left alone. Returns (count, now empty)."""
    removed = left = 0
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        child = f"{rel}/{entry.name}"
        if entry.is_dir() and not entry.is_symlink():
            count, empty = _prune(entry.path, child, keep)
            removed += count
            if empty:
                os.rmdir(entry.path)
            else:
                left += 1
        elif entry.is_dir() or child in keep:
            left += 1
        else:
            os.unlink(entry.path)
            removed += 1
    return removed, left == 0


def prune_site(site_dir: Path, made: set[str], record: Path, dirty: bool = True) -> int:
    """After MkDocs wrote ``site/``: delete the files under its generated folders that no
    source produces any more (``made``: the site paths of this build's files). MkDocs'
    ``--dirty`` leaves the HTML of a page whose source is gone, and Pagefind would index it;
    what the last build made is recorded in ``record``, and without that record every file
    no source produces goes. A full build starts from an empty site: it only records what it
    made. Returns the count removed."""
    ours = sorted(o for o in made if o.split("/", 1)[0] in GENERATED_DIRS)
    removed = 0
    if dirty:
        before = _recorded(record, site_dir)
        if before is None:
            removed = remove_others(site_dir, GENERATED_DIRS, (), set(ours))
        else:
            for rel in before.difference(ours):
                path = site_dir / rel
                if path.is_file():
                    path.unlink()
                    removed += 1
                    _remove_empty_parents(path.parent, site_dir)
    data = {"site": str(site_dir.resolve()), "outputs": ours}
    write_if_changed(record, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return removed


def stamp_site(site_dir: Path, record: Path, written: Iterable[str] = ()) -> None:
    """After the whole build: the size and time of every file MkDocs wrote (``written``: the
    site paths of this build's files; at least those recorded in ``record`` by
    :func:`prune_site`), so that the next ``--dirty`` build knows what each was when written
    (see :func:`damaged_site_files`). A file left out here would look damaged to every
    ``--dirty`` build, and be written again each time."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        outputs = sorted(set(data["outputs"]).union(written))
    except (OSError, ValueError, KeyError, TypeError):
        return
    stats: dict[str, list[int]] = {}
    for rel in outputs:
        try:
            st = os.stat(f"{site_dir}/{rel}")
        except OSError:
            continue
        stats[rel] = [st.st_size, st.st_mtime_ns]
    data["stats"] = stats
    write_if_changed(record, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def damaged_site_files(site_dir: Path, record: Path, outputs: set[str]) -> list[str]:
    """The files of ``site/`` among ``outputs`` that are not as the last whole build left
    them: changed since (a page truncated by a kill is newer than its source, so MkDocs'
    ``--dirty`` would keep it and Pagefind index it), or never recorded (written by a build
    that did not finish). The caller deletes them, and MkDocs writes them again."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        stats = (data.get("stats") or {}) if data["site"] == str(site_dir.resolve()) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        stats = {}
    damaged = []
    for rel in outputs:
        try:
            st = os.stat(f"{site_dir}/{rel}")
        except OSError:
            continue  # not there: MkDocs writes it anyway
        if [st.st_size, st.st_mtime_ns] != stats.get(rel):
            damaged.append(rel)
    return sorted(damaged)


def _recorded(record: Path, site_dir: Path) -> set[str] | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data["site"] == str(site_dir.resolve()):
            return set(data["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _remove_empty_parents(folder: Path, site_dir: Path) -> None:
    while folder.parent != site_dir and folder != site_dir and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
