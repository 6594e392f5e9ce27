{#- gongkai: the menu's entries after the first, for the pages that are not menu entries
    themselves (the agency, agency-year and listing pages: partials/nav.html). Each such page
    writes the menu's first entry (the home page) and then
    <script src="…/assets/nav.js"></script> inside the menu's <ul>: run where it stands, before
    the page is drawn any further, this writes the other entries as Material's partial does
    (<li class="md-nav__item"><a href="…" class="md-nav__link">title</a></li>), so the menu
    is there from the first paint; one cached file instead of ~1.4 KB in each page.
    Rendered by MkDocs from mkdocs.yml's nav at every build (also `mkdocs build --dirty`),
    from nothing but the nav: the same bytes at every build. A link's address is the one in
    the nav, relative to the site's root, put after the path the page's own <script src>
    takes to the root ("../../"): the same href as the page would have written itself, under
    any sub-path. Titles are JSON strings (tojson escapes <, > and &) set as text, never as
    HTML. No entry is the page shown (those pages keep Material's whole menu), so none is
    marked active; nav.html writes this menu only when every entry is a plain page or link. -#}
(function(){var s=document.currentScript,r=s.getAttribute("src"),e=[
{%- for nav_item in nav.items[1:] -%}
{{ [nav_item.title, nav_item.url] | tojson }}{{ "," if not loop.last }}
{%- endfor -%}
];r=r.slice(0,r.lastIndexOf("assets/nav.js"));e.forEach(function(x){var l=document.createElement("li"),a=document.createElement("a");l.className="md-nav__item";a.className="md-nav__link";a.setAttribute("href",/^([a-z][a-z0-9+.-]*:|\/)/i.test(x[1])?x[1]:r+x[1]);a.textContent=x[0];l.appendChild(a);s.parentNode.insertBefore(l,s)});s.remove()})();
