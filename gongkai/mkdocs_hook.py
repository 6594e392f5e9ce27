"""MkDocs glue (mkdocs.yml `hooks:`): generate content/ before the build, index the site after.

All logic lives in :mod:`gongkai.build`, which knows nothing of MkDocs.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from gongkai import build

log = logging.getLogger("mkdocs.hooks.gongkai")


def on_pre_build(config: MkDocsConfig) -> None:
    root = Path(config.config_file_path).resolve().parent
    summary = build.run(root, content_dir=config.docs_dir)
    log.info("gongkai: %s（%.2f 秒）", summary.line(), sum(summary.seconds.values()))
    for failure in summary.failures:
        # A report that cannot be read is listed on the build-report page; it must not fail
        # the strict build of everything else, so this is info, not a warning.
        log.info("gongkai: %s", failure)


def on_serve(server, config: MkDocsConfig, builder):
    # `mkdocs serve` watches docs_dir and mkdocs.yml; a new or edited report must rebuild too.
    reports = Path(config.config_file_path).resolve().parent / "reports"
    if reports.is_dir():
        server.watch(str(reports))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PluginError(f"pagefind failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
