"""The package's layout is its pipeline: each stage imports only the stages before it.

ingest (bytes → lines) → parse (lines → record) → check (→ problems) → site (→ pages)
→ build (reports/ → content/); the edges (CLI, MkDocs plugin) call the stages. The cache
versions (gongkai.cache) are digests of these folders, so they must cover every module that
shapes a cached entry.
"""

from __future__ import annotations

import ast
from functools import cache as cache_result
from pathlib import Path

from gongkai import cache

PACKAGE = Path(cache.__file__).parent
# Lower stages first; a module may import its own stage and any stage listed before it.
STAGES = (
    ("layout", "model", "cache"),
    ("ingest",),
    ("parse",),
    ("check",),
    ("report",),
    ("site",),
    ("build",),
    ("cli", "plugin", "__main__"),
)
RANK = {name: i for i, names in enumerate(STAGES) for name in names}


@cache_result
def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        found[".".join(["gongkai", *parts])] = path
    return found


def imports(path: Path) -> set[str]:
    """The gongkai modules a file imports (at the top or inside functions)."""
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    known = modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("gongkai"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongkai"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
    return out


def stage(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_every_module_belongs_to_a_stage():
    assert {stage(m) for m in modules() if m != "gongkai"} <= set(RANK)


def test_stages_import_only_earlier_stages():
    wrong = []
    for module, path in modules().items():
        if module == "gongkai":
            continue
        for target in imports(path):
            if target != "gongkai" and RANK[stage(target)] > RANK[stage(module)]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_import_cycle():
    graph = {m: imports(p) & set(modules()) for m, p in modules().items()}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        assert node not in path, " → ".join([*path[path.index(node) :], node])
        if node in done:
            return
        for nxt in graph[node]:
            visit(nxt, [*path, node])
        done.add(node)

    for node in graph:
        visit(node, [])


def test_cache_versions_cover_every_module_that_shapes_an_entry():
    """Every module but the edges is in the pages' version; the parser's version covers the
    stages up to the checks, and neither covers the edges (editing the CLI re-renders nothing)."""
    pages = {p.resolve() for p in cache._files(cache.PAGES_PARTS)}
    parser = {p.resolve() for p in cache._files(cache.PARSER_PARTS)}
    for module, path in modules().items():
        name = stage(module)
        if name in ("cli", "plugin", "__main__", "gongkai"):
            assert path.resolve() not in pages, module
        elif name != "report":
            assert path.resolve() in pages, module
        if RANK.get(name, 99) <= RANK["check"] and name != "cache":
            assert path.resolve() in parser, module


def test_chart_version_covers_the_modules_that_turn_a_spec_into_svg():
    """A cached chart is found by its spec and :func:`cache.chart_version`: the site modules
    charts.py draws with are in that version (figures only makes the specs, which are hashed)."""
    covered = {p.resolve() for p in cache._files(cache.CHART_PARTS)}
    drawing = imports(modules()["gongkai.site.charts"]) - {"gongkai.site.figures"}
    for module in sorted(m for m in drawing if stage(m) == "site") + ["gongkai.site.charts"]:
        assert modules()[module].resolve() in covered, module


def test_versions_change_with_the_code(tmp_path, monkeypatch):
    """A version is a digest of the files themselves: one byte more, another version."""
    (tmp_path / "parse").mkdir()
    (tmp_path / "parse" / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(cache, "PACKAGE", tmp_path)
    first = cache.code_version.__wrapped__(("parse",), ())
    (tmp_path / "parse" / "a.py").write_text("x = 2\n")
    assert cache.code_version.__wrapped__(("parse",), ()) != first
    assert cache.code_version.__wrapped__(
        ("parse",), ("jinja2",)
    ) != cache.code_version.__wrapped__(("parse",), ())
