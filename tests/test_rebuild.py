"""A quick rebuild after reports change gives exactly the site a full build gives.

The maintainer's rebuild is ``mkdocs build --dirty`` (``make update``; ``make serve`` does the
same on every change): MkDocs renders only the pages whose source changed, the hook removes
the pages no report produces any more, and the search index re-indexes only the shards whose
pages changed. Here one report is changed, one deleted and one added after a full build; the
dirty rebuild must then equal, byte for byte, a full build of the same reports from nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import bump_first_count, make_project, tree

pytestmark = pytest.mark.site

from make_corpus import iter_reports  # noqa: E402

# one page per search shard, so the five seeds make several shards
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_SEARCH_SHARD_PAGES": "1"}


def mkdocs(root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stderr


def change_reports(reports: Path) -> None:
    bump_first_count(reports / "002_5e0a10dac8f8a1dc.txt")  # 盐池县科学技术局 2023: 新收 + 1
    (reports / "004_8cdd9bfe532ace7c.txt").unlink()  # 青铜峡市科学技术局 2020: gone
    new = next(iter_reports(1, seed=5))  # 安吉县民政局 2023, a synthetic report
    (reports / new.name).write_bytes(new.data)


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "walked"])
def test_dirty_rebuild_equals_a_full_build(tmp_path, recorded):
    """``recorded``: the hook knows what the last build made (build/cache/site-outputs.json)
    and removes what this one does not; without it, it walks the site's generated folders."""
    root = make_project(tmp_path / "p")
    mkdocs(root, "--strict")
    first = tree(root / "site")
    change_reports(root / "reports")
    if not recorded:
        (root / "build" / "cache" / "site-outputs.json").unlink()
    log = mkdocs(root, "--dirty")

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copytree(root / "reports", fresh / "reports")
    fresh = make_project(tmp_path / "q", fresh / "reports")
    mkdocs(fresh, "--strict")

    dirty, full = tree(root / "site"), tree(fresh / "site")
    assert sorted(dirty) == sorted(full)
    differ = [k for k in full if dirty[k] != full[k]]
    assert not differ, differ[:10]
    # the menu's script (overrides/assets/nav.js) is written by every build, the same bytes
    assert first["assets/nav.js"] == dirty["assets/nav.js"] == full["assets/nav.js"]
    # and the rebuild did change what the reports changed
    assert any(k.startswith("agencies/盐池县") and first.get(k) != v for k, v in dirty.items())
    assert not any("青铜峡" in k for k in dirty)
    assert any(k.startswith("agencies/安吉县民政局") for k in dirty)
    m = re.search(r"Pagefind 索引 \d+ 个页面，(\d+) 个分片，重建 (\d+) 个", log)
    assert m and 0 < int(m[2]) < int(m[1]), log[-2000:]
