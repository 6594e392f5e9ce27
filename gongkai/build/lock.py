"""One build at a time in a project: a lock file in ``build/`` held for the whole build.

Two builds of one project at once (``make serve`` running while ``make site`` runs, two
terminals) write the same ``content/``, caches and ``site/``: Pagefind waited forever on
pages the other build deleted, and one build left a search index with 1 of 401 fragments.
So the build (the MkDocs plugin, from generating ``content/`` to the search index) holds an
exclusive ``flock`` on ``build/gongkai.lock``. A second build **waits** for the first, saying
so once, and refuses with a clear message after ``wait`` seconds (mkdocs.yml's
``lock_wait``). The operating system releases the lock when its process ends, even on
SIGKILL: a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

NAME = "gongkai.lock"
POLL = 0.2  # seconds between tries while another build holds the lock


class LockError(RuntimeError):
    """The lock could not be taken: another build held it too long, or build/ is not
    writable. The message is for the maintainer, in Chinese."""


class BuildLock:
    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / NAME
        self.fd: int | None = None
        self.waited = 0  # tries made while another build held the lock (tests count them)

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self, wait: float, tell: Callable[[str], None] | None = None) -> None:
        """Take the lock, waiting at most ``wait`` seconds for another build to end;
        ``tell`` is called once with a message when this build has to wait."""
        if self.fd is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise LockError(
                f"无法在 {self.path.parent} 中建立构建锁（{_why(err)}）：build/ 必须可写"
            ) from err
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if self.waited == 0 and tell is not None:
                        tell(
                            f"另一个构建（进程 {_holder(fd) or '未知'}）正在使用 {self.path.parent}，"
                            f"等待它结束（最多 {wait:g} 秒）…"
                        )
                    self.waited += 1
                    if time.monotonic() >= deadline:
                        raise LockError(
                            f"另一个构建（进程 {_holder(fd) or '未知'}）使用 {self.path.parent} 已超过 "
                            f"{wait:g} 秒，本次构建未进行；请等它结束后再构建"
                        ) from None
                    time.sleep(POLL)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return ""


def _why(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "权限不足"
    if err.errno == errno.EROFS:
        return "只读文件系统"
    return err.strerror or type(err).__name__
