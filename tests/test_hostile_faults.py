"""Faults of the real build (issue 14): two builds of one project at once, a page of site/
truncated by a kill, a killed build. Every case must end with a complete site and a valid
search index. Work is counted (polls, files, fragments), never timed.

The fast cases run in ``make test``; the long ones (many kills at many points, many
concurrent builds) are marked ``long``: ``pytest -m long`` (and ``scripts/benchmark.py
--faults``)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project, tree

from gongkai.build.lock import BuildLock

pytestmark = pytest.mark.site

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_SEARCH_SHARD_PAGES": "2"}
MAX_POLLS = 3000  # a hung build fails the test instead of hanging it (0.1 s a poll)


def start(root: Path, *args: str, log: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        env={**ENV, **env},
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )


def run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        env={**ENV, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def wait_for(condition, what: str) -> int:
    """Poll until ``condition()``; the polls it took (bounded, not timed)."""
    import time

    for polls in range(MAX_POLLS):
        if condition():
            return polls
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def indexed_urls(site: Path) -> set[str]:
    urls = set()
    for path in (site / "pagefind").rglob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def assert_valid_index(site: Path) -> None:
    """Every agency page and every report's 原文 page (the report's search document, which
    stands for its agency-year page) is in the search index, once, and every shard the
    search page loads is there with its entry file."""
    pages = {
        "/" + p.relative_to(site).as_posix() for p in (site / "agencies").glob("*/*/原文*.html")
    }
    pages |= {
        "/" + p.relative_to(site).as_posix().removesuffix("index.html")
        for p in (site / "agencies").glob("*/index.html")
    }
    assert pages and indexed_urls(site) == pages
    text = (site / "pagefind" / "gongkai-shards.js").read_text("utf-8")
    listed = json.loads(text.split("window.gongkaiSearch = ", 1)[1].rstrip().rstrip(";"))
    assert listed["pages"] == len(pages)
    for part in ["", *listed["parts"]]:
        entry = site / "pagefind" / part / "pagefind-entry.json"
        json.loads(entry.read_text("utf-8"))  # whole, not truncated


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def test_two_builds_at_once_both_end_one_after_the_other(project: Path, tmp_path: Path):
    """Both builds wait while the lock is held, then run one after the other; both end
    with rc 0 and the site has a valid index."""
    assert run(project).returncode == 0  # a site to be dirty about
    held = BuildLock(project / "build")
    held.acquire(0)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    builds = [start(project, "--dirty", log=logs[0]), start(project, "--strict", log=logs[1])]
    try:
        for log in logs:
            wait_for(lambda log=log: "等待它结束" in log.read_text("utf-8"), f"{log} waits")
        assert all(b.poll() is None for b in builds)  # both wait, neither builds
    finally:
        held.release()
    for b in builds:
        assert b.wait(timeout=900) == 0, [log.read_text("utf-8")[-3000:] for log in logs]
    assert_valid_index(project / "site")


def test_a_build_refuses_clearly_after_waiting_its_limit(project: Path):
    held = BuildLock(project / "build")
    held.acquire(0)
    try:
        done = run(project, GONGKAI_LOCK_WAIT="0")
    finally:
        held.release()
    assert done.returncode == 1
    assert "另一个构建" in done.stderr and "Traceback" not in done.stderr
    assert f"进程 {os.getpid()}" in done.stderr


def test_a_killed_build_leaves_no_lock(project: Path, tmp_path: Path):
    """The lock is the operating system's: a build killed while holding it frees it."""
    log = tmp_path / "k.log"
    build = start(project, log=log)
    lock = project / "build" / "gongkai.lock"
    wait_for(lambda: lock.is_file() and lock.read_text().strip() == str(build.pid), "lock taken")
    build.send_signal(signal.SIGKILL)
    build.wait()
    probe = BuildLock(project / "build")
    probe.acquire(0)  # would raise LockError if the lock had survived
    probe.release()
    assert run(project, "--dirty").returncode == 0


