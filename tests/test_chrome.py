"""The chrome around every page: Material's header, menu, footer and scripts (overrides/).

Small (issue 12, site size: it is on every page, ~7.3 KB of each before, 3.7 KB now) and
whole: the site's name, the page's title, the search button, every menu entry, the footer's
date, corrections line and licence. On a 390 px phone the menu opens and every entry can be
tapped, and Material's script runs without an error on every kind of page.

The pages that are not menu entries themselves (agency, agency-year and listing pages) write
the menu's first entry and load the others from one cached script, assets/nav.js
(overrides/partials/nav.html): with JavaScript the same menu, on a phone and on a desktop;
without it a link to the home page, whose menu is whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from browser_support import chromium, serve
from conftest import ROOT, SITE_URL
from lxml import html as lxml_html

# Bytes of chrome on a report's pages (minified), their own title, description, canonical
# address and contents list aside: 3,653 at most on the seeds' pages, 4,678 while the whole
# menu was written into each (assets/nav.js now writes all but its first entry), ~7,350
# before. The margin lets a small addition in; the chrome growing back (the whole menu,
# ~1 KB; Material's inlined icons, ~1 KB; its whole __config, ~650 bytes) does not fit.
CHROME_LIMIT = 3_900

# A tag, its quoted attribute values read whole (a value may hold ">"); the page's own ones:
# its description and canonical address. The pages are minified (gongkai/plugin.py): quotes
# and attribute order are minify-html's.
_TAG = re.compile(rb"""<(?:meta|link)\b(?:"[^"]*"|'[^']*'|[^'">])*>""")
_OWN_TAG = re.compile(rb'name="?description\b|rel="?canonical\b')
_TITLE = re.compile(rb"<title>.*?</title>", re.S)
_CONTENTS = re.compile(
    rb'<div class="md-sidebar md-sidebar--secondary".*?(?=<div class="?md-content\b)', re.S
)


def chrome(page: bytes) -> bytes:
    """What a page has outside its <article>, without what only this page says (its title,
    description, canonical address) and its own contents list."""
    start, end = page.index(b"<article"), page.index(b"</article>") + len(b"</article>")
    rest = _TITLE.sub(b"", page[:start] + page[end:])
    rest = _TAG.sub(lambda m: b"" if _OWN_TAG.search(m.group(0)) else m.group(0), rest)
    return _CONTENTS.sub(b"", rest)


class _Config(yaml.SafeLoader):
    """mkdocs.yml as data: its !ENV and Python tags read as nothing."""


_Config.add_multi_constructor("!", lambda loader, suffix, node: None)
_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Config)


def menu_titles() -> list[str]:
    return [next(iter(entry)) for entry in mkdocs_config()["nav"]]


def menu_pages(site: Path) -> dict[str, Path]:
    """The menu's entries (mkdocs.yml nav): title → the page built for it."""
    pages = {}
    for entry in mkdocs_config()["nav"]:
        ((title, source),) = entry.items()
        stem = source.removesuffix(".md")
        folder = stem.removesuffix("index") if stem.endswith("index") else stem + "/"
        pages[title] = site / folder / "index.html"
    return pages


def primary_menu(path: Path):
    """The <nav> of Material's menu (the sidebar; the drawer on a phone) in a built page."""
    return lxml_html.fromstring(path.read_bytes()).xpath(
        "//nav[contains(@class,'md-nav--primary')]"
    )[0]


def report_pages(site: Path) -> list[Path]:
    pages = sorted(site.glob("agencies/*/*/index.html")) + sorted(
        site.glob("agencies/*/index.html")
    )
    assert len(pages) == 10, pages  # five seeds: five agency-year pages, five agency pages
    return pages


def test_chrome_is_small(built_site):
    for path in report_pages(built_site.site):
        size = len(chrome(path.read_bytes()))
        assert size <= CHROME_LIMIT, f"{path.relative_to(built_site.site)}: {size} bytes"


