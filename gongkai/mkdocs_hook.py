"""MkDocs glue (mkdocs.yml `hooks:`): generate content/ before the build, index the site after.

All logic lives in :mod:`gongkai.build`, which knows nothing of MkDocs.

Two switches, for measuring MkDocs on its own (scripts/benchmark.py) and for a quick look at
hand-written pages: ``GONGKAI_GENERATE=0`` builds from the content/ already generated, and
``GONGKAI_PAGEFIND=0`` leaves the search index out. Both default to on.
``GONGKAI_PAGEFIND_SHARD_PAGES`` sets how many pages one shard of the search index holds
(see :mod:`gongkai.search_index`; the tests make it small to build several shards).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import resource
import secrets
from pathlib import Path

from markdown import Markdown, htmlparser
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from gongkai import build, incremental, search_index

log = logging.getLogger("mkdocs.hooks.gongkai")


def _enabled(name: str) -> bool:
    return os.environ.get(name, "1").strip().lower() not in ("0", "no", "false", "off")


def on_pre_build(config: MkDocsConfig) -> None:
    if not _enabled("GONGKAI_GENERATE"):
        log.info("gongkai: GONGKAI_GENERATE=0，使用已生成的 content/")
        return
    root = Path(config.config_file_path).resolve().parent
    summary = build.run(root, content_dir=config.docs_dir)
    log.info("gongkai: %s（%.2f 秒）", summary.line(), sum(summary.seconds.values()))
    log.info("gongkai: 用时 %s", "，".join(f"{k} {v:.2f}s" for k, v in summary.seconds.items()))
    for failure in summary.failures:
        # A report that cannot be read is listed on the build-report page; it must not fail
        # the strict build of everything else, so this is info, not a warning.
        log.info("gongkai: %s", failure)


# -- raw HTML past Markdown ---------------------------------------------------------------------
#
# The generated pages are mostly raw HTML blocks (tables, figures), which Python-Markdown and
# MkDocs each run through Python's html.parser only to pass them on unchanged: two thirds of
# MkDocs' time at 10,000 reports. A block that Markdown would pass on verbatim — one that
# starts with a block-level tag on its own paragraph and whose tags close exactly at its end —
# is swapped for a placeholder before Markdown and put back after, so the HTML is the same
# byte for byte (tested against the plain build). Anything else is left to Markdown.

GENERATED_PAGES = ("agencies/", "generated/", "data/", "index.md")
_BLOCK_TAGS = frozenset(Markdown().block_level_elements)  # as Markdown decides
_VOID = htmlparser.void_tags  # <img> and the like: no end tag
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?>")
_UNSAFE = re.compile(r"<!|<\?|<(?:script|style|pre|textarea)\b|markdown=|\x02|\x03", re.I)
_PARAGRAPHS = re.compile(r"(\n{2,})")
_ANCHOR = re.compile(r'\sid="([^"]+)"')
# page → (placeholder prefix, blocks); the prefix is random per page, so report text (which
# is escaped but otherwise free) can never spell a placeholder
_stash: dict[str, tuple[str, list[str]]] = {}


def raw_block(chunk: str) -> bool:
    """Would Markdown pass this paragraph on verbatim, as raw HTML blocks one after another?

    Each block starts with a block-level tag at the start of a line, and its tags close at
    the end of a line; the next block starts on the next line, the last ends the paragraph.
    """
    if _UNSAFE.search(chunk):
        return False
    stack: list[str] = []
    end = len(chunk.rstrip())
    expect = 0  # where the next block must start (stack empty)
    for m in _TAG.finditer(chunk):
        closing, tag = m[1], m[2].lower()
        starts_block = not closing and tag in _BLOCK_TAGS and tag not in _VOID
        if not stack and (m.start() != expect or not starts_block):
            return False
        if not closing:
            if tag not in _VOID:
                stack.append(tag)
            continue
        if tag in stack:
            while stack.pop() != tag:
                pass
        if not stack:
            if m.end() == end:
                return True
            if chunk[m.end()] != "\n":
                return False
            expect = m.end() + 1
    return False


def hide_raw_html(markdown: str, prefix: str = "GKRAW") -> tuple[str, list[str]]:
    # Markdown's own first step (NormalizeWhitespace), so the blocks are split as it splits them
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = re.sub(r"(?<=\n) +\n", "\n", text)
    blocks: list[str] = []
    parts = _PARAGRAPHS.split(text)
    for i in range(0, len(parts), 2):
        if raw_block(parts[i]):
            blocks.append(parts[i].rstrip())
            parts[i] = f"{prefix}N{len(blocks) - 1}X"
    return "".join(parts), blocks


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    if not page.file.src_uri.startswith(GENERATED_PAGES) or not _enabled("GONGKAI_FAST_MARKDOWN"):
        return markdown
    prefix = f"GKRAW{secrets.token_hex(8)}"
    text, blocks = hide_raw_html(markdown, prefix)
    if blocks:
        _stash[page.file.src_uri] = (prefix, blocks)
    return text


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    stashed = _stash.pop(page.file.src_uri, None)
    if not stashed:
        return html
    prefix, blocks = stashed
    for block in blocks:  # anchors inside the blocks, for MkDocs' link validation
        page.present_anchor_ids.update(_ANCHOR.findall(block))
    put_back = re.compile(f"<p>{prefix}N(\\d+)X</p>")
    return put_back.sub(lambda m: blocks[int(m[1])] + "\n", html).strip()


# -- dirty rebuilds -------------------------------------------------------------------------
#
# `mkdocs build --dirty` (and `mkdocs serve --dirty`) renders only the pages whose source is
# newer than their HTML, which the build makes exact: it rewrites only the generated files
# whose content changed, and the nav is fixed (generated pages are not in it). What MkDocs
# does not do is remove the HTML of a page that is gone — an agency whose report was
# deleted would stay on the site and in the search index. So a dirty build removes the files
# of the site's generated folders that the last build made and this one does not (kept in
# build/cache/site-outputs.json); without that record, every file no source produces.

_outputs: set[str] = set()  # site paths of this build's files (set by on_files)
_dirty = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_files(files, config: MkDocsConfig):
    _outputs.clear()
    _outputs.update(f.dest_uri for f in files)
    return files


def prune_stale(site_dir: Path, outputs: set[str], record: Path, dirty: bool = True) -> int:
    """Delete files under the site's generated folders that no source produces any more (a
    full build starts from an empty site: it only records what it made). Returns the count."""
    made = sorted(o for o in outputs if o.split("/", 1)[0] in build.GENERATED_DIRS)
    removed = 0
    if dirty:
        before = _recorded(record, site_dir)
        if before is None:
            removed = incremental.remove_others(site_dir, build.GENERATED_DIRS, (), set(made))
        else:
            for rel in before.difference(made):
                path = site_dir / rel
                if path.is_file():
                    path.unlink()
                    removed += 1
                    _remove_empty_parents(path.parent, site_dir)
    data = {"site": str(site_dir.resolve()), "outputs": made}
    incremental.write_if_changed(record, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return removed


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


def on_serve(server, config: MkDocsConfig, builder):
    # `mkdocs serve` watches docs_dir and mkdocs.yml; a new or edited report must rebuild too.
    reports = Path(config.config_file_path).resolve().parent / "reports"
    if reports.is_dir():
        server.watch(str(reports))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    record = root / "build" / "cache" / "site-outputs.json"
    removed = prune_stale(Path(config.site_dir), _outputs, record, _dirty) if _outputs else 0
    if removed:
        log.info("gongkai: 删除网站中已不再生成的文件 %d 个", removed)
    _reproducible_sitemap(Path(config.site_dir) / "sitemap.xml.gz")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log.info("gongkai: 内存峰值 %.0f MB（本进程：生成与 MkDocs）", peak)
    if not _enabled("GONGKAI_PAGEFIND"):
        log.info("gongkai: GONGKAI_PAGEFIND=0，未建立搜索索引")
        return
    try:
        per_shard = int(
            os.environ.get("GONGKAI_PAGEFIND_SHARD_PAGES", search_index.PAGES_PER_SHARD)
        )
    except ValueError:
        raise PluginError("GONGKAI_PAGEFIND_SHARD_PAGES must be a whole number") from None
    try:
        result = search_index.index_site(
            config.site_dir, root / "build" / "cache", per_shard, pages=_outputs or None
        )
    except search_index.SearchIndexError as err:
        raise PluginError(str(err)) from err
    log.info("gongkai: Pagefind 索引 %s", result.line())


def _reproducible_sitemap(path: Path) -> None:
    """MkDocs gzips the sitemap with today's date in the header; build twice, get one file."""
    if path.exists():
        data = gzip.decompress(path.read_bytes())
        path.write_bytes(gzip.compress(data, mtime=0))
