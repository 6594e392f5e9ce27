"""The hostile corpus through the real build, once per test session (shared by the build and
browser tests): a project made like conftest.make_project around reports/ = the committed
corpus + the three large files + two good seeds, then `mkdocs build --strict`, with a
snapshot of the whole pytest temporary tree before and after."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(HERE))

from conftest import make_project, run_with_cpu  # noqa: E402
from make_hostile import REPORTS, write_large, write_unportable  # noqa: E402

SEEDS = {
    "002_5e0a10dac8f8a1dc.txt": ("盐池县科学技术局", 2023),
    "004_8cdd9bfe532ace7c.txt": ("青铜峡市科学技术局", 2020),
}
PWNED = Path("/tmp/pwned")  # what the unsafe YAML tag in sidecar_unsafe.yml would create


@dataclass(frozen=True)
class HostileSite:
    root: Path  # the project (mkdocs.yml, reports/, content/, site/, build/)
    site: Path
    cpu_seconds: float  # CPU time of the whole build (conftest.run_with_cpu)
    log: str
    changed: list[str]  # files created, changed or deleted under the pytest temp tree
    entries: dict[str, dict]  # build-report entries by file name

    def page(self, name: str) -> Path:
        """The built HTML of the agency-year page of an input file."""
        return self.site / self.entries[name]["url"] / "index.html"


def snapshot(top: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            out[os.path.relpath(path, top)] = (st.st_size, st.st_mtime_ns)
    return out


def mkdocs_build(root: Path, **env: str) -> subprocess.CompletedProcess:
    return mkdocs_build_cpu(root, **env)[0]


def mkdocs_build_cpu(root: Path, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    """The build, and the CPU time of all its processes. The timeout only stops a hung build."""
    return run_with_cpu(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def reports_folder(target: Path) -> Path:
    target.mkdir(parents=True)
    for path in REPORTS.iterdir():
        shutil.copy2(path, target / path.name)
    for name in SEEDS:
        shutil.copy2(TESTS / "fixtures" / "reports" / name, target / name)
    write_large(target)
    return target


_BUILT: dict[Path, HostileSite | str] = {}


def hostile_site(tmp_path_factory) -> HostileSite:
    base = tmp_path_factory.getbasetemp()
    if base not in _BUILT:
        try:
            _BUILT[base] = _build(tmp_path_factory, base)
        except AssertionError as err:  # a failed build fails every test once, fast
            _BUILT[base] = f"the hostile build failed: {err}"
    built = _BUILT[base]
    assert isinstance(built, HostileSite), built
    return built


def _build(tmp_path_factory, base: Path) -> HostileSite:
    assert not PWNED.exists(), f"{PWNED} exists before the build: remove it, it proves nothing"
    top = tmp_path_factory.mktemp("hostile")
    root = make_project(top / "project", reports_folder(top / "reports"))
    # after the copy: a pipe or a symlink loop cannot be copied (copytree would hang on one)
    write_unportable(root / "reports", top / "outside-secret.yml")
    before = snapshot(base)
    done, cpu_seconds = mkdocs_build_cpu(root)
    assert done.returncode == 0, done.stderr[-4000:]
    after = snapshot(base)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    report = json.loads((root / "build" / "build-report.json").read_text(encoding="utf-8"))
    entries = {Path(e["path"]).name: e for e in report["files"]}
    return HostileSite(root, root / "site", cpu_seconds, done.stderr, changed, entries)