def test_chrome_keeps_every_part(built_site):
    site = built_site.site
    gk = mkdocs_config()["extra"]["gongkai"]
    name = mkdocs_config()["site_name"]
    for path in report_pages(site):
        page = lxml_html.fromstring(path.read_bytes())
        title = page.findtext("head/title").removesuffix(f" - {name}")
        topics = [t.text_content() for t in page.xpath("//header//div[@class='md-header__topic']")]
        assert topics == [name, title]
        (search,) = page.xpath("//header//a[@title='搜索']/@href")
        assert search.endswith("search/")
        drawer = page.xpath("//nav[contains(@class,'md-nav--primary')]")[0]
        assert drawer.xpath("label[@for='__drawer']")[0].text_content().strip() == name
        # the menu's first entry, then assets/nav.js writes the others (tested in Chromium)
        entries = drawer.xpath("ul/li/a[@class='md-nav__link']")
        assert [a.text_content() for a in entries] == menu_titles()[:1]
        for icon in page.xpath("//use/@href"):  # the icons: drawn from the one sprite file
            file, _, symbol = icon.partition("#")
            sprite = (path.parent / file).resolve().read_text("utf-8")
            assert f'<svg id="{symbol}" ' in sprite, icon
        footer = page.xpath("//footer")[0].text_content()
        assert "数据更新于" in footer and "CC BY 4.0" in footer and gk["corrections"] in footer
        assert page.xpath("//footer//span[@class='gk-updated']")  # data/version.js fills it in
        assert page.xpath("//footer//a[contains(@href,'#corrections')]")
        assert page.xpath("//script[contains(@src,'data/version.js')]")
        assert "Material for MkDocs" not in footer  # said once, on the 关于 page
        # Material's settings: only what its script reads on a site without its search
        (config,) = page.xpath("//script[@id='__config']/text()")
        assert set(json.loads(config)) == {"base", "features", "translations"}
    about = lxml_html.fromstring((site / "about" / "index.html").read_bytes())
    assert "Material for MkDocs" in about.xpath("//article")[0].text_content()


def test_menu_comes_from_one_file_except_on_its_own_pages(built_site):
    """A page that is not a menu entry writes the first entry (the home page) and loads the
    others from assets/nav.js; the menu's own pages (the home page among them) and the 404
    page write the whole menu, as Material does (its entry for the page shown also holds the
    page's contents)."""
    site = built_site.site
    titles = menu_titles()
    assert titles[0] == "首页" and menu_pages(site)["首页"] == site / "index.html"
    listings = sorted(site.glob("generated/*/*/index.html"))
    assert listings  # the regions', years' and types' own pages: not menu entries
    for path in report_pages(site) + listings:
        menu = primary_menu(path)
        (first,) = menu.xpath("ul/li/a[@class='md-nav__link']")
        assert first.text_content() == titles[0]
        assert (path.parent / first.get("href") / "index.html").resolve() == site / "index.html"
        (src,) = menu.xpath("ul/script/@src")  # in the list: it writes the rest in place
        assert (path.parent / src).resolve() == (site / "assets" / "nav.js").resolve()
    for title, path in [*menu_pages(site).items(), ("404", site / "404.html")]:
        menu = primary_menu(path)
        links = menu.xpath("ul/li/a[contains(@class,'md-nav__link')]")
        assert [a.text_content().strip() for a in links] == titles, title
        assert not menu.xpath(".//script"), title
        active = menu.xpath("ul/li/a[contains(@class,'md-nav__link--active')]")
        assert [a.text_content().strip() for a in active] == ([] if title == "404" else [title])


def render_nav_js(items: list[tuple[str, str]]) -> str:
    """overrides/assets/nav.js rendered as MkDocs renders it (a theme template with `nav`)."""
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(ROOT / "overrides"))
    nav = SimpleNamespace(items=[SimpleNamespace(title=t, url=u) for t, u in items])
    return env.get_template("assets/nav.js").render(nav=nav)


