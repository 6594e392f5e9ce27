"""The MkDocs plugin (``plugins: - gongkai`` in mkdocs.yml): generate ``content/`` from
``reports/`` before MkDocs reads it, index the built site for search after.

MkDocs glue only: the work is done by :mod:`gongkai.build` (generation),
:mod:`gongkai.site.markdown` (generated pages past Markdown quickly) and
:mod:`gongkai.site.search` (Pagefind), none of which imports MkDocs.

Options (mkdocs.yml; each can come from the environment with MkDocs' ``!ENV`` tag)::

    plugins:
      - gongkai:
          reports_dir: reports        # the input folder, relative to mkdocs.yml
          build_dir: build            # caches and build-report.json
          generate: true              # false: build the content/ already generated
          search: true                # false: no Pagefind index
          search_shard_pages: 2000    # pages per shard of the search index
          fast_markdown: true         # false: let Python-Markdown parse the generated HTML
          workers: null               # processes for parsing and charts (default: CPUs, ≤ 8)
          latest_year: null           # no report may be of a later year (e.g. 2025); the
                                      # build never asks the clock, so set it to be strict
          lock_wait: 1800             # seconds a build waits for another one of this
                                      # project (the lock in build/), then refuses

A file that is not a report is listed in the build report and logged at INFO; an error in
gongkai's own code while reading a file is a WARNING with its traceback, so
``mkdocs build --strict`` (``make site``, what CI deploys) fails instead of publishing a site
without that report.

``gongkai build`` sets the plugin's ``progress`` to show a progress bar: it is called with
(stage, done, total) by the generation (see :func:`gongkai.build.run`), then with
``"mkdocs"`` as MkDocs renders the pages and ``"search"`` when the index is built.
"""

from __future__ import annotations

import errno
import gzip
import json
import logging
import os
import re
import resource
import secrets
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import minify_html
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from gongkai import build
from gongkai.build.lock import BuildLock, LockError
from gongkai.build.outputs import damaged_site_files, prune_site, stamp_site
from gongkai.check.identity import ALIASES_FILE
from gongkai.site import markdown
from gongkai.site import search as search_index

log = logging.getLogger("mkdocs.plugins.gongkai")

# Generated pages (see gongkai.build.outputs.GENERATED_DIRS) whose raw HTML skips Markdown.
GENERATED_PAGES = ("agencies/", "generated/", "data/", "index.md")


_NON_ASCII = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def iri(url: str) -> str:
    """``url`` with its non-ASCII characters written as themselves rather than %-escaped
    (the canonical link of a page named in Chinese: a third of the bytes). ASCII escapes
    (%2F, %23, %20 …) stay as they are, so the address means the same."""

    def decoded(m: re.Match[str]) -> str:
        try:
            return urllib.parse.unquote(m[0], errors="strict")
        except UnicodeDecodeError:
            return m[0]

    return _NON_ASCII.sub(decoded, url)


