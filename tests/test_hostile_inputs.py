"""What ``reports/`` may hold besides reports: names that are not UTF-8 (a Windows archive
unzipped), symlink loops, links leaving the folder, pipes, hidden and unreadable files, and
sidecars PyYAML cannot build. Each becomes one build-report entry with a Chinese reason,
and the rest of the site is built (issue 14)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
sys.path.insert(0, str(HOSTILE))

from make_hostile import report  # noqa: E402

from gongkai import build  # noqa: E402
from gongkai.build import inputs  # noqa: E402

GBK_NAME = "盐池县报告.txt".encode("gbk")  # what unzipping a Windows archive leaves


def _write(path: bytes | Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def good(name: str) -> bytes:
    return report(f"{name}科学技术局2023年政府信息公开工作年度报告").encode("utf-8")


def entries(root: Path) -> dict[str, dict]:
    data = json.loads((root / "build" / "build-report.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["files"]}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A project whose reports/ holds one good report and one of every bad thing."""
    root = tmp_path / "p"
    rep = root / "reports"
    rep.mkdir(parents=True)
    _write(rep / "good.txt", good("好县"))
    raw = os.fsencode(rep)
    _write(raw + b"/" + GBK_NAME, good("盐池县"))  # generated here: git cannot hold such names
    os.mkdir(raw + b"/" + "文件夹".encode("gbk"))
    _write(raw + b"/" + "文件夹".encode("gbk") + b"/a.txt", good("夹县"))
    _write(raw + b"/" + "孤儿.yml".encode("gbk"), b"url: https://example.gov.cn/\n")
    os.symlink("loop1", rep / "loop2")
    os.symlink("loop2", rep / "loop1")
    sidecars = {
        "feb30": "published: 2023-02-30\n",
        "month13": "published: 2024-13-01\n",
        "hour25": "published: 2024-01-31 25:61:00\n",
        "digits": "published: " + "9" * 5000 + "\n",
    }
    for stem, text in sidecars.items():
        _write(rep / f"{stem}.txt", good(f"附{stem}县"))
        _write(rep / f"{stem}.yml", text.encode("utf-8"))
    _write(rep / ".hidden.txt", good("隐藏县"))
    (rep / ".git").mkdir()
    _write(rep / ".git" / "x.txt", good("版本县"))
    secrets = root / "secrets.yml"
    _write(secrets, b"api_token_live: 12345\npublished: 2024-01-31\n")
    _write(rep / "linked.txt", good("链接县"))
    os.symlink(secrets, rep / "linked.yml")  # a sidecar linked out of reports/
    os.symlink("/etc/hostname", rep / "outside.txt")
    os.symlink("missing.txt", rep / "broken.txt")
    os.symlink(rep / ".git", rep / "folder-link")
    os.mkfifo(rep / "pipe.txt")  # opening it would block the build forever
    return root


def test_every_bad_thing_is_an_entry_and_the_rest_is_built(messy: Path):
    summary = build.run(messy, workers=1)
    found = entries(messy)
    assert not summary.bugs
    assert found["reports/good.txt"]["status"] == "ok"
    assert found["reports/linked.txt"]["status"] == "ok"  # its sidecar is not read
    expect = {
        "reports/.hidden.txt": ("skipped", "隐藏文件"),
        "reports/.git": ("skipped", "隐藏文件夹"),
        "reports/loop1": ("skipped", "循环"),
        "reports/loop2": ("skipped", "循环"),
        "reports/broken.txt": ("skipped", "不存在"),
        "reports/outside.txt": ("skipped", "reports/ 文件夹以外"),
        "reports/linked.yml": ("skipped", "reports/ 文件夹以外"),
        "reports/folder-link": ("skipped", "指向文件夹的符号链接"),
        "reports/pipe.txt": ("skipped", "命名管道"),
    }
    for path, (status, words) in expect.items():
        assert found[path]["status"] == status, path
        assert words in found[path]["messages"][0], (path, found[path]["messages"])
    bad = {p: e for p, e in found.items() if "\ufffd" in p}
    assert len(bad) == 3, sorted(found)  # the report, the folder, the orphan sidecar
    for entry in bad.values():
        assert entry["status"] == "failed"
        assert "不是有效的 UTF-8" in entry["messages"][0]
    guesses = " ".join(e["messages"][0] for e in bad.values())
    assert "盐池县报告.txt" in guesses and "文件夹" in guesses and "孤儿.yml" in guesses
    for stem in ("feb30", "month13", "hour25", "digits"):
        entry = found[f"reports/{stem}.txt"]
        assert entry["status"] == "problems" and entry["page"], stem
        assert any("无效的值" in m for m in entry["messages"]), entry["messages"]
    text = (messy / "build" / "build-report.json").read_text(encoding="utf-8")
    assert "api_token" not in text and "12345" not in text
    # every entry of the build report can be written as UTF-8 (the crash of issue 14)
    assert summary.skipped == 9 and summary.failed == 3


def test_find_inputs_reads_no_pipe_and_follows_no_link_out(messy: Path):
    found = inputs.find_inputs(messy / "reports")
    names = sorted(p.name for p in found.reports)
    assert names == [
        "digits.txt",
        "feb30.txt",
        "good.txt",
        "hour25.txt",
        "linked.txt",
        "month13.txt",
    ]
    assert messy / "reports" / "linked.txt" not in found.sidecars


def test_an_unreadable_folder_is_listed(tmp_path: Path, monkeypatch):
    """Listed with its reason (simulated: the tests may run as root, who reads everything)."""
    rep = tmp_path / "reports"
    (rep / "locked").mkdir(parents=True)
    _write(rep / "locked" / "a.txt", good("锁县"))
    real = os.scandir

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(inputs.os, "scandir", scandir)
    found = inputs.find_inputs(rep)
    assert found.reports == []
    assert [(p.name, why) for p, why, _ in found.unread] == [
        ("locked", inputs.UNREADABLE_FOLDER.format(why="权限不足"))
    ]


def test_unknown_sidecar_keys_are_counted_and_only_plain_names_shown(tmp_path: Path):
    side = tmp_path / "a.yml"
    side.write_text("publised: 2024-01-31\n", encoding="utf-8")
    assert "publised" in inputs.read_sidecar(side).notes[0]
    side.write_text("publised: 1\naws_secret: x\n", encoding="utf-8")
    note = inputs.read_sidecar(side).notes[0]
    assert "2 个未使用的键" in note and "secret" not in note and "publised" not in note


@pytest.mark.parametrize(
    "text",
    [
        "published: 2023-02-30",
        "published: 2024-13-01",
        "date: 2024-01-31 25:61:00",
        "url: " + "1" * 5000,
    ],
)
def test_a_sidecar_pyyaml_cannot_build_is_a_note(tmp_path: Path, text: str):
    side = tmp_path / "a.yml"
    side.write_text(text + "\n", encoding="utf-8")
    meta = inputs.read_sidecar(side)
    assert meta.url is None and meta.published is None
    assert "无效的值" in meta.notes[0]