HOSTILE_MENU = [
    ("首页", ""),
    ('<b>粗</b> & "引" </script><img src=x onerror=alert(1)>', "generated/x/"),
    ("外站", "https://example.org/a?b=1"),
]


def test_nav_js_is_the_nav_as_data_the_same_bytes_every_time():
    js = render_nav_js(HOSTILE_MENU)
    assert js == render_nav_js(HOSTILE_MENU)  # nothing but the nav: no clock, no order
    # the entries after the first (which each page writes itself), as JSON with < > & escaped:
    # nothing in a title can end the script or be read as HTML
    data = re.search(r"e=(\[.*?\]);", js)[1]
    assert json.loads(data) == [list(entry) for entry in HOSTILE_MENU[1:]]
    assert "<" not in data and ">" not in data and "&" not in data
    assert "textContent" in js and "innerHTML" not in js  # and set as text


def test_chrome_shows_the_contact_from_mkdocs_yml():
    """The footer's contact comes from mkdocs.yml: a web address, an e-mail or plain text."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(ROOT / "overrides"))
    env.filters["url"] = lambda value: "../" + value
    footer = env.get_template("partials/footer.html")
    for contact, shown in (
        ("https://example.org/issues", '<a href="https://example.org/issues" rel="nofollow'),
        ("a@example.org", '<a href="mailto:a@example.org">a@example.org</a>'),
        ("写信给编辑部", "联系：写信给编辑部"),
    ):
        config = {"extra": {"gongkai": {"corrections": "读错了？", "contact": contact}}}
        out = footer.render(config=config)
        assert "读错了？" in out and shown in out, out


# -- in Chromium, on a phone ---------------------------------------------------------------

# The menu's entries that can be tapped: in each top-level entry, its link that is shown (the
# page shown has two: a link, and on a phone the label that opens its contents), scrolled
# into view inside the drawer, on the screen and not covered (what a tap there hits is the
# entry). Its title, or a note of what is wrong.
TAPPABLE_ENTRIES = """() => Array.from(
  document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item"),
  item => {
    const shown = Array.from(item.children).filter(
      c => c.classList.contains("md-nav__link") && c.checkVisibility());
    if (shown.length !== 1) return `${shown.length} links shown: ${item.textContent.trim()}`;
    const link = shown[0];
    link.scrollIntoView({block: "center"});
    const box = link.getBoundingClientRect();
    if (box.width < 100 || box.height < 24 || box.left < -0.5 || box.bottom > innerHeight + 0.5)
      return `off screen or too small: ${link.textContent.trim()}`;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !link.contains(hit)) return `covered: ${link.textContent.trim()}`;
    return link.textContent.trim();
  })"""


@pytest.fixture(scope="module")
def served(built_site, tmp_path_factory) -> Iterator[str]:
    """The site served under the sub-path it was built for (SITE_URL), as Pages serves it:
    the 404 page's links are absolute in it."""
    root = tmp_path_factory.mktemp("served")
    prefix = urlparse(SITE_URL).path.strip("/")
    (root / prefix).symlink_to(built_site.site, target_is_directory=True)
    with serve(root) as base:
        yield f"{base}{prefix}/"


