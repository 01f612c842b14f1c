"""The app's pages: one module per page, widgets in, library calls, rendering out.

``app.py`` runs each page file with ``st.navigation``; a page module renders only when run
that way (``__name__ == "__main__"``), so importing one (tests, type checks) draws nothing.
Tables a page shows are built by :mod:`zoning.tables` and maps by :mod:`maps`, both tested
without Streamlit; :mod:`pages.common` holds what the pages share.
"""

__all__: list[str] = []