def test_a_page_truncated_in_the_site_is_repaired_by_a_dirty_build(project: Path):
    assert run(project).returncode == 0
    site = project / "site"
    good = tree(site)
    # nothing damaged: a --dirty build right after repairs nothing (every file MkDocs
    # wrote is stamped, the theme's assets and the hand-written pages too)
    calm = run(project, "--dirty")
    assert calm.returncode == 0 and "重新生成" not in calm.stderr, calm.stderr[-2000:]
    assert tree(site) == good
    pages = sorted((site / "agencies").rglob("index.html"))
    victims = [pages[0], pages[-1], site / "generated" / "build-report" / "index.html"]
    for page in victims:
        data = page.read_bytes()
        page.write_bytes(data[: len(data) // 3])  # what a kill mid-write leaves (newer mtime)
    done = run(project, "--dirty")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "重新生成" in done.stderr
    after = tree(site)
    for page in victims:
        rel = page.relative_to(site).as_posix()
        assert after[rel] == good[rel], rel
    assert_valid_index(site)


# --------------------------------------------------------------------------- long runs


def kill_at(project: Path, tmp_path: Path, args: tuple[str, ...], files: int) -> None:
    """Start a build, SIGKILL it once it has written ``files`` files under site/ and
    content/ (or when it ends first)."""

    def written() -> int:
        return sum(1 for d in ("site", "content") for _ in (project / d).rglob("*"))

    before = written()
    build = start(project, *args, log=tmp_path / "kill.log")
    wait_for(lambda: build.poll() is not None or written() >= before + files, "progress")
    if build.poll() is None:
        build.send_signal(signal.SIGKILL)
    build.wait()


@pytest.mark.long
@pytest.mark.parametrize("files", [1, 20, 60, 120, 200, 400])
@pytest.mark.parametrize("args", [(), ("--dirty",)], ids=["cold", "dirty"])
def test_a_build_killed_anywhere_recovers_to_the_same_site(tmp_path: Path, args, files):
    reference = make_project(tmp_path / "ref")
    assert run(reference).returncode == 0
    project = make_project(tmp_path / "p")
    if args:
        assert run(project).returncode == 0
    kill_at(project, tmp_path, args, files)
    done = run(project, "--dirty")
    assert done.returncode == 0, done.stderr[-3000:]
    ref, got = tree(reference / "site"), tree(project / "site")
    assert set(got) == set(ref)
    differ = sorted(k for k in ref if ref[k] != got[k])
    assert differ == [], differ[:10]
    assert_valid_index(project / "site")


@pytest.mark.long
@pytest.mark.parametrize("round_", range(5))
def test_builds_racing_without_help_all_end_with_a_valid_index(project: Path, tmp_path, round_):
    """A dirty build and another dirty build, or a full strict one (make serve + make site),
    started together, five times over. (--dirty with --strict always stops: MkDocs warns on
    every dirty build.)"""
    assert run(project).returncode == 0
    logs = [tmp_path / f"{round_}-{i}.log" for i in range(2)]
    args = [("--dirty",), ("--strict",) if round_ % 2 else ("--dirty",)]
    builds = [start(project, *a, log=log) for a, log in zip(args, logs, strict=True)]
    for b in builds:
        assert b.wait(timeout=900) == 0, [log.read_text("utf-8")[-3000:] for log in logs]
    assert_valid_index(project / "site")


# --------------------------------------------------------------------------- unwritable


@pytest.mark.parametrize("where", ["site", "build/cache", "content/agencies"])
def test_an_unwritable_folder_is_a_clear_message(project: Path, where: str):
    """A file where a folder must be (what the tests can make as root, who may write
    anywhere): the build stops at once with a message naming it, not a traceback."""
    blocker = project / where
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    done = run(project)
    assert done.returncode == 1
    assert "无法写入" in done.stderr and where.split("/")[0] in done.stderr
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


def test_a_read_only_folder_is_named(tmp_path: Path, monkeypatch):
    from gongkai import plugin

    monkeypatch.setattr(plugin.os, "access", lambda path, mode: False)
    message = plugin.not_writable(tmp_path / "site")
    assert message is not None and "site" in message and "权限不足" in message
