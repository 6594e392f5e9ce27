"""``make update`` at N reports with the indicators and peers (issue 13), apart from
``scripts/benchmark.py``: a cold ``mkdocs build --strict``, then one report's 表三 number
changed and ``mkdocs build --dirty``; prints the seconds and what the rebuild wrote.

    .venv/bin/python scripts/bench_update.py --n 10000

The corpus and project are those of the benchmark (build/bench-ind/N, scripts/make_corpus.py,
seed 1). A peer's change rewrites its group's small data file (data/peers/…) and the 指标
pages, never the other agencies' pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-ind")
    parser.add_argument("--skip-cold", action="store_true", help="the cold build is already there")
    args = parser.parse_args(argv)
    project = args.out / str(args.n)
    if not args.skip_cold:  # (make_project starts content/ afresh: the cold build must follow)
        benchmark.make_project(project, args.n, benchmark.SEED)
    budget = benchmark.Budget(benchmark.default_budget(args.n) * 3)
    res: dict = {"n": args.n}
    if not args.skip_cold:
        benchmark.clean_outputs(project)
        cold = benchmark.run(
            [benchmark.PYTHON, "-m", "mkdocs", "build", "--strict"], project, budget, "cold"
        )
        res["cold_s"] = round(cold.seconds, 1)
        res["cold_stages"] = benchmark.stages_from_log(cold.log)
        print(json.dumps(res, ensure_ascii=False), flush=True)
    changed = benchmark.touch_one_report(project, 0)
    dirty = benchmark.run(
        [benchmark.PYTHON, "-m", "mkdocs", "build", "--dirty"], project, budget, "dirty"
    )
    res.update(
        changed=changed,
        dirty_s=round(dirty.seconds, 1),
        dirty_stages=benchmark.stages_from_log(dirty.log),
        dirty_counts=benchmark.counts_from_log(dirty.log),
        dirty_pagefind_s=benchmark.pagefind_from_log(dirty.log),
        gongkai_lines=[line for line in dirty.log.splitlines() if "gongkai:" in line][:4],
    )
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
