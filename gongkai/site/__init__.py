"""Site: parsed reports → the generated Markdown pages, charts and data files of the site.

:mod:`~gongkai.site.catalog` groups reports into agencies, years, regions and types;
:mod:`~gongkai.site.assemble` makes every page of an agency and the home page, with
:mod:`~gongkai.site.pages` (templates), :mod:`~gongkai.site.figures` (key figures, cell
names) and :mod:`~gongkai.site.charts`; :mod:`~gongkai.site.listings` the browsing,
comparison and quality pages; :mod:`~gongkai.site.dataset` the downloads;
:mod:`~gongkai.site.search` the Pagefind index of the built site. Nothing here reads
``reports/`` or writes files but the search index: :mod:`gongkai.build` does.
"""