@pytest.mark.browser
def test_phone_menu_opens_and_every_entry_can_be_tapped(built_site, served, tmp_path):
    site = built_site.site
    year_page = report_pages(site)[0].parent.relative_to(site).as_posix() + "/"
    agency_page = report_pages(site)[-1].parent.relative_to(site).as_posix() + "/"
    kinds = [year_page, agency_page, "generated/regions/", "search/", "about/", "404.html"]
    titles = menu_titles()
    with chromium(
        tmp_path / "profile",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    ) as context:
        problems: list[str] = []
        context.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        context.on("response", lambda r: r.status < 400 or problems.append(f"{r.status}: {r.url}"))
        for path in kinds:
            page = context.new_page()
            page.on("pageerror", lambda e, p=path: problems.append(f"{p}: {e}"))
            page.on(
                "console",
                lambda m, p=path: m.type == "error" and problems.append(f"{p}: {m.text}"),
            )
            page.goto(served + path, wait_until="networkidle")
            header = page.locator(".md-header")
            assert "公开" in header.inner_text()
            assert page.locator(".md-header a[title='搜索']").is_visible()
            # the icons come from the sprite file and are drawn: the menu icon has a size
            assert (
                page.evaluate(
                    "document.querySelector('label.md-header__button use').getBBox().width"
                )
                > 0
            )
            drawer = page.locator(".md-sidebar--primary")
            assert drawer.bounding_box()["x"] < 0  # closed: off the screen
            page.locator("label.md-header__button[for='__drawer']").click()
            page.wait_for_function(  # slid in, all the way
                "Math.abs(document.querySelector('.md-sidebar--primary')"
                ".getBoundingClientRect().x) < 0.5"
            )
            names = page.evaluate(TAPPABLE_ENTRIES)
            assert names == titles, path
            page.close()
        # a tap on an entry opens its page
        page = context.new_page()
        page.goto(served + year_page, wait_until="networkidle")
        page.locator("label.md-header__button[for='__drawer']").click()
        page.locator(".md-nav--primary .md-nav__link", has_text=titles[-1]).click()
        page.wait_for_url("**/about/")
        assert page.locator("article h1").inner_text() == "关于本站"
        assert not problems, problems


# The menu's entries as the reader's browser has them: title, href as written, and the
# address it resolves to; or a note of what differs from Material's plain entry.
MENU_ENTRIES = """() => Array.from(
  document.querySelector(".md-nav--primary > .md-nav__list").children,
  li => {
    const a = li.querySelector("a.md-nav__link");
    if (li.tagName !== "LI" || !a) return `not an entry: ${li.outerHTML}`;
    return [a.textContent.trim(), a.getAttribute("href"), a.href, li.className, a.className];
  })"""


@pytest.mark.browser
def test_scripted_menu_is_the_whole_menu_with_working_links(built_site, served, tmp_path):
    """On a phone, the menu assets/nav.js writes on an agency-year page is the menu the home
    page writes: the same entries, links to the same pages (each there), the same markup. On
    the menu's own pages (listings among them) Material's menu marks the page shown."""
    site = built_site.site
    year_page = report_pages(site)[0].parent.relative_to(site).as_posix() + "/"
    titles = menu_titles()
    with chromium(
        tmp_path / "profile", viewport={"width": 390, "height": 844}, is_mobile=True
    ) as context:
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(served, wait_until="load")
        home = page.evaluate(MENU_ENTRIES)
        page.goto(served + year_page, wait_until="load")
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function(
            "Math.abs(document.querySelector('.md-sidebar--primary')"
            ".getBoundingClientRect().x) < 0.5"
        )
        assert page.evaluate(TAPPABLE_ENTRIES) == titles
        scripted = page.evaluate(MENU_ENTRIES)
        assert [e[0] for e in scripted] == titles
        assert [e[3:] for e in scripted] == [["md-nav__item", "md-nav__link"]] * len(titles)
        # where each goes: where the home page's entry goes, a page that is there
        assert [e[2] for e in scripted] == [e[2] for e in home]
        for entry in scripted[1:]:
            assert entry[1] == "../../../" + urlparse(entry[2]).path.removeprefix(
                urlparse(served).path
            )  # relative, as Material writes it: the site works under any sub-path
            assert page.request.get(entry[2]).status == 200, entry
        assert page.locator(".md-nav--primary script").count() == 0  # it took itself out
        # the menu's own pages: their entry is marked active, as Material marks it
        for title, path in menu_pages(site).items():
            page.goto(served + path.parent.relative_to(site).as_posix() + "/")
            active = page.locator(".md-nav--primary .md-nav__item--active > a.md-nav__link")
            assert active.inner_text().strip() == title
            assert "md-nav__link--active" in active.get_attribute("class")
        assert not errors, errors