class GongkaiConfig(base.Config):
    reports_dir = c.Type(str, default="reports")
    build_dir = c.Type(str, default="build")
    generate = c.Type(bool, default=True)
    search = c.Type(bool, default=True)
    search_shard_pages = c.Type(int, default=search_index.PAGES_PER_SHARD)
    fast_markdown = c.Type(bool, default=True)
    workers = c.Optional(c.Type(int))
    latest_year = c.Optional(c.Type(int))
    lock_wait = c.Type(int, default=1800)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    def __init__(self) -> None:
        self.dirty = False
        self.outputs: set[str] = set()  # site paths of this build's files (set by on_files)
        # page → (placeholder prefix, raw HTML blocks hidden from Markdown)
        self.stash: dict[str, tuple[str, list[str]]] = {}
        # set by `gongkai build`: progress(stage, done, total); see the module's docstring
        self.progress: Callable[[str, int, int], None] | None = None
        self.rendering = [0, 0]  # pages rendered by MkDocs, pages to render
        self.lock: BuildLock | None = None  # held from on_pre_build to the end of the build

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def _path(self, config: MkDocsConfig, option: str) -> Path:
        return self._root(config) / self.config[option]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.search_shard_pages < 1:
            raise PluginError("gongkai: search_shard_pages must be 1 or more")
        if self.config.workers is not None and self.config.workers < 1:
            raise PluginError("gongkai: workers must be 1 or more")
        return config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # One build of this project at a time, from content/ to the search index (see
        # gongkai.build.lock); released in on_post_build, on_build_error, on_shutdown.
        self.lock = BuildLock(self._path(config, "build_dir"))
        try:
            self.lock.acquire(self.config.lock_wait, lambda text: log.info("gongkai: %s", text))
        except LockError as err:
            raise PluginError(f"gongkai: {err}") from None
        for folder in (
            Path(config.docs_dir),
            self._path(config, "build_dir") / "cache",
            Path(config.site_dir),
        ):
            problem = not_writable(folder)
            if problem is not None:
                raise PluginError(f"gongkai: {problem}")
        if not self.config.generate:
            log.info("gongkai: generate: false，使用已生成的 content/")
            return
        with _written("生成 content/"):
            summary = self._generate(config)
        log.info("gongkai: %s（%.2f 秒）", summary.line(), sum(summary.seconds.values()))
        self._log_summary(summary)

    def _generate(self, config: MkDocsConfig) -> build.Summary:
        return build.run(
            self._root(config),
            reports_dir=self._path(config, "reports_dir"),
            content_dir=config.docs_dir,
            build_dir=self._path(config, "build_dir"),
            workers=self.config.workers,
            progress=self.progress,
            latest_year=self.config.latest_year,
        )

    def _log_summary(self, summary: build.Summary) -> None:
        log.info("gongkai: 用时 %s", "，".join(f"{k} {v:.2f}s" for k, v in summary.seconds.items()))
        for failure in summary.failures:
            # A file that cannot be read as a report is listed on the build-report page; it
            # must not fail the strict build of everything else.
            log.info("gongkai: %s", failure)
        for bug in summary.bugs:
            # Our own error, not the file's: the strict build (CI) must fail.
            log.warning("gongkai: 程序出错（请报告此错误）：%s", bug)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` watches docs_dir and mkdocs.yml; a new or edited report must rebuild too.
        reports = self._path(config, "reports_dir")
        if reports.is_dir():
            server.watch(str(reports))
        aliases = self._root(config) / ALIASES_FILE  # the agencies' aliases (check.identity)
        if aliases.is_file():
            server.watch(str(aliases))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for unused in [f for f in files if _unused_theme_file(f.src_uri)]:
            files.remove(unused)
        self.outputs = {f.dest_uri for f in files}
        if self.dirty:
            self._repair_site(config)
        if self.progress is not None:
            pages = files.documentation_pages()
            # MkDocs renders each page twice over (Markdown, then the theme); with --dirty
            # only the pages whose source changed
            count = sum(f.is_modified() for f in pages) if self.dirty else len(pages)
            self.rendering = [0, 2 * count]
            self.progress("mkdocs", *self.rendering)
        return files

    def _repair_site(self, config: MkDocsConfig) -> None:
        """A file of site/ changed since the last whole build wrote it, or not written by a
        whole build (a page truncated by a killed build is newer than its source, so
        --dirty would keep it), is deleted: MkDocs writes it again."""
        site_dir = Path(config.site_dir)
        record = self._path(config, "build_dir") / "cache" / "site-outputs.json"
        damaged = damaged_site_files(site_dir, record, self.outputs)
        for rel in damaged:
            (site_dir / rel).unlink(missing_ok=True)
        if damaged:
            log.info(
                "gongkai: 网站中 %d 个文件与上次构建写入的不同（可能被中断的构建截断），重新生成：%s",
                len(damaged),
                "、".join(damaged[:5]),
            )

    def _rendered(self) -> None:
        if self.progress is not None:
            self.rendering[0] += 1
            self.progress("mkdocs", *self.rendering)

    def on_page_markdown(
        self, markdown_text: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if not page.file.src_uri.startswith(GENERATED_PAGES) or not self.config.fast_markdown:
            return markdown_text
        prefix = f"GKRAW{secrets.token_hex(8)}"
        text, blocks = markdown.hide_raw_html(markdown_text, prefix)
        if blocks:
            self.stash[page.file.src_uri] = (prefix, blocks)
        return text

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._rendered()
        stashed = self.stash.pop(page.file.src_uri, None)
        if not stashed:
            return html
        prefix, blocks = stashed
        anchors = page.present_anchor_ids
        for block in blocks:  # anchors inside the blocks, for MkDocs' link validation
            if anchors is not None:
                anchors.update(markdown.ANCHOR.findall(block))
        return markdown.put_back(html, prefix, blocks)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self._rendered()
        # a page Pagefind reads (front matter `pagefind: true`) keeps its closing tags: its
        # parser ends an element's text and metadata at the element's end tag
        indexed = bool(page.meta.get("pagefind"))
        return minify(_compact_config(without_empty_parts(output)), keep_closing_tags=indexed)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.filters["gk_iri"] = iri
        # The sitemap (overrides/sitemap.xml) lists the pages MkDocs renders and also the
        # 原文 pages, which the build writes as finished HTML (they are not MkDocs pages).
        env.globals["gk_text_pages"] = sorted(
            f.url
            for f in files
            if not f.is_documentation_page()
            and f.src_uri.startswith("agencies/")
            and f.src_uri.endswith(".html")
        )
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            with _written("建立搜索索引"):
                self._post_build(config)
        finally:
            self._unlock()

    def on_build_error(self, *, error: Exception) -> None:
        self._unlock()

    def on_shutdown(self) -> None:
        self._unlock()

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _post_build(self, config: MkDocsConfig) -> None:
        cache_dir = self._path(config, "build_dir") / "cache"
        site_dir = Path(config.site_dir)
        record = cache_dir / "site-outputs.json"
        removed = prune_site(site_dir, self.outputs, record, self.dirty) if self.outputs else 0
        if removed:
            log.info("gongkai: 删除网站中已不再生成的文件 %d 个", removed)
        _reproducible_sitemap(site_dir / "sitemap.xml.gz")
        stamp_site(site_dir, record, self.outputs)  # what each file is now, for --dirty
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        log.info("gongkai: 内存峰值 %.0f MB（本进程：生成与 MkDocs）", peak)
        if not self.config.search:
            log.info("gongkai: search: false，未建立搜索索引")
            return
        if self.progress is not None:
            self.progress("search", 0, 0)
        try:
            result = search_index.index_site(
                site_dir, cache_dir, self.config.search_shard_pages, pages=self.outputs or None
            )
        except search_index.SearchIndexError as err:
            raise PluginError(f"gongkai: {err}") from err
        log.info("gongkai: Pagefind 索引 %s", result.line())


# Errors of the machine, not of gongkai: a folder that cannot be written, a full disk.
_WRITE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR}


def _why(err: OSError) -> str:
    return {
        errno.EACCES: "权限不足",
        errno.EPERM: "权限不足",
        errno.EROFS: "只读文件系统",
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.ENOTDIR: "路径中有同名的文件而不是文件夹",
        errno.EEXIST: "已有同名的文件",
    }.get(err.errno or 0, err.strerror or type(err).__name__)


def not_writable(folder: Path) -> str | None:
    """Why the build cannot write into ``folder`` (or make it), or None. Checked before the
    build starts: a read-only site/, content/ or build/cache ended in a raw traceback
    halfway through. Asked of the system (``os.access``), never by writing a test file:
    ``mkdocs serve`` watches content/ and would build again and again."""
    what = "content/、build/ 与 site/ 必须是可写的文件夹"
    here = folder
    while not here.exists():
        if here.parent == here:
            break
        here = here.parent
    if here.exists() and not here.is_dir():
        return f"无法写入 {folder}：{here} 是文件而不是文件夹；{what}"
    if not os.access(here, os.W_OK | os.X_OK):
        readonly = os.statvfs(here).f_flag & os.ST_RDONLY
        return f"无法写入 {folder}（{'只读文件系统' if readonly else '权限不足'}）；{what}"
    return None


@contextmanager
def _written(what: str) -> Iterator[None]:
    """A write the machine refused (permissions, a full disk) is a clear message."""
    try:
        yield
    except OSError as err:
        if err.errno not in _WRITE_ERRORS:
            raise
        where = err.filename or "（未知文件）"
        raise PluginError(f"gongkai: {what}时无法写入 {where}（{_why(err)}）") from err


# Every page as small as HTML allows (minify-html: white space HTML collapses anyway, quotes
# an attribute needs none of, and, where the HTML standard lets them be implied, closing
# tags): an agency-year page loses a fifth of its bytes. Scripts and styles are kept as they
# are; <pre> and <textarea> keep their spacing.
def minify(html: str, keep_closing_tags: bool = False) -> str:
    return str(
        minify_html.minify(
            html,
            minify_js=False,
            minify_css=False,
            keep_closing_tags=keep_closing_tags,
            keep_html_and_head_opening_tags=keep_closing_tags,
        )
    )


# Two parts of Material's base.html, outside its template blocks, that nothing on this site
# fills or shows: the announcement bar (no `announce` block) and the dialog Material's script
# says "copied" in (no copy buttons: content.code.copy is off, and so is its search). An
# announcement, once written, makes its bar no longer empty, and so kept.
_EMPTY_PARTS = re.compile(
    r'<div data-md-component="announce">\s*</div>'
    r'|<div class="md-dialog" data-md-component="dialog">\s*'
    r'<div class="md-dialog__inner md-typeset"></div>\s*</div>'
)


def without_empty_parts(html: str) -> str:
    return _EMPTY_PARTS.sub("", html, count=2)


# Material writes its settings as JSON with every Chinese character as a \\uXXXX escape
# (6 bytes instead of 3) and spaces after each separator: the same JSON, compact.
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _compact_config(html: str) -> str:
    def compact(m: re.Match[str]) -> str:
        data = json.dumps(json.loads(m.group(2)), ensure_ascii=False, separators=(",", ":"))
        return m.group(1) + data.replace("<", "\\u003c") + m.group(3)

    return _CONFIG.sub(compact, html, count=1)


# Files Material ships that this site never loads: the search plugin's worker and its lunr
# language files (the site searches with Pagefind), and the source maps of the minified
# scripts and styles (for debugging the theme). 2.3 MB: 2.3 KB a report at 1,000 reports.
_UNUSED_THEME = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def _unused_theme_file(src_uri: str) -> bool:
    return src_uri.startswith(_UNUSED_THEME) or (
        src_uri.startswith("assets/") and src_uri.endswith(".map")
    )


def _reproducible_sitemap(path: Path) -> None:
    """MkDocs gzips the sitemap with today's date in the header; build twice, get one file."""
    if path.exists():
        data = gzip.decompress(path.read_bytes())
        path.write_bytes(gzip.compress(data, mtime=0))
