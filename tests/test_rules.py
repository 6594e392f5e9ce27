"""Every rule a Problem can carry is explained on the site, in Chinese; a problem shows its
message in words and its rule code only as a link to that explanation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gongkai import layout
from gongkai.model import Problem, Report
from gongkai.site import assemble
from gongkai.site.catalog import build_catalog
from tests.test_pages import to_html

PACKAGE = Path(layout.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def rules_in_code() -> set[str]:
    """Rule ids written as the first argument of a ``Problem(...)`` anywhere in the package,
    and those the layout's identities carry."""
    found = {
        identity.rule for fmt in (*layout.FORMATS, "unknown") for identity in layout.identities(fmt)
    }
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Problem"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_rule_the_code_raises_is_in_the_catalogue():
    raised = rules_in_code()
    assert {"T3-A", "T3-B", "T4-A", "XY-1", "READ", "TITLE", "YEAR", "FORMAT", "MISSING"} <= raised
    assert raised <= set(layout.RULES), raised - set(layout.RULES)


def test_an_undocumented_rule_is_a_bug():
    with pytest.raises(ValueError):
        Problem("T9-Z", "error", (), "某条未说明的规则")
    with pytest.raises(ValueError):
        Problem("T3-A", "fatal", (), "未知的严重程度")


def test_the_data_page_explains_every_rule_in_chinese(seeds):
    catalog = build_catalog([Report(f"reports/{n}.txt", r) for n, r in sorted(seeds.items())])
    page = to_html(assemble.assemble(catalog, []).files["data/index.md"])
    for rule in layout.RULES.values():
        (row,) = page.xpath(f'//tr[@id="rule-{rule.id}"]')
        name, text = (td.text_content() for td in row.xpath("./td"))
        assert CJK.search(name) and CJK.search(text), rule.id
        assert not re.search(r"table[234]\.|[a-z_]+\.[a-z_]+", text), text  # no raw keys


def test_a_problem_reads_in_words_and_links_its_rule(seeds):
    """The seed 武威 2023 breaks T3-B: its panel says so in a sentence, names cells as a
    reader knows them, and the rule code is a link to its explanation on the data page."""
    record = seeds["wuwei"]
    catalog = build_catalog([Report("reports/wuwei.txt", record)])
    ay = catalog.agency_years()[0]
    page = to_html(assemble.assemble(catalog, []).files[ay.doc_path])
    items = page.xpath('//div[@id="check"]//li')
    assert items
    for li in items:
        text = li.text_content()
        assert not re.search(r"table[234]\.", text), text
        (link,) = li.xpath('.//a[contains(@class,"gk-rule")]')
        rule = link.get("href").rsplit("#rule-", 1)[1]
        assert rule in layout.RULES and link.get("href").endswith(f"data/#rule-{rule}")
        # the rule is named in words (its code beside the name, not instead of a message)
        assert layout.RULES[rule].name in link.text_content()
        assert layout.RULES[rule].text in link.get("title")
        assert li.text_content().split(" ", 1)[1].strip()[0] not in "TXFMR"  # a sentence first