# Records, in the order the page is put together, each menu entry and the page's content as
# they are added: the entries written before the content are there when it is first drawn.
RECORD_ORDER = """window.gkOrder = [];
new MutationObserver(records => { for (const r of records) for (const n of r.addedNodes) {
  if (n.nodeType !== 1) continue;
  if (n.matches(".md-nav--primary li.md-nav__item")) gkOrder.push("entry");
  if (n.matches(".md-content") || n.querySelector(".md-content")) gkOrder.push("content");
}}).observe(document, {childList: true, subtree: true});"""


@pytest.mark.browser
def test_desktop_sidebar_shows_the_menu_before_the_page(built_site, served, tmp_path):
    """At 1,366 px the menu is the left sidebar: every entry is shown, and nav.js wrote them
    in place, before the page's content was parsed (no sidebar drawn empty, then filled)."""
    site = built_site.site
    titles = menu_titles()
    with chromium(tmp_path / "profile", viewport={"width": 1366, "height": 900}) as context:
        context.add_init_script(RECORD_ORDER)
        page = context.new_page()
        for path in (report_pages(site)[0], report_pages(site)[-1]):
            page.goto(served + path.parent.relative_to(site).as_posix() + "/", wait_until="load")
            order = page.evaluate("gkOrder")
            assert order == ["entry"] * len(titles) + ["content"], order
            content = page.locator(".md-content").bounding_box()
            links = page.locator(".md-nav--primary .md-nav__link")
            assert links.all_inner_texts() == titles
            for link in links.all():
                box = link.bounding_box()
                assert link.is_visible() and 0 <= box["x"] < content["x"], link.inner_text()


@pytest.mark.browser
def test_without_javascript_the_menu_leads_to_the_whole_menu(built_site, served, tmp_path):
    """Without JavaScript an agency-year page's menu (the drawer opens without it) has its
    first entry, the home page, whose menu is written whole."""
    site = built_site.site
    year_page = report_pages(site)[0].parent.relative_to(site).as_posix() + "/"
    with chromium(
        tmp_path / "profile",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    ) as context:
        page = context.new_page()
        page.goto(served + year_page, wait_until="load")
        links = page.locator(".md-nav--primary .md-nav__link")
        assert links.all_inner_texts() == ["首页"]
        page.locator("label.md-header__button[for='__drawer']").click()
        links.first.click()
        page.wait_for_url(served)
        entries = page.locator(".md-nav--primary > .md-nav__list > li > a.md-nav__link")
        assert [t.strip() for t in entries.all_inner_texts()] == menu_titles()


@pytest.mark.browser
def test_nav_js_shows_a_title_as_text(tmp_path):
    """A title with markup in it is shown as those characters: nothing runs, no element."""
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "nav.js").write_text(render_nav_js(HOSTILE_MENU), "utf-8")
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><nav class="md-nav--primary">'
        '<ul class="md-nav__list"><li class="md-nav__item"><a href="../.." class="md-nav__link">'
        '首页</a></li><script src="../../assets/nav.js"></script></ul></nav><p id="after">后</p>',
        "utf-8",
    )
    with serve(root) as base, chromium(tmp_path / "profile") as context:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "a/b/", wait_until="load")
        entries = page.evaluate(MENU_ENTRIES)
        assert [e[:2] for e in entries] == [
            ["首页", "../.."],
            [HOSTILE_MENU[1][0], "../../generated/x/"],
            ["外站", "https://example.org/a?b=1"],
        ]
        assert page.locator("nav b, nav img, nav script").count() == 0 and not dialogs
        assert page.locator("#after").inner_text() == "后"
