"""The app's pages: one module per page, widgets in, library calls, rendering out.

Named ``app_pages``, not ``pages``: Streamlit treats a ``pages/`` folder beside the main
script as a legacy multipage app until some session has run ``st.navigation``, and would
then run a sub-page opened by link without ``app.py``'s frame (and offer ``common.py`` as a
page). ``tests/app/test_links.py`` opens every page first on a fresh server.

``app.py`` runs each page file with ``st.navigation``; a page module renders only when run
that way (``__name__ == "__main__"``), so importing one (tests, type checks) draws nothing.
Tables a page shows are built by :mod:`zoning.tables` and maps by :mod:`maps`, both tested
without Streamlit; :mod:`app_pages.common` holds what the pages share.
"""

__all__: list[str] = []
