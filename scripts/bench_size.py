"""The site's size per report at N reports, apart from ``scripts/benchmark.py`` (whose size
row is the same measure): a cold ``mkdocs build --strict`` of the benchmark's corpus, then
the KB on disk per report, in all and by part (``benchmark.size_per_report``) and by kind
of file (each path with its agency, year and region folders generalised).

    .venv/bin/python scripts/bench_size.py --n 1000

GitHub Pages hosts 1 GB: at 50 KB a report that is 20,000 reports.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark  # noqa: E402

# agencies/盐池县科学技术局-fa9fff10/2023/原文.html → agencies/X/Y/X
_KINDS = (
    (re.compile(r"[^/]*[\u4e00-\u9fff][^/]*"), "X"),
    (re.compile(r"/\d{4}(?=/|$)"), "/Y"),
    (re.compile(r"/\d{6}(?=/|$)"), "/R"),
    (re.compile(r"[0-9a-f]{16}\.svg$"), "H.svg"),
    (re.compile(r"^(pagefind|assets)/.*"), r"\1/*"),
)


def kind_of(rel: str) -> str:
    for pattern, repl in _KINDS:
        rel = pattern.sub(repl, rel)
    return rel


def by_kind(site: Path, reports: int) -> list[tuple[str, int, float]]:
    """(kind of file, files, KB per report), largest first."""
    size: collections.Counter[str] = collections.Counter()
    files: collections.Counter[str] = collections.Counter()
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = os.path.join(dirpath, name)
            kind = kind_of(os.path.relpath(path, site).replace(os.sep, "/"))
            size[kind] += os.path.getsize(path)
            files[kind] += 1
    return [(k, files[k], v / 1024 / max(1, reports)) for k, v in size.most_common()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-size")
    args = parser.parse_args(argv)
    project = args.out / str(args.n)
    benchmark.make_project(project, args.n, benchmark.SEED)
    benchmark.clean_outputs(project)
    budget = benchmark.Budget(benchmark.default_budget(args.n) * 3)
    benchmark.run([benchmark.PYTHON, "-m", "mkdocs", "build", "--strict"], project, budget, "cold")
    site = project / "site"
    print(f"{args.n:,} reports: {benchmark.size_text(benchmark.size_per_report(site, args.n))} KB")
    for kind, count, kb in by_kind(site, args.n)[:20]:
        print(f"{kb:8.2f} KB/report {count:7,} files  {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
