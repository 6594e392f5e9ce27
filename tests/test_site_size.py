"""The bytes the site saves per page (issue 12, site size): the same page, smaller."""

from lxml import html as lxml_html

from gongkai.plugin import _compact_config, minify, without_empty_parts
from gongkai.site.charts import stripped_svg


def test_pages_shrink_but_pre_script_and_textarea_keep_their_spacing():
    html = '<div class="x">\n    <p>a\n      b</p>  \n\n  <pre>x\n   y</pre>\n <script>if (a)\n  b()</script>\n'
    html += "<textarea>1\n  2</textarea>\n   <p><span>c</span> <span>d</span></p></div>"
    small = minify(html)
    assert len(small) < len(html) * 0.8
    for kept in (
        "<pre>x\n   y</pre>",
        "<script>if (a)\n  b()</script>",
        "<textarea>1\n  2</textarea>",
    ):
        assert kept in small
    assert "<span>c</span> <span>d</span>" in small  # the space between words stays
    tree = lxml_html.fromstring(small)
    assert tree.xpath("//p")[0].text_content() == "a b" and tree.get("class") == "x"
    # a page the search reads keeps its end tags (Pagefind ends an element at its end tag)
    assert "</p><pre>" not in small and "</p>" in minify(html, keep_closing_tags=True)


def test_config_json_is_the_same_data_in_fewer_bytes():
    html = (
        '<script id="__config" type="application/json">{"a": "\\u5df2 </x>", "b": [1, 2]}</script>'
    )
    assert _compact_config(html) == (
        '<script id="__config" type="application/json">{"a":"已 \\u003c/x>","b":[1,2]}</script>'
    )


def test_material_s_empty_announcement_bar_and_dialog_go_a_filled_bar_stays():
    bar = '<div data-md-component="announce">\n      \n    </div>'
    dialog = (
        '<div class="md-dialog" data-md-component="dialog">\n'
        '      <div class="md-dialog__inner md-typeset"></div>\n    </div>'
    )
    page = f"<body>{bar}<main>x</main>{dialog}</body>"
    assert without_empty_parts(page) == "<body><main>x</main></body>"
    filled = '<div data-md-component="announce"><aside class="md-banner">新</aside></div>'
    assert without_empty_parts(f"<body>{filled}</body>") == f"<body>{filled}</body>"


def test_svg_rounds_coordinates_not_label_text():
    """What a chart keeps when it holds what chart_svg does not flatten (tests/test_chart_svg.py)."""
    svg = (
        '<svg width="10"><g transform="translate(0,0)"><path d="M0,0h0v0h0Z"/>'
        '<line transform="translate(17.499999999999996,-0.0001)" opacity="1" x2="1"/>'
        '<text opacity="0.5">1.23456</text><path d="" display="none"/></g></svg>'
    )
    out = stripped_svg(svg)
    assert '<line transform="translate(17.5,0)" x2="1"/>' in out
    assert '<text opacity="0.5">1.23456</text>' in out  # a label is text, never rounded
    assert "M0,0h0v0h0Z" not in out and 'display="none"' not in out and "(0,0)" not in out
