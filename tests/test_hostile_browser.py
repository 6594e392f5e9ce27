"""The site built from the hostile corpus in headless Chromium: no dialog, no script of a
report's ever runs (a sentinel every payload tries to set stays false), no console error, and
no request leaves the local server. Screenshots go to tests/artifacts/hostile/ (ignored)."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from browser_support import chromium, serve

HOSTILE = Path(__file__).resolve().parent / "hostile"
sys.path.insert(0, str(HOSTILE))

from hostile_site import hostile_site  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts" / "hostile"
LOCAL = {"127.0.0.1", "localhost"}
# Every payload of the corpus sets window.__pwned (make_hostile.PWN) or calls alert().
SENTINEL = """
window.__pwned = false;
window.__dialogs = 0;
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function () { window.__dialogs += 1; return original.apply(this, arguments); };
}
"""
QUERIES = ["script", "pwned", "onerror", "config", "passwd", "javascript", "<img", "{{"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_site(tmp_path_factory)


@pytest.fixture(scope="module")
def server(hostile) -> Iterator[str]:
    with serve(hostile.site) as base:
        yield base


class Watch:
    """Everything a page did that a hostile report could have caused."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests = 0

    def request(self, url: str) -> None:
        self.requests += 1
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname not in LOCAL:
            self.outside.append(url)


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # screenshots of this run only
    ARTIFACTS.mkdir(parents=True)
    watch = Watch()
    with chromium(
        tmp_path_factory.mktemp("chromium-hostile"),
        locale="zh-CN",
        viewport={"width": 1000, "height": 900},
    ) as context:
        context.add_init_script(SENTINEL)
        context.on("request", lambda r: watch.request(r.url))
        yield context, watch


def visit(browser, base: str, path: str, shot: str | None = None, action=None) -> None:
    context, watch = browser
    page = context.new_page()
    where = path or "/"
    page.on(
        "dialog", lambda d: (watch.dialogs.append(f"{where}: {d.type} {d.message}"), d.dismiss())
    )
    page.on(
        "console",
        lambda m: watch.errors.append(f"{where}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: watch.errors.append(f"{where}: {e}"))
    response = page.goto(base + quote(path), wait_until="networkidle", timeout=90_000)
    assert response is not None and response.ok, path
    if action is not None:
        action(page)
    # every link a reader could follow stays on the site or is an ordinary http(s) link
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    bad = [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data):", h, re.I)]
    assert not bad, f"{path}: {bad}"
    state = page.evaluate("({pwned: window.__pwned, dialogs: window.__dialogs})")
    assert state == {"pwned": False, "dialogs": 0}, f"{path}: {state}"
    if shot:
        page.screenshot(path=ARTIFACTS / shot)
    page.close()


def check(watch: Watch) -> None:
    assert not watch.dialogs, watch.dialogs
    assert not watch.outside, f"requests left the site: {watch.outside[:10]}"
    assert not watch.errors, f"console errors: {watch.errors[:10]}"


def agency_pages(hostile) -> list[str]:
    urls = sorted({e["url"] for e in hostile.entries.values() if e["url"]})
    agencies = sorted({u.rsplit("/", 2)[0] + "/" for u in urls})
    return urls + agencies


def test_every_agency_page_of_the_hostile_corpus(hostile, server, browser):
    _, watch = browser
    pages = agency_pages(hostile)
    assert len(pages) > 60
    for i, url in enumerate(pages):
        shot = re.sub(r"[^0-9A-Za-z]+", "-", url).strip("-")[-60:] or f"page-{i}"
        visit(browser, server, url, f"{i:03d}-{shot}.png")
    check(watch)
    assert watch.requests > len(pages)


@pytest.mark.parametrize(
    "path",
    ["", "generated/build-report/", "generated/quality/", "generated/compare/", "data/",
     "generated/years/", "generated/regions/", "generated/types/"],
)  # fmt: skip
def test_index_and_report_pages(hostile, server, browser, path):
    _, watch = browser
    visit(browser, server, path, (path.strip("/").replace("/", "-") or "home") + ".png")
    check(watch)


@pytest.mark.parametrize("query", QUERIES)
def test_search_results_for_hostile_text(hostile, server, browser, query):
    """Pagefind shows excerpts of the hostile pages: they must stay text there too."""
    _, watch = browser
    titles: list[str] = []

    def search(page) -> None:
        page.locator(".pagefind-ui__search-input").fill(query)
        # results, or Pagefind's "no results" message: either way nothing may run
        page.wait_for_selector(".pagefind-ui__result, .pagefind-ui__message", timeout=15_000)
        titles.extend(page.locator(".pagefind-ui__result-title").all_inner_texts())

    visit(browser, server, "search/", f"search-{re.sub(r'[^0-9A-Za-z]+', '_', query)}.png", search)
    check(watch)
    if query == "pwned":  # the hostile names are found, and shown as the text they are
        assert any(t.startswith("<script>window.__pwned=true") for t in titles), titles
