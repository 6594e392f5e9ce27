"""Shared fixtures: the five seed reports parsed, and one real `mkdocs build --strict` per session."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/golden.py
# scripts/: the corpus generator and the browser helper the benchmark shares
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from gongkai import build
from gongkai.model import Record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    "wuwei": "reports/000_15dc9012404285cb.txt",  # 武威市科学技术局 2023
    "chanhe": "reports/001_03dce372dd454866.txt",  # 灋河回族区科技和工业信息化局 2023
    "yanchi": "reports/002_5e0a10dac8f8a1dc.txt",  # 盐池县科学技术局 2023
    "panzhihua": "reports/003_f5e83598e54ab4ab.txt",  # 攀枝花市科学技术局 2023
    "qingtongxia": "reports/004_8cdd9bfe532ace7c.txt",  # 青铜峡市科学技术局 2020 (F2019)
}


@pytest.fixture(scope="session")
def seeds() -> dict[str, Record]:
    from gongkai.report import read_report

    cwd = os.getcwd()
    os.chdir(ROOT)  # records carry the relative path, as in a real build
    try:
        return {name: read_report(path) for name, path in SEEDS.items()}
    finally:
        os.chdir(cwd)


def make_project(target: Path, reports: Path | None = None) -> Path:
    """A copy of the project's site sources (without generated files) around a reports folder."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    # no copy of the package: MkDocs finds the plugin through the installed entry point
    content = target / "content"
    content.mkdir()
    for item in (ROOT / "content").iterdir():
        if item.name in build.GENERATED_DIRS or item.name in build.GENERATED_FILES:
            continue
        if item.is_dir():
            shutil.copytree(item, content / item.name)
        else:
            shutil.copy2(item, content / item.name)
    shutil.copytree(reports or ROOT / "reports", target / "reports")
    return target


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``: relative posix path → bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def bump_first_count(path: Path) -> None:
    """One number of 表三 plus one (the seeds are UTF-8 text)."""
    import re

    text = path.read_text("utf-8")
    start = text.index("收到和处理政府信息公开申请情况")
    m = re.compile(r"(?<![\d.])([1-9]\d*)(?![\d.])").search(text, start)
    path.write_text(text[: m.start()] + str(int(m[1]) + 1) + text[m.end() :], "utf-8")


# where the session's site is published (tests/test_find.py serves it there too)
SITE_URL = "https://example.github.io/gongkai/"

TREE_CPU = Path(__file__).resolve().parent / "tree_cpu.py"


def strict_build(root: Path, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project made by :func:`make_project` (no search index
    unless asked for); fails the test with MkDocs' log when the build fails."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_SEARCH": "false", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done


def run_with_cpu(cmd: list[str], **kwargs: Any) -> tuple[subprocess.CompletedProcess, float]:
    """``subprocess.run(cmd, **kwargs)`` and the CPU time (user + system, in seconds) of the
    command's whole process tree, worker pools and Pagefind included (see tree_cpu.py).

    Tests bound CPU time, never wall time: on a shared, busy machine the wall time of a build
    doubles while its CPU time barely moves (waiting for a core is not work)."""
    before = _children_cpu()
    done = subprocess.run([sys.executable, str(TREE_CPU), *cmd], **kwargs)
    return done, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    site: Path
    cpu_seconds: float  # CPU time of the whole build (run_with_cpu)
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The five seeds through the real `mkdocs build --strict` (plugin, Pagefind): once per session."""
    root = make_project(tmp_path_factory.mktemp("project"))
    # one page per search shard: the five seeds' ten pages give several shards, so every
    # search test runs over a merged, sharded index (the hostile site keeps one shard)
    # and built as CI deploys it: for a GitHub Pages project site (SITE_URL, a sub-path)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GONGKAI_SEARCH_SHARD_PAGES": "1",
        "SITE_URL": SITE_URL,
    }
    done, cpu_seconds = run_with_cpu(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return BuiltSite(root, root / "site", cpu_seconds, done.stderr)


def pytest_collection_modifyitems(config, items):
    """The long fault-injection runs (marker ``long``: many kills, many racing builds) only
    when asked for (``pytest -m long``); ``make test`` runs their fast versions."""
    if "long" in (config.option.markexpr or ""):
        return
    keep = [item for item in items if item.get_closest_marker("long") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
